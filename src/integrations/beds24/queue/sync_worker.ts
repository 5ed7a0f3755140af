import type { Job } from 'pg-boss';
import type { Clock } from '../../../clock.ts';
import type { Knex } from '../../../db.ts';
import { AppError } from '../../../errors.ts';
import type { Logger } from '../../../logger.ts';
import type { PushOptions } from '../beds24_sync_types.ts';
import { Beds24CreditsDeferredError, Beds24Error } from '../client/beds24_errors.ts';
import { recordAbandonedJob, recordFailure, resolveFailures } from '../store/failures_store.ts';
import { waitingChangesSince } from '../store/outbox_store.ts';
import { KIND_SETTINGS, attemptDeadline, changesCoveredBy, jobsOverlapping, type SyncKind } from './job_kinds.ts';
import type { SyncJobData } from './queue_config.ts';
import type { JobVerdict, SyncQueue } from './sync_queue.ts';

/** What a job's run did, logged as it is: `calls` to Beds24 among the rest. */
export interface JobSummary {
  calls: number;
}

export type KindHandler = (propertyId: string, options: PushOptions) => Promise<JobSummary>;

export interface SyncWorkerDeps {
  db: Knex;
  queue: SyncQueue;
  handlers: Record<SyncKind, KindHandler>;
  logger: Logger;
  clock: Clock;
}

/**
 * Runs the property jobs. Transient failures go back to pg-boss for a retry with backoff; a failure that
 * retrying cannot fix (refused credentials, an unexpected answer), or the last retry, lands in the visible
 * failed list and the dead-letter queue. A later success of the same kind resolves it.
 */
export class SyncWorker {
  private readonly deps: SyncWorkerDeps;

  constructor(deps: SyncWorkerDeps) {
    this.deps = deps;
  }

  async start(): Promise<void> {
    await this.deps.queue.work((data, job) => this.handle(data, job));
    await this.deps.queue.workDeadLetters((data, sourceId) => this.handleDeadLetter(data, sourceId));
  }

  async handle(data: SyncJobData, job: Pick<Job<SyncJobData>, 'id' | 'retryCount'>): Promise<JobVerdict> {
    const { db, handlers, logger, queue, clock } = this.deps;
    const started = performance.now();
    // The attempt's budget counts from its start, as pg-boss's expiry does, waiting for the property included.
    const deadline = attemptDeadline(data.kind, clock.now());
    try {
      const { value: summary, since } = await this.oneAtATime(data.propertyId, async () => {
        // Never wait for credits here: the property lock and its pg-boss group slot would block everything else.
        const options = { priority: KIND_SETTINGS[data.kind].creditPriority, wait: false, deadline };
        return handlers[data.kind](data.propertyId, options);
      });
      // A calendar run that succeeded sent the waiting bookings too: a booking job that gave up is made good.
      await resolveFailures(db, data.propertyId, 'job', [data.kind, ...KIND_SETTINGS[data.kind].sendsFirst]);
      await this.startQuietSuccessor(data, since).catch((error: unknown) => {
        // The push is done; the next one only starts after its debounce, as it would in a burst.
        logger.warn(
          { err: error, kind: data.kind, property_id: data.propertyId },
          'could not start the next push early',
        );
      });
      logger.info(
        { kind: data.kind, property_id: data.propertyId, ms: Math.round(performance.now() - started), ...summary },
        'beds24 push done',
      );
      return 'completed';
    } catch (error) {
      if (error instanceof Beds24CreditsDeferredError) return this.deferred(data, error);
      const retryable = !(error instanceof Beds24Error) || error.retryable;
      const final = !retryable || job.retryCount >= queue.tuning.retryLimit;
      logger.warn(
        { err: error, kind: data.kind, property_id: data.propertyId, attempt: job.retryCount + 1, final },
        'beds24 push failed',
      );
      if (!final) return 'retry';
      await recordFailure(
        db,
        { propertyId: data.propertyId, kind: 'job', entityId: data.kind },
        describe(error),
        job.id,
      );
      return 'deadletter';
    }
  }

  /**
   * A send made while this job ran was held back a debounce, as part of a burst. It was none when a single
   * edit came that this job did not carry (the hotel's next edit, made as this push was on its way, a
   * booking saved after this calendar run sent the bookings), and nothing from before the job is left: its
   * job (a booking edit's is a calendar job, which sends bookings first) then starts as soon as this one
   * ends. Two edits or more while the push was on its way, or a change left from before it, are a burst and
   * keep the debounce. The outbox dates a row edited again during the push from that edit.
   */
  private async startQuietSuccessor(data: SyncJobData, since: Date): Promise<void> {
    const { db, queue, logger } = this.deps;
    const settings = KIND_SETTINGS[data.kind];
    if (!settings.leadingEdge || settings.debounceSeconds <= 0) return;
    const successors = jobsOverlapping(data.kind);
    const watched = [...new Set(successors.flatMap(changesCoveredBy))];
    const waiting = await waitingChangesSince(db, data.propertyId, watched, since);
    if (waiting.before > 0 || waiting.edits !== 1) return;
    if (await queue.startQueuedNow(db, successors, data.propertyId)) {
      logger.debug({ kind: data.kind, property_id: data.propertyId }, 'next push starts at once: one edit, no burst');
    }
  }

  /**
   * Credits are below what this kind may spend until the window resets: the job ends (freeing the property
   * for its other kinds, whose priorities may still spend) and the same kind is queued again for the reset.
   * Its outbox rows stay, so nothing is lost; pushes are state-based, so a half-done run simply runs again.
   */
  private async deferred(data: SyncJobData, error: Beds24CreditsDeferredError): Promise<JobVerdict> {
    await this.deps.queue.send(this.deps.db, data.kind, data.propertyId, { delaySeconds: error.waitMs / 1000 });
    this.deps.logger.info(
      { kind: data.kind, property_id: data.propertyId, resume_at: error.resumeAt.toISOString(), wait_ms: error.waitMs },
      'beds24 push deferred until the credit window resets',
    );
    return 'completed';
  }

  /**
   * One push per property in flight, across kinds and processes. pg-boss's group concurrency filters on
   * "no active job in the group" without serialising two workers that fetch at the same instant, so the
   * guarantee comes from a transaction-scoped advisory lock held while the job runs (released with the
   * connection if the process dies). A second job of the property waits here for the first to finish.
   * `since` is when the job began, by the database's clock (the one the outbox and the sync log keep).
   */
  private oneAtATime<T>(propertyId: string, push: () => Promise<T>): Promise<{ value: T; since: Date }> {
    return this.deps.db.transaction(async (trx) => {
      const { rows }: { rows: Array<{ since: Date }> } = await trx.raw(
        'select now() as since from pg_advisory_xact_lock(hashtextextended(?, 0))',
        [`beds24-property-push:${propertyId}`],
      );
      return { value: await push(), since: rows[0]?.since ?? new Date() };
    });
  }

  private async handleDeadLetter(data: SyncJobData, sourceId: string | null): Promise<void> {
    await recordAbandonedJob(this.deps.db, data.propertyId, data.kind, sourceId);
  }
}

function describe(error: unknown): { code: string; message: string } {
  if (error instanceof AppError) return { code: error.code, message: error.message };
  return { code: 'internal_error', message: error instanceof Error ? error.message : String(error) };
}
