import type { Knex } from '../../../db.ts';
import type { Logger } from '../../../logger.ts';
import type { JobKind } from './queue_config.ts';
import type { SyncJobs } from './sync_jobs.ts';

const JOB_OF_CHANGE: Record<string, JobKind> = { reservation: 'reservations', availability: 'availability', rates: 'rates', resync: 'resync' };

export interface OutboxSweeperOptions {
  db: Knex;
  jobs: SyncJobs;
  logger: Logger;
  intervalMs?: number;
  /** Changes younger than this still have their own job on the way. */
  graceSeconds?: number;
}

/**
 * Catches up on its own after an outage: a job that gave up while Beds24 was down leaves its outbox rows
 * behind, and this re-queues their property's job (a no-op when one is already queued). Credentials that
 * Beds24 refused are left alone until an operator reconnects or retries.
 */
export class OutboxSweeper {
  private readonly options: Required<OutboxSweeperOptions>;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(options: OutboxSweeperOptions) {
    this.options = { intervalMs: 30_000, graceSeconds: 30, ...options };
  }

  start(): void {
    this.timer = setInterval(() => {
      this.running ??= this.sweep()
        .then(() => undefined)
        .catch((error: unknown) => this.options.logger.error({ err: error }, 'outbox sweep failed'))
        .finally(() => {
          this.running = undefined;
        });
    }, this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async sweep(): Promise<number> {
    const { db, jobs, graceSeconds } = this.options;
    const stale: Array<{ property_id: string; kind: string }> = await db('beds24_pending_changes as p')
      .distinct('p.property_id', 'p.kind')
      .whereRaw(`p.last_queued_at < now() - make_interval(secs => ?)`, [graceSeconds])
      .whereNotExists(
        db('beds24_sync_failures as f')
          .whereRaw('f.property_id = p.property_id')
          .where({ 'f.kind': 'job', 'f.state': 'failed', 'f.error_code': 'beds24_auth' }),
      );
    for (const { property_id, kind } of stale) {
      const jobKind = JOB_OF_CHANGE[kind];
      if (jobKind) await jobs.kick(db, jobKind, property_id);
    }
    return stale.length;
  }
}
