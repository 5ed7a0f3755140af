import { describe, expect, it } from 'vitest';
import type { Beds24Booking, BookingWrite } from '../../src/integrations/beds24/client/beds24_schemas.ts';
import {
  toBookingBatches,
  differingBookingFields,
  footprintOfPlan,
  fromBeds24Referer,
  fromBeds24Status,
  markerFor,
  footprintCells,
  movedCells,
  planBookingPush,
  reservationIdFromMarker,
  toBeds24Booking,
  toBeds24Referer,
  toBeds24Status,
  type BookingFootprint,
  type BookingPlan,
  type ReservationSnapshot,
} from '../../src/integrations/beds24/mappers/reservation_mapper.ts';
import { validateRequestBody, validateRequestBodyItem } from '@pms/beds24-sandbox/openapi';
import type { GuestRow } from '../../src/pms/guests/guest_schemas.ts';
import { bareGuest, fullGuest } from './guest_fixtures.ts';
import type { ReservationSource, ReservationStatus } from '../../src/pms/reservations/reservation_schemas.ts';

describe('toBeds24Status', () => {
  it.each<[ReservationStatus, string]>([
    ['pending', 'request'],
    ['confirmed', 'confirmed'],
    ['checked_in', 'confirmed'],
    ['checked_out', 'confirmed'],
    ['cancelled', 'cancelled'],
    ['no_show', 'cancelled'],
  ])('%s → %s', (status, expected) => {
    expect(toBeds24Status(status)).toBe(expected);
  });
});

describe('fromBeds24Status', () => {
  it.each<[string, string | undefined, ReservationStatus | undefined]>([
    ['confirmed', 'confirmed', 'confirmed'],
    ['new (an unseen confirmed booking)', 'new', 'confirmed'],
    ['request', 'request', 'pending'],
    ['cancelled', 'cancelled', 'cancelled'],
    ['black (a closure, not a stay)', 'black', undefined],
    ['inquiry (not a stay)', 'inquiry', undefined],
    ['missing status', undefined, undefined],
    ['empty status', '', undefined],
    ['unknown status', 'tentative', undefined],
  ])('%s', (_name, status, expected) => {
    expect(fromBeds24Status(status)).toBe(expected);
  });
});

describe('toBeds24Referer', () => {
  it.each<[ReservationSource, string]>([
    ['direct', 'PMS direct'],
    ['phone', 'PMS phone'],
    ['email', 'PMS email'],
    ['walk_in', 'PMS walk-in'],
    ['website', 'PMS website'],
    ['beds24', 'Beds24'],
  ])('%s → %s', (source, expected) => {
    expect(toBeds24Referer(source)).toBe(expected);
  });
});

describe('fromBeds24Referer', () => {
  it.each<[string, string | undefined, ReservationSource]>([
    ['PMS direct', 'PMS direct', 'direct'],
    ['PMS phone', 'PMS phone', 'phone'],
    ['PMS email', 'PMS email', 'email'],
    ['PMS walk-in', 'PMS walk-in', 'walk_in'],
    ['PMS website', 'PMS website', 'website'],
    ['Beds24 itself', 'Beds24', 'beds24'],
    ['a channel (Booking.com)', 'Booking.com', 'beds24'],
    ['no referer', undefined, 'beds24'],
    ['empty referer', '', 'beds24'],
    ['different case is not ours', 'pms direct', 'beds24'],
    ['a PMS prefix with an unknown source', 'PMS fax', 'beds24'],
    ['the source key itself is not a referer', 'walk_in', 'beds24'],
  ])('%s', (_name, referer, expected) => {
    expect(fromBeds24Referer(referer)).toBe(expected);
  });
});

describe('markerFor / reservationIdFromMarker', () => {
  it.each<[string, string]>([
    ['4d1c0f0e-8b7a-4f51-9d6f-3a1b2c3d4e5f', 'PMS:4d1c0f0e-8b7a-4f51-9d6f-3a1b2c3d4e5f'],
    ['r-1', 'PMS:r-1'],
  ])('markerFor(%s) = %s', (id, marker) => {
    expect(markerFor(id)).toBe(marker);
  });

  it.each<[string, Beds24Booking, string | undefined]>([
    [
      'our marker in custom10',
      { id: 1, custom10: 'PMS:4d1c0f0e-8b7a-4f51-9d6f-3a1b2c3d4e5f' },
      '4d1c0f0e-8b7a-4f51-9d6f-3a1b2c3d4e5f',
    ],
    ['no custom10', { id: 1 }, undefined],
    ['custom10 null', { id: 1, custom10: null }, undefined],
    ['custom10 without the prefix', { id: 1, custom10: '4d1c0f0e' }, undefined],
    ['lowercase prefix is not ours', { id: 1, custom10: 'pms:4d1c0f0e' }, undefined],
    ['prefix not at the start', { id: 1, custom10: 'x PMS:4d1c0f0e' }, undefined],
    ['our marker in another custom field', { id: 1, custom9: 'PMS:4d1c0f0e' }, undefined],
  ])('reservationIdFromMarker: %s', (_name, booking, expected) => {
    expect(reservationIdFromMarker(booking)).toBe(expected);
  });
});

