import { describe, expect, it } from 'vitest';
import type { Cell, RememberedCalendar } from '../../src/integrations/beds24/mappers/availability_mapper.ts';
import {
  driftCause,
  groupCalendarDrift,
  type CalendarDrift,
  type CalendarDriftRange,
  type DriftCause,
  type DriftContext,
} from '../../src/integrations/beds24/services/drift_ranges.ts';

const ROOM = 200001;
const OTHER = 200002;
type Values = [number | null, number | null];

const values = ([num_avail, price1]: Values) => ({ num_avail, price1 });

function night(date: string, expected: Values, actual: Values, room = ROOM): CalendarDrift {
  const pms = values(expected) as CalendarDrift['expected'];
  return { beds24_room_id: room, date, expected: pms, actual: values(actual) };
}

function remembered(entries: Array<[string, Cell]>, room = ROOM): RememberedCalendar {
  return new Map([[room, new Map(entries)]]);
}

function context(overrides: Partial<DriftContext> = {}): DriftContext {
  return {
    unknownRoomIds: new Set(),
    failedRooms: new Map(),
    calendarChangesPending: false,
    formerRoomIds: new Set(),
    remembered: new Map(),
    ...overrides,
  };
}

function range(
  [from, to, nights]: [string, string, number],
  expected: Values,
  actual: Values,
  cause: DriftCause,
  extra: Partial<CalendarDriftRange> = {},
): CalendarDriftRange {
  return {
    beds24_room_id: ROOM,
    from,
    to,
    nights,
    expected: values(expected) as CalendarDriftRange['expected'],
    actual: values(actual),
    cause,
    message: null,
    ...extra,
  };
}

const DAY = '2027-03-01';
const pushed = remembered([[DAY, { numAvail: 2, price1: 90 }]]);
const otherNight = remembered([['2027-03-02', { numAvail: 2, price1: 90 }]]);
const only = (id: number) => new Set([id]);
const refused = (id: number, message = 'refused') => new Map([[id, message]]);

describe('driftCause', () => {
  it.each<[string, Partial<DriftContext>, DriftCause]>([
    ['no such room in the account', { unknownRoomIds: only(ROOM), failedRooms: refused(ROOM) }, 'unknown_room'],
    ['Beds24 refused the room', { failedRooms: refused(ROOM), calendarChangesPending: true }, 'push_failed'],
    ['another room was refused', { failedRooms: refused(OTHER), remembered: pushed }, 'changed_in_beds24'],
    ['changes wait in the outbox', { calendarChangesPending: true, formerRoomIds: only(ROOM) }, 'pending'],
    ['nothing maps to the room any more', { formerRoomIds: only(ROOM), remembered: pushed }, 'former_room'],
    ['Beds24 accepted the expected value before', { remembered: pushed }, 'changed_in_beds24'],
    ['we remember another number', { remembered: remembered([[DAY, { numAvail: 1, price1: 90 }]]) }, 'not_pushed'],
    ['we remember another price', { remembered: remembered([[DAY, { numAvail: 2, price1: 80 }]]) }, 'not_pushed'],
    ['we remember only another night', { remembered: otherNight }, 'not_pushed'],
  ])('%s: %s', (_name, overrides, cause) => {
    expect(driftCause(night(DAY, [2, 90], [0, 90]), context(overrides))).toBe(cause);
  });

  it('ignores the remembered price where the PMS names none (a closed former room)', () => {
    const ctx = context({ remembered: remembered([[DAY, { numAvail: 0, price1: 70 }]]) });
    expect(driftCause(night(DAY, [0, null], [1, 70]), ctx)).toBe('changed_in_beds24');
  });
});

