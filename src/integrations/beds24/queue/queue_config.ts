import type { SyncKind } from './job_kinds.ts';

export const SYNC_QUEUE = 'beds24-sync';
export const DEAD_LETTER_QUEUE = 'beds24-sync-dead';
/**
 * One schedule for every property: each minute a tick looks for hotels whose local date moved or whose
 * nightly check is due. pg-boss creates one job per minute across all processes.
 */
export const CALENDAR_TICK_QUEUE = 'beds24-calendar-tick';
export const CALENDAR_TICK_CRON = '* * * * *';
export const NIGHTLY_CHECK_QUEUE = 'beds24-nightly-check';
/** Off-peak in the property's own time zone: from 03:15 local, when few guests book and staff edit little. */
export const NIGHTLY_CHECK_MINUTE = 3 * 60 + 15;
/** The queue of the per-property nightly schedules of older deployments: deleted at start with its schedules. */
export const RETIRED_QUEUES = ['beds24-daily-resync'] as const;

/**
 * A job says what to bring up to date for one property, never the data: the worker reads the current
 * state when it runs. Kinds are separate jobs so their priorities apply; `group = property` with a group
 * concurrency of 1 keeps one push per property in flight across all kinds and all processes.
 */
export interface SyncJobData {
  kind: SyncKind;
  propertyId: string;
}

export interface QueueTuning {
  retryLimit: number;
  retryDelaySeconds: number;
  retryDelayMaxSeconds: number;
  /** A job whose worker stops sending heartbeats (a killed process) is retried after this long. */
  heartbeatSeconds: number;
  monitorIntervalSeconds: number;
  pollingIntervalSeconds: number;
  localConcurrency: number;
  /** Multiplies every debounce; 0 turns debouncing off (benchmarks of the write path). */
  debounceFactor: number;
}

export const DEFAULT_TUNING: QueueTuning = {
  retryLimit: 8,
  retryDelaySeconds: 5,
  retryDelayMaxSeconds: 300,
  heartbeatSeconds: 20,
  monitorIntervalSeconds: 10,
  pollingIntervalSeconds: 0.5,
  localConcurrency: 4,
  debounceFactor: 1,
};

export function singletonKeyFor(kind: SyncKind, propertyId: string): string {
  return `${kind}:${propertyId}`;
}
