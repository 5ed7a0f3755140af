import { describe, expect, it } from 'vitest';
import type { CalendarWrite } from '../../src/integrations/beds24/client/beds24_schemas.ts';
import {
  computeDesiredCalendar,
  diffCalendar,
  toCalendarBodies,
  type AvailabilityInput,
  type BlockInput,
  type CalendarBodyLimits,
  type Cell,
  type ChangedCell,
  type DesiredCalendar,
  type RateInput,
  type RememberedCalendar,
  type RoomInput,
  type StayInput,
  type UnassignedStayInput,
} from '../../src/integrations/beds24/mappers/availability_mapper.ts';
import { validateRequestBody } from '@pms/beds24-sandbox/openapi';

/*
 * Every scenario asks for the nights 2027-05-10 .. 2027-05-13 (4 nights) with today = 2027-05-10, unless
 * its row says otherwise. Expected cells are written out by hand, one per night.
 */
const TODAY = '2027-05-10';

const room = (id: string, beds24RoomId: number | null, overrides: Partial<RoomInput> = {}): RoomInput => ({
  id,
  beds24_room_id: beds24RoomId,
  status: 'active',
  housekeeping_status: 'clean',
  base_price: 100,
  ...overrides,
});
const stay = (roomId: string, checkIn: string, checkOut: string, status = 'confirmed'): StayInput => ({
  room_id: roomId,
  check_in: checkIn,
  check_out: checkOut,
  status,
});
const block = (roomId: string, start: string, end: string): BlockInput => ({
  room_id: roomId,
  start_date: start,
  end_date: end,
});
const unassigned = (
  beds24RoomId: number,
  checkIn: string,
  checkOut: string,
  status = 'confirmed',
): UnassignedStayInput => ({ booked_beds24_room_id: beds24RoomId, check_in: checkIn, check_out: checkOut, status });
const rate = (roomId: string, date: string, price: number): RateInput => ({ room_id: roomId, date, price });

const input = (overrides: Partial<AvailabilityInput> = {}): AvailabilityInput => ({
  from: TODAY,
  to: '2027-05-13',
  today: TODAY,
  horizonDays: 30,
  rooms: [room('r1', 1001)],
  stays: [],
  blocks: [],
  rates: [],
  ...overrides,
});

/** One cell per night, all at the same price: `units(100, 1, 0)` = 1 unit at 100, then 0 units at 100. */
const units = (price1: number | null, ...numAvail: number[]): Cell[] => numAvail.map((n) => ({ numAvail: n, price1 }));
/** One cell per night, each with its own price: `cells([1, 100], [0, 80])`. */
const cells = (...pairs: Array<[number, number | null]>): Cell[] =>
  pairs.map(([numAvail, price1]) => ({ numAvail, price1 }));

type Expected = Array<[number, Cell[]]>;
type Row = [string, AvailabilityInput, Expected];

function expectFourNights(actual: DesiredCalendar, expected: Expected): void {
  expect(actual).toEqual({ from: TODAY, nights: 4, cells: new Map(expected) });
}

