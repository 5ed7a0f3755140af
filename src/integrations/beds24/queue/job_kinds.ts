import { REQUEST_TIMEOUT_MS } from '../client/beds24_transport.ts';
import type { Beds24Priority } from '../client/priority.ts';

/**
 * What the sync brings up to date for a property, one word each, used for the outbox rows (a change of
 * kind K waits for a job of kind K), the jobs, the job failures, the status and the metrics:
 * - `reservations`: the bookings of the reservations named in the outbox;
 * - `availability`: the calendar (units free), after a stay, room or block changed;
 * - `rates`: the calendar (prices and restrictions), after a rate or restriction changed;
 * - `resync`: every cell of a range of the calendar, sent again whatever Beds24 is believed to hold;
 * - `import`: the other way round, Beds24's bookings into the PMS: the property's webhook deliveries waiting
 *   in the inbox and a pull when one is due (the inbox and the pull state are its outbox, so it clears no
 *   outbox kind).
 * The failed list names what failed with words of its own (`reservation`, `calendar`, `job`): a booking,
 * a Beds24 room's calendar, or a whole job of one of these kinds.
 */
export const SYNC_KINDS = ['reservations', 'availability', 'rates', 'resync', 'import'] as const;
export type SyncKind = (typeof SYNC_KINDS)[number];

export interface KindSettings {
  /** The outbox kinds one run of the job clears: availability and rates share one diff run. */
  clears: readonly SyncKind[];
  /**
   * The outbox kinds a run sends before its own work: a calendar run sends the property's waiting bookings
   * first (Beds24 must hold a booking before a count that includes it), so a calendar job on its way
   * carries a booking change too.
   */
  sendsFirst: readonly SyncKind[];
  /** pg-boss fetch priority: higher runs first. */
  queuePriority: number;
  /** Credit-gate priority of the Beds24 calls the job makes. */
  creditPriority: Beds24Priority;
  /** Edits arriving within this window become one push. */
  debounceSeconds: number;
  /**
   * The first change after a quiet period starts a job at once (the debounce then applies to what comes
   * while it is queued or running); false: every job waits its debounce, which batches what it reads.
   */
  leadingEdge: boolean;
  /**
   * How long one attempt of the job may spend retrying Beds24 calls: a call is not tried again past the
   * attempt's deadline (start + budget), so the attempt ends, at the latest, one request timeout later.
   */
  attemptBudgetSeconds: number;
}

export const KIND_SETTINGS: Record<SyncKind, KindSettings> = {
  reservations: {
    clears: ['reservations'],
    sendsFirst: [],
    queuePriority: 40,
    creditPriority: 'critical',
    debounceSeconds: 1,
    leadingEdge: true,
    attemptBudgetSeconds: 840,
  },
  availability: {
    clears: ['availability', 'rates'],
    sendsFirst: ['reservations'],
    queuePriority: 30,
    creditPriority: 'high',
    debounceSeconds: 1,
    leadingEdge: true,
    attemptBudgetSeconds: 840,
  },
  rates: {
    clears: ['availability', 'rates'],
    sendsFirst: ['reservations'],
    queuePriority: 20,
    creditPriority: 'normal',
    debounceSeconds: 2,
    leadingEdge: true,
    attemptBudgetSeconds: 840,
  },
  resync: {
    clears: ['resync'],
    sendsFirst: [],
    queuePriority: 10,
    creditPriority: 'low',
    debounceSeconds: 0,
    leadingEdge: true,
    attemptBudgetSeconds: 840,
  },
  // A channel booking the PMS does not know is a room it may sell twice: imports run before the calendar
  // push (so it counts them) and spend like availability changes (down to 2 credits left), below bookings
  // and closings (every credit) and above rates (5) and full resyncs (10). A second of debounce folds a
  // burst of webhook deliveries into one run, always: each run reads Beds24 and then writes the calendar
  // (with a pull first when a count may rise), so batching what a second brings saves credits.
  import: {
    clears: [],
    sendsFirst: [],
    queuePriority: 35,
    creditPriority: 'high',
    debounceSeconds: 1,
    leadingEdge: false,
    attemptBudgetSeconds: 840,
  },
};

/** The kinds of change the outbox holds (the import's work waits in the inbox and the pull state instead). */
export const OUTBOX_KINDS: readonly SyncKind[] = SYNC_KINDS.filter((kind) =>
  SYNC_KINDS.some((job) => KIND_SETTINGS[job].clears.includes(kind)),
);

/** Time for the attempt's own database work after its last Beds24 call, before pg-boss gives up on it. */
const EXPIRY_MARGIN_SECONDS = 30;