const RESERVATION_ID = '4d1c0f0e-8b7a-4f51-9d6f-3a1b2c3d4e5f';
const MARKER = 'PMS:4d1c0f0e-8b7a-4f51-9d6f-3a1b2c3d4e5f';

const guestAtLimits: GuestRow = {
  id: '0b7f3c52-6a43-4a43-9a0e-2f1d6f0c1a13',
  first_name: 'F'.repeat(100),
  last_name: 'L'.repeat(100),
  email: `${'e'.repeat(88)}@example.com`,
  phone: '9'.repeat(100),
  address: 'A'.repeat(250),
  city: 'C'.repeat(100),
  postcode: 'P'.repeat(100),
  country: 'DE',
  language: 'de',
};

type Reservation = ReservationSnapshot['reservation'];

const baseReservation: Reservation = {
  id: RESERVATION_ID,
  check_in: '2027-03-10',
  check_out: '2027-03-13',
  adults: 2,
  children: 1,
  status: 'confirmed',
  source: 'direct',
  total_price: 450,
  notes: 'Late arrival',
  beds24_booking_id: null,
};

const snap = (
  reservation: Partial<Reservation> = {},
  beds24RoomId: number | null = 200001,
  guest: GuestRow = fullGuest,
): ReservationSnapshot => ({
  reservation: { ...baseReservation, ...reservation },
  guest,
  beds24RoomId,
});

/** The booking Ada's base reservation gives, written out by hand. */
const adaBooking: BookingWrite = {
  roomId: 200001,
  status: 'confirmed',
  arrival: '2027-03-10',
  departure: '2027-03-13',
  numAdult: 2,
  numChild: 1,
  firstName: 'Ada',
  lastName: 'Lovelace',
  email: 'ada@example.com',
  phone: '+44 20 7946 0000',
  address: '12 St James Square',
  city: 'London',
  postcode: 'SW1Y 4JH',
  country2: 'GB',
  lang: 'en',
  notes: 'Late arrival',
  refererEditable: 'PMS direct',
  custom10: MARKER,
  price: 450,
};

const { roomId: _roomId, ...adaBookingWithoutRoom } = adaBooking;
/** A cleared total price goes out as 0. */
const adaBooking0: BookingWrite = { ...adaBooking, price: 0 };

/** The cancel of Ada's booking (or of the one given): the same full booking, status cancelled. */
const cancelOf = (id: number, booking: BookingWrite = adaBooking): BookingPlan => ({
  action: 'cancel',
  booking: { ...booking, id, status: 'cancelled' },
});

