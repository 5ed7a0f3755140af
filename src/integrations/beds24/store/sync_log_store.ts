import type { Db } from '../../../db.ts';
import type { SyncLogTable } from './tables.ts';

export type CallRecord = Omit<SyncLogTable, 'id' | 'created_at'>;

export async function insertCall(db: Db, record: CallRecord): Promise<void> {
  await db('beds24_sync_log').insert(record);
}

export type CallSummary = Pick<
  SyncLogTable,
  'id' | 'created_at' | 'property_id' | 'method' | 'path' | 'status' | 'cost' | 'remaining' | 'duration_ms' | 'outcome' | 'error'
>;

/** The most recent calls, newest first, of one property or all. */
export function recentCalls(db: Db, { propertyId, limit }: { propertyId?: string; limit: number }): Promise<CallSummary[]> {
  const query = db('beds24_sync_log')
    .orderBy('id', 'desc')
    .limit(limit)
    .select('id', 'created_at', 'property_id', 'method', 'path', 'status', 'cost', 'remaining', 'duration_ms', 'outcome', 'error');
  if (propertyId) query.where({ property_id: propertyId });
  return query;
}
