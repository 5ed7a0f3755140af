import { expect } from 'vitest';
import type { Knex } from '../../src/db.ts';
import type { TestApp } from './test_app.ts';

let counter = 0;
const unique = (): string => `${process.pid % 1000}${++counter}`;

export async function createProperty(app: TestApp, body: Record<string, unknown> = {}) {
  const res = await app.request('POST', '/api/properties', {
    name: `Hotel ${unique()}`,
    timezone: 'Europe/Berlin',
    ...body,
  });
  expect(res.status).toBe(201);
  return res.body;
}

export async function createRoom(app: TestApp, propertyId: string, body: Record<string, unknown> = {}) {
  const res = await app.request('POST', '/api/rooms', {
    property_id: propertyId,
    number: `R${unique()}`,
    room_type: 'double',
    base_price: 100,
    max_occupancy: 2,
    ...body,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

export async function createGuest(app: TestApp, body: Record<string, unknown> = {}) {
  const res = await app.request('POST', '/api/guests', { first_name: 'Ada', last_name: 'Lovelace', ...body });
  expect(res.status).toBe(201);
  return res.body;
}

export async function createReservation(app: TestApp, roomId: string, body: Record<string, unknown> = {}) {
  const res = await app.request('POST', '/api/reservations', {
    room_id: roomId,
    guest: { first_name: 'Grace', last_name: 'Hopper' },
    check_in: '2027-03-01',
    check_out: '2027-03-04',
    adults: 2,
    ...body,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

const TABLES = [
  'properties',
  'rooms',
  'guests',
  'reservations',
  'maintenance_blocks',
  'room_rates',
  'room_type_restrictions',
  'beds24_config',
];

/** A digest of every row of every PMS table: equal before and after means the request changed nothing. */
export async function fingerprint(db: Knex): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const table of TABLES) {
    const { rows } = await db.raw(
      `select count(*)::int as n, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as h from ${table} t`,
    );
    result[table] = `${rows[0].n}:${rows[0].h}`;
  }
  return result;
}