describe('groupCalendarDrift', () => {
  const accepted = (dates: string[]) => remembered(dates.map((d) => [d, { numAvail: 2, price1: 90 }]));

  it.each<[string, CalendarDrift[], DriftContext, CalendarDriftRange[]]>([
    ['nothing differs', [], context(), []],
    [
      'consecutive nights with equal values become one range',
      ['2027-03-01', '2027-03-02', '2027-03-03'].map((date) => night(date, [2, 90], [0, 90])),
      context({ remembered: accepted(['2027-03-01', '2027-03-02', '2027-03-03']) }),
      [range(['2027-03-01', '2027-03-03', 3], [2, 90], [0, 90], 'changed_in_beds24')],
    ],
    [
      'a gap splits a range',
      [night('2027-03-01', [2, 90], [0, 90]), night('2027-03-03', [2, 90], [0, 90])],
      context({ remembered: accepted(['2027-03-01', '2027-03-03']) }),
      [
        range(['2027-03-01', '2027-03-01', 1], [2, 90], [0, 90], 'changed_in_beds24'),
        range(['2027-03-03', '2027-03-03', 1], [2, 90], [0, 90], 'changed_in_beds24'),
      ],
    ],
    [
      'a different expected, actual or cause splits a range',
      [
        night('2027-03-01', [2, 90], [0, 90]),
        night('2027-03-02', [1, 90], [0, 90]),
        night('2027-03-03', [1, 90], [0, 80]),
        night('2027-03-04', [1, 90], [0, 80]),
      ],
      context({
        remembered: remembered([
          ['2027-03-01', { numAvail: 2, price1: 90 }],
          ['2027-03-02', { numAvail: 1, price1: 90 }],
          ['2027-03-03', { numAvail: 1, price1: 90 }],
        ]),
      }),
      [
        range(['2027-03-01', '2027-03-01', 1], [2, 90], [0, 90], 'changed_in_beds24'),
        range(['2027-03-02', '2027-03-02', 1], [1, 90], [0, 90], 'changed_in_beds24'),
        range(['2027-03-03', '2027-03-03', 1], [1, 90], [0, 80], 'changed_in_beds24'),
        range(['2027-03-04', '2027-03-04', 1], [1, 90], [0, 80], 'not_pushed'),
      ],
    ],
    [
      'rooms are grouped apart and sorted, nights sorted within a room, across a month end',
      [
        night('2027-03-01', [0, null], [3, 50], OTHER),
        night('2027-02-28', [2, 90], [null, null]),
        night('2027-03-01', [2, 90], [null, null]),
        night('2027-02-28', [0, null], [3, 50], OTHER),
      ],
      context({ unknownRoomIds: only(ROOM), formerRoomIds: only(OTHER) }),
      [
        range(['2027-02-28', '2027-03-01', 2], [2, 90], [null, null], 'unknown_room'),
        range(['2027-02-28', '2027-03-01', 2], [0, null], [3, 50], 'former_room', { beds24_room_id: OTHER }),
      ],
    ],
    [
      'a refused room carries the message of Beds24',
      [night('2027-03-01', [2, 90], [0, 90]), night('2027-03-02', [2, 90], [0, 90])],
      context({ failedRooms: refused(ROOM, 'numAvail out of range') }),
      [range(['2027-03-01', '2027-03-02', 2], [2, 90], [0, 90], 'push_failed', { message: 'numAvail out of range' })],
    ],
    [
      'pending changes explain every room',
      [night('2027-03-01', [2, 90], [0, 90]), night('2027-03-01', [1, 90], [0, 90], OTHER)],
      context({ calendarChangesPending: true }),
      [
        range(['2027-03-01', '2027-03-01', 1], [2, 90], [0, 90], 'pending'),
        range(['2027-03-01', '2027-03-01', 1], [1, 90], [0, 90], 'pending', { beds24_room_id: OTHER }),
      ],
    ],
  ])('%s', (_name, cells, ctx, expected) => {
    expect(groupCalendarDrift(cells, ctx)).toEqual(expected);
  });
});

describe('restrictions in the drift report', () => {
  const stays = (min_stay: number | null, override: 'none' | 'noCheckIn' | 'blackout') => ({
    min_stay,
    max_stay: null,
    override,
  });
  const restricted = (date: string, expected: ReturnType<typeof stays>, actual: ReturnType<typeof stays>) => ({
    beds24_room_id: ROOM,
    date,
    expected: { num_avail: 2, price1: 90, ...expected },
    actual: { num_avail: 2, price1: 90, ...actual },
  });
  const held = (minStay: number | null, override: 'none' | 'noCheckIn' | null): Cell => ({
    numAvail: 2,
    price1: 90,
    minStay,
    maxStay: null,
    override,
  });

  it.each<[string, Cell, DriftCause]>([
    ['Beds24 accepted these restrictions, then showed others', held(3, 'noCheckIn'), 'changed_in_beds24'],
    ['we remember other restrictions', held(2, 'noCheckIn'), 'not_pushed'],
    ['we remember restrictions never sent (Beds24 holds none of ours)', held(null, null), 'not_pushed'],
  ])('driftCause: %s', (_name, accepted, cause) => {
    const cell = restricted(DAY, stays(3, 'noCheckIn'), stays(null, 'none'));
    expect(driftCause(cell, context({ remembered: remembered([[DAY, accepted]]) }))).toBe(cause);
  });

  it('a different restriction value splits a range; equal ones merge', () => {
    const days = ['2027-03-01', '2027-03-02', '2027-03-03'];
    const cells = [
      restricted(days[0]!, stays(3, 'noCheckIn'), stays(null, 'none')),
      restricted(days[1]!, stays(3, 'noCheckIn'), stays(null, 'none')),
      restricted(days[2]!, stays(3, 'noCheckIn'), stays(null, 'blackout')),
    ];
    const accepted = remembered(days.map((d) => [d, held(3, 'noCheckIn')]));
    const ranges = groupCalendarDrift(cells, context({ remembered: accepted }));
    expect(ranges.map((r) => [r.from, r.to, r.actual.override])).toEqual([
      [days[0], days[1], 'none'],
      [days[2], days[2], 'blackout'],
    ]);
  });
});
