import { z } from 'zod';
import type { Knex } from 'knex';
import { ValidationError } from '../errors.ts';

export const PaginationQuery = {
  limit: z.coerce.number().int('must be an integer').min(1).max(500).default(100),
  cursor: z.string().min(1).max(200).optional(),
};

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

/** Keyset pagination, newest first, on (`column`, id) of `table`; `column` is a millisecond timestamp. */
export function applyCursor(
  query: Knex.QueryBuilder,
  table: string,
  limit: number,
  cursor: string | undefined,
  column = 'created_at',
): Knex.QueryBuilder {
  query.orderBy([
    { column: `${table}.${column}`, order: 'desc' },
    { column: `${table}.id`, order: 'desc' },
  ]);
  query.limit(limit + 1);
  if (cursor !== undefined) {
    const { createdAt, id } = decodeCursor(cursor);
    query.whereRaw(`(${table}.${column}, ${table}.id) < (?::timestamptz, ?::uuid)`, [createdAt, id]);
  }
  return query;
}

export function toPage<R extends { id: string }, T>(
  rows: R[],
  limit: number,
  present: (row: R) => T,
  column = 'created_at',
): Page<T> {
  const more = rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows;
  const last = shown.at(-1);
  const at: unknown = last ? (last as Record<string, unknown>)[column] : undefined;
  return {
    data: shown.map(present),
    next_cursor:
      more && last && at instanceof Date ? Buffer.from(`${at.toISOString()}|${last.id}`).toString('base64url') : null,
  };
}

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  const [createdAt, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  // Only the exact form toPage writes: Date.parse alone accepts strings PostgreSQL's timestamptz refuses.
  if (
    createdAt === undefined ||
    id === undefined ||
    !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(createdAt) ||
    Number.isNaN(Date.parse(createdAt)) ||
    !z.uuid().safeParse(id).success
  ) {
    throw ValidationError.field('cursor', 'is not a cursor returned by this list');
  }
  return { createdAt, id };
}
