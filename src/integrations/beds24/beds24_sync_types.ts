import type { Beds24Priority } from './client/priority.ts';
import type { SyncKind } from './queue/job_kinds.ts';

/** What one push run did, for logs, tests and benchmarks. */
export interface PushSummary {
  created: number;
  updated: number;
  cancelled: number;
  skipped: number;
  failed: number;
  calls: number;
}

export interface PushOptions {
  priority: Beds24Priority;
  /**
   * False (queue jobs): a call that would wait for the credit window throws Beds24CreditsDeferredError, so
   * the job can give its property back and come again; true or absent (CLI, direct calls): it waits.
   */
  wait?: boolean;
  /** The job attempt's deadline: no Beds24 call is tried again past it. */
  deadline?: Date;
  /**
   * Set by a calendar run that sends the bookings first: nights a booking write hands back to the calendar
   * are recorded for that run, which takes them after the bookings, instead of waking a job of their own.
   */
  calendarFollows?: boolean;
}

/**
 * Observes, per kind of change, how long the oldest change a push carried to Beds24 had waited: the push
 * that sends it observes it, whichever job ran the push (the calendar job sends waiting bookings first).
 */
export interface PushLatency {
  observe(labels: { kind: SyncKind }, seconds: number): void;
}

export function emptySummary(): PushSummary {
  return { created: 0, updated: 0, cancelled: 0, skipped: 0, failed: 0, calls: 0 };
}
