/**
 * Bad-input sweep over every PMS route and every Beds24 admin route.
 *
 * Contract (shared/contract/pms-api.md): malformed input answers a 4xx in the error format, never a 5xx;
 * a 400 is `validation_failed` naming the field in `details[].path`; a rejected request changes nothing.
 *
 * The world is a connected property with a running in-process Beds24 sandbox but WITHOUT sync workers, so
 * nothing writes to the database except the requests under test and the digest before/after each request
 * is exact. (Accepted requests only queue work that nobody runs.)
 *
 * Known-bug triggers are kept out of the fast-check generators (NUL characters, cursors whose date only JS
 * accepts, unencoded '%' in paths), so the properties stay green and each bug is pinned by fixed cases.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGuest, createProperty, createReservation, createRoom } from '../helpers/fixtures.ts';
import { startSyncWorld, type SyncWorld } from '../helpers/sync_harness.ts';
import { ADMIN_TOKEN, API_TOKEN, WEBHOOK_TOKEN, type Json } from '../helpers/test_app.ts';
import {
  DbWatch,
  detailPaths,
  describeResponse,
  expectNoServerError,
  expectWellFormedRejection,
  send,
  type SweepRequest,
} from './sweep_helpers.ts';

// ---------------------------------------------------------------------------------------------------------
// World

interface Ctx {
  world: SyncWorld;
  baseUrl: string;
  /** Connected to the sandbox. */
  propertyId: string;
  beds24PropertyId: number;
  /** Never configured for Beds24. */
  otherPropertyId: string;
  /** max_occupancy 4; holds reservations A (2027-03-01..04) and B (2027-04-01..04). */
  roomA: string;
  roomANumber: string;
  /** Holds the maintenance block 2027-06-10..12. */
  roomB: string;
  roomBNumber: string;
  inactiveRoom: string;
  /** A room of the other property. */
  otherRoom: string;
  guestId: string;
  reservationA: string;
  reservationB: string;
  maintenanceId: string;
  /** A beds24_sync_failures row that is already resolved (retrying it is a 409). */
  resolvedFailureId: string;
  /** A refresh token of another sandbox account, which cannot reach our Beds24 property. */
  foreignRefreshToken: string;
}

const NONEXISTENT = '7d1c5a8e-3b0f-4c2a-9e61-2f4b8d0c6a13';
const SQLISH = "1' OR '1'='1'; drop table reservations; --";

let ctx: Ctx;
let watch: DbWatch;
let fcRuns = 0;
const fcStatuses = new Map<number, number>();

beforeAll(async () => {
  const world = await startSyncWorld([{ name: 'double', units: 3 }], { workers: false });
  const app = world.app;
  const [roomA, roomB, inactive] = world.rooms[0] as [string, string, string];
  await app.request('PATCH', `/api/rooms/${inactive}`, { status: 'inactive' });
  const other = await createProperty(app);
  const otherRoom = await createRoom(app, other.id);
  const guest = await createGuest(app, { email: 'ada@example.com' });
  const resA = await createReservation(app, roomA, { guest_id: guest.id, guest: undefined });
  const resB = await createReservation(app, roomA, { check_in: '2027-04-01', check_out: '2027-04-04' });
  const block = await app.request('POST', `/api/rooms/${roomB}/maintenance`, {
    start_date: '2027-06-10',
    end_date: '2027-06-12',
    reason: 'paint',
  });
  expect(block.status).toBe(201);
  const [failure]: Json[] = await world.database
    .db('beds24_sync_failures')
    .insert({
      property_id: world.propertyId,
      kind: 'calendar',
      entity_id: '424242',
      state: 'resolved',
      error_code: 'beds24_validation',
      error_message: 'old',
    })
    .returning('id');
  // A max_stay of 3 stored on one night, for the rule that a min_stay above it is refused.
  const stored = await app.request('PUT', `/api/properties/${world.propertyId}/restrictions`, {
    room_type: 'double',
    from: '2027-05-10',
    to: '2027-05-10',
    max_stay: 3,
    min_stay: 2,
  });
  expect(stored.status).toBe(200);
  const foreignAccount = world.sandbox.createAccount({
    properties: [{ name: 'Elsewhere', rooms: [{ name: 'single', qty: 1 }] }],
  });
  const rooms = await world.database.db('rooms').whereIn('id', [roomA, roomB]).select('id', 'number');
  ctx = {
    world,
    baseUrl: app.baseUrl,
    propertyId: world.propertyId,
    beds24PropertyId: world.beds24PropertyId,
    otherPropertyId: other.id,
    roomA,
    roomANumber: rooms.find((r: { id: string }) => r.id === roomA).number,
    roomB,
    roomBNumber: rooms.find((r: { id: string }) => r.id === roomB).number,
    inactiveRoom: inactive,
    otherRoom: otherRoom.id,
    guestId: guest.id,
    reservationA: resA.id,
    reservationB: resB.id,
    maintenanceId: block.body.id,
    resolvedFailureId: failure.id,
    foreignRefreshToken: world.sandbox.createRefreshToken(foreignAccount.accountId),
  };
  watch = await DbWatch.start(world.database.db);
});

afterAll(async () => {
  const statuses = [...fcStatuses].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`);
  console.info(`bad_input sweep: ${fcRuns} fast-check requests (${statuses.join(', ')})`);
  await ctx?.world.close();
});

// ---------------------------------------------------------------------------------------------------------
// Cases

interface Case {
  name: string;
  request: (c: Ctx) => SweepRequest;
  /** The status (or one of the statuses) the contract asks for. */
  status: number | readonly number[];
  /** For a 400: a `details[].path` that must be among the details. */
  path?: string;
  /** Cases of one group run in one test. */
  group?: string;
}

async function runCase(c: Case): Promise<void> {
  const req = c.request(ctx);
  const res = await send(ctx.baseUrl, req);
  const label = `${req.method} ${req.path.slice(0, 150)} [${c.name}]`;
  const dbProblem = await watch.observe(res, label);
  expect(dbProblem, dbProblem).toBeUndefined();
  expectWellFormedRejection(res, label);
  const allowed: readonly number[] = typeof c.status === 'number' ? [c.status] : c.status;
  expect(allowed, `${label} → ${describeResponse(res)}`).toContain(res.status);
  if (c.path !== undefined) expect(detailPaths(res), `${label} → ${describeResponse(res)}`).toContain(c.path);
}

/**
 * One test per group of cases (vitest's per-test cost is not negligible at this count); a failing group
 * lists every failing case.
 */
function declare(cases: readonly Case[], defaultGroup = 'rules'): void {
  const groups = new Map<string, Case[]>();
  for (const c of cases) {
    const group = c.group ?? defaultGroup;
    groups.set(group, [...(groups.get(group) ?? []), c]);
  }
  for (const [group, members] of groups) {
    it(`${group} (${members.length} cases: ${members
      .map((m) => m.name)
      .join('; ')
      .slice(0, 300)})`, async () => {
      const failures: string[] = [];
      for (const c of members) {
        try {
          await runCase(c);
        } catch (error) {
          failures.push(`${c.name}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      expect(failures, failures.join('\n\n')).toEqual([]);
    });
  }
}

/** A JSON value written into the body text verbatim (numbers JSON.stringify cannot make, like 1e400). */
class RawJson {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

function jsonText(value: unknown): string {
  const raws: string[] = [];
  const text =
    JSON.stringify(value, (_key, v: unknown) => (v instanceof RawJson ? `@@raw${raws.push(v.text) - 1}@@` : v)) ?? '';
  return text.replace(/"@@raw(\d+)@@"/g, (_m, i: string) => raws[Number(i)] ?? 'null');
}

function jsonRequest(method: string, path: string, body: unknown, token: string): SweepRequest {
  return { method, path, raw: jsonText(body), headers: { 'content-type': 'application/json' }, token };
}

function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i += 1) value = { a: value };
  return value;
}

// ---------------------------------------------------------------------------------------------------------
// Field kinds and their malformed values

type Kind =
  | 'uuid'
  | 'date'
  | 'money'
  | 'count'
  | 'nights'
  | 'beds24id'
  | 'text'
  | 'optionalText'
  | 'enum'
  | 'bool'
  | 'email'
  | 'alpha2'
  | 'timezone'
  | 'currency'
  | 'secret'
  | 'guest';

interface FieldSpec {
  name: string;
  kind: Kind;
  nullable?: boolean;
  max?: number;
  values?: readonly string[];
  /** Fields removed from the base body while this one is tested (e.g. `guest_id` for `guest`). */
  omit?: readonly string[];
  /** At least 1 (adults, max_occupancy): 0 is malformed too. */
  positive?: boolean;
}

interface BadValue {
  label: string;
  value: unknown;
  /** Suffix of the expected path (`.first_name` for a field inside `guest`). */
  sub?: string;
}

const DATE_BAD: BadValue[] = [
  { label: 'an invalid date 2027-02-30', value: '2027-02-30' },
  { label: 'month 13', value: '2027-13-01' },
  { label: 'month 00', value: '2027-00-10' },
  { label: 'an unpadded date', value: '2027-3-1' },
  { label: 'a two-digit year', value: '27-03-01' },
  { label: 'a date with a time', value: '2027-03-01T00:00:00Z' },
  { label: 'a date with a local time', value: '2027-03-01 12:00' },
  { label: 'a date with slashes', value: '2027/03/01' },
  { label: 'a date with a trailing newline', value: '2027-03-01\n' },
  { label: 'fullwidth digits', value: '２０２７-03-01' },
  { label: 'a word', value: 'tomorrow' },
  { label: 'a number', value: 20270301 },
  { label: 'a timestamp number', value: 1_803_000_000_000 },
];

