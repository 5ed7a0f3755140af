import type { Db } from '../../../db.ts';
import type { ReservationAction } from '../beds24_sync_types.ts';
import type { JobKind } from './queue_config.ts';
import type { SyncQueue } from './sync_queue.ts';

type ChangeKind = 'reservation' | 'availability' | 'rates' | 'resync';

const JOB_FOR_CHANGE: Record<ChangeKind, JobKind> = {
  reservation: 'reservations',
  availability: 'availability',
  rates: 'rates',
  resync: 'resync',
};

/**
 * The Phase 2 queue functions, made durable: each records what changed in the outbox
 * (beds24_pending_changes) and queues the property's job, both inside the caller's transaction, so a
 * committed edit always has its push and a rolled-back one never does.
 */
export class SyncJobs {
  private readonly queue: SyncQueue;

  constructor(queue: SyncQueue) {
    this.queue = queue;
  }

  /** `action` is informational: the worker decides from the reservation's state when it runs. */
  async queueReservationSync(db: Db, propertyId: string, reservationIds: string[], _action: ReservationAction): Promise<void> {
    await this.record(db, propertyId, 'reservation', reservationIds);
  }

  async queueAvailabilitySync(db: Db, propertyId: string): Promise<void> {
    await this.record(db, propertyId, 'availability', ['calendar']);
  }

  async queueRatesSync(db: Db, propertyId: string): Promise<void> {
    await this.record(db, propertyId, 'rates', ['calendar']);
  }

  /** A full resync of [from, to] (inclusive): the worker forgets what it remembers there and sends it all. */
  queuePropertyResync(db: Db, propertyId: string, from: string, to: string): Promise<string | null> {
    return this.record(db, propertyId, 'resync', [`${from}..${to}`]);
  }

  /** Sends the job only: used to restart work whose outbox rows are already there (retries, sweeps). */
  async kick(db: Db, kind: JobKind, propertyId: string): Promise<void> {
    await this.queue.send(db, kind, propertyId);
  }

  /** Returns the id of the job that will do the work: the one just queued, or the queued one it joined. */
  private async record(db: Db, propertyId: string, kind: ChangeKind, entityIds: string[]): Promise<string | null> {
    if (entityIds.length === 0) return null;
    await db.raw(
      `insert into beds24_pending_changes (property_id, kind, entity_id)
       select ?, ?, unnest(?::text[])
       on conflict (property_id, kind, entity_id)
       do update set version = nextval('beds24_change_version_seq'), last_queued_at = now()`,
      [propertyId, kind, entityIds],
    );
    return this.queue.send(db, JOB_FOR_CHANGE[kind], propertyId);
  }
}