describe('planBookingPush', () => {
  it.each<[string, ReservationSnapshot, BookingPlan]>([
    // Bookings that came from Beds24 are never sent back, whatever their state.
    [
      'source beds24, confirmed, mapped, with booking id',
      snap({ source: 'beds24', beds24_booking_id: 71000001 }),
      { action: 'skip', reason: 'from_beds24' },
    ],
    [
      'source beds24, cancelled, with booking id',
      snap({ source: 'beds24', status: 'cancelled', beds24_booking_id: 71000001 }),
      { action: 'skip', reason: 'from_beds24' },
    ],
    [
      'source beds24, unmapped room',
      snap({ source: 'beds24', beds24_booking_id: 71000001 }, null),
      { action: 'skip', reason: 'from_beds24' },
    ],
    ['source beds24, no booking id', snap({ source: 'beds24' }), { action: 'skip', reason: 'from_beds24' }],

    // Cancelled or no-show: cancel what exists in Beds24, leave alone what never got there.
    ['cancelled without booking id', snap({ status: 'cancelled' }), { action: 'skip', reason: 'not_in_beds24' }],
    // A cancel carries every field we own, so edits made just before it are not lost.
    ['cancelled with booking id', snap({ status: 'cancelled', beds24_booking_id: 71000001 }), cancelOf(71000001)],
    ['no_show without booking id', snap({ status: 'no_show' }), { action: 'skip', reason: 'not_in_beds24' }],
    ['no_show with booking id', snap({ status: 'no_show', beds24_booking_id: 71000002 }), cancelOf(71000002)],
    [
      'cancelled right after new dates, guests, price and notes: the cancel carries them',
      snap({
        status: 'cancelled',
        beds24_booking_id: 71000001,
        check_in: '2027-04-01',
        check_out: '2027-04-05',
        adults: 1,
        children: 0,
        total_price: 99.9,
        notes: 'moved',
      }),
      cancelOf(71000001, {
        ...adaBooking,
        arrival: '2027-04-01',
        departure: '2027-04-05',
        numAdult: 1,
        numChild: 0,
        price: 99.9,
        notes: 'moved',
      }),
    ],
    [
      'cancelled in another mapped room: the cancel moves it there',
      snap({ status: 'cancelled', beds24_booking_id: 71000001 }, 200002),
      cancelOf(71000001, { ...adaBooking, roomId: 200002 }),
    ],
    [
      'cancelled with cleared price and a bare guest: the cleared values go too',
      snap({ status: 'cancelled', beds24_booking_id: 71000001, total_price: null, notes: null }, 200001, bareGuest),
      {
        action: 'cancel',
        booking: {
          id: 71000001,
          roomId: 200001,
          status: 'cancelled',
          arrival: '2027-03-10',
          departure: '2027-03-13',
          numAdult: 2,
          numChild: 1,
          firstName: 'Grace',
          lastName: 'Hopper',
          phone: '',
          address: '',
          city: '',
          postcode: '',
          country2: null,
          notes: '',
          refererEditable: 'PMS direct',
          custom10: MARKER,
          price: 0,
        },
      },
    ],

    // A room that is not mapped: same as cancelled; no roomId, so the booking stays in its Beds24 room.
    ['unmapped room without booking id', snap({}, null), { action: 'skip', reason: 'not_in_beds24' }],
    [
      'unmapped room with booking id (moved away from a mapped room)',
      snap({ beds24_booking_id: 71000003 }, null),
      cancelOf(71000003, adaBookingWithoutRoom),
    ],
    [
      'unmapped room, pending, with booking id',
      snap({ status: 'pending', beds24_booking_id: 71000003 }, null),
      cancelOf(71000003, adaBookingWithoutRoom),
    ],
    [
      'unmapped room and cancelled, with booking id',
      snap({ status: 'cancelled', beds24_booking_id: 71000003 }, null),
      cancelOf(71000003, adaBookingWithoutRoom),
    ],
    [
      'unmapped room with new dates: the dates go, the room stays',
      snap({ beds24_booking_id: 71000003, check_in: '2027-05-01', check_out: '2027-05-03' }, null),
      cancelOf(71000003, { ...adaBookingWithoutRoom, arrival: '2027-05-01', departure: '2027-05-03' }),
    ],

    // Create: no booking id yet.
    ['create: confirmed, every field', snap(), { action: 'create', booking: adaBooking }],
    [
      'create: pending is a request',
      snap({ status: 'pending' }),
      { action: 'create', booking: { ...adaBooking, status: 'request' } },
    ],
    ['create: checked_in is confirmed', snap({ status: 'checked_in' }), { action: 'create', booking: adaBooking }],
    ['create: checked_out is confirmed', snap({ status: 'checked_out' }), { action: 'create', booking: adaBooking }],
    [
      'create: moved from an unmapped room to a mapped one',
      snap({}, 200777),
      { action: 'create', booking: { ...adaBooking, roomId: 200777 } },
    ],
    ['create: total_price null sends price 0', snap({ total_price: null }), { action: 'create', booking: adaBooking0 }],
    [
      'create: total_price 0 is a price',
      snap({ total_price: 0 }),
      { action: 'create', booking: { ...adaBooking, price: 0 } },
    ],
    [
      'create: cents kept',
      snap({ total_price: 123.45 }),
      { action: 'create', booking: { ...adaBooking, price: 123.45 } },
    ],
    [
      'create: notes null sent empty',
      snap({ notes: null }),
      { action: 'create', booking: { ...adaBooking, notes: '' } },
    ],
    [
      'create: notes of exactly 2000 kept',
      snap({ notes: 'n'.repeat(2000) }),
      { action: 'create', booking: { ...adaBooking, notes: 'n'.repeat(2000) } },
    ],
    [
      'create: notes of 2001 cut at 2000',
      snap({ notes: `${'n'.repeat(2000)}X` }),
      { action: 'create', booking: { ...adaBooking, notes: 'n'.repeat(2000) } },
    ],
    [
      'create: notes of 5000 cut at 2000',
      snap({ notes: `${'n'.repeat(2000)}${'X'.repeat(3000)}` }),
      { action: 'create', booking: { ...adaBooking, notes: 'n'.repeat(2000) } },
    ],
    [
      'create: phone source referer',
      snap({ source: 'phone' }),
      { action: 'create', booking: { ...adaBooking, refererEditable: 'PMS phone' } },
    ],
    [
      'create: walk-in source referer',
      snap({ source: 'walk_in' }),
      { action: 'create', booking: { ...adaBooking, refererEditable: 'PMS walk-in' } },
    ],
    [
      'create: no children',
      snap({ children: 0, adults: 1 }),
      { action: 'create', booking: { ...adaBooking, numAdult: 1, numChild: 0 } },
    ],
    [
      'create: guest with only names',
      snap({}, 200001, bareGuest),
      {
        action: 'create',
        booking: {
          roomId: 200001,
          status: 'confirmed',
          arrival: '2027-03-10',
          departure: '2027-03-13',
          numAdult: 2,
          numChild: 1,
          firstName: 'Grace',
          lastName: 'Hopper',
          phone: '',
          address: '',
          city: '',
          postcode: '',
          country2: null,
          notes: 'Late arrival',
          refererEditable: 'PMS direct',
          custom10: MARKER,
          price: 450,
        },
      },
    ],

    // Update: the booking id is known; every owned field is sent again.
    [
      'update: confirmed with booking id',
      snap({ beds24_booking_id: 71000001 }),
      { action: 'update', booking: { ...adaBooking, id: 71000001 } },
    ],
    [
      'update: pending becomes a request',
      snap({ status: 'pending', beds24_booking_id: 71000001 }),
      { action: 'update', booking: { ...adaBooking, status: 'request', id: 71000001 } },
    ],
    [
      'update: checked_out stays confirmed',
      snap({ status: 'checked_out', beds24_booking_id: 71000001 }),
      { action: 'update', booking: { ...adaBooking, id: 71000001 } },
    ],
    [
      'update: a room change moves the booking (new roomId, same id)',
      snap({ beds24_booking_id: 71000001 }, 200002),
      { action: 'update', booking: { ...adaBooking, roomId: 200002, id: 71000001 } },
    ],
    [
      'update: new dates',
      snap({ beds24_booking_id: 71000001, check_in: '2027-04-01', check_out: '2027-04-02' }),
      { action: 'update', booking: { ...adaBooking, arrival: '2027-04-01', departure: '2027-04-02', id: 71000001 } },
    ],
    [
      'update: total_price null sends price 0 (clears the old price)',
      snap({ total_price: null, beds24_booking_id: 71000001 }),
      { action: 'update', booking: { ...adaBooking, price: 0, id: 71000001 } },
    ],
    [
      'update: notes over 2000 cut',
      snap({ notes: `${'n'.repeat(2000)}tail`, beds24_booking_id: 71000001 }),
      { action: 'update', booking: { ...adaBooking, notes: 'n'.repeat(2000), id: 71000001 } },
    ],
  ])('%s', (_name, snapshot, expected) => {
    // toStrictEqual: `price`, `email`, `id` must be absent, not undefined.
    expect(planBookingPush(snapshot)).toStrictEqual(expected);
  });

  it.each<[string, ReservationSnapshot]>([
    ['confirmed', snap()],
    ['pending', snap({ status: 'pending' })],
    ['checked_in, phone source', snap({ status: 'checked_in', source: 'phone' })],
    ['guest with only names', snap({}, 200009, bareGuest)],
    ['no price', snap({ total_price: null })],
  ])('a create never carries an id and always carries the marker in custom10: %s', (_name, snapshot) => {
    const plan = planBookingPush(snapshot);
    expect(plan.action).toBe('create');
    if (plan.action !== 'create') return;
    expect(Object.hasOwn(plan.booking, 'id')).toBe(false);
    expect(plan.booking.custom10).toBe(MARKER);
  });

  it.each<[string, ReservationSnapshot, number, number]>([
    ['same room', snap({ beds24_booking_id: 71000001 }), 71000001, 200001],
    ['room changed within Beds24', snap({ beds24_booking_id: 71000004 }, 200555), 71000004, 200555],
    [
      'room changed while checked in',
      snap({ beds24_booking_id: 71000005, status: 'checked_in' }, 200556),
      71000005,
      200556,
    ],
  ])(
    'an update keeps the booking id and sends the current roomId, never a cancel: %s',
    (_name, snapshot, id, roomId) => {
      const plan = planBookingPush(snapshot);
      expect(plan).toMatchObject({ action: 'update', booking: { id, roomId, status: 'confirmed' } });
    },
  );
});