function badValues(field: FieldSpec): BadValue[] {
  // Every field gets an array and a deeply nested object; the rest depends on the kind.
  const common: BadValue[] = [
    { label: 'an array of a plausible value', value: ['x'] },
    { label: 'a deeply nested object', value: nested(300) },
  ];
  const nullCase: BadValue[] = field.nullable ? [] : [{ label: 'null', value: null }];
  switch (field.kind) {
    case 'uuid':
      return [
        ...common,
        ...nullCase,
        { label: 'not a UUID', value: 'not-a-uuid' },
        { label: 'an empty string', value: '' },
        { label: 'a number', value: 42 },
        { label: 'a SQL-ish string', value: SQLISH },
        { label: 'a UUID without dashes', value: NONEXISTENT.replaceAll('-', '') },
        { label: 'a UUID in braces', value: `{${NONEXISTENT}}` },
        { label: 'a UUID with a trailing space', value: `${NONEXISTENT} ` },
        { label: 'a UUID with a non-hex digit', value: `g${NONEXISTENT.slice(1)}` },
        { label: 'a unicode string', value: 'ümlaut-ß-漢字' },
      ];
    case 'date':
      return [...common, ...nullCase, { label: 'an empty string', value: '' }, ...DATE_BAD];
    case 'money':
      return [
        ...common,
        { label: 'a boolean', value: true },
        ...nullCase,
        { label: 'a negative number', value: -1 },
        { label: 'a negative cent', value: -0.01 },
        { label: 'three decimals', value: 1.001 },
        { label: 'a tiny fraction', value: 0.000001 },
        { label: 'over the maximum', value: 100_000_000 },
        { label: 'a huge number 1e400', value: new RawJson('1e400') },
        { label: 'a huge negative number -1e400', value: new RawJson('-1e400') },
        { label: 'NaN as a string', value: 'NaN' },
        { label: 'Infinity as a string', value: 'Infinity' },
        { label: 'a number as a string', value: '100' },
        { label: 'an empty string', value: '' },
      ];
    case 'count':
      return [
        ...common,
        { label: 'a boolean', value: true },
        ...nullCase,
        ...(field.positive ? [{ label: 'zero', value: 0 }] : []),
        { label: 'a fraction', value: 1.5 },
        { label: 'a negative number', value: -1 },
        { label: 'over 99', value: 100 },
        { label: 'a billion', value: 1e9 },
        { label: 'a huge number 1e400', value: new RawJson('1e400') },
        { label: 'a number as a string', value: '2' },
        { label: 'NaN as a string', value: 'NaN' },
      ];
    case 'nights':
      return [
        ...common,
        { label: 'a boolean', value: true },
        ...nullCase,
        { label: 'zero', value: 0 },
        { label: 'a negative number', value: -1 },
        { label: 'a fraction', value: 1.5 },
        { label: `over ${field.max}`, value: (field.max ?? 365) + 1 },
        { label: 'a billion', value: 1e9 },
        { label: 'a huge number 1e400', value: new RawJson('1e400') },
        { label: 'a number as a string', value: '2' },
        { label: 'NaN as a string', value: 'NaN' },
      ];
    case 'beds24id':
      return [
        ...common,
        { label: 'a boolean', value: true },
        ...nullCase,
        { label: 'zero', value: 0 },
        { label: 'a negative number', value: -5 },
        { label: 'a fraction', value: 1.5 },
        { label: 'over int32', value: 2_147_483_648 },
        { label: 'a huge number 1e400', value: new RawJson('1e400') },
        { label: 'a number as a string', value: '5' },
        { label: 'NaN as a string', value: 'NaN' },
      ];
    case 'text':
      return [
        ...common,
        ...nullCase,
        { label: 'an empty string', value: '' },
        { label: 'only spaces', value: '   ' },
        { label: 'a number', value: 123 },
        { label: 'one character too long', value: 'x'.repeat((field.max ?? 100) + 1) },
        { label: 'a NUL character', value: 'a\u0000b' },
      ];
    case 'optionalText':
      return [
        ...common,
        { label: 'a number', value: 123 },
        { label: 'one character too long', value: 'x'.repeat((field.max ?? 100) + 1) },
        { label: 'a NUL character', value: 'a\u0000b' },
      ];
    case 'enum': {
      const [first = 'x', second = 'y'] = field.values ?? [];
      return [
        ...common,
        ...nullCase,
        { label: 'an unknown value', value: 'bogus' },
        { label: 'an upper-case value', value: first.toUpperCase() },
        { label: 'two values joined by a comma', value: `${first},${second}` },
        { label: 'an array of a valid value', value: [first] },
        { label: 'a number', value: 1 },
        { label: 'an empty string', value: '' },
        { label: 'a SQL-ish string', value: SQLISH },
      ];
    }
    case 'bool':
      return [
        ...common,
        ...nullCase,
        { label: 'the string "true"', value: 'true' },
        { label: 'the number 1', value: 1 },
        { label: 'the number 0', value: 0 },
        { label: 'the string "yes"', value: 'yes' },
      ];
    case 'email':
      return [
        ...common,
        { label: 'not an email', value: 'not-an-email' },
        { label: 'no domain', value: 'a@' },
        { label: 'no local part', value: '@example.com' },
        { label: 'a space', value: 'a b@example.com' },
        { label: 'over 100 characters', value: `${'x'.repeat(95)}@ex.de` },
        { label: 'a number', value: 1 },
        { label: 'a SQL-ish string', value: SQLISH },
      ];
    case 'alpha2':
      return [
        ...common,
        { label: 'three letters', value: 'DEU' },
        { label: 'a digit', value: 'D1' },
        { label: 'an empty string', value: '' },
        { label: 'a number', value: 1 },
        { label: 'non-ASCII letters', value: 'ÄÖ' },
      ];
    case 'timezone':
      return [
        ...common,
        ...nullCase,
        { label: 'an unknown zone', value: 'Mars/Olympus' },
        { label: 'an empty string', value: '' },
        { label: 'a SQL-ish string', value: SQLISH },
        { label: 'a number', value: 1 },
      ];
    case 'currency':
      return [
        ...common,
        ...nullCase,
        { label: 'four letters', value: 'EURO' },
        { label: 'an unknown code', value: 'ZZZ' },
        { label: 'a symbol', value: '€' },
        { label: 'an empty string', value: '' },
        { label: 'a number', value: 1 },
      ];
    case 'secret':
      return [
        ...common,
        ...nullCase,
        { label: 'an empty string', value: '' },
        { label: 'only spaces', value: '   ' },
        { label: 'over 2000 characters', value: 'x'.repeat(2001) },
        { label: 'a number', value: 1 },
      ];
    case 'guest':
      return [
        ...common.filter((b) => b.label !== 'a deeply nested object'),
        ...nullCase,
        { label: 'a string', value: 'Ada Lovelace' },
        { label: 'a number', value: 1 },
        { label: 'an empty object', value: {}, sub: '.first_name' },
        { label: 'an unknown field inside', value: { first_name: 'A', last_name: 'B', bogus: 1 }, sub: '.bogus' },
        { label: 'an empty first_name', value: { first_name: '', last_name: 'B' }, sub: '.first_name' },
        { label: 'a bad email', value: { first_name: 'A', last_name: 'B', email: 'nope' }, sub: '.email' },
        {
          label: 'a three-letter country',
          value: { first_name: 'A', last_name: 'B', country: 'DEU' },
          sub: '.country',
        },
        { label: 'a deeply nested last_name', value: { first_name: 'A', last_name: nested(300) }, sub: '.last_name' },
        { label: 'a NUL in first_name', value: { first_name: 'A\u0000', last_name: 'B' }, sub: '.first_name' },
      ];
  }
}

// ---------------------------------------------------------------------------------------------------------
// Routes with a body

interface BodyRoute {
  method: 'POST' | 'PUT' | 'PATCH';
  pattern: string;
  path: (c: Ctx) => string;
  /** The same route with another path id (for the path-id cases). */
  pathWithId?: (id: string) => string;
  token: string;
  /** A body the route would accept. */
  base: (c: Ctx) => Record<string, unknown>;
  fields: readonly FieldSpec[];
  /** Deleting one of these from the base is a 400 naming it (or the path given). */
  required: ReadonlyArray<string | { field: string; path: string; omit?: readonly string[] }>;
  /** A PATCH of `patchOf(...)`: an empty object is a 400 on `body`. */
  patch: boolean;
  rules: readonly Case[];
}

const GUEST_FIELDS: FieldSpec[] = [
  { name: 'first_name', kind: 'text', max: 100 },
  { name: 'last_name', kind: 'text', max: 100 },
  { name: 'email', kind: 'email', nullable: true },
  { name: 'phone', kind: 'optionalText', max: 100 },
  { name: 'address', kind: 'optionalText', max: 250 },
  { name: 'city', kind: 'optionalText', max: 100 },
  { name: 'postcode', kind: 'optionalText', max: 100 },
  { name: 'country', kind: 'alpha2', nullable: true },
  { name: 'language', kind: 'alpha2', nullable: true },
];
const GUEST_BASE = {
  first_name: 'Grace',
  last_name: 'Hopper',
  email: 'grace@example.com',
  phone: '+49 30 123',
  address: 'Main St 1',
  city: 'Berlin',
  postcode: '10115',
  country: 'DE',
  language: 'de',
};
const RESERVATION_STATUSES = ['pending', 'confirmed', 'checked_in', 'checked_out', 'cancelled', 'no_show'];
const SOURCES = ['direct', 'phone', 'email', 'walk_in', 'website', 'beds24'];
const ROOM_FIELDS: FieldSpec[] = [
  { name: 'number', kind: 'text', max: 20 },
  { name: 'name', kind: 'optionalText', max: 100 },
  { name: 'room_type', kind: 'text', max: 100 },
  { name: 'base_price', kind: 'money' },
  { name: 'max_occupancy', kind: 'count', positive: true },
  { name: 'status', kind: 'enum', values: ['active', 'inactive'] },
  { name: 'beds24_room_id', kind: 'beds24id', nullable: true },
];

function reservationPost(c: Ctx, extra: Record<string, unknown>, omit: readonly string[] = []): SweepRequest {
  const body: Record<string, unknown> = {
    room_id: c.roomA,
    guest_id: c.guestId,
    check_in: '2027-08-01',
    check_out: '2027-08-03',
    adults: 1,
    ...extra,
  };
  for (const key of omit) delete body[key];
  return jsonRequest('POST', '/api/reservations', body, API_TOKEN);
}

function reservationPatch(c: Ctx, body: Record<string, unknown>): SweepRequest {
  return jsonRequest('PATCH', `/api/reservations/${c.reservationB}`, body, API_TOKEN);
}

function configPut(c: Ctx, extra: Record<string, unknown>): SweepRequest {
  return jsonRequest(
    'PUT',
    '/api/admin/beds24/config',
    { property_id: c.propertyId, beds24_property_id: c.beds24PropertyId, ...extra },
    ADMIN_TOKEN,
  );
}

/** Something shaped like a real Beds24 invite code (the sandbox's are opaque random strings). */
function fakeInvite(seed: number): string {
  return Buffer.from(Array.from({ length: 36 }, (_v, i) => (seed * 31 + i * 7) % 256)).toString('base64url');
}

async function redeemedInviteCode(c: Ctx): Promise<string> {
  const code = c.world.sandbox.createInviteCode(c.world.accountId);
  const res = await fetch(`${c.world.sandbox.url}/authentication/setup`, {
    headers: { code, deviceName: 'someone-else' },
  });
  expect(res.status).toBe(200);
  return code;
}

/** A restrictions write for `double`, nights 2027-05-01..03 unless `body` says otherwise. */
function restrictionsPut(c: Ctx, body: Record<string, unknown>): SweepRequest {
  const full = { room_type: 'double', from: '2027-05-01', to: '2027-05-03', ...body };
  return jsonRequest('PUT', `/api/properties/${c.propertyId}/restrictions`, full, API_TOKEN);
}

