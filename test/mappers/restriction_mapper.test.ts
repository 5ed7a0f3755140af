import { describe, expect, it } from 'vitest';
import type { CalendarWrite } from '../../src/integrations/beds24/client/beds24_schemas.ts';
import {
  computeDesiredCalendar,
  diffCalendar,
  toCalendarBodies,
  type AvailabilityInput,
  type Cell,
  type ChangedCell,
  type DesiredCalendar,
  type RememberedCalendar,
  type RoomInput,
} from '../../src/integrations/beds24/mappers/availability_mapper.ts';
import {
  foldRestrictions,
  indexRestrictions,
  overrideFor,
  type CellRestrictions,
  type Override,
  type RestrictionInput,
} from '../../src/integrations/beds24/mappers/restriction_mapper.ts';
import { validateRequestBody } from '@pms/beds24-sandbox/openapi';

/*
 * Every scenario covers the nights 2027-05-10 .. 2027-05-13 (4 nights) with today = 2027-05-10, unless its
 * row says otherwise. Expected values are written out by hand, one per night.
 */
const TODAY = '2027-05-10';
const NIGHTS = ['2027-05-10', '2027-05-11', '2027-05-12', '2027-05-13'];

type Flags = Partial<Omit<RestrictionInput, 'room_type' | 'date'>>;

/** One stored night of a room type. */
const r = (roomType: string, date: string, set: Flags): RestrictionInput => ({
  room_type: roomType,
  date,
  min_stay: null,
  max_stay: null,
  closed_to_arrival: false,
  closed_to_departure: false,
  stop_sell: false,
  ...set,
});
/** The same restriction on several nights. */
const nights = (roomType: string, dates: string[], set: Flags): RestrictionInput[] =>
  dates.map((date) => r(roomType, date, set));

/** A cell's restrictions: `x(3, null, 'none')`. */
const x = (minStay: number | null, maxStay: number | null, override: Override): CellRestrictions => ({
  minStay,
  maxStay,
  override,
});
const NONE = undefined;

const room = (id: string, beds24RoomId: number | null, roomType: string, overrides: Partial<RoomInput> = {}) => ({
  id,
  beds24_room_id: beds24RoomId,
  status: 'active',
  housekeeping_status: 'clean',
  base_price: 100,
  room_type: roomType,
  ...overrides,
});

const input = (overrides: Partial<AvailabilityInput> = {}): AvailabilityInput => ({
  from: TODAY,
  to: '2027-05-13',
  today: TODAY,
  horizonDays: 30,
  rooms: [room('r1', 1001, 'double')],
  stays: [],
  blocks: [],
  rates: [],
  restrictions: [],
  ...overrides,
});

/** The restrictions of every night of one Beds24 room, `undefined` where the cell carries none. */
function restrictionsOfRoom(calendar: DesiredCalendar, beds24RoomId: number): Array<CellRestrictions | undefined> {
  return (calendar.cells.get(beds24RoomId) ?? []).map((cell) =>
    cell.override === undefined
      ? undefined
      : { minStay: cell.minStay ?? null, maxStay: cell.maxStay ?? null, override: cell.override as Override },
  );
}

describe('overrideFor: precedence blackout > both closed > one closed > none', () => {
  it.each<[boolean, boolean, boolean, Override]>([
    [false, false, false, 'none'],
    [false, true, false, 'noCheckIn'],
    [false, false, true, 'noCheckOut'],
    [false, true, true, 'noCheckInOrCheckOut'],
    [true, false, false, 'blackout'],
    [true, true, false, 'blackout'],
    [true, false, true, 'blackout'],
    [true, true, true, 'blackout'],
  ])('stop_sell %s, closed_to_arrival %s, closed_to_departure %s → %s', (stopSell, toArrival, toDeparture, want) => {
    expect(overrideFor({ stopSell, closedToArrival: toArrival, closedToDeparture: toDeparture })).toBe(want);
  });
});