describe('toBeds24Booking', () => {
  it.each<[string, ReservationSnapshot, BookingWrite]>([
    ['a confirmed stay', { ...snap(), beds24RoomId: 200001 }, adaBooking],
    [
      "ignores beds24_booking_id: the id is planBookingPush's business",
      { ...snap({ beds24_booking_id: 71000001 }), beds24RoomId: 200001 },
      adaBooking,
    ],
    [
      'a cancelled stay still maps its status',
      { ...snap({ status: 'cancelled' }), beds24RoomId: 200001 },
      { ...adaBooking, status: 'cancelled' },
    ],
    ['no Beds24 room: no roomId, it stays in its room', { ...snap(), beds24RoomId: null }, adaBookingWithoutRoom],
  ])('%s', (_name, snapshot, expected) => {
    expect(toBeds24Booking(snapshot)).toStrictEqual(expected);
  });
});

/** Bodies Beds24's official schema must accept: every kind of plan, varied and at maximum lengths. */
const schemaCases: Array<[string, ReservationSnapshot, BookingPlan['action']]> = [
  ['create: every field', snap(), 'create'],
  ['create: guest with only names (empty strings, country2 null)', snap({}, 200001, bareGuest), 'create'],
  [
    'create: pending request, no price, no notes',
    snap({ status: 'pending', total_price: null, notes: null }),
    'create',
  ],
  ['create: price 0', snap({ total_price: 0 }), 'create'],
  ['create: the highest price Beds24 takes', snap({ total_price: 99_999_999.99 }), 'create'],
  ['create: 99 adults and 99 children', snap({ adults: 99, children: 99 }), 'create'],
  [
    'create: every field at its maximum length',
    snap({ notes: 'N'.repeat(2000), total_price: 99_999_999.99 }, 200001, guestAtLimits),
    'create',
  ],
  [
    'create: over-long guest fields and notes (cut)',
    snap({ notes: 'N'.repeat(2500) }, 200001, {
      ...guestAtLimits,
      first_name: 'F'.repeat(180),
      last_name: 'L'.repeat(101),
      phone: '9'.repeat(300),
      address: 'A'.repeat(999),
      city: 'C'.repeat(101),
      postcode: 'P'.repeat(120),
    }),
    'create',
  ],
  [
    'create: non-ASCII guest',
    snap({ notes: 'Ankunft spät — Schlüssel beim Nachbarn' }, 200001, {
      ...fullGuest,
      first_name: 'Zoë',
      last_name: 'Ørsted',
      city: 'Köln',
      country: 'DE',
      language: 'de',
    }),
    'create',
  ],
  ['create: walk-in, checked_out', snap({ source: 'walk_in', status: 'checked_out' }), 'create'],
  ['update: every field', snap({ beds24_booking_id: 71000001 }), 'update'],
  ['update: room change', snap({ beds24_booking_id: 71000001 }, 200002), 'update'],
  [
    'update: every field at its maximum length',
    snap(
      { beds24_booking_id: 2_147_483_647, notes: 'N'.repeat(2000), total_price: 99_999_999.99 },
      200001,
      guestAtLimits,
    ),
    'update',
  ],
  [
    'update: guest with only names, no price',
    snap({ beds24_booking_id: 71000001, total_price: null }, 200001, bareGuest),
    'update',
  ],
  ['cancel: cancelled', snap({ status: 'cancelled', beds24_booking_id: 71000001 }), 'cancel'],
  ['cancel: no_show', snap({ status: 'no_show', beds24_booking_id: 71000001 }), 'cancel'],
  ['cancel: moved to an unmapped room', snap({ beds24_booking_id: 71000001 }, null), 'cancel'],
  [
    'cancel: every field at its maximum length',
    snap(
      { status: 'cancelled', beds24_booking_id: 71000001, notes: 'N'.repeat(2000), total_price: 99_999_999.99 },
      200001,
      guestAtLimits,
    ),
    'cancel',
  ],
  [
    'cancel: bare guest, cleared price and notes',
    snap({ status: 'no_show', beds24_booking_id: 71000001, total_price: null, notes: null }, 200001, bareGuest),
    'cancel',
  ],
  [
    'update: every clearable value cleared',
    snap({ beds24_booking_id: 71000001, total_price: null, notes: null }, 200001, bareGuest),
    'update',
  ],
];