const BODY_ROUTES: readonly BodyRoute[] = [
  {
    method: 'POST',
    pattern: '/api/properties',
    path: () => '/api/properties',
    token: API_TOKEN,
    base: () => ({ name: 'Sweep Hotel', timezone: 'Europe/Berlin', currency: 'EUR' }),
    fields: [
      { name: 'name', kind: 'text', max: 200 },
      { name: 'timezone', kind: 'timezone' },
      { name: 'currency', kind: 'currency' },
    ],
    required: ['name'],
    patch: false,
    rules: [],
  },
  {
    method: 'PUT',
    pattern: '/api/properties/:id/restrictions',
    path: (c) => `/api/properties/${c.propertyId}/restrictions`,
    pathWithId: (id) => `/api/properties/${id}/restrictions`,
    token: API_TOKEN,
    base: () => ({
      room_type: 'double',
      from: '2027-05-01',
      to: '2027-05-03',
      min_stay: 2,
      max_stay: 10,
      closed_to_arrival: true,
      closed_to_departure: false,
      stop_sell: false,
    }),
    fields: [
      { name: 'room_type', kind: 'text', max: 100 },
      { name: 'from', kind: 'date' },
      { name: 'to', kind: 'date' },
      { name: 'min_stay', kind: 'nights', max: 365, nullable: true },
      { name: 'max_stay', kind: 'nights', max: 364, nullable: true },
      { name: 'closed_to_arrival', kind: 'bool', nullable: true },
      { name: 'closed_to_departure', kind: 'bool', nullable: true },
      { name: 'stop_sell', kind: 'bool', nullable: true },
    ],
    required: ['room_type', 'from', 'to'],
    patch: false,
    rules: [
      {
        name: 'no restriction field at all',
        request: (c) => restrictionsPut(c, {}),
        status: 400,
        path: 'body',
      },
      {
        name: 'max_stay below min_stay',
        request: (c) => restrictionsPut(c, { min_stay: 5, max_stay: 4 }),
        status: 400,
        path: 'max_stay',
      },
      {
        name: 'min_stay above the max_stay stored on a night of the range',
        request: (c) => restrictionsPut(c, { from: '2027-05-08', to: '2027-05-12', min_stay: 4 }),
        status: 400,
        path: 'min_stay',
      },
      {
        name: 'max_stay below the min_stay stored on a night of the range',
        request: (c) => restrictionsPut(c, { from: '2027-05-08', to: '2027-05-12', max_stay: 1 }),
        status: 400,
        path: 'max_stay',
      },
      {
        name: 'to before from',
        request: (c) => restrictionsPut(c, { from: '2027-05-03', to: '2027-05-01', stop_sell: true }),
        status: 400,
        path: 'to',
      },
      {
        name: 'a range of 731 nights',
        request: (c) => restrictionsPut(c, { from: '2027-01-01', to: '2029-01-01', stop_sell: true }),
        status: 400,
        path: 'to',
      },
      {
        name: 'a room type no room of the property has',
        request: (c) => restrictionsPut(c, { room_type: 'penthouse', stop_sell: true }),
        status: 400,
        path: 'room_type',
      },
    ],
  },
  {
    method: 'POST',
    pattern: '/api/rooms',
    path: () => '/api/rooms',
    token: API_TOKEN,
    // A Beds24 room of the connected account (another id is refused, as the account has no such room).
    base: (c) => ({
      property_id: c.propertyId,
      number: 'SWEEP-1',
      name: 'Sea view',
      room_type: 'double',
      base_price: 100,
      max_occupancy: 2,
      status: 'active',
      beds24_room_id: c.world.beds24RoomIds[0],
    }),
    fields: [{ name: 'property_id', kind: 'uuid' }, ...ROOM_FIELDS],
    required: ['property_id', 'number', 'room_type', 'base_price', 'max_occupancy'],
    patch: false,
    rules: [
      {
        name: 'a property_id that does not exist',
        request: () =>
          jsonRequest(
            'POST',
            '/api/rooms',
            { property_id: NONEXISTENT, number: 'X1', room_type: 'double', base_price: 1, max_occupancy: 1 },
            API_TOKEN,
          ),
        status: 400,
        path: 'property_id',
      },
      {
        name: 'a room number already used in the property',
        request: (c) =>
          jsonRequest(
            'POST',
            '/api/rooms',
            { property_id: c.propertyId, number: c.roomANumber, room_type: 'double', base_price: 1, max_occupancy: 1 },
            API_TOKEN,
          ),
        status: 409,
      },
      {
        name: 'a room number used in the property, with other spacing',
        request: (c) =>
          jsonRequest(
            'POST',
            '/api/rooms',
            {
              property_id: c.propertyId,
              number: `  ${c.roomANumber} `,
              room_type: 'double',
              base_price: 1,
              max_occupancy: 1,
            },
            API_TOKEN,
          ),
        status: 409,
      },
    ],
  },
  {
    method: 'PATCH',
    pattern: '/api/rooms/:id',
    path: (c) => `/api/rooms/${c.roomA}`,
    pathWithId: (id) => `/api/rooms/${id}`,
    token: API_TOKEN,
    base: (c) => ({
      name: 'Renamed',
      room_type: 'double',
      base_price: 120,
      max_occupancy: 4,
      status: 'active',
      beds24_room_id: c.world.beds24RoomIds[0],
    }),
    fields: ROOM_FIELDS,
    required: [],
    patch: true,
    rules: [
      {
        name: 'a property_id (not changeable)',
        request: (c) => jsonRequest('PATCH', `/api/rooms/${c.roomA}`, { property_id: c.otherPropertyId }, API_TOKEN),
        status: 400,
        path: 'property_id',
      },
      {
        name: 'housekeeping_status (has its own route)',
        request: (c) => jsonRequest('PATCH', `/api/rooms/${c.roomA}`, { housekeeping_status: 'dirty' }, API_TOKEN),
        status: 400,
        path: 'housekeeping_status',
      },
      {
        name: 'the number of another room of the property',
        request: (c) => jsonRequest('PATCH', `/api/rooms/${c.roomA}`, { number: c.roomBNumber }, API_TOKEN),
        status: 409,
      },
    ],
  },
  {
    method: 'PATCH',
    pattern: '/api/rooms/:id/housekeeping',
    path: (c) => `/api/rooms/${c.roomA}/housekeeping`,
    pathWithId: (id) => `/api/rooms/${id}/housekeeping`,
    token: API_TOKEN,
    base: () => ({ housekeeping_status: 'dirty' }),
    fields: [{ name: 'housekeeping_status', kind: 'enum', values: ['clean', 'dirty', 'inspected', 'out_of_order'] }],
    required: ['housekeeping_status'],
    patch: false,
    rules: [
      {
        name: 'a room status instead',
        request: (c) => jsonRequest('PATCH', `/api/rooms/${c.roomA}/housekeeping`, { status: 'inactive' }, API_TOKEN),
        status: 400,
        path: 'status',
      },
    ],
  },
  {
    method: 'PUT',
    pattern: '/api/rooms/:id/rates',
    path: (c) => `/api/rooms/${c.roomA}/rates`,
    pathWithId: (id) => `/api/rooms/${id}/rates`,
    token: API_TOKEN,
    base: () => ({ from: '2027-05-01', to: '2027-05-03', price: 90 }),
    fields: [
      { name: 'from', kind: 'date' },
      { name: 'to', kind: 'date' },
      { name: 'price', kind: 'money' },
    ],
    required: ['from', 'to', 'price'],
    patch: false,
    rules: [
      {
        name: 'to before from',
        request: (c) =>
          jsonRequest(
            'PUT',
            `/api/rooms/${c.roomA}/rates`,
            { from: '2027-05-03', to: '2027-05-01', price: 1 },
            API_TOKEN,
          ),
        status: 400,
        path: 'to',
      },
      {
        name: 'a range of 731 nights',
        request: (c) =>
          jsonRequest(
            'PUT',
            `/api/rooms/${c.roomA}/rates`,
            { from: '2027-01-01', to: '2029-01-01', price: 1 },
            API_TOKEN,
          ),
        status: 400,
        path: 'to',
      },
    ],
  },
  {
    method: 'POST',
    pattern: '/api/rooms/:id/maintenance',
    path: (c) => `/api/rooms/${c.roomB}/maintenance`,
    pathWithId: (id) => `/api/rooms/${id}/maintenance`,
    token: API_TOKEN,
    base: () => ({ start_date: '2027-07-01', end_date: '2027-07-03', reason: 'paint' }),
    fields: [
      { name: 'start_date', kind: 'date' },
      { name: 'end_date', kind: 'date' },
      { name: 'reason', kind: 'optionalText', max: 500 },
    ],
    required: ['start_date', 'end_date'],
    patch: false,
    rules: [
      {
        name: 'end_date equal to start_date',
        request: (c) =>
          jsonRequest(
            'POST',
            `/api/rooms/${c.roomB}/maintenance`,
            { start_date: '2027-07-01', end_date: '2027-07-01' },
            API_TOKEN,
          ),
        status: 400,
        path: 'end_date',
      },
      {
        name: 'end_date before start_date',
        request: (c) =>
          jsonRequest(
            'POST',
            `/api/rooms/${c.roomB}/maintenance`,
            { start_date: '2027-07-05', end_date: '2027-07-01' },
            API_TOKEN,
          ),
        status: 400,
        path: 'end_date',
      },
      {
        name: 'a block of 732 nights',
        request: (c) =>
          jsonRequest(
            'POST',
            `/api/rooms/${c.roomB}/maintenance`,
            { start_date: '2027-01-01', end_date: '2029-01-02' },
            API_TOKEN,
          ),
        status: 400,
        path: 'end_date',
      },
      {
        name: 'a block over a confirmed reservation',
        request: (c) =>
          jsonRequest(
            'POST',
            `/api/rooms/${c.roomA}/maintenance`,
            { start_date: '2027-03-02', end_date: '2027-03-03' },
            API_TOKEN,
          ),
        status: 409,
      },
    ],
  },
  {
    method: 'POST',
    pattern: '/api/guests',
    path: () => '/api/guests',
    token: API_TOKEN,
    base: () => ({ ...GUEST_BASE }),
    fields: GUEST_FIELDS,
    required: ['first_name', 'last_name'],
    patch: false,
    rules: [],
  },
  {
    method: 'PATCH',
    pattern: '/api/guests/:id',
    path: (c) => `/api/guests/${c.guestId}`,
    pathWithId: (id) => `/api/guests/${id}`,
    token: API_TOKEN,
    base: () => ({ ...GUEST_BASE }),
    fields: GUEST_FIELDS,
    required: [],
    patch: true,
    rules: [
      {
        name: 'an id field',
        request: (c) => jsonRequest('PATCH', `/api/guests/${c.guestId}`, { id: NONEXISTENT }, API_TOKEN),
        status: 400,
        path: 'id',
      },
    ],
  },
  {
    method: 'POST',
    pattern: '/api/reservations',
    path: () => '/api/reservations',
    token: API_TOKEN,
    base: (c) => ({
      room_id: c.roomA,
      guest_id: c.guestId,
      check_in: '2027-08-01',
      check_out: '2027-08-03',
      adults: 2,
      children: 1,
      status: 'confirmed',
      source: 'direct',
      total_price: 250.5,
      notes: 'late arrival',
    }),
    fields: [
      { name: 'room_id', kind: 'uuid' },
      { name: 'guest_id', kind: 'uuid' },
      { name: 'guest', kind: 'guest', omit: ['guest_id'] },
      { name: 'check_in', kind: 'date' },
      { name: 'check_out', kind: 'date' },
      { name: 'adults', kind: 'count', positive: true },
      { name: 'children', kind: 'count' },
      { name: 'status', kind: 'enum', values: RESERVATION_STATUSES },
      { name: 'source', kind: 'enum', values: SOURCES },
      { name: 'total_price', kind: 'money', nullable: true },
      { name: 'notes', kind: 'optionalText', max: 2000 },
      { name: 'beds24_booking_id', kind: 'beds24id' },
    ],
    required: ['room_id', 'check_in', 'check_out', 'adults', { field: 'guest_id', path: 'guest_id' }],
    patch: false,
    rules: [
      {
        name: 'check_out equal to check_in',
        request: (c) => reservationPost(c, { check_out: '2027-08-01' }),
        status: 400,
        path: 'check_out',
      },
      {
        name: 'check_out before check_in',
        request: (c) => reservationPost(c, { check_in: '2027-08-05' }),
        status: 400,
        path: 'check_out',
      },
      {
        name: 'a stay of 366 nights',
        request: (c) => reservationPost(c, { check_in: '2027-08-01', check_out: '2028-08-01' }),
        status: 400,
        path: 'check_out',
      },
      {
        name: 'adults + children over max_occupancy',
        request: (c) => reservationPost(c, { adults: 3, children: 2 }),
        status: 400,
        path: 'adults',
      },
      {
        name: 'both guest_id and guest',
        request: (c) => reservationPost(c, { guest: { first_name: 'A', last_name: 'B' } }),
        status: 400,
        path: 'guest_id',
      },
      {
        name: 'neither guest_id nor guest',
        request: (c) => reservationPost(c, {}, ['guest_id']),
        status: 400,
        path: 'guest_id',
      },
      {
        name: 'beds24_booking_id without source beds24',
        request: (c) => reservationPost(c, { beds24_booking_id: 77 }),
        status: 400,
        path: 'beds24_booking_id',
      },
      {
        name: 'a room_id that does not exist',
        request: (c) => reservationPost(c, { room_id: NONEXISTENT }),
        status: 400,
        path: 'room_id',
      },
      {
        name: 'a guest_id that does not exist',
        request: (c) => reservationPost(c, { guest_id: NONEXISTENT }),
        status: 400,
        path: 'guest_id',
      },
      {
        name: 'a room_id that does not exist, with a new guest (nothing may be created)',
        request: (c) =>
          reservationPost(c, { room_id: NONEXISTENT, guest: { first_name: 'New', last_name: 'Guest' } }, ['guest_id']),
        status: 400,
        path: 'room_id',
      },
      {
        name: 'a stay overlapping a confirmed reservation, with a new guest (nothing may be created)',
        request: (c) =>
          reservationPost(
            c,
            { check_in: '2027-03-02', check_out: '2027-03-05', guest: { first_name: 'New', last_name: 'Guest' } },
            ['guest_id'],
          ),
        status: 409,
      },
      { name: 'an inactive room', request: (c) => reservationPost(c, { room_id: c.inactiveRoom }), status: 409 },
      {
        name: 'a stay over a maintenance block',
        request: (c) => reservationPost(c, { room_id: c.roomB, check_in: '2027-06-11', check_out: '2027-06-13' }),
        status: 409,
      },
      { name: 'an id field', request: (c) => reservationPost(c, { id: NONEXISTENT }), status: 400, path: 'id' },
    ],
  },
  {
    method: 'PATCH',
    pattern: '/api/reservations/:id',
    path: (c) => `/api/reservations/${c.reservationB}`,
    pathWithId: (id) => `/api/reservations/${id}`,
    token: API_TOKEN,
    base: (c) => ({
      room_id: c.roomA,
      guest_id: c.guestId,
      check_in: '2027-04-01',
      check_out: '2027-04-05',
      adults: 2,
      children: 0,
      status: 'confirmed',
      total_price: 10,
      notes: 'n',
    }),
    fields: [
      { name: 'room_id', kind: 'uuid' },
      { name: 'guest_id', kind: 'uuid' },
      { name: 'check_in', kind: 'date' },
      { name: 'check_out', kind: 'date' },
      { name: 'adults', kind: 'count', positive: true },
      { name: 'children', kind: 'count' },
      { name: 'status', kind: 'enum', values: RESERVATION_STATUSES },
      { name: 'total_price', kind: 'money', nullable: true },
      { name: 'notes', kind: 'optionalText', max: 2000 },
    ],
    required: [],
    patch: true,
    rules: [
      {
        name: 'check_out moved before check_in',
        request: (c) => reservationPatch(c, { check_out: '2027-03-31' }),
        status: 400,
        path: 'check_out',
      },
      {
        name: 'check_in moved onto check_out',
        request: (c) => reservationPatch(c, { check_in: '2027-04-04' }),
        status: 400,
        path: 'check_out',
      },
      {
        name: 'a stay stretched over 365 nights',
        request: (c) => reservationPatch(c, { check_out: '2028-04-02' }),
        status: 400,
        path: 'check_out',
      },
      {
        name: 'adults over max_occupancy',
        request: (c) => reservationPatch(c, { adults: 5 }),
        status: 400,
        path: 'adults',
      },
      {
        name: 'a room_id that does not exist',
        request: (c) => reservationPatch(c, { room_id: NONEXISTENT }),
        status: 400,
        path: 'room_id',
      },
      {
        name: 'a guest_id that does not exist',
        request: (c) => reservationPatch(c, { guest_id: NONEXISTENT }),
        status: 400,
        path: 'guest_id',
      },
      {
        name: 'a room of another property',
        request: (c) => reservationPatch(c, { room_id: c.otherRoom }),
        status: 400,
        path: 'room_id',
      },
      {
        name: 'dates overlapping another reservation',
        request: (c) => reservationPatch(c, { check_in: '2027-03-02', check_out: '2027-03-05' }),
        status: 409,
      },
      {
        name: 'a move to an inactive room',
        request: (c) => reservationPatch(c, { room_id: c.inactiveRoom }),
        status: 409,
      },
      {
        name: 'a move onto a maintenance block',
        request: (c) => reservationPatch(c, { room_id: c.roomB, check_in: '2027-06-09', check_out: '2027-06-11' }),
        status: 409,
      },
      {
        name: 'source (not changeable)',
        request: (c) => reservationPatch(c, { source: 'phone' }),
        status: 400,
        path: 'source',
      },
      {
        name: 'beds24_booking_id (not changeable)',
        request: (c) => reservationPatch(c, { beds24_booking_id: 5 }),
        status: 400,
        path: 'beds24_booking_id',
      },
      {
        name: 'an embedded guest',
        request: (c) => reservationPatch(c, { guest: { first_name: 'A', last_name: 'B' } }),
        status: 400,
        path: 'guest',
      },
    ],
  },
  {
    method: 'PUT',
    pattern: '/api/admin/beds24/config',
    path: () => '/api/admin/beds24/config',
    token: ADMIN_TOKEN,
    base: (c) => ({
      property_id: c.propertyId,
      beds24_property_id: c.beds24PropertyId,
      invite_code: 'not-a-real-invite',
      sync_enabled: true,
      push_sync_enabled: true,
    }),
    fields: [
      { name: 'property_id', kind: 'uuid' },
      { name: 'beds24_property_id', kind: 'beds24id' },
      { name: 'invite_code', kind: 'secret' },
      { name: 'refresh_token', kind: 'secret', omit: ['invite_code'] },
      { name: 'sync_enabled', kind: 'bool' },
      { name: 'push_sync_enabled', kind: 'bool' },
      { name: 'pull_sync_enabled', kind: 'bool' },
    ],
    required: ['property_id', 'beds24_property_id'],
    patch: false,
    rules: [
      {
        name: 'both invite_code and refresh_token',
        request: (c) => configPut(c, { invite_code: 'a', refresh_token: 'b' }),
        status: 400,
      },
      {
        name: 'a property_id that does not exist',
        request: (c) => configPut(c, { property_id: NONEXISTENT, invite_code: 'x' }),
        status: 400,
        path: 'property_id',
      },
      {
        name: 'a property_id that does not exist, no credentials',
        request: (c) => configPut(c, { property_id: NONEXISTENT }),
        status: 400,
        path: 'property_id',
      },
      ...[1, 2, 3].map((seed): Case => ({
        name: `a fake invite code that looks real (#${seed})`,
        request: (c) => configPut(c, { invite_code: fakeInvite(seed) }),
        status: 400,
        path: 'invite_code',
      })),
      {
        name: 'a fake invite code of 64 hex characters',
        request: (c) => configPut(c, { invite_code: 'ab12'.repeat(16) }),
        status: 400,
        path: 'invite_code',
      },
      {
        name: 'a fake invite code of 2000 characters',
        request: (c) => configPut(c, { invite_code: 'Q'.repeat(2000) }),
        status: 400,
        path: 'invite_code',
      },
      {
        name: 'a fake invite code with non-Latin-1 characters',
        request: (c) => configPut(c, { invite_code: '€uro-招待-😀' }),
        status: 400,
        path: 'invite_code',
      },
      {
        name: 'a fake invite code with CR LF (header injection)',
        request: (c) => configPut(c, { invite_code: 'abc\r\nX-Injected: 1' }),
        status: 400,
        path: 'invite_code',
      },
      {
        name: 'a fake invite code with control characters',
        request: (c) => configPut(c, { invite_code: 'a\u0001b\u0000c' }),
        status: 400,
        path: 'invite_code',
      },
      {
        name: 'a SQL-ish invite code',
        request: (c) => configPut(c, { invite_code: SQLISH }),
        status: 400,
        path: 'invite_code',
      },
      {
        name: 'a fake invite code for the unconfigured property',
        request: (c) => configPut(c, { property_id: c.otherPropertyId, invite_code: fakeInvite(9) }),
        status: 400,
        path: 'invite_code',
      },
      {
        name: 'a fake refresh token',
        request: (c) => configPut(c, { refresh_token: fakeInvite(4) }),
        status: 400,
        path: 'refresh_token',
      },
      {
        name: 'a refresh token of another Beds24 account',
        request: (c) => configPut(c, { refresh_token: c.foreignRefreshToken }),
        status: 400,
        path: 'beds24_property_id',
      },
      {
        name: 'a genuine invite code for a Beds24 property it cannot reach',
        request: (c) =>
          configPut(c, { beds24_property_id: 4242, invite_code: c.world.sandbox.createInviteCode(c.world.accountId) }),
        status: 400,
        path: 'beds24_property_id',
      },
    ],
  },
  {
    method: 'POST',
    pattern: '/api/admin/beds24/resync',
    path: () => '/api/admin/beds24/resync',
    token: ADMIN_TOKEN,
    base: (c) => ({ property_id: c.propertyId, from: '2027-01-01', to: '2027-01-31' }),
    fields: [
      { name: 'property_id', kind: 'uuid' },
      { name: 'from', kind: 'date' },
      { name: 'to', kind: 'date' },
    ],
    required: ['property_id'],
    patch: false,
    rules: [
      {
        name: 'to before from',
        request: (c) =>
          jsonRequest(
            'POST',
            '/api/admin/beds24/resync',
            { property_id: c.propertyId, from: '2027-02-01', to: '2027-01-01' },
            ADMIN_TOKEN,
          ),
        status: 400,
        path: 'to',
      },
      {
        name: 'a property_id that does not exist',
        request: () => jsonRequest('POST', '/api/admin/beds24/resync', { property_id: NONEXISTENT }, ADMIN_TOKEN),
        status: 400,
        path: 'property_id',
      },
      {
        name: 'a property that is not connected',
        request: (c) =>
          jsonRequest('POST', '/api/admin/beds24/resync', { property_id: c.otherPropertyId }, ADMIN_TOKEN),
        status: 409,
      },
    ],
  },
  {
    method: 'POST',
    pattern: '/api/admin/beds24/pull',
    path: () => '/api/admin/beds24/pull',
    token: ADMIN_TOKEN,
    base: (c) => ({ property_id: c.propertyId }),
    fields: [{ name: 'property_id', kind: 'uuid' }],
    required: ['property_id'],
    patch: false,
    rules: [
      {
        name: 'a property_id that does not exist',
        request: () => jsonRequest('POST', '/api/admin/beds24/pull', { property_id: NONEXISTENT }, ADMIN_TOKEN),
        status: 400,
        path: 'property_id',
      },
      {
        name: 'a property that is not connected',
        request: (c) => jsonRequest('POST', '/api/admin/beds24/pull', { property_id: c.otherPropertyId }, ADMIN_TOKEN),
        status: 409,
      },
    ],
  },
  {
    method: 'POST',
    pattern: '/api/admin/beds24/verify',
    path: () => '/api/admin/beds24/verify',
    token: ADMIN_TOKEN,
    base: (c) => ({ property_id: c.propertyId, repair: false }),
    fields: [
      { name: 'property_id', kind: 'uuid' },
      { name: 'repair', kind: 'bool' },
    ],
    required: ['property_id'],
    patch: false,
    rules: [
      {
        name: 'a property_id that does not exist',
        request: () => jsonRequest('POST', '/api/admin/beds24/verify', { property_id: NONEXISTENT }, ADMIN_TOKEN),
        status: 400,
        path: 'property_id',
      },
      {
        name: 'a property that is not connected',
        request: (c) =>
          jsonRequest('POST', '/api/admin/beds24/verify', { property_id: c.otherPropertyId }, ADMIN_TOKEN),
        status: 409,
      },
    ],
  },
];

