import { inTransaction } from '../../../db/transaction.ts';
import type { Db, Knex } from '../../../db.ts';
import { ConflictError, NotFoundError } from '../../../errors.ts';
import { isSyncKind } from '../queue/job_kinds.ts';
import type { SyncQueue } from '../queue/sync_queue.ts';
import { failedItems, lockFailure, markRetrying, type FailureRow } from '../store/failures_store.ts';
import { recordChanges, type Change } from '../store/outbox_store.ts';

type Queue = Pick<SyncQueue, 'send' | 'wakeAfterCommit'>;

/** Puts a failed thing back in the outbox (or sends its job again) and marks it as being retried. */
async function retry(db: Db, queue: Queue, failure: FailureRow): Promise<FailureRow> {
  const { property_id: propertyId, entity_id: entityId } = failure;
  if (failure.kind === 'job') {
    if (isSyncKind(entityId)) await queue.send(db, entityId, propertyId);
  } else {
    const change: Change =
      failure.kind === 'reservation'
        ? { kind: 'reservations', entityId }
        : { kind: 'availability', entityId: 'calendar' };
    await recordChanges(db, propertyId, [change]);
    queue.wakeAfterCommit(db, propertyId, [change.kind]);
  }
  return markRetrying(db, failure.id);
}

/** Retries one failed item: 404 when there is none with this id, 409 when it is not failed any more. */
export function retryFailure(db: Knex, queue: Queue, id: string): Promise<FailureRow> {
  return inTransaction(db, async (trx) => {
    const failure = await lockFailure(trx, id);
    if (!failure) throw new NotFoundError('failed job', id);
    if (failure.state !== 'failed') throw new ConflictError(`job ${id} is ${failure.state}, not failed`);
    return retry(trx, queue, failure);
  });
}

/** Retries every failed item (of one property, or all); answers how many. */
export async function retryFailed(db: Knex, queue: Queue, propertyId?: string): Promise<number> {
  const failures = await failedItems(db, propertyId);
  await db.transaction(async (trx) => {
    for (const failure of failures) await retry(trx, queue, failure);
  });
  return failures.length;
}