describe('planBookingPush bodies against the official Beds24 schema', () => {
  it.each(schemaCases)('%s', (_name, snapshot, action) => {
    const plan = planBookingPush(snapshot);
    expect(plan.action).toBe(action);
    if (plan.action === 'skip') return;
    expect(validateRequestBodyItem('POST', '/bookings', plan.booking)).toEqual({ ok: true });
  });

  it('all of them together form one valid POST /bookings body', () => {
    const body = schemaCases
      .map(([, snapshot]) => planBookingPush(snapshot))
      .flatMap((plan) => (plan.action === 'skip' ? [] : [plan.booking]));
    expect(body).toHaveLength(schemaCases.length);
    expect(validateRequestBody('POST', '/bookings', body)).toEqual({ ok: true });
  });

  // A cut email (`…@exam`) would fail Beds24's format check and with it the whole booking.
  it.each<[string, string]>([
    ['domain cut mid-way', `${'a'.repeat(95)}@example.com`],
    ['cut right after the @', `${'a'.repeat(99)}@example.com`],
  ])('an over-long email still gives a booking Beds24 accepts: %s', (_name, email) => {
    const plan = planBookingPush(snap({}, 200001, { ...fullGuest, email }));
    expect(plan.action).toBe('create');
    if (plan.action === 'skip') return;
    expect(validateRequestBodyItem('POST', '/bookings', plan.booking)).toEqual({ ok: true });
  });
});