function withField(
  base: Record<string, unknown>,
  field: string,
  value: unknown,
  omit: readonly string[] = [],
): Record<string, unknown> {
  const body: Record<string, unknown> = { ...base, [field]: value };
  for (const key of omit) delete body[key];
  return body;
}

function bodyCases(route: BodyRoute): Case[] {
  const req = (c: Ctx, raw: string | Uint8Array, headers: Record<string, string>): SweepRequest => ({
    method: route.method,
    path: route.path(c),
    raw,
    headers,
    token: route.token,
  });
  const json = { 'content-type': 'application/json' };
  const upperName = (route.fields[0]?.name ?? 'x').toUpperCase();
  const cases: Case[] = [
    { name: 'body: not JSON', request: (c) => req(c, '{"name": ', json), status: 400, path: 'body' },
    {
      name: 'body: JSON with trailing garbage',
      request: (c) => req(c, `${jsonText(route.base(c))}x`, json),
      status: 400,
      path: 'body',
    },
    { name: 'body: JSON null', request: (c) => req(c, 'null', json), status: 400, path: 'body' },
    { name: 'body: a JSON string', request: (c) => req(c, '"text"', json), status: 400, path: 'body' },
    { name: 'body: a JSON number', request: (c) => req(c, '42', json), status: 400, path: 'body' },
    { name: 'body: an empty array', request: (c) => req(c, '[]', json), status: 400, path: 'body' },
    {
      name: 'body: an array holding the valid body',
      request: (c) => req(c, jsonText([route.base(c)]), json),
      status: 400,
      path: 'body',
    },
    {
      name: 'body: a 100 000-deep array',
      request: (c) => req(c, `${'['.repeat(100_000)}${']'.repeat(100_000)}`, json),
      status: 400,
      path: 'body',
    },
    { name: 'body: empty, with a JSON content type', request: (c) => req(c, '', json), status: 400 },
    {
      name: 'body: no body at all',
      request: (c) => ({ method: route.method, path: route.path(c), token: route.token }),
      status: 400,
    },
    {
      name: 'body: valid JSON sent as text/plain',
      request: (c) => req(c, jsonText(route.base(c)), { 'content-type': 'text/plain' }),
      status: 400,
      path: 'body',
    },
    {
      name: 'body: valid JSON without a content type',
      request: (c) => req(c, new TextEncoder().encode(jsonText(route.base(c))), {}),
      status: 400,
      path: 'body',
    },
    {
      name: 'body: form-urlencoded',
      request: (c) => req(c, 'name=x&number=1', { 'content-type': 'application/x-www-form-urlencoded' }),
      status: 400,
      path: 'body',
    },
    {
      name: 'body: an unknown charset',
      request: (c) => req(c, jsonText(route.base(c)), { 'content-type': 'application/json; charset=bogus-8' }),
      status: 400,
      path: 'body',
    },
    {
      name: 'body: declared UTF-16',
      request: (c) => req(c, jsonText(route.base(c)), { 'content-type': 'application/json; charset=utf-16' }),
      status: 400,
      path: 'body',
    },
    {
      name: 'body: an unknown content-encoding',
      request: (c) => req(c, jsonText(route.base(c)), { ...json, 'content-encoding': 'snappy' }),
      status: 400,
      path: 'body',
    },
    {
      name: 'body: corrupt gzip',
      request: (c) => req(c, 'this is not gzip', { ...json, 'content-encoding': 'gzip' }),
      status: 400,
      path: 'body',
    },
    {
      name: 'body: corrupt deflate',
      request: (c) => req(c, 'this is not deflate', { ...json, 'content-encoding': 'deflate' }),
      status: 400,
      path: 'body',
    },
    {
      name: 'body: corrupt brotli',
      request: (c) => req(c, 'this is not brotli', { ...json, 'content-encoding': 'br' }),
      status: 400,
      path: 'body',
    },
    {
      name: 'body: over 1 MB',
      request: (c) =>
        jsonRequest(route.method, route.path(c), { ...route.base(c), padding: 'y'.repeat(1_100_000) }, route.token),
      status: 413,
    },
    {
      name: 'unknown field "bogus"',
      request: (c) => jsonRequest(route.method, route.path(c), { ...route.base(c), bogus: 1 }, route.token),
      status: 400,
      path: 'bogus',
    },
    {
      name: 'unknown field "created_at"',
      request: (c) =>
        jsonRequest(route.method, route.path(c), { ...route.base(c), created_at: '2020-01-01' }, route.token),
      status: 400,
      path: 'created_at',
    },
    {
      name: 'unknown field "__proto__"',
      request: (c) => req(c, `${jsonText(route.base(c)).slice(0, -1)},"__proto__":{"x":1}}`, json),
      status: 400,
      path: '__proto__',
    },
    {
      name: 'unknown field "constructor"',
      request: (c) =>
        jsonRequest(
          route.method,
          route.path(c),
          { ...route.base(c), constructor: { prototype: { x: 1 } } },
          route.token,
        ),
      status: 400,
      path: 'constructor',
    },
    {
      name: 'unknown field with a deeply nested value',
      request: (c) => jsonRequest(route.method, route.path(c), { ...route.base(c), deep: nested(2000) }, route.token),
      status: 400,
      path: 'deep',
    },
    {
      name: `a field name in the wrong case (${upperName})`,
      request: (c) => jsonRequest(route.method, route.path(c), { ...route.base(c), [upperName]: 1 }, route.token),
      status: 400,
      path: upperName,
    },
  ];
  for (const c of cases) c.group = c.name.startsWith('body:') ? 'malformed bodies' : 'unknown fields';
  if (route.patch)
    cases.push({
      group: 'malformed bodies',
      name: 'an empty object',
      request: (c) => jsonRequest(route.method, route.path(c), {}, route.token),
      status: 400,
      path: 'body',
    });
  for (const required of route.required) {
    const field = typeof required === 'string' ? required : required.field;
    const path = typeof required === 'string' ? required : required.path;
    cases.push({
      group: 'missing required fields',
      name: `missing required ${field}`,
      request: (c) => {
        const body = { ...route.base(c) };
        delete body[field];
        return jsonRequest(route.method, route.path(c), body, route.token);
      },
      status: 400,
      path,
    });
  }
  for (const field of route.fields) {
    for (const bad of badValues(field)) {
      cases.push({
        group: `field ${field.name}`,
        name: `${field.name}: ${bad.label}`,
        request: (c) =>
          jsonRequest(
            route.method,
            route.path(c),
            withField(route.base(c), field.name, bad.value, field.omit),
            route.token,
          ),
        status: 400,
        path: `${field.name}${bad.sub ?? ''}`,
      });
    }
    // The last occurrence of a repeated key wins in JSON.parse: a bad value there must still be caught.
    cases.push({
      group: `field ${field.name}`,
      name: `${field.name}: repeated key, the last one malformed`,
      request: (c) => {
        const body = { ...route.base(c) };
        for (const key of field.omit ?? []) delete body[key];
        const open = jsonText(body).slice(0, -1);
        return req(c, `${open}${open === '{' ? '' : ','}${JSON.stringify(field.name)}:{"nested":[1,2,3]}}`, json);
      },
      status: 400,
      path: field.kind === 'guest' ? 'guest.nested' : field.name,
    });
  }
  return [...cases, ...route.rules];
}

