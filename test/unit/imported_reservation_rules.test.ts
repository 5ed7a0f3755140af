import { describe, expect, it } from 'vitest';
import {
  changedFields,
  importedChangeRefusal,
  importedOrigin,
} from '../../src/pms/reservations/imported_reservation_rules.ts';
import type { ReservationRow, UpdateReservationInput } from '../../src/pms/reservations/reservation_schemas.ts';

const ROOM = '11111111-1111-4111-8111-111111111111';
const OTHER_ROOM = '22222222-2222-4222-8222-222222222222';
const GUEST = '33333333-3333-4333-8333-333333333333';

const base: ReservationRow = {
  id: '44444444-4444-4444-8444-444444444444',
  property_id: '55555555-5555-4555-8555-555555555555',
  room_id: ROOM,
  guest_id: GUEST,
  check_in: '2027-06-10',
  check_out: '2027-06-13',
  adults: 2,
  children: 0,
  status: 'confirmed',
  source: 'beds24',
  total_price: 300,
  notes: null,
  beds24_booking_id: 123,
  booked_beds24_room_id: 5001,
  beds24_unit: 1,
  beds24_channel: 'booking',
  beds24_api_reference: 'BDC-1',
  created_at: new Date(0),
  updated_at: new Date(0),
};

const at = (overrides: Partial<ReservationRow>): ReservationRow => ({ ...base, ...overrides });
const ORIGIN = 'this reservation came from Beds24 (booking 123, channel booking)';

describe('importedOrigin', () => {
  it.each<[Partial<ReservationRow>, string]>([
    [{}, ORIGIN],
    [{ beds24_channel: null }, 'this reservation came from Beds24 (booking 123)'],
    [{ beds24_channel: '' }, 'this reservation came from Beds24 (booking 123)'],
    [{ beds24_booking_id: null, beds24_channel: 'airbnb' }, 'this reservation came from Beds24 (channel airbnb)'],
    [{ beds24_booking_id: null, beds24_channel: null }, 'this reservation came from Beds24'],
  ])('%o → %s', (overrides, expected) => {
    expect(importedOrigin(at(overrides))).toBe(expected);
  });
});

describe('changedFields', () => {
  it.each<[string, UpdateReservationInput, string[]]>([
    ['same values are no change', { check_in: '2027-06-10', adults: 2, total_price: 300, notes: null }, []],
    ['different values', { check_in: '2027-06-11', total_price: 300.01 }, ['check_in', 'total_price']],
    ['a price cleared', { total_price: null }, ['total_price']],
  ])('%s', (_name, changes, expected) => {
    expect(changedFields(base, changes)).toEqual(expected);
  });
});

describe('importedChangeRefusal', () => {
  it.each<[string, ReservationRow, UpdateReservationInput]>([
    ['notes', base, { notes: 'VIP' }],
    ['room_id', base, { room_id: OTHER_ROOM }],
    ['status to checked_in', base, { status: 'checked_in' }],
    ['status to checked_out', at({ status: 'checked_in' }), { status: 'checked_out' }],
    ['status to no_show', base, { status: 'no_show' }],
    ['no_show without a room', at({ room_id: null }), { status: 'no_show' }],
    [
      'checked_in with the room assigned in the same request',
      at({ room_id: null }),
      { room_id: ROOM, status: 'checked_in' },
    ],
    [
      'locked fields sent unchanged',
      base,
      { check_in: '2027-06-10', check_out: '2027-06-13', adults: 2, guest_id: GUEST },
    ],
    ['the status it already has', at({ status: 'pending' }), { status: 'pending', notes: 'x' }],
    [
      'the status of a cancelled booking sent unchanged',
      at({ status: 'cancelled' }),
      { status: 'cancelled', notes: 'x' },
    ],
  ])('allows %s', (_name, current, changes) => {
    expect(importedChangeRefusal(current, changes)).toBeUndefined();
  });

  it.each<[string, ReservationRow, UpdateReservationInput, string]>([
    ['check_in', base, { check_in: '2027-06-11' }, 'refused: check_in)'],
    ['check_out', base, { check_out: '2027-06-12' }, 'refused: check_out)'],
    ['adults and children', base, { adults: 1, children: 2 }, 'refused: adults, children)'],
    ['total_price', base, { total_price: 1 }, 'refused: total_price)'],
    ['guest_id', base, { guest_id: OTHER_ROOM }, 'refused: guest_id)'],
    ['a locked field next to allowed ones', base, { notes: 'x', status: 'checked_in', adults: 3 }, 'refused: adults)'],
    ['status to pending', base, { status: 'pending' }, 'its status is changed in Beds24 or at the channel'],
    [
      'status to confirmed',
      at({ status: 'checked_in' }),
      { status: 'confirmed' },
      'staff may set it only to checked_in',
    ],
    ['status to cancelled', base, { status: 'cancelled' }, 'its status is changed in Beds24 or at the channel'],
    [
      'a cancelled booking checked in',
      at({ status: 'cancelled' }),
      { status: 'checked_in' },
      'the booking is cancelled in Beds24',
    ],
    [
      'a cancelled booking set no_show',
      at({ status: 'cancelled' }),
      { status: 'no_show' },
      'the booking is cancelled in Beds24',
    ],
    [
      'checked_in without a room',
      at({ room_id: null }),
      { status: 'checked_in' },
      'assign a room (room_id) before setting it checked_in',
    ],
    ['checked_out without a room', at({ room_id: null }), { status: 'checked_out' }, 'before setting it checked_out'],
  ])('refuses %s', (_name, current, changes, fragment) => {
    const refusal = importedChangeRefusal(current, changes);
    expect(refusal).toContain(ORIGIN);
    expect(refusal).toContain(fragment);
  });
});
