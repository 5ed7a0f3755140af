import type { Db } from '../../db.ts';
import { applyCursor, toPage, type Page } from '../../http/pagination.ts';
import type { CreatePropertyInput, PropertyRow } from './property_schemas.ts';

export function insertProperty(db: Db, input: CreatePropertyInput): Promise<PropertyRow> {
  return db<PropertyRow>('properties')
    .insert(input)
    .returning('*')
    .then((rows) => rows[0] as PropertyRow);
}

export function findProperty(db: Db, id: string): Promise<PropertyRow | undefined> {
  return db<PropertyRow>('properties').where({ id }).first();
}

export async function listProperties(db: Db, limit: number, cursor: string | undefined): Promise<Page<PropertyRow>> {
  const rows = await applyCursor<PropertyRow>(db('properties').select('*'), 'properties', limit, cursor);
  return toPage(rows, limit, (row) => row);
}