// ---------------------------------------------------------------------------------------------------------
// Routes with a path id

interface PathRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  pattern: string;
  /** The path with `id` in place (already encoded as it must go on the wire). */
  path: (id: string) => string;
  token: string;
  /** The body sent with it (a valid one, so only the id is wrong). */
  body?: (c: Ctx) => Record<string, unknown>;
  param: string;
}

const PATH_ROUTES: readonly PathRoute[] = [
  {
    method: 'GET',
    pattern: '/api/properties/:id',
    path: (id) => `/api/properties/${id}`,
    token: API_TOKEN,
    param: 'id',
  },
  { method: 'GET', pattern: '/api/rooms/:id', path: (id) => `/api/rooms/${id}`, token: API_TOKEN, param: 'id' },
  ...BODY_ROUTES.filter((r) => r.pathWithId !== undefined).map((r): PathRoute => ({
    method: r.method,
    pattern: r.pattern,
    path: r.pathWithId as (id: string) => string,
    token: r.token,
    body: r.base,
    param: 'id',
  })),
  {
    method: 'GET',
    pattern: '/api/rooms/:id/rates',
    path: (id) => `/api/rooms/${id}/rates?from=2027-01-01&to=2027-01-05`,
    token: API_TOKEN,
    param: 'id',
  },
  {
    method: 'GET',
    pattern: '/api/properties/:id/restrictions',
    path: (id) => `/api/properties/${id}/restrictions?from=2027-01-01&to=2027-01-05`,
    token: API_TOKEN,
    param: 'id',
  },
  {
    method: 'GET',
    pattern: '/api/rooms/:id/maintenance',
    path: (id) => `/api/rooms/${id}/maintenance`,
    token: API_TOKEN,
    param: 'id',
  },
  {
    method: 'DELETE',
    pattern: '/api/maintenance/:id',
    path: (id) => `/api/maintenance/${id}`,
    token: API_TOKEN,
    param: 'id',
  },
  { method: 'GET', pattern: '/api/guests/:id', path: (id) => `/api/guests/${id}`, token: API_TOKEN, param: 'id' },
  {
    method: 'GET',
    pattern: '/api/reservations/:id',
    path: (id) => `/api/reservations/${id}`,
    token: API_TOKEN,
    param: 'id',
  },
  {
    method: 'DELETE',
    pattern: '/api/reservations/:id',
    path: (id) => `/api/reservations/${id}`,
    token: API_TOKEN,
    param: 'id',
  },
  {
    method: 'GET',
    pattern: '/api/admin/beds24/config/:property_id',
    path: (id) => `/api/admin/beds24/config/${id}`,
    token: ADMIN_TOKEN,
    param: 'property_id',
  },
  {
    method: 'POST',
    pattern: '/api/admin/beds24/jobs/:id/retry',
    path: (id) => `/api/admin/beds24/jobs/${id}/retry`,
    token: ADMIN_TOKEN,
    param: 'id',
  },
];

function pathRequest(route: PathRoute, c: Ctx, id: string): SweepRequest {
  const body = route.body?.(c);
  return body === undefined
    ? { method: route.method, path: route.path(id), token: route.token }
    : jsonRequest(route.method, route.path(id), body, route.token);
}

function pathCases(route: PathRoute): Case[] {
  const bad: Array<{ label: string; id: string; status: number; detail?: string }> = [
    { label: 'not a UUID', id: 'not-a-uuid', status: 400 },
    { label: 'a number', id: '123', status: 400 },
    { label: 'a SQL-ish string', id: encodeURIComponent(SQLISH), status: 400 },
    { label: 'a UUID without dashes', id: NONEXISTENT.replaceAll('-', ''), status: 400 },
    { label: 'a UUID with a suffix', id: `${NONEXISTENT}x`, status: 400 },
    { label: 'a UUID in braces', id: encodeURIComponent(`{${NONEXISTENT}}`), status: 400 },
    { label: 'unicode', id: encodeURIComponent('ümlaut-漢字-😀'), status: 400 },
    { label: 'a space', id: '%20', status: 400 },
    { label: 'an encoded NUL', id: '%00', status: 400 },
    { label: 'an encoded slash', id: `${NONEXISTENT.slice(0, 8)}%2F${NONEXISTENT.slice(9)}`, status: 400 },
    { label: '5000 characters', id: 'a'.repeat(5000), status: 400 },
    { label: 'a UUID that does not exist', id: NONEXISTENT, status: 404 },
    { label: 'the nil UUID', id: '00000000-0000-0000-0000-000000000000', status: 404 },
    { label: 'the max UUID', id: 'ffffffff-ffff-ffff-ffff-ffffffffffff', status: 404 },
    // Express refuses these before any route matches, so the detail can name the URL only, not the parameter.
    { label: 'a malformed percent-encoding "%"', id: '%', status: 400, detail: 'path' },
    { label: 'a truncated UTF-8 percent-encoding', id: '%E0%A4%A', status: 400, detail: 'path' },
  ];
  const cases: Case[] = bad.map((b) => ({
    group: 'path ids',
    name: `path ${route.param}: ${b.label}`,
    request: (c) => pathRequest(route, c, b.id),
    status: b.status,
    path: b.status === 400 ? (b.detail ?? route.param) : undefined,
  }));
  if (route.method === 'DELETE' || route.pattern.endsWith('/retry')) {
    const realId = (c: Ctx): string =>
      route.pattern === '/api/maintenance/:id'
        ? c.maintenanceId
        : route.pattern === '/api/reservations/:id'
          ? c.reservationA
          : c.resolvedFailureId;
    cases.push({
      group: 'path ids',
      name: 'a real id with a body that is not JSON',
      request: (c) => ({
        method: route.method,
        path: route.path(realId(c)),
        raw: '{"oops"',
        headers: { 'content-type': 'application/json' },
        token: route.token,
      }),
      status: 400,
      path: 'body',
    });
  }
  return cases;
}