const ABSENT = Symbol('absent');
type Cleared = [string, Partial<Reservation>, Partial<GuestRow>, keyof BookingWrite, unknown];

/*
 * What a value removed in the PMS becomes in Beds24. Beds24 updates are partial, so a field left out keeps
 * its old value: every field Beds24 can hold empty is sent empty. Email (format email) and lang (exactly two
 * letters) have no empty value in the official schema; they are left out and keep their last value.
 */
const clearedCases: Cleared[] = [
  ['total_price null → price 0', { total_price: null }, {}, 'price', 0],
  ['notes null → ""', { notes: null }, {}, 'notes', ''],
  ['phone null → ""', {}, { phone: null }, 'phone', ''],
  ['address null → ""', {}, { address: null }, 'address', ''],
  ['city null → ""', {}, { city: null }, 'city', ''],
  ['postcode null → ""', {}, { postcode: null }, 'postcode', ''],
  ['country null → country2 null (nullable in the schema)', {}, { country: null }, 'country2', null],
  ['email null → left out: cannot be cleared', {}, { email: null }, 'email', ABSENT],
  ['language null → lang left out: cannot be cleared', {}, { language: null }, 'lang', ABSENT],
];

describe('clearing: a value removed in the PMS', () => {
  const plans: Array<[string, (reservation: Partial<Reservation>) => Partial<Reservation>]> = [
    ['create', (r) => r],
    ['update', (r) => ({ ...r, beds24_booking_id: 71000001 })],
    ['cancel', (r) => ({ ...r, beds24_booking_id: 71000001, status: 'cancelled' })],
    ['cancel from an unmapped room', (r) => ({ ...r, beds24_booking_id: 71000001 })],
  ];
  type Case = [string, string, ReservationSnapshot, keyof BookingWrite, unknown];
  const rows = plans.flatMap(([plan, shape]) =>
    clearedCases.map(([name, r, g, field, value]): Case => {
      const beds24RoomId = plan === 'cancel from an unmapped room' ? null : 200001;
      return [plan, name, snap(shape(r), beds24RoomId, { ...fullGuest, ...g }), field, value];
    }),
  );

  it.each(rows)('%s: %s', (_plan, _name, snapshot, field, value) => {
    const plan = planBookingPush(snapshot);
    expect(plan.action).not.toBe('skip');
    if (plan.action === 'skip') return;
    if (value === ABSENT) expect(Object.hasOwn(plan.booking, field)).toBe(false);
    else expect(plan.booking[field]).toBe(value);
    expect(validateRequestBodyItem('POST', '/bookings', plan.booking)).toEqual({ ok: true });
  });

  // The schema itself is why email and lang cannot be cleared: their empty value is refused.
  it.each<[string, BookingWrite]>([
    ['email ""', { id: 71000001, email: '' }],
    ['lang ""', { id: 71000001, lang: '' }],
  ])('Beds24 refuses %s', (_name, item) => {
    expect(validateRequestBodyItem('POST', '/bookings', item).ok).toBe(false);
  });
});

