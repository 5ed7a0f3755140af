import type { Db, Knex } from '../../../db.ts';
import type { Logger } from '../../../logger.ts';
import type { ReservationAction } from '../beds24_sync_types.ts';
import { pendingKinds, recordChanges, type Change } from '../store/outbox_store.ts';
import type { JobKind } from './queue_config.ts';
import type { SyncQueue } from './sync_queue.ts';

export type ChangeKind = 'reservation' | 'availability' | 'rates' | 'resync';

export interface RecordOptions {
  /** False: write the outbox rows without sending their jobs (the property's pushes are paused). */
  wake?: boolean;
}

export const JOB_FOR_CHANGE: Record<ChangeKind, JobKind> = {
  reservation: 'reservations',
  availability: 'availability',
  rates: 'rates',
  resync: 'resync',
};

/**
 * The Phase 2 queue functions, made durable. Each records what changed in the outbox
 * (beds24_pending_changes) inside the caller's transaction: that row is what guarantees a committed
 * edit is pushed and a rolled-back one never is. The pg-boss job that wakes a worker for the property is
 * sent right after the commit, off the request's path (pg-boss's insert costs about 2 ms); if the process
 * dies in between, the outbox sweeper sends it.
 */
export class SyncJobs {
  private readonly queue: SyncQueue;
  private readonly db: Knex;
  private readonly logger: Logger;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(queue: SyncQueue, db: Knex, logger: Logger) {
    this.queue = queue;
    this.db = db;
    this.logger = logger;
  }

  /** `action` is informational: the worker decides from the reservation's state when it runs. */
  async queueReservationSync(db: Db, propertyId: string, reservationIds: string[], _action: ReservationAction): Promise<void> {
    await this.record(db, propertyId, reservationIds.map((entityId) => ({ kind: 'reservation', entityId })));
  }

  async queueAvailabilitySync(db: Db, propertyId: string): Promise<void> {
    await this.record(db, propertyId, [{ kind: 'availability', entityId: 'calendar' }]);
  }

  async queueRatesSync(db: Db, propertyId: string): Promise<void> {
    await this.record(db, propertyId, [{ kind: 'rates', entityId: 'calendar' }]);
  }

  /**
   * A full resync of [from, to] (inclusive): the worker forgets what it remembers there and sends it all.
   * Its job is sent inside the transaction, since the caller answers with the job's id.
   */
  async queuePropertyResync(db: Db, propertyId: string, from: string, to: string): Promise<string | null> {
    await recordChanges(db, propertyId, [{ kind: 'resync', entityId: `${from}..${to}` }]);
    return this.queue.send(db, 'resync', propertyId, { wantId: true });
  }

  /**
   * Several changes of one property in one statement (what a single edit usually causes). `wake: false`
   * keeps them for later (pushes paused): the outbox sweeper sends their jobs once the property resumes.
   */
  async record(db: Db, propertyId: string, changes: Change[], { wake = true }: RecordOptions = {}): Promise<void> {
    if (changes.length === 0) return;
    await recordChanges(db, propertyId, changes);
    if (!wake) return;
    const kinds = new Set(changes.map((change) => JOB_FOR_CHANGE[change.kind]));
    for (const kind of kinds) this.afterCommit(db, () => this.kick(this.db, kind, propertyId));
  }

  /** Sends the job only: restarts work whose outbox rows are already there (retries, sweeps). */
  async kick(db: Db, kind: JobKind, propertyId: string): Promise<void> {
    await this.queue.send(db, kind, propertyId);
  }

  /** Sends a job for every kind of change the property has waiting in the outbox (pushes switched back on). */
  async kickPending(db: Db, propertyId: string): Promise<void> {
    for (const kind of await pendingKinds(db, propertyId)) await this.kick(db, JOB_FOR_CHANGE[kind], propertyId);
  }

  /** Singleton keys (`kind:property`) of the jobs waiting, retrying or running. */
  liveJobKeys(db: Db): Promise<Set<string>> {
    return this.queue.liveKeys(db);
  }

  /** Waits for the wake-ups sent after recent commits (before the queue is stopped). */
  async flush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private afterCommit(db: Db, action: () => Promise<void>): void {
    const run = (): void => {
      const sending = action()
        .catch((error: unknown) => this.logger.warn({ err: error }, 'could not queue a sync job after commit; the outbox sweeper will'))
        .finally(() => this.inFlight.delete(sending));
      this.inFlight.add(sending);
    };
    if ('executionPromise' in db && db.isTransaction) {
      (db as Knex.Transaction).executionPromise.then(run, () => undefined);
    } else {
      run();
    }
  }
}