// ---------------------------------------------------------------------------------------------------------
// Routes with a query

interface QueryRoute {
  pattern: string;
  path: (c: Ctx) => string;
  token: string;
  /** A query the route accepts, to which the bad parameters are added. */
  base: string;
  keys: readonly string[];
  paginated: boolean;
  extra: ReadonlyArray<{ label: string; query: (c: Ctx) => string; status: number | readonly number[]; path?: string }>;
}

const RESTRICTION_DAYS = 'from=2027-01-01&to=2027-01-05';
const cursorOf = (text: string): string => Buffer.from(text).toString('base64url');

const ofProperty = (c: Ctx): string => `property_id=${c.propertyId}`;

const QUERY_ROUTES: readonly QueryRoute[] = [
  {
    pattern: '/api/properties',
    path: () => '/api/properties',
    token: API_TOKEN,
    base: '',
    keys: ['limit', 'cursor'],
    paginated: true,
    extra: [],
  },
  {
    pattern: '/api/rooms',
    path: () => '/api/rooms',
    token: API_TOKEN,
    base: '',
    keys: ['property_id', 'limit', 'cursor'],
    paginated: true,
    extra: [
      { label: 'property_id not a UUID', query: () => 'property_id=abc', status: 400, path: 'property_id' },
      {
        label: 'property_id repeated',
        query: (c) => `property_id=${c.propertyId}&property_id=${c.otherPropertyId}`,
        status: 400,
        path: 'property_id',
      },
      {
        label: 'property_id SQL-ish',
        query: () => `property_id=${encodeURIComponent(SQLISH)}`,
        status: 400,
        path: 'property_id',
      },
      { label: 'property_id with bracket syntax', query: (c) => `property_id[]=${c.propertyId}`, status: 400 },
      { label: 'property_id as an object', query: (c) => `property_id[a]=${c.propertyId}`, status: 400 },
    ],
  },
  {
    pattern: '/api/rooms/:id/rates',
    path: (c) => `/api/rooms/${c.roomA}/rates`,
    token: API_TOKEN,
    base: 'from=2027-01-01&to=2027-01-05',
    keys: ['from', 'to'],
    paginated: false,
    extra: [
      { label: 'no from and no to', query: () => '', status: 400, path: 'from' },
      { label: 'no to', query: () => 'from=2027-01-01', status: 400, path: 'to' },
      { label: 'from 2027-02-30', query: () => 'from=2027-02-30&to=2027-03-05', status: 400, path: 'from' },
      { label: 'to with a time', query: () => 'from=2027-01-01&to=2027-01-05T00:00:00Z', status: 400, path: 'to' },
      { label: 'to before from', query: () => 'from=2027-01-05&to=2027-01-01', status: 400, path: 'to' },
      { label: 'a range of 731 nights', query: () => 'from=2027-01-01&to=2029-01-01', status: 400, path: 'to' },
      {
        label: 'from repeated',
        query: () => 'from=2027-01-01&from=2027-01-02&to=2027-01-05',
        status: 400,
        path: 'from',
      },
      { label: 'from empty', query: () => 'from=&to=2027-01-05', status: 400, path: 'from' },
      {
        label: 'a limit (not a list)',
        query: () => 'from=2027-01-01&to=2027-01-05&limit=5',
        status: 400,
        path: 'limit',
      },
    ],
  },
  {
    pattern: '/api/properties/:id/restrictions',
    path: (c) => `/api/properties/${c.propertyId}/restrictions`,
    token: API_TOKEN,
    base: 'from=2027-01-01&to=2027-01-05',
    keys: ['room_type', 'from', 'to'],
    paginated: false,
    extra: [
      { label: 'no from and no to', query: () => '', status: 400, path: 'from' },
      { label: 'no to', query: () => 'from=2027-01-01', status: 400, path: 'to' },
      { label: 'from 2027-02-30', query: () => 'from=2027-02-30&to=2027-03-05', status: 400, path: 'from' },
      { label: 'to before from', query: () => 'from=2027-01-05&to=2027-01-01', status: 400, path: 'to' },
      { label: 'a range of 731 nights', query: () => 'from=2027-01-01&to=2029-01-01', status: 400, path: 'to' },
      { label: 'room_type empty', query: () => `${RESTRICTION_DAYS}&room_type=`, status: 400, path: 'room_type' },
      {
        label: 'room_type repeated',
        query: () => `${RESTRICTION_DAYS}&room_type=double&room_type=double`,
        status: 400,
        path: 'room_type',
      },
      {
        label: 'a room type no room of the property has',
        query: () => `${RESTRICTION_DAYS}&room_type=penthouse`,
        status: 400,
        path: 'room_type',
      },
      {
        label: 'room_type SQL-ish',
        query: () => `${RESTRICTION_DAYS}&room_type=${encodeURIComponent(SQLISH)}`,
        status: 400,
        path: 'room_type',
      },
      { label: 'a limit (not a list)', query: () => `${RESTRICTION_DAYS}&limit=5`, status: 400, path: 'limit' },
    ],
  },
  {
    pattern: '/api/rooms/:id/maintenance',
    path: (c) => `/api/rooms/${c.roomB}/maintenance`,
    token: API_TOKEN,
    base: '',
    keys: ['limit', 'cursor'],
    paginated: true,
    extra: [],
  },
  {
    pattern: '/api/reservations',
    path: () => '/api/reservations',
    token: API_TOKEN,
    base: '',
    keys: ['property_id', 'room_id', 'from', 'to', 'status', 'limit', 'cursor'],
    paginated: true,
    extra: [
      { label: 'property_id not a UUID', query: () => 'property_id=1', status: 400, path: 'property_id' },
      { label: 'room_id SQL-ish', query: () => `room_id=${encodeURIComponent(SQLISH)}`, status: 400, path: 'room_id' },
      { label: 'from 2027-02-30', query: () => 'from=2027-02-30', status: 400, path: 'from' },
      { label: 'to with a time', query: () => 'to=2027-03-01T10:00:00', status: 400, path: 'to' },
      { label: 'to before from', query: () => 'from=2027-03-05&to=2027-03-01', status: 400, path: 'to' },
      { label: 'to equal to from', query: () => 'from=2027-03-05&to=2027-03-05', status: 400, path: 'to' },
      { label: 'status=a,b', query: () => 'status=a,b', status: 400, path: 'status' },
      { label: 'status=confirmed,pending', query: () => 'status=confirmed,pending', status: 400, path: 'status' },
      { label: 'status repeated', query: () => 'status=confirmed&status=pending', status: 400, path: 'status' },
      { label: 'status upper-case', query: () => 'status=CONFIRMED', status: 400, path: 'status' },
      { label: 'status empty', query: () => 'status=', status: 400, path: 'status' },
    ],
  },
  {
    pattern: '/api/admin/beds24/status',
    path: () => '/api/admin/beds24/status',
    token: ADMIN_TOKEN,
    base: '',
    keys: ['property_id'],
    paginated: false,
    extra: [
      { label: 'property_id not a UUID', query: () => 'property_id=abc', status: 400, path: 'property_id' },
      { label: 'property_id that does not exist', query: () => `property_id=${NONEXISTENT}`, status: [400, 404] },
      {
        label: 'property_id repeated',
        query: (c) => `property_id=${c.propertyId}&property_id=${c.propertyId}`,
        status: 400,
        path: 'property_id',
      },
      { label: 'property_id empty', query: () => 'property_id=', status: 400, path: 'property_id' },
      { label: 'a limit (not a list)', query: () => 'limit=5', status: 400, path: 'limit' },
    ],
  },
  {
    pattern: '/api/admin/beds24/jobs',
    path: () => '/api/admin/beds24/jobs',
    token: ADMIN_TOKEN,
    base: '',
    keys: ['state', 'property_id', 'limit', 'cursor'],
    paginated: true,
    extra: [
      { label: 'an unknown state', query: () => 'state=exploded', status: 400, path: 'state' },
      { label: 'state=failed,retrying', query: () => 'state=failed,retrying', status: 400, path: 'state' },
      { label: 'state repeated', query: () => 'state=failed&state=resolved', status: 400, path: 'state' },
      { label: 'state upper-case', query: () => 'state=FAILED', status: 400, path: 'state' },
      { label: 'property_id not a UUID', query: () => 'property_id=42', status: 400, path: 'property_id' },
    ],
  },
  {
    pattern: '/api/admin/beds24/calendar',
    path: () => '/api/admin/beds24/calendar',
    token: ADMIN_TOKEN,
    base: '',
    keys: ['property_id', 'from', 'to'],
    paginated: false,
    extra: [
      { label: 'property_id missing', query: () => 'from=2027-03-01', status: 400, path: 'property_id' },
      { label: 'property_id not a UUID', query: () => 'property_id=abc', status: 400, path: 'property_id' },
      { label: 'property_id that does not exist', query: () => `property_id=${NONEXISTENT}`, status: 404 },
      {
        label: 'property_id repeated',
        query: (c) => `${ofProperty(c)}&property_id=${c.propertyId}`,
        status: 400,
        path: 'property_id',
      },
      { label: 'from 2027-02-30', query: (c) => `${ofProperty(c)}&from=2027-02-30`, status: 400, path: 'from' },
      { label: 'to with a time', query: (c) => `${ofProperty(c)}&to=2027-03-01T10:00:00`, status: 400, path: 'to' },
      { label: 'to before from', query: (c) => `${ofProperty(c)}&from=2027-03-05&to=2027-03-01`, status: 400 },
      { label: '91 nights', query: (c) => `${ofProperty(c)}&from=2027-03-01&to=2027-05-30`, status: 400, path: 'to' },
      { label: 'to alone, in the past', query: (c) => `${ofProperty(c)}&to=2001-01-01`, status: 400, path: 'to' },
      { label: 'a limit (not a list)', query: (c) => `${ofProperty(c)}&limit=5`, status: 400, path: 'limit' },
    ],
  },
];

function queryCases(route: QueryRoute): Case[] {
  const withBase = (q: string): string => [route.base, q].filter((s) => s !== '').join('&');
  const request = (c: Ctx, q: string): SweepRequest => ({
    method: 'GET',
    path: q === '' ? route.path(c) : `${route.path(c)}?${q}`,
    token: route.token,
  });
  const cases: Case[] = [
    {
      name: 'query: an unknown parameter',
      request: (c) => request(c, withBase('bogus=1')),
      status: 400,
      path: 'bogus',
    },
    {
      name: 'query: a known parameter in upper case',
      request: (c) => request(c, withBase(`${(route.keys[0] ?? 'x').toUpperCase()}=1`)),
      status: 400,
    },
    { name: 'query: a parameter without a name', request: (c) => request(c, withBase('=1')), status: 400 },
    {
      name: 'query: a malformed percent-encoding',
      request: (c) => request(c, withBase('bogus=%E0%A4%A')),
      status: 400,
    },
  ];
  if (route.paginated) {
    const limits: Array<[string, string]> = [
      ['0', 'zero'],
      ['-1', 'negative'],
      ['501', 'over 500'],
      ['1.5', 'a fraction'],
      ['abc', 'not a number'],
      ['', 'empty'],
      ['NaN', 'NaN'],
      ['Infinity', 'Infinity'],
      ['1e400', 'a huge number'],
      ['99999999999999999999', 'twenty digits'],
      ['%E2%91%A0', 'a unicode digit'],
    ];
    for (const [value, label] of limits)
      cases.push({
        name: `query: limit ${label}`,
        request: (c) => request(c, withBase(`limit=${value}`)),
        status: 400,
        path: 'limit',
      });
    cases.push({
      name: 'query: limit repeated (?limit=1&limit=2)',
      request: (c) => request(c, withBase('limit=1&limit=2')),
      status: 400,
      path: 'limit',
    });
    cases.push({
      name: 'query: limit with bracket syntax',
      request: (c) => request(c, withBase('limit[]=1')),
      status: 400,
    });
    const cursors: Array<{ label: string; value: string }> = [
      { label: 'empty', value: '' },
      { label: 'not a cursor', value: 'not-a-cursor' },
      { label: 'over 200 characters', value: 'a'.repeat(201) },
      { label: 'a cursor with a bad id', value: cursorOf('2027-01-01T00:00:00.000Z|not-a-uuid') },
      { label: 'a cursor with a bad date', value: cursorOf(`yesterday|${NONEXISTENT}`) },
      { label: 'a cursor without a separator', value: cursorOf('2027-01-01T00:00:00.000Z') },
      { label: 'a SQL-ish cursor', value: cursorOf(`${SQLISH}|${NONEXISTENT}`) },
      { label: 'a cursor whose date is "0"', value: cursorOf(`0|${NONEXISTENT}`) },
      { label: 'a cursor whose date is year +275760', value: cursorOf(`+275760-09-13T00:00:00.000Z|${NONEXISTENT}`) },
    ];
    for (const cur of cursors) {
      cases.push({
        name: `query: cursor ${cur.label}`,
        request: (c) => request(c, withBase(`cursor=${cur.value}`)),
        status: 400,
        path: 'cursor',
      });
    }
    cases.push({
      name: 'query: cursor repeated',
      request: (c) => request(c, withBase(`cursor=${cursorOf(`2027-01-01T00:00:00.000Z|${NONEXISTENT}`)}&cursor=x`)),
      status: 400,
      path: 'cursor',
    });
  }
  for (const extra of route.extra)
    cases.push({
      name: `query: ${extra.label}`,
      request: (c) => request(c, extra.query(c)),
      status: extra.status,
      path: extra.path,
    });
  for (const c of cases) c.group = 'query strings';
  return cases;
}