describe('computeDesiredCalendar', () => {
  describe('occupying statuses: pending, confirmed and checked_in take a unit; the others do not', () => {
    it.each<Row>([
      [
        'pending occupies',
        input({ stays: [stay('r1', '2027-05-11', '2027-05-13', 'pending')] }),
        [[1001, units(100, 1, 0, 0, 1)]],
      ],
      [
        'confirmed occupies',
        input({ stays: [stay('r1', '2027-05-11', '2027-05-13', 'confirmed')] }),
        [[1001, units(100, 1, 0, 0, 1)]],
      ],
      [
        'checked_in occupies',
        input({ stays: [stay('r1', '2027-05-11', '2027-05-13', 'checked_in')] }),
        [[1001, units(100, 1, 0, 0, 1)]],
      ],
      [
        'checked_out does not occupy',
        input({ stays: [stay('r1', '2027-05-11', '2027-05-13', 'checked_out')] }),
        [[1001, units(100, 1, 1, 1, 1)]],
      ],
      [
        'cancelled does not occupy',
        input({ stays: [stay('r1', '2027-05-11', '2027-05-13', 'cancelled')] }),
        [[1001, units(100, 1, 1, 1, 1)]],
      ],
      [
        'no_show does not occupy',
        input({ stays: [stay('r1', '2027-05-11', '2027-05-13', 'no_show')] }),
        [[1001, units(100, 1, 1, 1, 1)]],
      ],
      [
        'a cancelled stay beside a confirmed one: only the confirmed nights are taken',
        input({
          stays: [
            stay('r1', '2027-05-10', '2027-05-12', 'cancelled'),
            stay('r1', '2027-05-12', '2027-05-13', 'confirmed'),
          ],
        }),
        [[1001, units(100, 1, 1, 0, 1)]],
      ],
    ])('%s', (_name, given, expected) => {
      expectFourNights(computeDesiredCalendar(given), expected);
    });
  });

  describe('stays cover the half-open nights [check_in, check_out)', () => {
    it.each<Row>([
      [
        'one night: the check-in night is taken, the check-out night is free',
        input({ stays: [stay('r1', '2027-05-11', '2027-05-12')] }),
        [[1001, units(100, 1, 0, 1, 1)]],
      ],
      [
        'checking out on the first night of the range',
        input({ stays: [stay('r1', '2027-05-08', '2027-05-10')] }),
        [[1001, units(100, 1, 1, 1, 1)]],
      ],
      [
        'checking in on the last night of the range',
        input({ stays: [stay('r1', '2027-05-13', '2027-05-15')] }),
        [[1001, units(100, 1, 1, 1, 0)]],
      ],
      [
        'checking out the morning after the last night',
        input({ stays: [stay('r1', '2027-05-12', '2027-05-14')] }),
        [[1001, units(100, 1, 1, 0, 0)]],
      ],
      [
        'a stay that began before today',
        input({ stays: [stay('r1', '2027-05-05', '2027-05-12')] }),
        [[1001, units(100, 0, 0, 1, 1)]],
      ],
      [
        'back-to-back stays share the turnover day',
        input({ stays: [stay('r1', '2027-05-10', '2027-05-11'), stay('r1', '2027-05-11', '2027-05-12')] }),
        [[1001, units(100, 0, 0, 1, 1)]],
      ],
      [
        'a stay after the range',
        input({ stays: [stay('r1', '2027-05-14', '2027-05-16')] }),
        [[1001, units(100, 1, 1, 1, 1)]],
      ],
      [
        'a stay over the whole range and beyond',
        input({ stays: [stay('r1', '2027-05-01', '2027-05-30')] }),
        [[1001, units(100, 0, 0, 0, 0)]],
      ],
    ])('%s', (_name, given, expected) => {
      expectFourNights(computeDesiredCalendar(given), expected);
    });
  });

  describe('maintenance blocks cover [start_date, end_date)', () => {
    it.each<Row>([
      [
        'a block in the middle',
        input({ blocks: [block('r1', '2027-05-11', '2027-05-13')] }),
        [[1001, units(100, 1, 0, 0, 1)]],
      ],
      [
        'a block of tonight only',
        input({ blocks: [block('r1', '2027-05-10', '2027-05-11')] }),
        [[1001, units(100, 0, 1, 1, 1)]],
      ],
      [
        'a block ending on the first night',
        input({ blocks: [block('r1', '2027-05-08', '2027-05-10')] }),
        [[1001, units(100, 1, 1, 1, 1)]],
      ],
      [
        'a block starting on the last night',
        input({ blocks: [block('r1', '2027-05-13', '2027-05-14')] }),
        [[1001, units(100, 1, 1, 1, 0)]],
      ],
      [
        'a block over the whole range',
        input({ blocks: [block('r1', '2027-05-01', '2027-06-01')] }),
        [[1001, units(100, 0, 0, 0, 0)]],
      ],
      [
        'a block and a stay: their nights add up',
        input({ blocks: [block('r1', '2027-05-10', '2027-05-12')], stays: [stay('r1', '2027-05-11', '2027-05-13')] }),
        [[1001, units(100, 0, 0, 0, 1)]],
      ],
      [
        'a block on another room of the same Beds24 room',
        input({ rooms: [room('r1', 1001), room('r2', 1001)], blocks: [block('r2', '2027-05-11', '2027-05-12')] }),
        [[1001, units(100, 2, 1, 2, 2)]],
      ],
    ])('%s', (_name, given, expected) => {
      expectFourNights(computeDesiredCalendar(given), expected);
    });
  });

  describe('out_of_order takes a unit tonight only', () => {
    it.each<Row>([
      [
        'out_of_order: tonight closed, later nights open',
        input({ rooms: [room('r1', 1001, { housekeeping_status: 'out_of_order' })] }),
        [[1001, units(100, 0, 1, 1, 1)]],
      ],
      [
        'dirty: open every night',
        input({ rooms: [room('r1', 1001, { housekeeping_status: 'dirty' })] }),
        [[1001, units(100, 1, 1, 1, 1)]],
      ],
      [
        'inspected: open every night',
        input({ rooms: [room('r1', 1001, { housekeeping_status: 'inspected' })] }),
        [[1001, units(100, 1, 1, 1, 1)]],
      ],
      [
        'one of two rooms out_of_order',
        input({ rooms: [room('r1', 1001, { housekeeping_status: 'out_of_order' }), room('r2', 1001)] }),
        [[1001, units(100, 1, 2, 2, 2)]],
      ],
      [
        'out_of_order and occupied tonight: the unit is not taken twice',
        input({
          rooms: [room('r1', 1001, { housekeeping_status: 'out_of_order' }), room('r2', 1001)],
          stays: [stay('r1', '2027-05-10', '2027-05-11')],
        }),
        [[1001, units(100, 1, 2, 2, 2)]],
      ],
      [
        'a range asked from the past: tonight is still the first night',
        input({ from: '2027-05-07', rooms: [room('r1', 1001, { housekeeping_status: 'out_of_order' })] }),
        [[1001, units(100, 0, 1, 1, 1)]],
      ],
    ])('%s', (_name, given, expected) => {
      expectFourNights(computeDesiredCalendar(given), expected);
    });

    it.each<[string, AvailabilityInput, DesiredCalendar]>([
      [
        'a range starting tomorrow has no tonight: nothing closed',
        input({ from: '2027-05-11', rooms: [room('r1', 1001, { housekeeping_status: 'out_of_order' })] }),
        { from: '2027-05-11', nights: 3, cells: new Map([[1001, units(100, 1, 1, 1)]]) },
      ],
      [
        'a range starting in a week has no tonight either',
        input({
          from: '2027-05-17',
          to: '2027-05-18',
          rooms: [room('r1', 1001, { housekeeping_status: 'out_of_order' }), room('r2', 1001)],
        }),
        { from: '2027-05-17', nights: 2, cells: new Map([[1001, units(100, 2, 2)]]) },
      ],
    ])('%s', (_name, given, expected) => {
      expect(computeDesiredCalendar(given)).toEqual(expected);
    });
  });

  describe('inactive rooms give no units and no price', () => {
    it.each<Row>([
      [
        'the only room inactive: 0 units, price null',
        input({ rooms: [room('r1', 1001, { status: 'inactive' })] }),
        [[1001, units(null, 0, 0, 0, 0)]],
      ],
      [
        'a cheaper inactive room beside an active one: the active price',
        input({
          rooms: [room('r1', 1001, { status: 'inactive', base_price: 50 }), room('r2', 1001, { base_price: 100 })],
        }),
        [[1001, units(100, 1, 1, 1, 1)]],
      ],
      [
        'an inactive room listed after the active one',
        input({
          rooms: [room('r2', 1001, { base_price: 100 }), room('r1', 1001, { status: 'inactive', base_price: 50 })],
        }),
        [[1001, units(100, 1, 1, 1, 1)]],
      ],
      [
        'a cheap rate override on an inactive room is ignored',
        input({
          rooms: [room('r1', 1001, { status: 'inactive' }), room('r2', 1001, { base_price: 90 })],
          rates: [rate('r1', '2027-05-11', 10)],
        }),
        [[1001, units(90, 1, 1, 1, 1)]],
      ],
      [
        'all rooms of one Beds24 room inactive, another Beds24 room active',
        input({
          rooms: [
            room('r1', 1001, { status: 'inactive' }),
            room('r2', 1001, { status: 'inactive' }),
            room('r3', 1002, { base_price: 70 }),
          ],
        }),
        [
          [1001, units(null, 0, 0, 0, 0)],
          [1002, units(70, 1, 1, 1, 1)],
        ],
      ],
    ])('%s', (_name, given, expected) => {
      expectFourNights(computeDesiredCalendar(given), expected);
    });
  });

  describe('several PMS rooms under one Beds24 room add up', () => {
    it.each<Row>([
      [
        'three free rooms',
        input({ rooms: [room('r1', 1001), room('r2', 1001), room('r3', 1001)] }),
        [[1001, units(100, 3, 3, 3, 3)]],
      ],
      [
        'three rooms, each busy on different nights',
        input({
          rooms: [room('r1', 1001), room('r2', 1001), room('r3', 1001)],
          stays: [stay('r1', '2027-05-10', '2027-05-12'), stay('r2', '2027-05-11', '2027-05-13')],
          blocks: [block('r3', '2027-05-13', '2027-05-14')],
        }),
        // night 10: r2 r3 | 11: r3 | 12: r1 r3 | 13: r1 r2
        [[1001, units(100, 2, 1, 2, 2)]],
      ],
      [
        'two Beds24 rooms counted apart',
        input({
          rooms: [room('r1', 1001), room('r2', 1001), room('r3', 1002, { base_price: 200 })],
          stays: [stay('r3', '2027-05-10', '2027-05-14'), stay('r1', '2027-05-12', '2027-05-13')],
        }),
        [
          [1001, units(100, 2, 2, 1, 2)],
          [1002, units(200, 0, 0, 0, 0)],
        ],
      ],
    ])('%s', (_name, given, expected) => {
      expectFourNights(computeDesiredCalendar(given), expected);
    });
  });

  describe('price: the lowest nightly price among the active rooms', () => {
    it.each<Row>([
      [
        'base prices only: the lower base',
        input({ rooms: [room('r1', 1001, { base_price: 120 }), room('r2', 1001, { base_price: 100 })] }),
        [[1001, units(100, 2, 2, 2, 2)]],
      ],
      [
        'overrides above and below the other room',
        input({
          rooms: [room('r1', 1001, { base_price: 120 }), room('r2', 1001, { base_price: 100 })],
          rates: [rate('r2', '2027-05-11', 150), rate('r2', '2027-05-12', 80)],
        }),
        [[1001, cells([2, 100], [2, 120], [2, 80], [2, 100])]],
      ],
      [
        'an override on the only room',
        input({ rates: [rate('r1', '2027-05-13', 135.5)] }),
        [[1001, cells([1, 100], [1, 100], [1, 100], [1, 135.5])]],
      ],
      [
        'cents compared exactly',
        input({ rooms: [room('r1', 1001, { base_price: 99.5 }), room('r2', 1001, { base_price: 99.49 })] }),
        [[1001, units(99.49, 2, 2, 2, 2)]],
      ],
      [
        'overrides outside the range are ignored',
        input({ rates: [rate('r1', '2027-05-09', 1), rate('r1', '2027-05-14', 1), rate('r1', '2026-05-11', 1)] }),
        [[1001, units(100, 1, 1, 1, 1)]],
      ],
      [
        'an override of an unmapped room is ignored',
        input({ rooms: [room('r1', 1001), room('r9', null, { base_price: 5 })], rates: [rate('r9', '2027-05-11', 1)] }),
        [[1001, units(100, 1, 1, 1, 1)]],
      ],
      [
        'a booked, blocked or out-of-order room still sets the price',
        input({
          rooms: [
            room('r1', 1001, { base_price: 80, housekeeping_status: 'out_of_order' }),
            room('r2', 1001, { base_price: 120 }),
          ],
          stays: [stay('r1', '2027-05-11', '2027-05-13')],
          blocks: [block('r1', '2027-05-13', '2027-05-14')],
        }),
        [[1001, units(80, 1, 1, 1, 1)]],
      ],
      [
        'each Beds24 room has its own lowest price',
        input({
          rooms: [
            room('r1', 1001, { base_price: 100 }),
            room('r2', 1002, { base_price: 60 }),
            room('r3', 1002, { base_price: 65 }),
          ],
          rates: [rate('r2', '2027-05-12', 70)],
        }),
        [
          [1001, units(100, 1, 1, 1, 1)],
          [1002, cells([2, 60], [2, 60], [2, 65], [2, 60])],
        ],
      ],
    ])('%s', (_name, given, expected) => {
      expectFourNights(computeDesiredCalendar(given), expected);
    });
  });

  describe('complimentary prices (0) are left out of the minimum: the lowest positive price, or none', () => {
    it.each<Row>([
      [
        'a 0 override on one of two rooms: the other room prices the night',
        input({
          rooms: [room('r1', 1001, { base_price: 120 }), room('r2', 1001, { base_price: 100 })],
          rates: [rate('r2', '2027-05-11', 0)],
        }),
        [[1001, cells([2, 100], [2, 120], [2, 100], [2, 100])]],
      ],
      [
        'a 0 base price on one room: the other room prices every night',
        input({ rooms: [room('r1', 1001, { base_price: 0 }), room('r2', 1001, { base_price: 150 })] }),
        [[1001, units(150, 2, 2, 2, 2)]],
      ],
      [
        'a 0 base price with a positive override: the override counts on its night',
        input({
          rooms: [room('r1', 1001, { base_price: 0 }), room('r2', 1001, { base_price: 150 })],
          rates: [rate('r1', '2027-05-12', 90)],
        }),
        [[1001, cells([2, 150], [2, 150], [2, 90], [2, 150])]],
      ],
      [
        'the only room at 0 on a night: no price for that night, the others priced',
        input({ rates: [rate('r1', '2027-05-10', 0)] }),
        [[1001, cells([1, null], [1, 100], [1, 100], [1, 100])]],
      ],
      [
        'every room at 0 on a night: no price for that night',
        input({
          rooms: [room('r1', 1001), room('r2', 1001, { base_price: 80 })],
          rates: [rate('r1', '2027-05-13', 0), rate('r2', '2027-05-13', 0)],
        }),
        [[1001, cells([2, 80], [2, 80], [2, 80], [2, null])]],
      ],
      [
        'every room at 0 on every night: no price at all, the units still counted',
        input({
          rooms: [room('r1', 1001, { base_price: 0 }), room('r2', 1001, { base_price: 0 })],
          stays: [stay('r1', '2027-05-11', '2027-05-12')],
        }),
        [[1001, cells([2, null], [1, null], [2, null], [2, null])]],
      ],
      [
        'a positive price of an inactive room does not price the night',
        input({
          rooms: [room('r1', 1001, { base_price: 0 }), room('r2', 1001, { base_price: 70, status: 'inactive' })],
        }),
        [[1001, units(null, 1, 1, 1, 1)]],
      ],
      [
        'a booked room at 0 is still left out; a booked room at a price still counts',
        input({
          rooms: [room('r1', 1001, { base_price: 0 }), room('r2', 1001, { base_price: 95 })],
          stays: [stay('r2', '2027-05-10', '2027-05-14')],
        }),
        [[1001, units(95, 1, 1, 1, 1)]],
      ],
      [
        'the smallest positive price (a cent) is a price',
        input({ rooms: [room('r1', 1001, { base_price: 0 }), room('r2', 1001, { base_price: 0.01 })] }),
        [[1001, units(0.01, 2, 2, 2, 2)]],
      ],
      [
        'each Beds24 room on its own: one at 0, the other priced',
        input({ rooms: [room('r1', 1001, { base_price: 0 }), room('r2', 1002, { base_price: 60 })] }),
        [
          [1001, units(null, 1, 1, 1, 1)],
          [1002, units(60, 1, 1, 1, 1)],
        ],
      ],
    ])('%s', (_name, given, expected) => {
      expectFourNights(computeDesiredCalendar(given), expected);
    });

    it('a complimentary night sends numAvail only: Beds24 keeps the price it has', () => {
      const desired = computeDesiredCalendar(input({ rates: [rate('r1', '2027-05-11', 0)] }));
      const nights = ['2027-05-10', '2027-05-11', '2027-05-12', '2027-05-13'];
      const known = new Map(nights.map((d) => [d, { numAvail: 0, price1: 100 }]));
      const remembered: RememberedCalendar = new Map([[1001, known]]);
      expect(toCalendarBodies(diffCalendar(desired, remembered))).toEqual([
        [{ roomId: 1001, calendar: [{ from: '2027-05-10', to: '2027-05-13', numAvail: 1, price1: 100 }] }],
      ]);
      expect(toCalendarBodies(diffCalendar(desired, new Map()))).toEqual([
        [
          {
            roomId: 1001,
            calendar: [
              { from: '2027-05-10', to: '2027-05-10', numAvail: 1, price1: 100 },
              { from: '2027-05-11', to: '2027-05-11', numAvail: 1 },
              { from: '2027-05-12', to: '2027-05-13', numAvail: 1, price1: 100 },
            ],
          },
        ],
      ]);
    });
  });

  describe('an unassigned imported reservation takes a unit of its booked Beds24 room, never below 0', () => {
    const two = [room('r1', 1001), room('r2', 1001), room('r3', 1002)];
    it.each<Row>([
      [
        'one unit off on each of its nights, checkout night free',
        input({ rooms: two, unassigned: [unassigned(1001, '2027-05-11', '2027-05-13')] }),
        [
          [1001, units(100, 2, 1, 1, 2)],
          [1002, units(100, 1, 1, 1, 1)],
        ],
      ],
      [
        'pending and checked_in take a unit too',
        input({
          rooms: two,
          unassigned: [
            unassigned(1001, '2027-05-10', '2027-05-11', 'pending'),
            unassigned(1001, '2027-05-10', '2027-05-12', 'checked_in'),
          ],
        }),
        [
          [1001, units(100, 0, 1, 2, 2)],
          [1002, units(100, 1, 1, 1, 1)],
        ],
      ],
      [
        'cancelled, checked_out and no_show take nothing',
        input({
          rooms: two,
          unassigned: [
            unassigned(1001, '2027-05-10', '2027-05-14', 'cancelled'),
            unassigned(1001, '2027-05-10', '2027-05-14', 'checked_out'),
            unassigned(1001, '2027-05-10', '2027-05-14', 'no_show'),
          ],
        }),
        [
          [1001, units(100, 2, 2, 2, 2)],
          [1002, units(100, 1, 1, 1, 1)],
        ],
      ],
      [
        'on top of assigned stays: never below 0',
        input({
          rooms: two,
          stays: [stay('r1', '2027-05-10', '2027-05-14')],
          unassigned: [unassigned(1001, '2027-05-10', '2027-05-12'), unassigned(1001, '2027-05-10', '2027-05-11')],
        }),
        [
          [1001, units(100, 0, 0, 1, 1)],
          [1002, units(100, 1, 1, 1, 1)],
        ],
      ],
      [
        'nights before the range and after it are clipped',
        input({
          rooms: two,
          unassigned: [unassigned(1002, '2027-05-01', '2027-05-11'), unassigned(1001, '2027-05-13', '2027-06-01')],
        }),
        [
          [1001, units(100, 2, 2, 2, 1)],
          [1002, units(100, 0, 1, 1, 1)],
        ],
      ],
      [
        'a Beds24 room no PMS room maps to takes nothing (it is not published)',
        input({ rooms: two, unassigned: [unassigned(1009, '2027-05-10', '2027-05-14')] }),
        [
          [1001, units(100, 2, 2, 2, 2)],
          [1002, units(100, 1, 1, 1, 1)],
        ],
      ],
    ])('%s', (_name, given, expected) => {
      expectFourNights(computeDesiredCalendar(given), expected);
    });
  });

  describe('unmapped rooms are ignored', () => {
    it.each<Row>([
      [
        'a free unmapped room adds no unit to a booked mapped one',
        input({ rooms: [room('r1', 1001), room('r9', null)], stays: [stay('r1', '2027-05-10', '2027-05-14')] }),
        [[1001, units(100, 0, 0, 0, 0)]],
      ],
      [
        'a cheaper unmapped room sets no price',
        input({ rooms: [room('r9', null, { base_price: 1 }), room('r1', 1001)] }),
        [[1001, units(100, 1, 1, 1, 1)]],
      ],
      [
        'only unmapped rooms: no Beds24 room at all',
        input({ rooms: [room('r8', null), room('r9', null)], stays: [stay('r9', '2027-05-10', '2027-05-12')] }),
        [],
      ],
      [
        'stays and blocks of unknown rooms change nothing',
        input({ stays: [stay('zz', '2027-05-10', '2027-05-14')], blocks: [block('zz', '2027-05-10', '2027-05-14')] }),
        [[1001, units(100, 1, 1, 1, 1)]],
      ],
    ])('%s', (_name, given, expected) => {
      expectFourNights(computeDesiredCalendar(given), expected);
    });
  });

  describe('the range is clipped to today .. today + horizonDays − 1', () => {
    it.each<[string, AvailabilityInput, DesiredCalendar]>([
      [
        'inside the horizon: kept',
        input(),
        { from: '2027-05-10', nights: 4, cells: new Map([[1001, units(100, 1, 1, 1, 1)]]) },
      ],
      [
        'starting in the past: starts today',
        input({ from: '2027-05-07', to: '2027-05-11' }),
        { from: '2027-05-10', nights: 2, cells: new Map([[1001, units(100, 1, 1)]]) },
      ],
      [
        'ending past the horizon: ends on its last night',
        input({ horizonDays: 5, to: '2027-05-30' }),
        { from: '2027-05-10', nights: 5, cells: new Map([[1001, units(100, 1, 1, 1, 1, 1)]]) },
      ],
      [
        'clipped at both ends',
        input({ from: '2027-04-01', to: '2027-12-31', horizonDays: 3 }),
        { from: '2027-05-10', nights: 3, cells: new Map([[1001, units(100, 1, 1, 1)]]) },
      ],
      [
        'the last night of the horizon alone',
        input({ horizonDays: 5, from: '2027-05-14', to: '2027-05-14' }),
        { from: '2027-05-14', nights: 1, cells: new Map([[1001, units(100, 1)]]) },
      ],
      [
        'a horizon of one night: tonight only',
        input({ horizonDays: 1 }),
        { from: '2027-05-10', nights: 1, cells: new Map([[1001, units(100, 1)]]) },
      ],
      [
        'entirely in the past: nothing',
        input({ from: '2027-05-01', to: '2027-05-09' }),
        { from: '2027-05-10', nights: 0, cells: new Map() },
      ],
      [
        'entirely past the horizon: nothing',
        input({ from: '2027-05-20', to: '2027-05-25', horizonDays: 3 }),
        { from: '2027-05-20', nights: 0, cells: new Map() },
      ],
      [
        'from after to: nothing',
        input({ from: '2027-05-12', to: '2027-05-11' }),
        { from: '2027-05-12', nights: 0, cells: new Map() },
      ],
      [
        'past stays, blocks and out_of_order leave no trace before today',
        input({
          from: '2027-05-08',
          to: '2027-05-11',
          rooms: [room('r1', 1001), room('r2', 1001, { housekeeping_status: 'out_of_order' })],
          stays: [stay('r1', '2027-05-07', '2027-05-10')],
          blocks: [block('r2', '2027-05-01', '2027-05-10')],
        }),
        { from: '2027-05-10', nights: 2, cells: new Map([[1001, units(100, 1, 2)]]) },
      ],
      [
        'across a month end',
        input({
          today: '2027-05-30',
          from: '2027-05-30',
          to: '2027-06-02',
          stays: [stay('r1', '2027-05-31', '2027-06-02')],
          rates: [rate('r1', '2027-06-02', 140)],
        }),
        { from: '2027-05-30', nights: 4, cells: new Map([[1001, cells([1, 100], [0, 100], [0, 100], [1, 140])]]) },
      ],
    ])('%s', (_name, given, expected) => {
      expect(computeDesiredCalendar(given)).toEqual(expected);
    });
  });

  describe('formerBeds24RoomIds are closed', () => {
    it.each<[string, AvailabilityInput, DesiredCalendar]>([
      [
        'a former room no PMS room maps to: 0 units, no price',
        input({ formerBeds24RoomIds: [1009] }),
        {
          from: TODAY,
          nights: 4,
          cells: new Map([
            [1001, units(100, 1, 1, 1, 1)],
            [1009, units(null, 0, 0, 0, 0)],
          ]),
        },
      ],
      [
        'several former rooms',
        input({ rooms: [], formerBeds24RoomIds: [1008, 1009] }),
        {
          from: TODAY,
          nights: 4,
          cells: new Map([
            [1008, units(null, 0, 0, 0, 0)],
            [1009, units(null, 0, 0, 0, 0)],
          ]),
        },
      ],
      [
        'a former id that is mapped again keeps its real cells',
        input({ formerBeds24RoomIds: [1001] }),
        { from: TODAY, nights: 4, cells: new Map([[1001, units(100, 1, 1, 1, 1)]]) },
      ],
      [
        'no former rooms',
        input({ formerBeds24RoomIds: [] }),
        { from: TODAY, nights: 4, cells: new Map([[1001, units(100, 1, 1, 1, 1)]]) },
      ],
      [
        'an empty range closes nothing',
        input({ from: '2027-05-01', to: '2027-05-02', formerBeds24RoomIds: [1009] }),
        { from: TODAY, nights: 0, cells: new Map() },
      ],
    ])('%s', (_name, given, expected) => {
      expect(computeDesiredCalendar(given)).toEqual(expected);
    });
  });
});

