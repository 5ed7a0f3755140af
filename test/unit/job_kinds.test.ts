import { describe, expect, it } from 'vitest';
import {
  CALL_RETRY_BOUND_MS,
  KIND_SETTINGS,
  SYNC_KINDS,
  attemptDeadline,
  carriersFirst,
  expireInSeconds,
  isSyncKind,
  jobsClearing,
  jobsOverlapping,
  jobsSharingWork,
  secondsUntilVisibleFailure,
  type SyncKind,
} from '../../src/integrations/beds24/queue/job_kinds.ts';
import { DEFAULT_TUNING } from '../../src/integrations/beds24/queue/queue_config.ts';
import { DEFAULT_RESERVES } from '../../src/integrations/beds24/client/priority.ts';

describe('job kinds', () => {
  it('imports spend below bookings and closings, above rates and resyncs, and run before the calendar', () => {
    const reserve = (kind: SyncKind): number => DEFAULT_RESERVES[KIND_SETTINGS[kind].creditPriority];
    expect(DEFAULT_RESERVES.critical).toBeLessThan(reserve('import'));
    expect(reserve('import')).toBeLessThan(reserve('rates'));
    expect(reserve('import')).toBeLessThan(reserve('resync'));
    expect(KIND_SETTINGS.import.queuePriority).toBeLessThan(KIND_SETTINGS.reservations.queuePriority);
    expect(KIND_SETTINGS.import.queuePriority).toBeGreaterThan(KIND_SETTINGS.availability.queuePriority);
    expect(KIND_SETTINGS.import.clears).toEqual([]);
  });

  it.each<[SyncKind, SyncKind[]]>([
    ['reservations', ['reservations', 'availability', 'rates']],
    ['availability', ['availability', 'rates']],
    ['rates', ['availability', 'rates']],
    ['resync', ['resync']],
  ])('a %s change is cleared by a job of %j', (kind, jobs) => {
    expect(jobsClearing(kind)).toEqual(jobs);
  });

  it.each<[SyncKind, SyncKind[]]>([
    ['reservations', ['reservations', 'availability', 'rates']],
    ['availability', ['availability', 'rates']],
    ['rates', ['availability', 'rates']],
    ['resync', ['resync']],
    ['import', ['import']],
  ])('the work of a %s job is done by jobs of %j', (kind, jobs) => {
    expect(jobsSharingWork(kind)).toEqual(jobs);
  });

  it.each<[SyncKind, SyncKind[]]>([
    ['reservations', ['reservations', 'availability', 'rates']],
    ['availability', ['reservations', 'availability', 'rates']],
    ['rates', ['reservations', 'availability', 'rates']],
    ['resync', ['resync']],
    ['import', ['import']],
  ])('a %s job overlaps the work of jobs of %j', (kind, jobs) => {
    expect(jobsOverlapping(kind)).toEqual(jobs);
  });

  it.each<[SyncKind[], SyncKind[]]>([
    [
      ['reservations', 'availability'],
      ['availability', 'reservations'],
    ],
    [
      ['rates', 'reservations', 'resync'],
      ['rates', 'reservations', 'resync'],
    ],
    [
      ['import', 'reservations'],
      ['reservations', 'import'],
    ],
  ])(
    'queues %j as %j: a calendar job before the booking change it carries, the kinds covering more first',
    (kinds, order) => {
      expect(carriersFirst(kinds, (kind) => kind)).toEqual(order);
    },
  );

  it.each([
    ['reservations', true],
    ['resync', true],
    ['reservation', false],
    ['calendar', false],
    ['', false],
  ])('isSyncKind(%j) is %s', (value, expected) => {
    expect(isSyncKind(value)).toBe(expected);
  });

  it('gives every kind an attempt deadline of its budget, and an expiry of budget + request timeout + margin', () => {
    const start = new Date('2027-01-01T00:00:00Z');
    for (const kind of SYNC_KINDS) {
      const budget = KIND_SETTINGS[kind].attemptBudgetSeconds;
      expect(attemptDeadline(kind, start).getTime() - start.getTime()).toBe(budget * 1000);
      expect(expireInSeconds(kind)).toBe(budget + 30 + 30);
    }
    expect(expireInSeconds('reservations')).toBe(900);
    expect(CALL_RETRY_BOUND_MS).toBe(840_000);
  });

  it.each([
    // debounce 1 + 9 attempts × (840 + 30) + backoffs 10 + 20 + 40 + 80 + 160 + 300 + 300 + 300
    ['reservations', DEFAULT_TUNING, 1 + 9 * 870 + 1210],
    ['rates', DEFAULT_TUNING, 2 + 9 * 870 + 1210],
    ['resync', DEFAULT_TUNING, 0 + 9 * 870 + 1210],
    // No retry: one attempt, no backoff; a debounce factor of 0 turns the debounce off.
    ['availability', { ...DEFAULT_TUNING, retryLimit: 0, debounceFactor: 0 }, 870],
    // A delay below 1 s counts as 1 s, as pg-boss does; the cap applies to each backoff.
    [
      'availability',
      { ...DEFAULT_TUNING, retryLimit: 3, retryDelaySeconds: 0, retryDelayMaxSeconds: 5 },
      1 + 4 * 870 + 2 + 4 + 5,
    ],
  ] as const)('an edit of kind %s is a visible failure after at most these seconds (%#)', (kind, tuning, total) => {
    expect(secondsUntilVisibleFailure(kind, tuning)).toBe(total);
  });
});