// ---------------------------------------------------------------------------------------------------------
// Fixed cases

describe('fixed malformed inputs', () => {
  it('(self-check) the database watch notices a change in a PMS table and in an outbox table', async () => {
    const db = ctx.world.database.db;
    const rejected = { status: 400, body: undefined, text: '' };
    await db('guests').insert({ first_name: 'Watch', last_name: 'Dog' });
    expect(await watch.observe(rejected, 'self-check')).toMatch(/guests/);
    await db('beds24_pending_changes').insert({
      property_id: ctx.propertyId,
      kind: 'rates',
      entity_id: 'watch-self-check',
    });
    expect(await watch.observe(rejected, 'self-check')).toMatch(/beds24_pending_changes/);
    await db('beds24_pending_changes').where({ entity_id: 'watch-self-check' }).delete();
    await db('guests').where({ first_name: 'Watch', last_name: 'Dog' }).delete();
    await watch.reset();
  });

  for (const route of BODY_ROUTES) describe(`${route.method} ${route.pattern} (body)`, () => declare(bodyCases(route)));
  for (const route of PATH_ROUTES)
    describe(`${route.method} ${route.pattern} (path id)`, () => declare(pathCases(route)));
  for (const route of QUERY_ROUTES) describe(`GET ${route.pattern} (query)`, () => declare(queryCases(route)));

  describe('retrying a job', () => {
    declare([
      {
        name: 'a job that is not failed (already resolved)',
        request: (c) => ({
          method: 'POST',
          path: `/api/admin/beds24/jobs/${c.resolvedFailureId}/retry`,
          token: ADMIN_TOKEN,
        }),
        status: 409,
      },
    ]);
  });

  describe('admin config with an invite code already redeemed elsewhere', () => {
    it('answers 400 naming invite_code and changes nothing', async () => {
      const code = await redeemedInviteCode(ctx);
      await runCase({
        name: 'a redeemed invite code',
        request: (c) => configPut(c, { invite_code: code }),
        status: 400,
        path: 'invite_code',
      });
    });
  });
});

// ---------------------------------------------------------------------------------------------------------
// Property-based: fast-check

/** Strings over all of Unicode, NUL included. */
const anyString = fc.string({ unit: 'binary', maxLength: 40 });
const dateLike = fc.oneof(
  fc
    .date({ min: new Date('0100-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
  fc
    .tuple(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }))
    .map(([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
  fc.constantFrom('2027-02-30', '2027-03-01T00:00:00Z', '2027-3-1', ''),
);
const numberLike = fc.oneof(
  fc.integer(),
  fc.integer({ min: -5, max: 120 }),
  fc.double(),
  fc.constantFrom(0, -0, 1, 99, 100, 2_147_483_647, 2_147_483_648, 99_999_999.99, 1e308, Number.MAX_SAFE_INTEGER),
  fc.integer().map(String),
  fc.constantFrom('NaN', 'Infinity', '-1', '1e3', '0x10', ' 5 '),
);

function idPool(c: Ctx): string[] {
  return [
    c.propertyId,
    c.otherPropertyId,
    c.roomA,
    c.roomB,
    c.inactiveRoom,
    c.otherRoom,
    c.guestId,
    c.reservationA,
    c.reservationB,
    c.maintenanceId,
    NONEXISTENT,
  ];
}

function fieldValue(c: Ctx): fc.Arbitrary<unknown> {
  return fc.oneof(
    { arbitrary: fc.anything({ stringUnit: 'grapheme', maxDepth: 3 }), weight: 3 },
    { arbitrary: anyString, weight: 2 },
    { arbitrary: numberLike, weight: 3 },
    { arbitrary: dateLike, weight: 3 },
    { arbitrary: fc.constantFrom(...idPool(c)), weight: 3 },
    { arbitrary: fc.uuid(), weight: 1 },
    {
      arbitrary: fc.constantFrom(
        ...RESERVATION_STATUSES,
        ...SOURCES,
        'active',
        'inactive',
        'clean',
        'dirty',
        'out_of_order',
        'UTC',
        'Europe/Berlin',
        'EUR',
        'DE',
        'en',
      ),
      weight: 2,
    },
    { arbitrary: fc.constantFrom(true, false, null), weight: 2 },
    { arbitrary: fc.record({ first_name: anyString, last_name: anyString }, { requiredKeys: [] }), weight: 1 },
  );
}

/** Values of the field's own type and range, so combinations reach the rules and the database (409s, 2xx). */
function plausible(field: FieldSpec, c: Ctx): fc.Arbitrary<unknown> {
  const date = fc
    .integer({ min: -30, max: 1200 })
    .map((n) => new Date(Date.UTC(2027, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));
  switch (field.kind) {
    case 'uuid':
      return fc.constantFrom(...idPool(c));
    case 'date':
      return date;
    case 'money':
      return fc.integer({ min: 0, max: 100_000 }).map((cents) => cents / 100);
    case 'count':
      return fc.integer({ min: 0, max: 6 });
    case 'nights':
      return fc.integer({ min: 0, max: (field.max ?? 365) + 1 });
    case 'beds24id':
      return fc.oneof(
        fc.constantFrom(c.beds24PropertyId, 1, 12, ...c.world.beds24RoomIds),
        fc.integer({ min: 1, max: 2_147_483_647 }),
      );
    case 'text':
    case 'optionalText':
      return fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 });
    case 'enum':
      return fc.constantFrom(...(field.values ?? ['x']));
    case 'bool':
      return fc.boolean();
    case 'email':
      return fc.emailAddress();
    case 'alpha2':
      return fc.constantFrom('DE', 'fr', 'en', 'US');
    case 'timezone':
      return fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kathmandu');
    case 'currency':
      return fc.constantFrom('EUR', 'usd', 'JPY', 'CHF');
    case 'secret':
      return fc.string({ minLength: 1, maxLength: 60 });
    case 'guest':
      return fc.record({
        first_name: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 10 }),
        last_name: fc.constant('Sweep'),
        email: fc.option(fc.emailAddress()),
      });
  }
}

function bodyArbitrary(route: BodyRoute, c: Ctx): fc.Arbitrary<string> {
  const names = route.fields.map((f) => f.name);
  const value = fieldValue(c);
  const base = route.base(c);
  // The valid body with a few fields set to arbitrary or plausible values, a few dropped, maybe one unknown added.
  const replacement = fc
    .constantFrom(...route.fields)
    .chain((field) =>
      fc.tuple(
        fc.constant(field.name),
        fc.oneof({ arbitrary: value, weight: 1 }, { arbitrary: plausible(field, c), weight: 2 }),
      ),
    );
  const mutated = fc
    .tuple(
      fc.array(replacement, { minLength: 1, maxLength: 3 }),
      fc.subarray(Object.keys(base), { maxLength: Math.min(2, Object.keys(base).length) }),
      fc.option(fc.tuple(anyString, value), { freq: 4 }),
    )
    .map(([replace, drop, extra]) => {
      const body: Record<string, unknown> = { ...base };
      for (const [name, v] of replace) body[name] = v;
      for (const key of drop) delete body[key];
      if (extra !== null) body[extra[0]] = extra[1];
      return body;
    });
  const record = fc.record(Object.fromEntries(names.map((n) => [n, value])), { requiredKeys: [] });
  return fc.oneof(
    fc.anything({ stringUnit: 'grapheme' }).map((v) => JSON.stringify(v) ?? ''),
    fc.object({ stringUnit: 'grapheme' }).map((v) => JSON.stringify(v)),
    record.map((v) => JSON.stringify(v)),
    { arbitrary: mutated.map((v) => JSON.stringify(v)), weight: 4 },
    anyString,
  );
}

function pathIdArbitrary(): fc.Arbitrary<string> {
  return fc
    .oneof(
      fc.string({ unit: 'grapheme', maxLength: 50 }),
      fc.string({ unit: 'binary-ascii', maxLength: 50 }),
      fc.uuid(),
      fc.uuid().map((u) => u.toUpperCase()),
      fc.integer().map(String),
      fc.constantFrom(SQLISH, `${NONEXISTENT} `, `{${NONEXISTENT}}`),
    )
    .map((s) => encodeURIComponent(s.toWellFormed()))
    .filter((s) => s !== '' && s !== '.' && s !== '..');
}

function queryArbitrary(keys: readonly string[], c: Ctx): fc.Arbitrary<string> {
  const key = fc.oneof(
    { arbitrary: fc.constantFrom(...keys, 'limit', 'cursor', 'state', 'status'), weight: 4 },
    anyString,
  );
  const value = fc.oneof(
    anyString,
    numberLike.map(String),
    dateLike,
    fc.constantFrom(...idPool(c)),
    fc.constantFrom(...RESERVATION_STATUSES, 'failed', 'retrying', 'resolved', 'a,b'),
    fc.base64String({ maxLength: 80 }).map((s) => s.replaceAll('+', '-').replaceAll('/', '_').replaceAll('=', '')),
    // Cursors that decode: a plausible timestamp, or any text that JS Date.parse refuses.
    fc
      .tuple(
        fc.oneof(
          fc
            .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })
            .map((d) => d.toISOString()),
          anyString.filter((d) => Number.isNaN(Date.parse(d))),
        ),
        fc.uuid(),
      )
      .map(([d, u]) => cursorOf(`${d}|${u}`)),
  );
  return fc.array(fc.tuple(key, value), { maxLength: 4 }).map((pairs) => new URLSearchParams(pairs).toString());
}

async function check(req: SweepRequest): Promise<void> {
  fcRuns += 1;
  const res = await send(ctx.baseUrl, req);
  fcStatuses.set(res.status, (fcStatuses.get(res.status) ?? 0) + 1);
  const label = `${req.method} ${req.path.slice(0, 200)} body=${typeof req.raw === 'string' ? req.raw.slice(0, 200) : ''}`;
  expectNoServerError(res, label);
  await watch.expectUnchangedIfRejected(res, label);
}

const BODY_RUNS = 40;
const QUERY_RUNS = 40;
const PATH_RUNS = 25;