describe('foldRestrictions: the strictest value of the room types, night by night', () => {
  it.each<[string, string[], RestrictionInput[], Array<CellRestrictions | undefined>]>([
    ['no rows: nothing on any night', ['double'], [], [NONE, NONE, NONE, NONE]],
    [
      'one type, one night',
      ['double'],
      [r('double', '2027-05-11', { min_stay: 3 })],
      [NONE, x(3, null, 'none'), NONE, NONE],
    ],
    [
      'the highest min_stay, the lowest max_stay',
      ['double', 'twin'],
      [
        ...nights('double', NIGHTS, { min_stay: 2, max_stay: 10 }),
        r('twin', '2027-05-10', { min_stay: 3 }),
        r('twin', '2027-05-11', { min_stay: 1, max_stay: 7 }),
        r('twin', '2027-05-12', { max_stay: 14 }),
      ],
      [x(3, 10, 'none'), x(2, 7, 'none'), x(2, 10, 'none'), x(2, 10, 'none')],
    ],
    [
      'a flag when any type has it; flags of different types combine',
      ['double', 'twin'],
      [
        r('double', '2027-05-10', { closed_to_arrival: true }),
        r('twin', '2027-05-11', { closed_to_arrival: true }),
        r('double', '2027-05-12', { closed_to_arrival: true }),
        r('twin', '2027-05-12', { closed_to_departure: true }),
        r('double', '2027-05-13', { closed_to_departure: true }),
        r('twin', '2027-05-13', { stop_sell: true }),
      ],
      [
        x(null, null, 'noCheckIn'),
        x(null, null, 'noCheckIn'),
        x(null, null, 'noCheckInOrCheckOut'),
        x(null, null, 'blackout'),
      ],
    ],
    [
      'a type outside the set does not count',
      ['double'],
      [r('suite', '2027-05-10', { stop_sell: true }), r('double', '2027-05-11', { min_stay: 2 })],
      [NONE, x(2, null, 'none'), NONE, NONE],
    ],
    ['a row with nothing set restricts nothing', ['double'], [r('double', '2027-05-10', {})], [NONE, NONE, NONE, NONE]],
    [
      'rows before the first night and after the last are ignored',
      ['double'],
      [
        r('double', '2027-05-09', { stop_sell: true }),
        r('double', '2027-05-14', { stop_sell: true }),
        r('double', '2026-05-10', { min_stay: 9 }),
      ],
      [NONE, NONE, NONE, NONE],
    ],
    [
      'values of different types may cross (min above max): both are sent, as the rule says',
      ['double', 'twin'],
      [r('double', '2027-05-10', { min_stay: 5 }), r('twin', '2027-05-10', { max_stay: 3 })],
      [x(5, 3, 'none'), NONE, NONE, NONE],
    ],
    [
      'the same type listed twice counts once',
      ['double', 'double'],
      [r('double', '2027-05-13', { max_stay: 4 })],
      [NONE, NONE, NONE, x(null, 4, 'none')],
    ],
  ])('%s', (_name, types, rows, expected) => {
    expect(foldRestrictions(types, indexRestrictions(rows, TODAY, 4), 4)).toEqual(expected);
  });
});

