import type { Clock } from '../../../clock.ts';
import type { Knex } from '../../../db.ts';
import { addDays, todayIn } from '../../../utils/dates.ts';
import type { SyncJobs } from '../queue/sync_jobs.ts';
import { currentAndFutureStays } from './current_stays.ts';

/**
 * "Bring this property's Beds24 up to date": every current and future booking, and the calendar of every
 * Beds24 room the property publishes over the range, all of it sent again whatever we believe Beds24 holds.
 */
export class PropertyResync {
  private readonly jobs: SyncJobs;
  private readonly clock: Clock;
  private readonly horizonDays: number;

  constructor(jobs: SyncJobs, clock: Clock, horizonDays: number) {
    this.jobs = jobs;
    this.clock = clock;
    this.horizonDays = horizonDays;
  }

  async queue(trx: Knex.Transaction, propertyId: string, from?: string, to?: string): Promise<string | null> {
    const now = this.clock.now();
    const { timezone }: { timezone: string } = await trx('properties').where({ id: propertyId }).first('timezone');
    const today = todayIn(timezone, now);
    const stays: Array<{ id: string }> = await currentAndFutureStays(trx, now)
      .where('r.property_id', propertyId)
      .select('r.id');
    await this.jobs.queueReservationSync(trx, propertyId, stays.map((s) => s.id), 'update');
    // Also flushes availability changes left in the outbox while pushes were switched off.
    await this.jobs.queueAvailabilitySync(trx, propertyId);
    return this.jobs.queuePropertyResync(trx, propertyId, from ?? today, to ?? addDays(today, this.horizonDays - 1));
  }
}