const desired = (from: string, nights: number, entries: Expected): DesiredCalendar => ({
  from,
  nights,
  cells: new Map(entries),
});
const remembered = (entries: Array<[number, Array<[string, Cell]>]>): RememberedCalendar =>
  new Map(entries.map(([roomId, dates]) => [roomId, new Map(dates)]));
const changedCell = (beds24RoomId: number, date: string, numAvail: number, price1: number | null): ChangedCell => ({
  beds24RoomId,
  date,
  numAvail,
  price1,
});
/** A write of the price (or stay limits) alone: Beds24's numAvail is left as it is. */
const priceOnly = (beds24RoomId: number, date: string, numAvail: number, price1: number | null): ChangedCell => ({
  ...changedCell(beds24RoomId, date, numAvail, price1),
  keepsNumAvail: true,
});
const byRoomAndDate = (a: ChangedCell, b: ChangedCell): number =>
  a.beds24RoomId - b.beds24RoomId || (a.date < b.date ? -1 : a.date > b.date ? 1 : 0);

/** What Beds24 holds for 1001 on 10..12: 1 unit at 100 every night. */
const held1001 = (): Array<[string, Cell]> => [
  ['2027-05-10', { numAvail: 1, price1: 100 }],
  ['2027-05-11', { numAvail: 1, price1: 100 }],
  ['2027-05-12', { numAvail: 1, price1: 100 }],
];