describe('computeDesiredCalendar with restrictions', () => {
  it('without restrictions every cell is numAvail and price1 only, as before', () => {
    const desired = computeDesiredCalendar(input({ restrictions: undefined }));
    const alsoEmpty = computeDesiredCalendar(input({ restrictions: [] }));
    const unrelated = computeDesiredCalendar(input({ restrictions: [r('suite', TODAY, { stop_sell: true })] }));
    for (const calendar of [desired, alsoEmpty, unrelated]) {
      expect(calendar.cells).toStrictEqual(new Map([[1001, NIGHTS.map(() => ({ numAvail: 1, price1: 100 }))]]));
    }
  });

  it('a restricted night carries all three fields besides units and price; the others stay as before', () => {
    const desired = computeDesiredCalendar(input({ restrictions: [r('double', '2027-05-11', { min_stay: 2 })] }));
    expect(desired.cells.get(1001)).toStrictEqual([
      { numAvail: 1, price1: 100 },
      { numAvail: 1, price1: 100, minStay: 2, maxStay: null, override: 'none' },
      { numAvail: 1, price1: 100 },
      { numAvail: 1, price1: 100 },
    ]);
  });

  it.each<[string, Partial<AvailabilityInput>, Array<[number, Array<CellRestrictions | undefined>]>]>([
    [
      'several room types on one Beds24 room: the strictest wins',
      {
        rooms: [room('r1', 1001, 'double'), room('r2', 1001, 'twin'), room('r3', 1001, 'double')],
        restrictions: [
          ...nights('double', NIGHTS, { min_stay: 2, max_stay: 14 }),
          ...nights('twin', ['2027-05-11', '2027-05-12'], { min_stay: 4, max_stay: 21 }),
          r('twin', '2027-05-13', { max_stay: 7, closed_to_arrival: true }),
        ],
      },
      [[1001, [x(2, 14, 'none'), x(4, 14, 'none'), x(4, 14, 'none'), x(2, 7, 'noCheckIn')]]],
    ],
    [
      'one room of them inactive: its room type is ignored',
      {
        rooms: [room('r1', 1001, 'double'), room('r2', 1001, 'twin', { status: 'inactive' })],
        restrictions: [
          ...nights('twin', NIGHTS, { stop_sell: true, min_stay: 9 }),
          r('double', '2027-05-12', { min_stay: 2 }),
        ],
      },
      [[1001, [NONE, NONE, x(2, null, 'none'), NONE]]],
    ],
    [
      'an inactive room of a type that an active room also has: the type still counts',
      {
        rooms: [room('r1', 1001, 'double', { status: 'inactive' }), room('r2', 1001, 'double')],
        restrictions: [r('double', '2027-05-10', { stop_sell: true })],
      },
      [[1001, [x(null, null, 'blackout'), NONE, NONE, NONE]]],
    ],
    [
      'every room of a Beds24 room inactive: no restrictions (it sells nothing anyway)',
      {
        rooms: [room('r1', 1001, 'double', { status: 'inactive' })],
        restrictions: nights('double', NIGHTS, { min_stay: 3 }),
      },
      [[1001, [NONE, NONE, NONE, NONE]]],
    ],
    [
      'an unmapped room of a type does not bring it to a Beds24 room',
      {
        rooms: [room('r1', 1001, 'double'), room('r9', null, 'suite')],
        restrictions: nights('suite', NIGHTS, { stop_sell: true }),
      },
      [[1001, [NONE, NONE, NONE, NONE]]],
    ],
    [
      'one room type on two Beds24 rooms: both get it; each Beds24 room folds its own types',
      {
        rooms: [room('r1', 1001, 'double'), room('r2', 1002, 'double'), room('r3', 1002, 'twin')],
        restrictions: [
          r('double', '2027-05-10', { closed_to_departure: true }),
          r('twin', '2027-05-10', { closed_to_arrival: true }),
        ],
      },
      [
        [1001, [x(null, null, 'noCheckOut'), NONE, NONE, NONE]],
        [1002, [x(null, null, 'noCheckInOrCheckOut'), NONE, NONE, NONE]],
      ],
    ],
    [
      'precedence across types: stop-sell of one type beats the closed flags of another',
      {
        rooms: [room('r1', 1001, 'double'), room('r2', 1001, 'twin')],
        restrictions: [
          r('double', '2027-05-10', { closed_to_arrival: true, closed_to_departure: true }),
          r('twin', '2027-05-10', { stop_sell: true }),
          r('double', '2027-05-11', { closed_to_arrival: true }),
          r('twin', '2027-05-11', { closed_to_departure: true }),
          r('double', '2027-05-12', { closed_to_departure: true }),
          r('double', '2027-05-13', { closed_to_arrival: true, min_stay: 2 }),
        ],
      },
      [
        [
          1001,
          [
            x(null, null, 'blackout'),
            x(null, null, 'noCheckInOrCheckOut'),
            x(null, null, 'noCheckOut'),
            x(2, null, 'noCheckIn'),
          ],
        ],
      ],
    ],
    [
      'nights before today have no effect (past restrictions are stored but never published)',
      {
        from: '2027-05-08',
        restrictions: [
          r('double', '2027-05-08', { stop_sell: true }),
          r('double', '2027-05-09', { min_stay: 5 }),
          r('double', '2027-05-10', { min_stay: 2 }),
        ],
      },
      [[1001, [x(2, null, 'none'), NONE, NONE, NONE]]],
    ],
    [
      'a stop-sell does not change the units: numAvail is the rooms free, blackout closes the night',
      {
        rooms: [room('r1', 1001, 'double'), room('r2', 1001, 'double')],
        restrictions: [r('double', '2027-05-10', { stop_sell: true })],
      },
      [[1001, [x(null, null, 'blackout'), NONE, NONE, NONE]]],
    ],
  ])('%s', (_name, overrides, expected) => {
    const desired = computeDesiredCalendar(input(overrides));
    expect(desired.from).toBe(TODAY);
    expect(desired.nights).toBe(4);
    expect([...desired.cells.keys()].sort()).toEqual(expected.map(([id]) => id).sort());
    for (const [beds24RoomId, perNight] of expected) {
      expect(restrictionsOfRoom(desired, beds24RoomId)).toEqual(perNight);
    }
  });

  it('units and prices are the same with and without restrictions', () => {
    const base = {
      rooms: [
        room('r1', 1001, 'double', { base_price: 90 }),
        room('r2', 1001, 'twin'),
        room('r3', 1002, 'suite', { status: 'inactive' }),
      ],
      stays: [{ room_id: 'r1', check_in: '2027-05-11', check_out: '2027-05-13', status: 'confirmed' }],
    };
    const plain = computeDesiredCalendar(input(base));
    const restricted = computeDesiredCalendar(
      input({
        ...base,
        restrictions: [...nights('double', NIGHTS, { stop_sell: true }), ...nights('suite', NIGHTS, { min_stay: 2 })],
      }),
    );
    const unitsAndPrices = (calendar: DesiredCalendar) =>
      [...calendar.cells].map(([id, row]) => [id, row.map((cell) => [cell.numAvail, cell.price1])]);
    expect(unitsAndPrices(restricted)).toEqual(unitsAndPrices(plain));
  });

  it('a former Beds24 room is closed without restrictions', () => {
    const restrictions = nights('double', NIGHTS, { min_stay: 2 });
    const desired = computeDesiredCalendar(input({ formerBeds24RoomIds: [1009], restrictions }));
    expect(desired.cells.get(1009)).toStrictEqual(NIGHTS.map(() => ({ numAvail: 0, price1: null })));
  });
});