describe('differingBookingFields', () => {
  const sent = (overrides: Partial<BookingWrite> = {}): BookingWrite => ({ ...adaBooking, ...overrides });
  const without = <T extends object>(value: T, key: keyof T): T => {
    const copy = { ...value };
    delete copy[key];
    return copy;
  };
  /** Ada's booking as Beds24 answers it: every field, unset strings empty. */
  const held = (overrides: Record<string, unknown> = {}): Beds24Booking => ({
    id: 71000001,
    propertyId: 300001,
    ...adaBooking,
    mobile: '',
    title: '',
    modifiedTime: '2027-01-01 10:00:00',
    ...overrides,
  });

  it.each<[string, BookingWrite, Beds24Booking, string[]]>([
    ['the same booking', sent(), held(), []],
    ['a hand-edited phone', sent(), held({ phone: '+1 555 0100' }), ['phone']],
    ['a hand-edited price', sent(), held({ price: 1 }), ['price']],
    [
      'first and last name, email, address, city, postcode',
      sent(),
      held({ firstName: 'A', lastName: 'L', email: 'x@example.org', address: 'a', city: 'c', postcode: 'p' }),
      ['firstName', 'lastName', 'email', 'address', 'city', 'postcode'],
    ],
    ['country and language', sent(), held({ country2: 'FR', lang: 'fr' }), ['country2', 'lang']],
    ['notes', sent(), held({ notes: 'edited' }), ['notes']],
    [
      'dates, room, guests and status',
      sent(),
      held({ arrival: '2027-03-11', departure: '2027-03-14', roomId: 200002, numAdult: 1, numChild: 0, status: 'new' }),
      ['roomId', 'status', 'arrival', 'departure', 'numAdult', 'numChild'],
    ],
    // Cleared values: "" and null and a missing field are the same thing.
    ['phone "" sent, Beds24 holds null', sent({ phone: '' }), held({ phone: null }), []],
    ['phone "" sent, Beds24 leaves it out', sent({ phone: '' }), without(held(), 'phone'), []],
    ['country2 null sent, Beds24 holds ""', sent({ country2: null }), held({ country2: '' }), []],
    ['country2 null sent, Beds24 holds a country', sent({ country2: null }), held({ country2: 'GB' }), ['country2']],
    ['price 0 sent, Beds24 holds null', sent({ price: 0 }), held({ price: null }), []],
    ['price 0 sent, Beds24 leaves it out', sent({ price: 0 }), without(held(), 'price'), []],
    ['price 0 sent, Beds24 still holds the old price', sent({ price: 0 }), held({ price: 450 }), ['price']],
    ['notes "" sent, Beds24 holds old notes', sent({ notes: '' }), held(), ['notes']],
    ['price compared to the cent', sent({ price: 123.45 }), held({ price: 123.45000001 }), []],
    ['a cent apart is a difference', sent({ price: 123.45 }), held({ price: 123.46 }), ['price']],
    ['country and language codes in another case are the same code', sent(), held({ country2: 'gb', lang: 'EN' }), []],
    // What we do not send is not ours to compare: an email or language we cannot clear, the room of a cancel.
    ['email not sent, Beds24 keeps the old one', without(sent(), 'email'), held(), []],
    ['lang not sent, Beds24 keeps the old one', without(sent(), 'lang'), held({ lang: 'de' }), []],
    ['roomId not sent (cancel from an unmapped room)', adaBookingWithoutRoom, held({ roomId: 200777 }), []],
    ['fields Beds24 has that we never send', sent(), held({ mobile: '+1', title: 'Dr', custom1: 'x' }), []],
  ])('%s', (_name, expected, actual, fields) => {
    expect(differingBookingFields(expected, actual)).toEqual(fields);
  });
});

describe('footprintOfPlan', () => {
  const stay = { arrival: '2027-03-01', departure: '2027-03-03' };
  it.each<[string, Exclude<BookingPlan, { action: 'skip' }>, BookingFootprint | null]>([
    [
      'a create takes its room and nights',
      { action: 'create', booking: { roomId: 7, status: 'confirmed', ...stay } },
      { beds24RoomId: 7, ...stay },
    ],
    [
      'an update (a request too) takes its room and nights',
      { action: 'update', booking: { id: 1, roomId: 8, status: 'request', ...stay } },
      { beds24RoomId: 8, ...stay },
    ],
    ['a cancel takes nothing', { action: 'cancel', booking: { id: 1, roomId: 7, status: 'cancelled', ...stay } }, null],
  ])('%s', (_label, plan, expected) => {
    expect(footprintOfPlan(plan)).toEqual(expected);
  });
});