describe('diffCalendar', () => {
  it.each<[string, DesiredCalendar, RememberedCalendar, ChangedCell[]]>([
    [
      'nothing changed: nothing sent',
      desired(TODAY, 3, [[1001, units(100, 1, 1, 1)]]),
      remembered([[1001, held1001()]]),
      [],
    ],
    [
      "one night's units changed",
      desired(TODAY, 3, [[1001, units(100, 1, 0, 1)]]),
      remembered([[1001, held1001()]]),
      [changedCell(1001, '2027-05-11', 0, 100)],
    ],
    [
      "one night's price changed",
      desired(TODAY, 3, [[1001, cells([1, 100], [1, 100], [1, 120])]]),
      remembered([[1001, held1001()]]),
      [priceOnly(1001, '2027-05-12', 1, 120)],
    ],
    [
      'units and price changed on different nights',
      desired(TODAY, 3, [[1001, cells([0, 100], [1, 95], [1, 100])]]),
      remembered([[1001, held1001()]]),
      [changedCell(1001, '2027-05-10', 0, 100), priceOnly(1001, '2027-05-11', 1, 95)],
    ],
    [
      'a price of 0 differs from 100',
      desired(TODAY, 3, [[1001, cells([1, 0], [1, 100], [1, 100])]]),
      remembered([[1001, held1001()]]),
      [priceOnly(1001, '2027-05-10', 1, 0)],
    ],
    [
      'desired price null, units equal: nothing sent (the remembered price stays)',
      desired(TODAY, 3, [[1001, units(null, 1, 1, 1)]]),
      remembered([[1001, held1001()]]),
      [],
    ],
    [
      'desired price null, units changed: sent with the remembered price',
      desired(TODAY, 3, [[1001, units(null, 0, 0, 1)]]),
      remembered([[1001, held1001()]]),
      [changedCell(1001, '2027-05-10', 0, 100), changedCell(1001, '2027-05-11', 0, 100)],
    ],
    [
      'a room never pushed: every night sent',
      desired(TODAY, 3, [[1001, cells([1, 100], [0, 100], [1, 90])]]),
      remembered([]),
      [
        changedCell(1001, '2027-05-10', 1, 100),
        changedCell(1001, '2027-05-11', 0, 100),
        changedCell(1001, '2027-05-12', 1, 90),
      ],
    ],
    [
      'a room never pushed, no price known: sent with price null',
      desired(TODAY, 2, [[1009, units(null, 0, 0)]]),
      remembered([]),
      [changedCell(1009, '2027-05-10', 0, null), changedCell(1009, '2027-05-11', 0, null)],
    ],
    [
      'a night never pushed in a known room: that night sent, even unchanged-looking',
      desired(TODAY, 4, [[1001, units(100, 1, 1, 1, 1)]]),
      remembered([[1001, held1001()]]),
      [changedCell(1001, '2027-05-13', 1, 100)],
    ],
    [
      'remembered price null, a price now known: sent',
      desired(TODAY, 1, [[1001, units(100, 0)]]),
      remembered([[1001, [['2027-05-10', { numAvail: 0, price1: null }]]]]),
      [priceOnly(1001, '2027-05-10', 0, 100)],
    ],
    [
      'a closed former room: units 0, the remembered price kept',
      desired(TODAY, 3, [[1009, units(null, 0, 0, 0)]]),
      remembered([
        [
          1009,
          [
            ['2027-05-10', { numAvail: 2, price1: 75 }],
            ['2027-05-11', { numAvail: 0, price1: 75 }],
            ['2027-05-12', { numAvail: 1, price1: 80 }],
          ],
        ],
      ]),
      [changedCell(1009, '2027-05-10', 0, 75), changedCell(1009, '2027-05-12', 0, 80)],
    ],
    [
      'two rooms, only one changed',
      desired(TODAY, 3, [
        [1001, units(100, 1, 1, 1)],
        [1002, units(200, 2, 2, 1)],
      ]),
      remembered([
        [1001, held1001()],
        [
          1002,
          [
            ['2027-05-10', { numAvail: 2, price1: 200 }],
            ['2027-05-11', { numAvail: 2, price1: 200 }],
            ['2027-05-12', { numAvail: 2, price1: 200 }],
          ],
        ],
      ]),
      [changedCell(1002, '2027-05-12', 1, 200)],
    ],
    ['an empty calendar: nothing sent', desired(TODAY, 0, []), remembered([[1001, held1001()]]), []],
  ])('%s', (_name, want, held, expected) => {
    expect(diffCalendar(want, held).sort(byRoomAndDate)).toStrictEqual(expected);
  });
});