/** What Beds24 holds after accepting these writes (restriction fields only where they were sent). */
function accepted(changed: ChangedCell[], into: RememberedCalendar = new Map()): RememberedCalendar {
  for (const cell of changed) {
    let byDate = into.get(cell.beds24RoomId);
    if (!byDate) into.set(cell.beds24RoomId, (byDate = new Map()));
    const previous = byDate.get(cell.date);
    // A partial update: restriction fields not sent keep what Beds24 had.
    const kept = cell.override !== undefined ? cell : previous;
    const held: Cell = { numAvail: cell.numAvail, price1: cell.price1 };
    if (kept) Object.assign(held, { minStay: kept.minStay, maxStay: kept.maxStay, override: kept.override });
    byDate.set(cell.date, held);
  }
  return into;
}

const desiredOf = (entries: Array<[number, Cell[]]>): DesiredCalendar => ({
  from: TODAY,
  nights: entries[0]?.[1].length ?? 0,
  cells: new Map(entries),
});
const heldOf = (entries: Array<[number, Array<[string, Cell]>]>): RememberedCalendar =>
  new Map(entries.map(([id, dates]) => [id, new Map(dates)]));
const plain = (numAvail: number, price1: number | null = 100): Cell => ({ numAvail, price1 });
const restricted = (numAvail: number, restrictions: CellRestrictions, price1: number | null = 100): Cell => ({
  numAvail,
  price1,
  ...restrictions,
});
/** A changed cell of Beds24 room 1001: without restriction fields when none are given. */
function write(date: string, numAvail: number, restrictions?: CellRestrictions, price1: number | null = 100) {
  const cell: ChangedCell = { beds24RoomId: 1001, date, numAvail, price1 };
  return restrictions === undefined ? cell : { ...cell, ...restrictions };
}

/** The write leaves Beds24's numAvail as it is: only stay limits or the price change. */
const keepingUnits = (cell: ChangedCell): ChangedCell => ({ ...cell, keepsNumAvail: true });