describe('fast-check', () => {
  // Whatever the fixed cases accepted is the starting point: each property below checks only its own requests.
  beforeAll(async () => {
    await watch.reset();
  });

  for (const route of BODY_ROUTES) {
    it(`${route.method} ${route.pattern}: arbitrary JSON bodies never get a 5xx, and a rejection changes nothing`, async () => {
      await fc.assert(
        fc.asyncProperty(bodyArbitrary(route, ctx), async (raw) => {
          await check({
            method: route.method,
            path: route.path(ctx),
            raw,
            headers: { 'content-type': 'application/json' },
            token: route.token,
          });
        }),
        { numRuns: BODY_RUNS },
      );
    });
  }

  for (const route of QUERY_ROUTES) {
    it(`GET ${route.pattern}: arbitrary query strings never get a 5xx`, async () => {
      await fc.assert(
        fc.asyncProperty(queryArbitrary(route.keys, ctx), async (query) => {
          await check({
            method: 'GET',
            path: query === '' ? route.path(ctx) : `${route.path(ctx)}?${query}`,
            token: route.token,
          });
        }),
        { numRuns: QUERY_RUNS },
      );
    });
  }

  for (const route of PATH_ROUTES) {
    it(`${route.method} ${route.pattern}: arbitrary path ids never get a 5xx, and a rejection changes nothing`, async () => {
      await fc.assert(
        fc.asyncProperty(pathIdArbitrary(), async (id) => {
          await check(pathRequest(route, ctx, id));
        }),
        { numRuns: PATH_RUNS },
      );
    });
  }
});

// ---------------------------------------------------------------------------------------------------------
// The Beds24 webhook route: its own token (header or query), lenient on extra fields, never a bearer token

const WEBHOOK_PATH = '/webhooks/beds24';

function webhookRequest(
  raw: string | Uint8Array,
  {
    headers = { 'content-type': 'application/json' },
    token = WEBHOOK_TOKEN,
  }: { headers?: Record<string, string>; token?: string | null } = {},
): SweepRequest {
  const auth: Record<string, string> = token === null ? {} : { 'x-webhook-token': token };
  return { method: 'POST', path: WEBHOOK_PATH, raw, headers: { ...headers, ...auth }, token: null };
}

function validWebhook(c: Ctx): { booking: Record<string, unknown> } {
  return {
    booking: {
      id: 6001,
      propertyId: c.beds24PropertyId,
      roomId: c.world.beds24RoomIds[0],
      status: 'new',
      arrival: '2027-05-01',
      departure: '2027-05-03',
      modifiedTime: '2027-04-01T10:00:00',
    },
  };
}

const inboxRows = async (): Promise<number> =>
  Number((await ctx.world.database.db('beds24_webhook_inbox').count({ n: '*' }).first())?.n);

function webhookCases(): Case[] {
  const withBooking = (c: Ctx, field: string, value: unknown): string =>
    jsonText({ booking: { ...validWebhook(c).booking, [field]: value } });
  const cases: Case[] = [
    { name: 'no token', request: (c) => webhookRequest(jsonText(validWebhook(c)), { token: null }), status: 401 },
    {
      name: 'a wrong token',
      request: (c) => webhookRequest(jsonText(validWebhook(c)), { token: 'x'.repeat(30) }),
      status: 401,
    },
    {
      name: 'the token with its last character changed',
      request: (c) => webhookRequest(jsonText(validWebhook(c)), { token: `${WEBHOOK_TOKEN.slice(0, -1)}!` }),
      status: 401,
    },
    {
      name: 'the token in upper case',
      request: (c) => webhookRequest(jsonText(validWebhook(c)), { token: WEBHOOK_TOKEN.toUpperCase() }),
      status: 401,
    },
    {
      name: 'the admin bearer token instead',
      request: (c) => ({ ...webhookRequest(jsonText(validWebhook(c)), { token: null }), token: ADMIN_TOKEN }),
      status: 401,
    },
    {
      name: 'a wrong token in the query',
      request: (c) => ({
        ...webhookRequest(jsonText(validWebhook(c)), { token: null }),
        path: `${WEBHOOK_PATH}?token=nope-nope-nope-nope`,
      }),
      status: 401,
    },
    {
      name: 'the token twice in the query',
      request: (c) => ({
        ...webhookRequest(jsonText(validWebhook(c)), { token: null }),
        path: `${WEBHOOK_PATH}?token=${WEBHOOK_TOKEN}&token=${WEBHOOK_TOKEN}`,
      }),
      status: 401,
    },
    {
      name: 'a wrong token with 2 MB of body',
      request: () => webhookRequest('x'.repeat(2_000_000), { token: 'wrong-wrong-wrong-wrong' }),
      status: 401,
    },
    { name: 'body: not JSON', request: () => webhookRequest('{"booking": '), status: 400, path: 'body' },
    { name: 'body: JSON null', request: () => webhookRequest('null'), status: 400, path: 'body' },
    { name: 'body: a JSON string', request: () => webhookRequest('"text"'), status: 400, path: 'body' },
    { name: 'body: a JSON number', request: () => webhookRequest('42'), status: 400, path: 'body' },
    {
      name: 'body: an array holding a valid body',
      request: (c) => webhookRequest(jsonText([validWebhook(c)])),
      status: 400,
      path: 'body',
    },
    {
      name: 'body: a 100 000-deep array',
      request: () => webhookRequest(`${'['.repeat(100_000)}${']'.repeat(100_000)}`),
      status: 400,
      path: 'body',
    },
    { name: 'body: empty', request: () => webhookRequest(''), status: 400 },
    {
      name: 'body: form-urlencoded',
      request: () =>
        webhookRequest('bookid=1&status=new', { headers: { 'content-type': 'application/x-www-form-urlencoded' } }),
      status: 400,
      path: 'body',
    },
    {
      name: 'body: an unknown charset',
      request: (c) =>
        webhookRequest(jsonText(validWebhook(c)), { headers: { 'content-type': 'application/json; charset=bogus-8' } }),
      status: 400,
      path: 'body',
    },
    {
      name: 'body: corrupt gzip',
      request: () =>
        webhookRequest('not gzip', { headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } }),
      status: 400,
      path: 'body',
    },
    { name: 'body: an empty object', request: () => webhookRequest('{}'), status: 400, path: 'booking' },
    {
      name: 'body: over 1 MB',
      request: (c) => webhookRequest(jsonText({ ...validWebhook(c), padding: 'y'.repeat(1_100_000) })),
      status: 413,
    },
    { name: 'booking: a string', request: () => webhookRequest('{"booking": "6001"}'), status: 400, path: 'booking' },
    {
      name: 'booking: a deeply nested object',
      request: () => webhookRequest(jsonText({ booking: nested(300) })),
      status: 400,
    },
    {
      name: 'inventory: another action',
      request: () => webhookRequest('{"roomId": 1, "propId": 2, "action": "DELETE"}'),
      status: 400,
      path: 'action',
    },
    {
      name: 'inventory: no propId',
      request: () => webhookRequest('{"roomId": 1, "action": "SYNC_ROOM"}'),
      status: 400,
      path: 'propId',
    },
    {
      name: 'inventory: roomId as text',
      request: () => webhookRequest('{"roomId": "1", "propId": 2, "action": "SYNC_ROOM"}'),
      status: 400,
      path: 'roomId',
    },
  ];
  for (const field of ['id', 'propertyId', 'roomId']) {
    for (const bad of badValues({ name: field, kind: 'beds24id' })) {
      cases.push({
        name: `booking.${field}: ${bad.label}`,
        request: (c) => webhookRequest(withBooking(c, field, bad.value)),
        status: 400,
        path: `booking.${field}`,
        group: `booking.${field}`,
      });
    }
  }
  for (const field of ['arrival', 'departure']) {
    for (const bad of badValues({ name: field, kind: 'date' })) {
      cases.push({
        name: `booking.${field}: ${bad.label}`,
        request: (c) => webhookRequest(withBooking(c, field, bad.value)),
        status: 400,
        path: `booking.${field}`,
        group: `booking.${field}`,
      });
    }
  }
  for (const [label, value] of [
    ['a number', 1],
    ['null', null],
    ['an empty string', ''],
    ['41 characters', 'x'.repeat(41)],
    ['an array', ['new']],
  ] as const) {
    cases.push({
      name: `booking.status: ${label}`,
      request: (c) => webhookRequest(withBooking(c, 'status', value)),
      status: 400,
      path: 'booking.status',
      group: 'booking.status',
    });
  }
  for (const [label, value] of [
    ['a word', 'yesterday'],
    ['a date only', '2027-04-01'],
    ['month 13', '2027-13-01T10:00:00'],
    ['a number', 1_800_000_000],
    ['null', null],
    ['an empty string', ''],
  ] as const) {
    cases.push({
      name: `booking.modifiedTime: ${label}`,
      request: (c) => webhookRequest(withBooking(c, 'modifiedTime', value)),
      status: 400,
      path: 'booking.modifiedTime',
      group: 'booking.modifiedTime',
    });
  }
  return cases;
}

describe('POST /webhooks/beds24 (webhook token)', () => {
  const groups = Map.groupBy(webhookCases(), (c) => c.group ?? 'rules');
  for (const [group, members] of groups) {
    it(`${group} (${members.length} cases): the contract's 4xx, nothing stored`, async () => {
      const failures: string[] = [];
      for (const c of members) {
        try {
          const before = await inboxRows();
          await runCase(c);
          expect(await inboxRows(), `${c.name}: the inbox`).toBe(before);
        } catch (error) {
          failures.push(`${c.name}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      expect(failures, failures.join('\n\n')).toEqual([]);
    });
  }

  it('accepts the valid delivery (lenient on extra fields), with the token in the header or the query', async () => {
    // A delivery is stored only for a property whose pulls are on; the fast-check sweep of the config route
    // may have switched them off with a body it accepted.
    await ctx.world.database
      .db('beds24_config')
      .where({ property_id: ctx.propertyId })
      .update({ sync_enabled: true, pull_sync_enabled: true });
    const before = await inboxRows();
    const body = jsonText({ ...validWebhook(ctx), infoItems: [], extra: { anything: true } });
    expect((await send(ctx.baseUrl, webhookRequest(body))).status).toBe(202);
    const query = { ...webhookRequest(body, { token: null }), path: `${WEBHOOK_PATH}?token=${WEBHOOK_TOKEN}` };
    expect((await send(ctx.baseUrl, query)).status).toBe(202);
    expect(await inboxRows()).toBe(before + 2);
  });

  it('arbitrary bodies with the valid token never get a 5xx, and a rejection stores nothing', async () => {
    await watch.reset();
    const value = fc.oneof(fc.anything({ maxDepth: 2 }), numberLike, dateLike, anyString);
    const bookingField = fc.constantFrom(
      'id',
      'propertyId',
      'roomId',
      'status',
      'arrival',
      'departure',
      'modifiedTime',
    );
    const body = fc.oneof(
      fc.anything({ stringUnit: 'grapheme' }).map((v) => JSON.stringify(v) ?? ''),
      fc
        .array(fc.tuple(bookingField, value), { minLength: 1, maxLength: 3 })
        .map((pairs) => jsonText({ booking: { ...validWebhook(ctx).booking, ...Object.fromEntries(pairs) } })),
      fc
        .record(
          { roomId: value, propId: value, action: fc.oneof(value, fc.constant('SYNC_ROOM')) },
          { requiredKeys: [] },
        )
        .map((v) => jsonText(v)),
    );
    await fc.assert(
      fc.asyncProperty(body, async (raw) => {
        const before = await inboxRows();
        const res = await send(ctx.baseUrl, webhookRequest(raw));
        fcRuns += 1;
        fcStatuses.set(res.status, (fcStatuses.get(res.status) ?? 0) + 1);
        expectNoServerError(res, `POST ${WEBHOOK_PATH} body=${raw.slice(0, 200)}`);
        if (res.status !== 202) expect(await inboxRows()).toBe(before);
        await watch.expectUnchangedIfRejected(res, `POST ${WEBHOOK_PATH}`);
      }),
      { numRuns: BODY_RUNS },
    );
  });
});