const cal = (from: string, to: string, numAvail: number, price1?: number): CalendarWrite['calendar'][number] =>
  price1 === undefined ? { from, to, numAvail } : { from, to, numAvail, price1 };

const bodyCases: Array<[string, ChangedCell[], CalendarBodyLimits | undefined, CalendarWrite[][]]> = [
  ['nothing changed: no body', [], undefined, []],
  [
    'a price-only night leaves numAvail out, and does not merge with a night that sends it',
    [
      priceOnly(1001, '2027-05-10', 1, 120),
      priceOnly(1001, '2027-05-11', 1, 120),
      changedCell(1001, '2027-05-12', 1, 120),
    ],
    undefined,
    [
      [
        {
          roomId: 1001,
          calendar: [{ from: '2027-05-10', to: '2027-05-11', price1: 120 }, cal('2027-05-12', '2027-05-12', 1, 120)],
        },
      ],
    ],
  ],
  [
    'one night',
    [changedCell(1001, '2027-05-10', 1, 100)],
    undefined,
    [[{ roomId: 1001, calendar: [cal('2027-05-10', '2027-05-10', 1, 100)] }]],
  ],
  [
    'equal consecutive nights merged into one inclusive range',
    [
      changedCell(1001, '2027-05-10', 1, 100),
      changedCell(1001, '2027-05-11', 1, 100),
      changedCell(1001, '2027-05-12', 1, 100),
    ],
    undefined,
    [[{ roomId: 1001, calendar: [cal('2027-05-10', '2027-05-12', 1, 100)] }]],
  ],
  [
    'a gap breaks the run',
    [
      changedCell(1001, '2027-05-10', 1, 100),
      changedCell(1001, '2027-05-11', 1, 100),
      changedCell(1001, '2027-05-13', 1, 100),
    ],
    undefined,
    [[{ roomId: 1001, calendar: [cal('2027-05-10', '2027-05-11', 1, 100), cal('2027-05-13', '2027-05-13', 1, 100)] }]],
  ],
  [
    'a change of units breaks the run',
    [
      changedCell(1001, '2027-05-10', 1, 100),
      changedCell(1001, '2027-05-11', 1, 100),
      changedCell(1001, '2027-05-12', 0, 100),
    ],
    undefined,
    [[{ roomId: 1001, calendar: [cal('2027-05-10', '2027-05-11', 1, 100), cal('2027-05-12', '2027-05-12', 0, 100)] }]],
  ],
  [
    'a change of price breaks the run',
    [
      changedCell(1001, '2027-05-10', 1, 100),
      changedCell(1001, '2027-05-11', 1, 110),
      changedCell(1001, '2027-05-12', 1, 110),
    ],
    undefined,
    [[{ roomId: 1001, calendar: [cal('2027-05-10', '2027-05-10', 1, 100), cal('2027-05-11', '2027-05-12', 1, 110)] }]],
  ],
  [
    'a value that comes back starts a new run',
    [
      changedCell(1001, '2027-05-10', 2, 100),
      changedCell(1001, '2027-05-11', 1, 100),
      changedCell(1001, '2027-05-12', 2, 100),
    ],
    undefined,
    [
      [
        {
          roomId: 1001,
          calendar: [
            cal('2027-05-10', '2027-05-10', 2, 100),
            cal('2027-05-11', '2027-05-11', 1, 100),
            cal('2027-05-12', '2027-05-12', 2, 100),
          ],
        },
      ],
    ],
  ],
  [
    'null prices carry no price1 and still merge',
    [
      changedCell(1009, '2027-05-10', 0, null),
      changedCell(1009, '2027-05-11', 0, null),
      changedCell(1009, '2027-05-12', 0, null),
    ],
    undefined,
    [[{ roomId: 1009, calendar: [cal('2027-05-10', '2027-05-12', 0)] }]],
  ],
  [
    'a null price next to a price breaks the run',
    [changedCell(1001, '2027-05-10', 0, null), changedCell(1001, '2027-05-11', 0, 100)],
    undefined,
    [[{ roomId: 1001, calendar: [cal('2027-05-10', '2027-05-10', 0), cal('2027-05-11', '2027-05-11', 0, 100)] }]],
  ],
  [
    'cells out of order are sorted before merging',
    [
      changedCell(1001, '2027-05-12', 1, 100),
      changedCell(1001, '2027-05-10', 1, 100),
      changedCell(1001, '2027-05-11', 1, 100),
    ],
    undefined,
    [[{ roomId: 1001, calendar: [cal('2027-05-10', '2027-05-12', 1, 100)] }]],
  ],
  [
    'a run across a month end',
    [changedCell(1001, '2027-05-31', 1, 100), changedCell(1001, '2027-06-01', 1, 100)],
    undefined,
    [[{ roomId: 1001, calendar: [cal('2027-05-31', '2027-06-01', 1, 100)] }]],
  ],
  [
    'every room in one body, by room id',
    [
      changedCell(1002, '2027-05-10', 2, 200),
      changedCell(1001, '2027-05-10', 1, 100),
      changedCell(1002, '2027-05-11', 2, 200),
      changedCell(1003, '2027-05-12', 0, null),
    ],
    undefined,
    [
      [
        { roomId: 1001, calendar: [cal('2027-05-10', '2027-05-10', 1, 100)] },
        { roomId: 1002, calendar: [cal('2027-05-10', '2027-05-11', 2, 200)] },
        { roomId: 1003, calendar: [cal('2027-05-12', '2027-05-12', 0)] },
      ],
    ],
  ],
  [
    'rooms exactly at maxRoomsPerRequest: one body',
    [
      changedCell(1001, '2027-05-10', 1, 100),
      changedCell(1002, '2027-05-10', 1, 100),
      changedCell(1003, '2027-05-10', 1, 100),
    ],
    { maxRangesPerRequest: 100, maxRoomsPerRequest: 3 },
    [
      [
        { roomId: 1001, calendar: [cal('2027-05-10', '2027-05-10', 1, 100)] },
        { roomId: 1002, calendar: [cal('2027-05-10', '2027-05-10', 1, 100)] },
        { roomId: 1003, calendar: [cal('2027-05-10', '2027-05-10', 1, 100)] },
      ],
    ],
  ],
  [
    'one room over maxRoomsPerRequest: split',
    [
      changedCell(1001, '2027-05-10', 1, 100),
      changedCell(1002, '2027-05-10', 1, 100),
      changedCell(1003, '2027-05-10', 1, 100),
    ],
    { maxRangesPerRequest: 100, maxRoomsPerRequest: 2 },
    [
      [
        { roomId: 1001, calendar: [cal('2027-05-10', '2027-05-10', 1, 100)] },
        { roomId: 1002, calendar: [cal('2027-05-10', '2027-05-10', 1, 100)] },
      ],
      [{ roomId: 1003, calendar: [cal('2027-05-10', '2027-05-10', 1, 100)] }],
    ],
  ],
  [
    'ranges exactly at maxRangesPerRequest: one body',
    [
      changedCell(1001, '2027-05-10', 1, 100),
      changedCell(1001, '2027-05-11', 0, 100),
      changedCell(1002, '2027-05-10', 1, 100),
    ],
    { maxRangesPerRequest: 3, maxRoomsPerRequest: 100 },
    [
      [
        { roomId: 1001, calendar: [cal('2027-05-10', '2027-05-10', 1, 100), cal('2027-05-11', '2027-05-11', 0, 100)] },
        { roomId: 1002, calendar: [cal('2027-05-10', '2027-05-10', 1, 100)] },
      ],
    ],
  ],
  [
    "ranges over maxRangesPerRequest: a room's ranges continue in the next body",
    [
      changedCell(1001, '2027-05-10', 1, 100),
      changedCell(1001, '2027-05-11', 0, 100),
      changedCell(1002, '2027-05-10', 2, 200),
      changedCell(1002, '2027-05-11', 1, 200),
    ],
    { maxRangesPerRequest: 3, maxRoomsPerRequest: 100 },
    [
      [
        { roomId: 1001, calendar: [cal('2027-05-10', '2027-05-10', 1, 100), cal('2027-05-11', '2027-05-11', 0, 100)] },
        { roomId: 1002, calendar: [cal('2027-05-10', '2027-05-10', 2, 200)] },
      ],
      [{ roomId: 1002, calendar: [cal('2027-05-11', '2027-05-11', 1, 200)] }],
    ],
  ],
  [
    'one room with more ranges than a body holds',
    [
      changedCell(1001, '2027-05-10', 1, 100),
      changedCell(1001, '2027-05-11', 0, 100),
      changedCell(1001, '2027-05-12', 1, 100),
      changedCell(1001, '2027-05-13', 0, 100),
      changedCell(1001, '2027-05-14', 1, 100),
    ],
    { maxRangesPerRequest: 2, maxRoomsPerRequest: 100 },
    [
      [{ roomId: 1001, calendar: [cal('2027-05-10', '2027-05-10', 1, 100), cal('2027-05-11', '2027-05-11', 0, 100)] }],
      [{ roomId: 1001, calendar: [cal('2027-05-12', '2027-05-12', 1, 100), cal('2027-05-13', '2027-05-13', 0, 100)] }],
      [{ roomId: 1001, calendar: [cal('2027-05-14', '2027-05-14', 1, 100)] }],
    ],
  ],
  [
    'merging happens before counting ranges: 4 equal nights are 1 range',
    [
      changedCell(1001, '2027-05-10', 1, 100),
      changedCell(1001, '2027-05-11', 1, 100),
      changedCell(1001, '2027-05-12', 1, 100),
      changedCell(1001, '2027-05-13', 1, 100),
      changedCell(1002, '2027-05-10', 1, 100),
    ],
    { maxRangesPerRequest: 2, maxRoomsPerRequest: 100 },
    [
      [
        { roomId: 1001, calendar: [cal('2027-05-10', '2027-05-13', 1, 100)] },
        { roomId: 1002, calendar: [cal('2027-05-10', '2027-05-10', 1, 100)] },
      ],
    ],
  ],
];

