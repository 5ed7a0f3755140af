import type { Db } from '../../db.ts';
import { applyCursor, toPage, type Page } from '../../http/pagination.ts';
import type { CreateMaintenanceInput, MaintenanceRow } from './maintenance_schemas.ts';

export type MaintenanceBlock = Omit<MaintenanceRow, 'created_at'>;

function present({ id, room_id, start_date, end_date, reason }: MaintenanceRow): MaintenanceBlock {
  return { id, room_id, start_date, end_date, reason };
}

export async function insertMaintenance(
  db: Db,
  roomId: string,
  input: CreateMaintenanceInput,
): Promise<MaintenanceBlock> {
  const [row] = await db('maintenance_blocks')
    .insert({ room_id: roomId, start_date: input.start_date, end_date: input.end_date, reason: input.reason ?? null })
    .returning('*');
  return present(row as MaintenanceRow);
}

export function findMaintenance(db: Db, id: string): Promise<MaintenanceRow | undefined> {
  return db<MaintenanceRow>('maintenance_blocks').where({ id }).first();
}

export async function deleteMaintenance(db: Db, id: string): Promise<void> {
  await db('maintenance_blocks').where({ id }).delete();
}

export async function listMaintenance(
  db: Db,
  roomId: string,
  limit: number,
  cursor: string | undefined,
): Promise<Page<MaintenanceBlock>> {
  const rows: MaintenanceRow[] = await applyCursor(
    db('maintenance_blocks').select('*').where({ room_id: roomId }),
    'maintenance_blocks',
    limit,
    cursor,
  );
  return toPage(rows, limit, present);
}
