import type { Db } from '../../../db.ts';
import { isSyncKind } from '../queue/job_kinds.ts';
import type { SyncQueue } from '../queue/sync_queue.ts';
import { markRetrying, type FailureRow } from '../store/failures_store.ts';
import { recordChanges, type Change } from '../store/outbox_store.ts';

/** Puts a failed thing back in the outbox (or sends its job again) and marks it as being retried. */
export async function retryFailure(db: Db, queue: Pick<SyncQueue, 'send' | 'wakeAfterCommit'>, failure: FailureRow): Promise<FailureRow> {
  const { property_id: propertyId, entity_id: entityId } = failure;
  if (failure.kind === 'job') {
    if (isSyncKind(entityId)) await queue.send(db, entityId, propertyId);
  } else {
    const change: Change =
      failure.kind === 'reservation' ? { kind: 'reservations', entityId } : { kind: 'availability', entityId: 'calendar' };
    await recordChanges(db, propertyId, [change]);
    queue.wakeAfterCommit(db, propertyId, [change.kind]);
  }
  return markRetrying(db, failure.id);
}