describe('toCalendarBodies', () => {
  it.each(bodyCases)('%s', (_name, changed, limits, expected) => {
    // toStrictEqual: a range without a price must have no price1 key at all.
    expect(toCalendarBodies(changed, limits)).toStrictEqual(expected);
  });

  it.each<[string, number, number[]]>([
    ['1000 rooms fit the default body', 1000, [1000]],
    ['1001 rooms need a second body by default', 1001, [1000, 1]],
  ])('default limits: %s', (_name, roomCount, roomsPerBody) => {
    const changed = Array.from({ length: roomCount }, (_, i) => changedCell(10_000 + i, '2027-05-10', 1, 100));
    expect(toCalendarBodies(changed).map((body) => body.length)).toEqual(roomsPerBody);
  });

  it.each(bodyCases.filter(([, changed]) => changed.length > 0))(
    'every body validates against the official schema: %s',
    (_name, changed, limits) => {
      const bodies = toCalendarBodies(changed, limits);
      expect(bodies.length).toBeGreaterThan(0);
      for (const body of bodies)
        expect(validateRequestBody('POST', '/inventory/rooms/calendar', body)).toEqual({ ok: true });
    },
  );
});

describe('computeDesiredCalendar → diffCalendar → toCalendarBodies', () => {
  it('turns a small property into the bodies written out by hand', () => {
    const given = input({
      rooms: [
        room('r1', 1001, { base_price: 120 }),
        room('r2', 1001),
        room('r3', 1002, { base_price: 200, housekeeping_status: 'out_of_order' }),
        room('r4', null),
      ],
      stays: [stay('r1', '2027-05-11', '2027-05-13'), stay('r2', '2027-05-12', '2027-05-13', 'cancelled')],
      rates: [rate('r2', '2027-05-13', 90)],
      formerBeds24RoomIds: [1009],
    });
    const held = remembered([[1001, [['2027-05-10', { numAvail: 2, price1: 100 }]]]]);
    expect(toCalendarBodies(diffCalendar(computeDesiredCalendar(given), held))).toStrictEqual([
      [
        // 1001: night 10 unchanged (not sent); 11, 12: r1 booked → 1 unit at 100; 13: 2 units at 90.
        { roomId: 1001, calendar: [cal('2027-05-11', '2027-05-12', 1, 100), cal('2027-05-13', '2027-05-13', 2, 90)] },
        // 1002: out of order tonight only.
        { roomId: 1002, calendar: [cal('2027-05-10', '2027-05-10', 0, 200), cal('2027-05-11', '2027-05-13', 1, 200)] },
        // 1009: a former room, closed, no price known.
        { roomId: 1009, calendar: [cal('2027-05-10', '2027-05-13', 0)] },
      ],
    ]);
  });

  it.each<[string, AvailabilityInput, CalendarBodyLimits | undefined]>([
    ['one free room', input(), undefined],
    [
      'inactive and former rooms (null prices)',
      input({ rooms: [room('r1', 1001, { status: 'inactive' }), room('r2', 1002)], formerBeds24RoomIds: [1009] }),
      undefined,
    ],
    [
      'busy property with overrides, blocks and out_of_order',
      input({
        to: '2027-06-30',
        rooms: [
          room('r1', 1001, { housekeeping_status: 'out_of_order' }),
          room('r2', 1001, { base_price: 89.99 }),
          room('r3', 1002),
          room('r4', 1003, { status: 'inactive' }),
        ],
        stays: [
          stay('r1', '2027-05-12', '2027-05-20'),
          stay('r2', '2027-05-15', '2027-05-16', 'pending'),
          stay('r3', '2027-05-10', '2027-06-01', 'checked_in'),
        ],
        blocks: [block('r2', '2027-05-25', '2027-05-27')],
        rates: [rate('r1', '2027-05-14', 60.5), rate('r3', '2027-05-30', 0)],
      }),
      undefined,
    ],
    [
      'the same, split into small bodies',
      input({
        to: '2027-06-30',
        rooms: [room('r1', 1001), room('r2', 1002), room('r3', 1003)],
        stays: [
          stay('r1', '2027-05-11', '2027-05-12'),
          stay('r1', '2027-05-13', '2027-05-14'),
          stay('r2', '2027-05-15', '2027-05-18'),
        ],
      }),
      { maxRangesPerRequest: 2, maxRoomsPerRequest: 1 },
    ],
  ])('every body validates against the official schema: %s', (_name, given, limits) => {
    const bodies = toCalendarBodies(diffCalendar(computeDesiredCalendar(given), new Map()), limits);
    expect(bodies.length).toBeGreaterThan(0);
    for (const body of bodies)
      expect(validateRequestBody('POST', '/inventory/rooms/calendar', body)).toEqual({ ok: true });
  });
});