describe('diffCalendar with restrictions', () => {
  it.each<[string, Cell[], Array<[string, Cell]>, ChangedCell[]]>([
    ['nothing restricted, nothing changed: nothing sent', [plain(1)], [['2027-05-10', plain(1)]], []],
    [
      'nothing restricted, units changed: numAvail and price1 only, as before',
      [plain(0)],
      [['2027-05-10', plain(1)]],
      [write('2027-05-10', 0)],
    ],
    [
      'a restriction added, units and override the same: price and all three restriction fields, numAvail left out',
      [restricted(1, x(3, null, 'none'))],
      [['2027-05-10', plain(1)]],
      [keepingUnits(write('2027-05-10', 1, x(3, null, 'none')))],
    ],
    [
      'the same restrictions as Beds24 holds: nothing sent (change-only)',
      [restricted(1, x(3, 10, 'noCheckIn'))],
      [['2027-05-10', restricted(1, x(3, 10, 'noCheckIn'))]],
      [],
    ],
    [
      'one field changed: all three sent, so none can be left stale',
      [restricted(1, x(3, 7, 'noCheckIn'))],
      [['2027-05-10', restricted(1, x(3, 10, 'noCheckIn'))]],
      [keepingUnits(write('2027-05-10', 1, x(3, 7, 'noCheckIn')))],
    ],
    [
      'restrictions cleared in the PMS: cleared with null stays and override none',
      [plain(1)],
      [['2027-05-10', restricted(1, x(3, 10, 'noCheckOut'))]],
      [write('2027-05-10', 1, x(null, null, 'none'))],
    ],
    [
      'leaving blackout: override none goes out with numAvail',
      [plain(2)],
      [['2027-05-10', restricted(2, x(null, null, 'blackout'))]],
      [write('2027-05-10', 2, x(null, null, 'none'))],
    ],
    [
      'entering blackout: with numAvail too',
      [restricted(2, x(null, null, 'blackout'))],
      [['2027-05-10', plain(2)]],
      [write('2027-05-10', 2, x(null, null, 'blackout'))],
    ],
    [
      'units changed on a restricted night: the restrictions go with them',
      [restricted(0, x(2, null, 'none'))],
      [['2027-05-10', restricted(1, x(2, null, 'none'))]],
      [write('2027-05-10', 0, x(2, null, 'none'))],
    ],
    [
      'a night Beds24 holds as never sent (null override, null stays) equals one without restrictions',
      [plain(1)],
      [['2027-05-10', { numAvail: 1, price1: 100, minStay: null, maxStay: null, override: null }]],
      [],
    ],
    [
      'override none sent before equals no restrictions',
      [plain(1)],
      [['2027-05-10', restricted(1, x(null, null, 'none'))]],
      [],
    ],
    [
      'a night never pushed, restricted: every field sent',
      [restricted(1, x(null, 5, 'noCheckInOrCheckOut'))],
      [],
      [write('2027-05-10', 1, x(null, 5, 'noCheckInOrCheckOut'))],
    ],
    [
      'a night never pushed, not restricted: numAvail and price1 only, as before',
      [plain(1)],
      [],
      [write('2027-05-10', 1)],
    ],
    [
      'desired price unknown, restriction changed: sent with the remembered price',
      [restricted(1, x(2, null, 'none'), null)],
      [['2027-05-10', plain(1, 80)]],
      [keepingUnits(write('2027-05-10', 1, x(2, null, 'none'), 80))],
    ],
  ])('%s', (_name, want, held, expected) => {
    expect(diffCalendar(desiredOf([[1001, want]]), heldOf([[1001, held]]))).toStrictEqual(expected);
  });
});

describe('diffCalendar for a Beds24 room whose restrictions the PMS manages', () => {
  const MANAGED = new Set([1001]);
  it.each<[string, Cell[], Array<[string, Cell]>, ChangedCell[]]>([
    [
      'a night never pushed (or forgotten while in flight), not restricted: the restriction fields clear',
      [plain(1)],
      [],
      [write('2027-05-10', 1, x(null, null, 'none'))],
    ],
    [
      'units changed on an unrestricted night: the fields go with them',
      [plain(0)],
      [['2027-05-10', plain(1)]],
      [write('2027-05-10', 0, x(null, null, 'none'))],
    ],
    ['nothing changed: nothing sent (change-only as before)', [plain(1)], [['2027-05-10', plain(1)]], []],
    [
      'a restriction added: sent as for any room',
      [restricted(1, x(2, null, 'noCheckOut'))],
      [['2027-05-10', plain(1)]],
      [write('2027-05-10', 1, x(2, null, 'noCheckOut'))],
    ],
  ])('%s', (_name, want, held, expected) => {
    expect(diffCalendar(desiredOf([[1001, want]]), heldOf([[1001, held]]), MANAGED)).toStrictEqual(expected);
  });

  it('another room of the property is unaffected: its unrestricted writes carry no restriction fields', () => {
    const want = desiredOf([[1002, [plain(1)]]]);
    const unrestricted = { beds24RoomId: 1002, date: TODAY, numAvail: 1, price1: 100 };
    expect(diffCalendar(want, new Map(), MANAGED)).toStrictEqual([unrestricted]);
  });
});

