import type { Db } from '../../../db.ts';
import type { SyncLogTable } from './tables.ts';

export type CallRecord = Omit<SyncLogTable, 'id' | 'created_at'>;

export async function insertCall(db: Db, record: CallRecord): Promise<void> {
  await db('beds24_sync_log').insert(record);
}

const SUMMARY_COLUMNS = [
  'id',
  'created_at',
  'property_id',
  'method',
  'path',
  'status',
  'cost',
  'remaining',
  'duration_ms',
  'outcome',
  'error',
] as const;

export type CallSummary = Pick<SyncLogTable, (typeof SUMMARY_COLUMNS)[number]>;

/** The most recent calls, newest first, of one property or all. */
export function recentCalls(db: Db, filter: { propertyId?: string; limit: number }): Promise<CallSummary[]> {
  const { propertyId, limit } = filter;
  const query = db('beds24_sync_log')
    .orderBy('id', 'desc')
    .limit(limit)
    .select([...SUMMARY_COLUMNS]);
  if (propertyId) query.where({ property_id: propertyId });
  return query;
}
