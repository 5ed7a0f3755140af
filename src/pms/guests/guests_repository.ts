import type { Db } from '../../db.ts';
import { GUEST_COLUMNS, type CreateGuestInput, type GuestRow, type UpdateGuestInput } from './guest_schemas.ts';

export function findGuest(db: Db, id: string): Promise<GuestRow | undefined> {
  return db<GuestRow>('guests').where({ id }).first(GUEST_COLUMNS);
}

export function lockGuest(db: Db, id: string): Promise<GuestRow | undefined> {
  return db<GuestRow>('guests').where({ id }).forUpdate().first(GUEST_COLUMNS);
}

export async function insertGuest(db: Db, input: CreateGuestInput): Promise<GuestRow> {
  const [row] = await db('guests').insert(input).returning<GuestRow[]>(GUEST_COLUMNS);
  return row as GuestRow;
}

export async function updateGuest(db: Db, id: string, changes: UpdateGuestInput): Promise<GuestRow> {
  const [row] = await db('guests').where({ id }).update(changes).returning<GuestRow[]>(GUEST_COLUMNS);
  return row as GuestRow;
}