type Range = CalendarWrite['calendar'][number];
const range = (from: string, to: string, fields: Omit<Range, 'from' | 'to'>): Range => ({ from, to, ...fields });

const bodyCases: Array<[string, ChangedCell[], CalendarWrite['calendar']]> = [
  [
    'a write of stay limits alone leaves numAvail out (Beds24 keeps its count)',
    [keepingUnits(write('2027-05-10', 1, x(2, null, 'none')))],
    [range('2027-05-10', '2027-05-10', { price1: 100, minStay: 2, maxStay: null, override: 'none' })],
  ],
  [
    'restrictions are written next to units and price, nulls included',
    [write('2027-05-10', 1, x(2, null, 'noCheckIn'))],
    [range('2027-05-10', '2027-05-10', { numAvail: 1, price1: 100, minStay: 2, maxStay: null, override: 'noCheckIn' })],
  ],
  [
    'a clear: null stays, override none, and numAvail',
    [write('2027-05-10', 3, x(null, null, 'none'), null)],
    [range('2027-05-10', '2027-05-10', { numAvail: 3, minStay: null, maxStay: null, override: 'none' })],
  ],
  [
    'nights equal in every field merge into one range',
    ['2027-05-10', '2027-05-11', '2027-05-12'].map((date) => write(date, 1, x(3, 10, 'blackout'))),
    [range('2027-05-10', '2027-05-12', { numAvail: 1, price1: 100, minStay: 3, maxStay: 10, override: 'blackout' })],
  ],
  [
    'a different minStay, maxStay or override breaks the run',
    [
      write('2027-05-10', 1, x(3, 10, 'none')),
      write('2027-05-11', 1, x(4, 10, 'none')),
      write('2027-05-12', 1, x(4, 9, 'none')),
      write('2027-05-13', 1, x(4, 9, 'noCheckOut')),
    ],
    [
      range('2027-05-10', '2027-05-10', { numAvail: 1, price1: 100, minStay: 3, maxStay: 10, override: 'none' }),
      range('2027-05-11', '2027-05-11', { numAvail: 1, price1: 100, minStay: 4, maxStay: 10, override: 'none' }),
      range('2027-05-12', '2027-05-12', { numAvail: 1, price1: 100, minStay: 4, maxStay: 9, override: 'none' }),
      range('2027-05-13', '2027-05-13', { numAvail: 1, price1: 100, minStay: 4, maxStay: 9, override: 'noCheckOut' }),
    ],
  ],
  [
    'a night that clears next to one that carries no restriction fields: not merged (the writes differ)',
    [write('2027-05-10', 1, x(null, null, 'none')), write('2027-05-11', 1)],
    [
      range('2027-05-10', '2027-05-10', { numAvail: 1, price1: 100, minStay: null, maxStay: null, override: 'none' }),
      range('2027-05-11', '2027-05-11', { numAvail: 1, price1: 100 }),
    ],
  ],
  [
    'equal restrictions but different units: not merged',
    [write('2027-05-10', 1, x(2, null, 'none')), write('2027-05-11', 0, x(2, null, 'none'))],
    [
      range('2027-05-10', '2027-05-10', { numAvail: 1, price1: 100, minStay: 2, maxStay: null, override: 'none' }),
      range('2027-05-11', '2027-05-11', { numAvail: 0, price1: 100, minStay: 2, maxStay: null, override: 'none' }),
    ],
  ],
];

