import type { Clock } from '../../../clock.ts';
import { inTransaction } from '../../../db/transaction.ts';
import type { Knex } from '../../../db.ts';
import { ConflictError, ValidationError } from '../../../errors.ts';
import { addDays, todayIn, type CalendarDate } from '../../../utils/dates.ts';
import type { SyncQueue } from '../queue/sync_queue.ts';
import { isPushEnabled, loadConfig } from '../store/config_store.ts';
import { recordChanges, type Change } from '../store/outbox_store.ts';
import { currentAndFutureStays } from './current_stays.ts';

export interface PropertyResyncDeps {
  db: Knex;
  queue: Pick<SyncQueue, 'send' | 'wakeAfterCommit'>;
  clock: Clock;
  horizonDays: number;
}

/** The outbox change of a full resync of [from, to] (inclusive). */
function resyncChange(from: CalendarDate, to: CalendarDate): Change {
  return { kind: 'resync', entityId: `${from}..${to}` };
}

/**
 * "Bring this property's Beds24 up to date": every current and future booking, and the calendar of every
 * Beds24 room the property publishes over the range, all of it sent again whatever we believe Beds24 holds.
 */
export class PropertyResync {
  private readonly deps: PropertyResyncDeps;

  constructor(deps: PropertyResyncDeps) {
    this.deps = deps;
  }

  /**
   * An operator's resync of a property whose pushes run (default range: today to the horizon); answers
   * the id of the resync job. 400 for an unknown property, 409 when it is not connected or paused.
   */
  request(propertyId: string, range: { from?: CalendarDate; to?: CalendarDate } = {}): Promise<string | null> {
    return inTransaction(this.deps.db, async (trx) => {
      if (!(await trx('properties').where({ id: propertyId }).first('id'))) {
        throw ValidationError.field('property_id', 'no property with this id');
      }
      const config = await loadConfig(trx, propertyId);
      if (!isPushEnabled(config)) {
        throw new ConflictError(
          config === undefined || config.refresh_token === null
            ? 'property is not connected to Beds24'
            : 'push sync is disabled for this property (sync_enabled or push_sync_enabled is false)',
        );
      }
      return this.queue(trx, propertyId, range.from, range.to);
    });
  }

  /** Queues it in the caller's transaction; answers the id of the resync job. */
  async queue(
    trx: Knex.Transaction,
    propertyId: string,
    from?: CalendarDate,
    to?: CalendarDate,
  ): Promise<string | null> {
    const { queue, clock, horizonDays } = this.deps;
    const now = clock.now();
    const { timezone }: { timezone: string } = await trx('properties').where({ id: propertyId }).first('timezone');
    const today = todayIn(timezone, now);
    const stays: Array<{ id: string }> = await currentAndFutureStays(trx, now)
      .where('r.property_id', propertyId)
      .select('r.id');
    // The availability change also flushes what was kept in the outbox while pushes were switched off.
    const changes: Change[] = [
      ...stays.map((stay): Change => ({ kind: 'reservations', entityId: stay.id })),
      { kind: 'availability', entityId: 'calendar' },
    ];
    await recordChanges(trx, propertyId, changes);
    queue.wakeAfterCommit(
      trx,
      propertyId,
      changes.map((change) => change.kind),
    );
    await recordChanges(trx, propertyId, [resyncChange(from ?? today, to ?? addDays(today, horizonDays - 1))]);
    // Sent in the transaction: the caller answers with the job's id.
    return queue.send(trx, 'resync', propertyId, { wantId: true });
  }
}