const fp = (beds24RoomId: number, arrival: string, departure: string): BookingFootprint => ({
  beds24RoomId,
  arrival,
  departure,
});
const cells = (beds24RoomId: number, ...dates: string[]) => dates.map((date) => ({ beds24RoomId, date }));

describe('footprintCells', () => {
  it.each<[string, Array<BookingFootprint | null>, Array<{ beds24RoomId: number; date: string }>]>([
    ['none: nothing', [], []],
    ['nowhere: nothing', [null, null], []],
    [
      'one stay: each night, not the departure day',
      [fp(7, '2027-03-01', '2027-03-03')],
      cells(7, '2027-03-01', '2027-03-02'),
    ],
    [
      'overlapping stays of one room: each night once',
      [fp(7, '2027-03-01', '2027-03-03'), null, fp(7, '2027-03-02', '2027-03-04')],
      cells(7, '2027-03-01', '2027-03-02', '2027-03-03'),
    ],
    [
      'same nights in two rooms: both rooms',
      [fp(7, '2027-03-01', '2027-03-02'), fp(8, '2027-03-01', '2027-03-02')],
      [...cells(7, '2027-03-01'), ...cells(8, '2027-03-01')],
    ],
    ['a month end', [fp(7, '2027-02-27', '2027-03-02')], cells(7, '2027-02-27', '2027-02-28', '2027-03-01')],
  ])('%s', (_label, footprints, expected) => {
    expect(footprintCells(footprints)).toEqual(expected);
  });
});

describe('movedCells', () => {
  it.each<[string, BookingFootprint | null, BookingFootprint | null, Array<{ beds24RoomId: number; date: string }>]>([
    ['unchanged: nothing', fp(7, '2027-03-01', '2027-03-03'), fp(7, '2027-03-01', '2027-03-03'), []],
    ['nowhere before and after: nothing', null, null, []],
    ['created: the nights it takes', null, fp(7, '2027-03-01', '2027-03-03'), cells(7, '2027-03-01', '2027-03-02')],
    ['cancelled: the nights it left', fp(7, '2027-03-01', '2027-03-03'), null, cells(7, '2027-03-01', '2027-03-02')],
    [
      'other nights: the nights it left and the nights it took, once each',
      fp(7, '2027-03-01', '2027-03-03'),
      fp(7, '2027-03-02', '2027-03-04'),
      cells(7, '2027-03-01', '2027-03-02', '2027-03-03'),
    ],
    [
      'other room, same nights: both rooms',
      fp(7, '2027-03-01', '2027-03-02'),
      fp(8, '2027-03-01', '2027-03-02'),
      [...cells(7, '2027-03-01'), ...cells(8, '2027-03-01')],
    ],
  ])('%s', (_label, before, after, expected) => {
    expect(movedCells(before, after)).toEqual(expected);
  });
});

describe('toBookingBatches', () => {
  const item = (bytes: number): { notes: string } => ({ notes: 'x'.repeat(bytes - 12) });
  const limits = { maxItems: 3, maxBytes: 100 };
  it.each<[string, number[], number[]]>([
    ['nothing', [], []],
    ['one body while both limits hold', [20, 20, 20], [3]],
    ['a new body at the item limit', [15, 15, 15, 15, 15, 15, 15], [3, 3, 1]],
    ['a new body before the bytes would pass the limit', [40, 40, 40], [2, 1]],
    ['an item over the byte limit alone, the rest around it', [20, 150, 20], [1, 1, 1]],
  ])('%s', (_case, sizes, expected) => {
    const items = sizes.map(item);
    for (const [index, size] of sizes.entries()) expect(JSON.stringify(items[index]).length).toBe(size);
    const batches = toBookingBatches(items, (write) => write, limits);
    expect(batches.map((batch) => batch.length)).toEqual(expected);
    expect(batches.flat()).toEqual(items);
  });

  it('keeps each body of real size within Beds24 limits by default', () => {
    const writes = Array.from({ length: 2_500 }, () => ({ notes: 'n'.repeat(400) }));
    const batches = toBookingBatches(writes, (write) => write);
    expect(batches.map((batch) => batch.length)).toEqual([1_000, 1_000, 500]);
    for (const batch of toBookingBatches(
      Array.from({ length: 900 }, () => ({ notes: 'n'.repeat(2_000) })),
      (write) => write,
    )) {
      expect(Buffer.byteLength(JSON.stringify(batch))).toBeLessThanOrEqual(512 * 1024);
    }
  });
});