export function isSyncKind(value: string): value is SyncKind {
  return (SYNC_KINDS as readonly string[]).includes(value);
}

/**
 * The kinds whose job clears changes of `kind`, its own or sending them first (a job of any of them on its
 * way covers the change).
 */
export function jobsClearing(kind: SyncKind): SyncKind[] {
  return SYNC_KINDS.filter((job) => changesCoveredBy(job).includes(kind));
}

/** The outbox kinds one run of a `kind` job brings up to date: those it clears and those it sends first. */
export function changesCoveredBy(kind: SyncKind): SyncKind[] {
  return [...KIND_SETTINGS[kind].clears, ...KIND_SETTINGS[kind].sendsFirst];
}

/**
 * The items in the order their kinds' jobs are to be queued: those whose job carries other kinds' changes
 * first, so that a change of a carried kind (a booking's) finds the job that carries it (its calendar's).
 */
export function carriersFirst<T>(items: readonly T[], kindOf: (item: T) => SyncKind): T[] {
  return [...items].sort((a, b) => changesCoveredBy(kindOf(b)).length - changesCoveredBy(kindOf(a)).length);
}

/**
 * The kinds whose jobs do `kind`'s work, `kind` itself always: those whose run brings every outbox kind it
 * clears up to date (availability and rates share one diff run; a calendar run sends the bookings first).
 */
export function jobsSharingWork(kind: SyncKind): SyncKind[] {
  const clears = KIND_SETTINGS[kind].clears;
  return SYNC_KINDS.filter(
    (job) => job === kind || (clears.length > 0 && clears.every((cleared) => changesCoveredBy(job).includes(cleared))),
  );
}

/**
 * The kinds whose jobs do some of the work a `kind` job covers, `kind` itself always: the pushes that one
 * quiet spell after a `kind` job ends may start at once (a booking edit waits in a booking or a calendar job).
 */
export function jobsOverlapping(kind: SyncKind): SyncKind[] {
  const overlapping = new Set<SyncKind>([kind]);
  for (const covered of changesCoveredBy(kind)) for (const job of jobsSharingWork(covered)) overlapping.add(job);
  return SYNC_KINDS.filter((job) => overlapping.has(job));
}

/** The deadline of an attempt of `kind` started at `now`: the transport stops retrying its calls there. */
export function attemptDeadline(kind: SyncKind, now: Date): Date {
  return new Date(now.getTime() + KIND_SETTINGS[kind].attemptBudgetSeconds * 1000);
}

/**
 * pg-boss's expiry of a job of `kind`: its budget, one request timeout for the try started just before the
 * deadline, and a margin. An attempt that keeps to its budget is never expired (and retried) while it runs.
 */
export function expireInSeconds(kind: SyncKind): number {
  return KIND_SETTINGS[kind].attemptBudgetSeconds + REQUEST_TIMEOUT_MS / 1000 + EXPIRY_MARGIN_SECONDS;
}

/** The transport's retry bound for a call made outside any job (an operator's request, the command line). */
export const CALL_RETRY_BOUND_MS =
  Math.max(...SYNC_KINDS.map((kind) => KIND_SETTINGS[kind].attemptBudgetSeconds)) * 1000;

export interface RetryPolicy {
  retryLimit: number;
  retryDelaySeconds: number;
  retryDelayMaxSeconds: number;
  /** Multiplies every debounce. */
  debounceFactor: number;
}

/**
 * How long an edit of `kind` may take, at most, before it is a visible failure (in the failed list): the
 * debounce, then `retryLimit + 1` attempts that each use their whole budget plus one request timeout,
 * with pg-boss's longest backoff between them (`retryDelay · 2^n`, n = 1..retryLimit, capped). Waiting for
 * the credit window is not a failure and is not counted: a job deferred for credits runs again at the
 * window's reset without using an attempt.
 */
export function secondsUntilVisibleFailure(kind: SyncKind, policy: RetryPolicy): number {
  const settings = KIND_SETTINGS[kind];
  const attempt = settings.attemptBudgetSeconds + REQUEST_TIMEOUT_MS / 1000;
  let backoffs = 0;
  for (let n = 1; n <= policy.retryLimit; n += 1) {
    const longest = Math.max(policy.retryDelaySeconds, 1) * 2 ** Math.min(16, n);
    backoffs += Math.min(policy.retryDelayMaxSeconds, longest);
  }
  return settings.debounceSeconds * policy.debounceFactor + (policy.retryLimit + 1) * attempt + backoffs;
}