describe('toCalendarBodies with restrictions', () => {
  it.each(bodyCases)('%s', (_name, changed, expected) => {
    expect(toCalendarBodies(changed)).toStrictEqual([[{ roomId: 1001, calendar: expected }]]);
  });

  it.each(bodyCases)('the body validates against the official schema: %s', (_name, changed) => {
    for (const body of toCalendarBodies(changed)) {
      expect(validateRequestBody('POST', '/inventory/rooms/calendar', body)).toEqual({ ok: true });
    }
  });

  it('every range that changes override carries numAvail', () => {
    const blackout = x(null, null, 'blackout');
    const held = heldOf([[1001, NIGHTS.map((date): [string, Cell] => [date, restricted(2, blackout)])]]);
    const noCheckIn = x(null, null, 'noCheckIn');
    const want = desiredOf([[1001, [plain(2), restricted(2, noCheckIn), plain(1), restricted(2, blackout)]]]);
    const ranges = toCalendarBodies(diffCalendar(want, held))
      .flat()
      .flatMap((item) => item.calendar);
    expect(ranges.map((each) => [each.from, each.override, each.numAvail])).toEqual([
      ['2027-05-10', 'none', 2],
      ['2027-05-11', 'noCheckIn', 2],
      ['2027-05-12', 'none', 1],
    ]);
  });
});

describe('computeDesiredCalendar → diffCalendar → toCalendarBodies: change-only', () => {
  const rooms = [
    room('r1', 1001, 'double'),
    room('r2', 1001, 'twin'),
    room('r3', 1002, 'suite'),
    room('r4', 1002, 'loft', { status: 'inactive' }),
  ];
  const start = nights('double', NIGHTS, { min_stay: 3 });

  /** Pushes `before`, then answers what pushing `after` would send. */
  function pushAfter(before: RestrictionInput[], after: RestrictionInput[]): CalendarWrite[][] {
    const held = accepted(diffCalendar(computeDesiredCalendar(input({ rooms, restrictions: before })), new Map()));
    return toCalendarBodies(diffCalendar(computeDesiredCalendar(input({ rooms, restrictions: after })), held));
  }

  it.each<[string, RestrictionInput[]]>([
    ['a looser min_stay on another type of one Beds24 room', [...start, ...nights('twin', NIGHTS, { min_stay: 2 })]],
    ['the same min_stay on another type of one Beds24 room', [...start, ...nights('twin', NIGHTS, { min_stay: 3 })]],
    ['a restriction on the type of an inactive room', [...start, ...nights('loft', NIGHTS, { stop_sell: true })]],
    ['a restriction on a type no mapped room has', [...start, ...nights('attic', NIGHTS, { stop_sell: true })]],
    ['a restriction in the past', [...start, r('double', '2027-05-01', { stop_sell: true })]],
    ['a restriction past the range', [...start, r('double', '2027-05-14', { stop_sell: true })]],
    ['a stored row with nothing set', [...start, r('suite', '2027-05-10', {})]],
  ])('%s: no call', (_name, after) => {
    expect(pushAfter(start, after)).toEqual([]);
  });

  it('a stricter value on another type sends exactly the nights it changes', () => {
    const stricter = [...start, r('twin', '2027-05-12', { min_stay: 5 }), r('twin', '2027-05-13', { min_stay: 5 })];
    const fields = { price1: 100, minStay: 5, maxStay: null, override: 'none' } as const;
    const calendar = [range('2027-05-12', '2027-05-13', fields)];
    expect(pushAfter(start, stricter)).toStrictEqual([[{ roomId: 1001, calendar }]]);
  });

  it('clearing everything clears exactly the nights that were restricted, then nothing more', () => {
    const cleared = pushAfter(start, []);
    const fields = { price1: 100, minStay: null, maxStay: null, override: 'none' } as const;
    expect(cleared).toStrictEqual([[{ roomId: 1001, calendar: [range('2027-05-10', '2027-05-13', fields)] }]]);
    const held = accepted(diffCalendar(computeDesiredCalendar(input({ rooms, restrictions: start })), new Map()));
    accepted(diffCalendar(computeDesiredCalendar(input({ rooms, restrictions: [] })), held), held);
    expect(diffCalendar(computeDesiredCalendar(input({ rooms, restrictions: [] })), held)).toEqual([]);
  });
});
