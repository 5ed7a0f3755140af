import type { Clock } from '../../../clock.ts';
import type { Knex } from '../../../db.ts';
import type { Db } from '../../../db.ts';
import { addDays, localTimeIn, type CalendarDate } from '../../../utils/dates.ts';
import { NIGHTLY_CHECK_MINUTE } from '../queue/queue_config.ts';
import type { SyncQueue } from '../queue/sync_queue.ts';
import { claimNightlyRun, moveCalendarDate, startTickState, tickRows } from '../store/config_store.ts';
import { recordChanges } from '../store/outbox_store.ts';

export interface CalendarTickDeps {
  db: Knex;
  queue: Pick<SyncQueue, 'sendNightlyCheck' | 'wakeAfterCommit'>;
  clock: Clock;
}

/**
 * What each hotel's local clock asks of the sync, checked every minute and once at worker start (so what
 * fell due while no process ran is made up). After local midnight the calendar moves on a day: tonight's
 * out-of-order rooms count again and a new last night joins the horizon, so an availability change is
 * recorded (the change-only push sends just those nights). From 03:15 local the nightly check runs once
 * per local date. One query covers every property; only a property with something due costs more, and
 * each step is a conditional update, so ticks of several processes never do the same work twice.
 */
export class CalendarTick {
  private readonly deps: CalendarTickDeps;

  constructor(deps: CalendarTickDeps) {
    this.deps = deps;
  }

  async run(): Promise<void> {
    const now = this.deps.clock.now();
    for (const row of await tickRows(this.deps.db)) {
      const local = localTimeIn(row.timezone, now);
      if (row.calendar_date !== local.date) await this.moveCalendar(row.property_id, local.date);
      const dueFor = nightlyCheckDueFor(local);
      if (row.nightly_run_on === null || row.nightly_run_on < dueFor) {
        await this.runNightlyCheck(row.property_id, dueFor, row.nightly_run_on === null);
      }
    }
  }

  /**
   * Puts a property being connected under the tick from now: its calendar counts from today and its next
   * nightly check is the next 03:15, whenever the first tick comes (a process may start hours later). A
   * property the tick has seen before keeps its dates. In the caller's transaction.
   */
  async cover(db: Db, propertyId: string): Promise<void> {
    const { timezone }: { timezone: string } = await db('properties').where({ id: propertyId }).first('timezone');
    const local = localTimeIn(timezone, this.deps.clock.now());
    await startTickState(db, propertyId, local.date, nightlyCheckDueFor(local));
  }

  private async moveCalendar(propertyId: string, date: CalendarDate): Promise<void> {
    await this.deps.db.transaction(async (trx) => {
      if (!(await moveCalendarDate(trx, propertyId, date))) return;
      await recordChanges(trx, propertyId, [{ kind: 'availability', entityId: 'calendar' }]);
      this.deps.queue.wakeAfterCommit(trx, propertyId, ['availability']);
    });
  }

  /** A property seen for the first time (just connected: its full resync is on its way) starts counting from here. */
  private async runNightlyCheck(propertyId: string, dueFor: CalendarDate, firstSeen: boolean): Promise<void> {
    await this.deps.db.transaction(async (trx) => {
      const claimed = await claimNightlyRun(trx, propertyId, dueFor);
      if (claimed && !firstSeen) await this.deps.queue.sendNightlyCheck(trx, propertyId);
    });
  }
}

/** The last 03:15 that has passed, as a local date: the nightly check is due when it has not run for it. */
function nightlyCheckDueFor(local: { date: CalendarDate; minutes: number }): CalendarDate {
  return local.minutes >= NIGHTLY_CHECK_MINUTE ? local.date : addDays(local.date, -1);
}
