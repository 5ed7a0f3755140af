import { requestBodyItemProperties, validateRequestBodyItem } from './openapi/openapi_schemas.ts';
import { addDays } from './dates.ts';
import { itemResult, type ItemIssue, type ItemResult } from './api_answers.ts';
import type { BookingChange, ChangeSource } from './booking_change.ts';
import {
  BLOCKING_STATUSES,
  blockingUnits,
  footprintOf,
  roomQtyOf,
  sellableUnits,
  unitsOn,
  type Footprint,
} from './inventory_model.ts';
import type { SandboxState } from './sandbox_state.ts';
import type { Booking, BookingStatus, InfoItem, InvoiceItem, Room } from './sandbox_model.ts';
import { formatTimestamp } from './sandbox_time.ts';

export { BLOCKING_STATUSES };

/** Fields with their own column in the store; every other accepted field goes to `Booking.fields`. */
const CORE_FIELDS = new Set(['id', 'actions', 'roomId', 'status', 'arrival', 'departure', 'infoItems', 'invoiceItems']);

/** Read-only fields of a channel booking that only the admin API may set, to imitate OTA bookings. */
const ADMIN_EXTRA_FIELDS = ['apiReference', 'channel', 'apiSource', 'apiSourceId', 'referer', 'reference', 'subStatus'];

/** Fields whose change, made through the API with `actions.allowWebhooks`, fires a booking webhook (spec). */
const AVAILABILITY_FIELDS = ['status', 'arrival', 'departure', 'roomId', 'unitId', 'roomQty'] as const;

/** The guest's personal data: left out of a booking webhook unless its version is `twoWithPersonalData`. */
export const PERSONAL_FIELDS = [
  'title',
  'firstName',
  'lastName',
  'email',
  'phone',
  'mobile',
  'fax',
  'company',
  'address',
  'city',
  'state',
  'postcode',
] as const;

/** String fields a booking read always carries, empty when never set. */
const STRING_DEFAULTS = [
  ...PERSONAL_FIELDS,
  'country',
  'country2',
  'arrivalTime',
  'voucher',
  'comments',
  'notes',
  'message',
  'groupNote',
  'custom1',
  'custom2',
  'custom3',
  'custom4',
  'custom5',
  'custom6',
  'custom7',
  'custom8',
  'custom9',
  'custom10',
  'flagColor',
  'flagText',
  'lang',
  'referer',
  'refererEditable',
  'reference',
  'apiReference',
  'rateDescription',
  'apiMessage',
];

export interface WriteBookingsOptions {
  /** The `/_sandbox` path: may also set channel-only fields such as `apiReference`. */
  admin?: boolean;
  /**
   * Admin only: refuse a booking when a night it takes has an effective numAvail (per the account's
   * inventory model) below its units, or is a blackout, like an OTA that only sells published inventory.
   * An item may also carry `respectAvailability: true` itself.
   */
  respectAvailability?: boolean;
}

type Fields = Record<string, unknown>;

/** Per request: the first created item with `actions.makeGroup` becomes the master of the later ones. */
interface GroupContext {
  masterId?: number;
}

let postableFields: Set<string> | undefined;

function acceptedFields(admin: boolean): Set<string> {
  postableFields ??= requestBodyItemProperties('POST', '/bookings');
  return admin ? new Set([...postableFields, ...ADMIN_EXTRA_FIELDS]) : postableFields;
}

export function writeBookings(
  state: SandboxState,
  accountId: number,
  items: unknown[],
  options: WriteBookingsOptions = {},
): ItemResult[] {
  const group: GroupContext = {};
  return items.map((item) => writeBooking(state, accountId, item, options, group));
}

function writeBooking(
  state: SandboxState,
  accountId: number,
  raw: unknown,
  options: WriteBookingsOptions,
  group: GroupContext,
): ItemResult {
  if (!isPlainObject(raw)) return failure('new booking', '', 'each booking must be a JSON object');
  const admin = options.admin === true;
  const isUpdate = raw.id !== undefined;
  const action = isUpdate ? 'modify booking' : 'new booking';
  let item: Fields = raw;
  let respectAvailability = admin && options.respectAvailability === true;
  if (admin && 'respectAvailability' in raw) {
    const { respectAvailability: flag, ...rest } = raw;
    if (typeof flag !== 'boolean') {
      return failure(action, 'respectAvailability', 'respectAvailability must be true or false');
    }
    respectAvailability = flag;
    item = rest;
  }
  const check = validateRequestBodyItem('POST', '/bookings', item);
  if (!check.ok)
    return itemResult(false, { errors: check.errors.map((e) => ({ action, field: e.path, message: e.message })) });
  const accepted = acceptedFields(admin);
  const warnings: ItemIssue[] = Object.keys(item)
    .filter((key) => !accepted.has(key))
    .map((key) => ({ action, field: key, message: `${key} is not a writable booking field and was ignored` }));
  const input: Fields = Object.fromEntries(Object.entries(item).filter(([key]) => accepted.has(key)));
  const write: ItemWrite = { state, accountId, input, warnings, source: admin ? 'admin' : 'api', respectAvailability };
  return isUpdate ? updateBooking(write) : createBooking(write, group);
}

interface ItemWrite {
  state: SandboxState;
  accountId: number;
  input: Fields;
  warnings: ItemIssue[];
  source: ChangeSource;
  respectAvailability: boolean;
}

function createBooking(write: ItemWrite, group: GroupContext): ItemResult {
  const { state, accountId, input, warnings } = write;
  const action = 'new booking';
  const roomId = input.roomId as number;
  const room = state.roomOf(accountId, roomId);
  if (room === undefined) return failure(action, 'roomId', `room ${roomId} does not exist in this account`);
  const arrival = input.arrival as string;
  const departure = input.departure as string;
  if (arrival >= departure) return failure(action, 'departure', 'departure must be after arrival');
  const status = (input.status as BookingStatus | undefined) ?? 'confirmed';
  const roomQty = typeof input.roomQty === 'number' ? input.roomQty : 1;
  if (roomQty < 1) return failure(action, 'roomQty', 'roomQty must be 1 or more');
  const masterError = checkMasterId(state, accountId, input, undefined);
  if (masterError !== undefined) return failure(action, 'masterId', masterError);
  const actions = isPlainObject(input.actions) ? input.actions : {};
  if (actions.checkAvailability === true && BLOCKING_STATUSES.has(status)) {
    const fullNight = firstFullNight(state, room, arrival, departure, roomQty, undefined);
    if (fullNight !== undefined)
      return failure(action, 'roomId', `booking not saved: room ${room.id} has no availability on ${fullNight}`);
  }
  const wanted: Footprint = { roomId: room.id, arrival, departure, units: roomQty };
  if (write.respectAvailability && BLOCKING_STATUSES.has(status)) {
    const night = firstUnsellableNight(state, room, null, wanted, undefined);
    if (night !== undefined) return noAvailability(action, room, night);
  }
  const now = formatTimestamp(state.now());
  const booking: Booking = {
    id: state.nextBookingId(),
    accountId,
    propertyId: room.propertyId,
    roomId: room.id,
    status,
    arrival,
    departure,
    bookingTime: now,
    modifiedTime: now,
    cancelTime: status === 'cancelled' ? now : null,
    fields: {},
    infoItems: [],
    invoiceItems: [],
  };
  copyFields(booking, input);
  if (actions.makeGroup === true) {
    group.masterId ??= booking.id;
    booking.fields.masterId = group.masterId;
  }
  const itemErrors = applySubItems(state, booking, input, now, action);
  state.bookings.set(booking.id, booking);
  state.changed();
  state.bookingChanged({
    kind: 'created',
    accountId,
    booking,
    before: null,
    after: footprintOf(booking),
    source: write.source,
    allowWebhooks: actions.allowWebhooks === true,
    availabilityFieldsChanged: true,
  });
  return itemResult(itemErrors.length === 0, { new: bookingView(booking, FULL_VIEW), errors: itemErrors, warnings });
}

function updateBooking(write: ItemWrite): ItemResult {
  const { state, accountId, input, warnings } = write;
  const action = 'modify booking';
  const id = input.id as number;
  const booking = state.bookings.get(id);
  if (booking === undefined || booking.accountId !== accountId)
    return failure(action, 'id', `booking ${id} does not exist in this account`);
  const roomId = (input.roomId as number | undefined) ?? booking.roomId;
  const room = state.roomOf(accountId, roomId);
  if (room === undefined) return failure(action, 'roomId', `room ${roomId} does not exist in this account`);
  const arrival = (input.arrival as string | undefined) ?? booking.arrival;
  const departure = (input.departure as string | undefined) ?? booking.departure;
  if (arrival >= departure) return failure(action, 'departure', 'departure must be after arrival');
  if (typeof input.roomQty === 'number' && input.roomQty < 1) {
    return failure(action, 'roomQty', 'roomQty must be 1 or more');
  }
  const masterError = checkMasterId(state, accountId, input, booking.id);
  if (masterError !== undefined) return failure(action, 'masterId', masterError);
  const status = (input.status as BookingStatus | undefined) ?? booking.status;
  const before = footprintOf(booking);
  const previous = availabilityValues(booking);
  const units = typeof input.roomQty === 'number' ? input.roomQty : roomQtyOf(booking);
  const wanted: Footprint | null = BLOCKING_STATUSES.has(status)
    ? { roomId: room.id, arrival, departure, units }
    : null;
  if (write.respectAvailability && wanted !== null) {
    const night = firstUnsellableNight(state, room, before, wanted, booking);
    if (night !== undefined) return noAvailability(action, room, night);
  }
  const now = formatTimestamp(state.now());
  if (status === 'cancelled' && booking.status !== 'cancelled') booking.cancelTime = now;
  if (status !== 'cancelled') booking.cancelTime = null;
  booking.status = status;
  booking.roomId = room.id;
  booking.propertyId = room.propertyId;
  booking.arrival = arrival;
  booking.departure = departure;
  booking.modifiedTime = now;
  copyFields(booking, input);
  const itemErrors = applySubItems(state, booking, input, now, action);
  state.changed();
  const actions = isPlainObject(input.actions) ? input.actions : {};
  state.bookingChanged({
    kind: 'modified',
    accountId,
    booking,
    before,
    after: footprintOf(booking),
    source: write.source,
    allowWebhooks: actions.allowWebhooks === true,
    availabilityFieldsChanged: JSON.stringify(availabilityValues(booking)) !== JSON.stringify(previous),
  });
  return itemResult(itemErrors.length === 0, {
    modified: bookingView(booking, FULL_VIEW),
    errors: itemErrors,
    warnings,
  });
}

function availabilityValues(booking: Booking): unknown[] {
  const view = bookingView(booking, { infoItems: false, invoiceItems: false });
  return AVAILABILITY_FIELDS.map((field) => view[field]);
}

/** A masterId must name a booking of the same account (null removes the booking from its group). */
function checkMasterId(
  state: SandboxState,
  accountId: number,
  input: Fields,
  ownId: number | undefined,
): string | undefined {
  const masterId = input.masterId;
  if (typeof masterId !== 'number' || masterId === ownId) return undefined;
  const master = state.bookings.get(masterId);
  return master?.accountId === accountId ? undefined : `booking ${masterId} does not exist in this account`;
}

function noAvailability(action: string, room: Room, night: string): ItemResult {
  return failure(action, 'roomId', `booking not saved: room ${room.id} has no availability on ${night}`);
}

export function deleteBookings(
  state: SandboxState,
  accountId: number,
  ids: number[],
  source: ChangeSource = 'api',
): ItemResult[] {
  return ids.map((id) => {
    const booking = state.bookings.get(id);
    if (booking === undefined || booking.accountId !== accountId)
      return failure('delete booking', 'id', `booking ${id} does not exist in this account`);
    state.bookings.delete(id);
    state.changed();
    const change: BookingChange = {
      kind: 'deleted',
      accountId,
      booking,
      before: footprintOf(booking),
      after: null,
      source,
      allowWebhooks: false,
      availabilityFieldsChanged: true,
    };
    state.bookingChanged(change);
    return itemResult(true, { deleted: { id } });
  });
}

/** Units of the room still free on `date`: qty minus the units of blocking bookings staying that night. */
export function freeUnits(state: SandboxState, room: Room, date: string, excludeBookingId?: number): number {
  return room.qty - blockingUnits(state, room.id, date, excludeBookingId);
}

function firstFullNight(
  state: SandboxState,
  room: Room,
  arrival: string,
  departure: string,
  units: number,
  excludeBookingId: number | undefined,
): string | undefined {
  for (let night = arrival; night < departure; night = addDays(night, 1)) {
    if (freeUnits(state, room, night, excludeBookingId) < units) return night;
  }
  return undefined;
}

/**
 * The first night the booking would newly take (more units than it holds there now) that a channel
 * could not sell; nights it already holds are never re-checked, so a guest-name change is not refused.
 */
function firstUnsellableNight(
  state: SandboxState,
  room: Room,
  before: Footprint | null,
  wanted: Footprint,
  booking: Booking | undefined,
): string | undefined {
  for (let night = wanted.arrival; night < wanted.departure; night = addDays(night, 1)) {
    if (unitsOn(before, room.id, night) >= wanted.units) continue;
    if (sellableUnits(state, room, night, booking) < wanted.units) return night;
  }
  return undefined;
}

export interface BookingGroup {
  master: number;
  ids: number[];
}

/**
 * The booking's group: its master is its `masterId`, or itself when other bookings point at it (a
 * master created through the admin API keeps `masterId` null). Null outside any group.
 */
export function bookingGroupOf(state: SandboxState, booking: Booking): BookingGroup | null {
  const own = booking.fields.masterId;
  let master: number | undefined = typeof own === 'number' ? own : undefined;
  const isMaster = [...state.bookings.values()].some((b) => b.fields.masterId === booking.id);
  if (master === undefined && isMaster) master = booking.id;
  if (master === undefined) return null;
  const ids = [...state.bookings.values()]
    .filter((b) => b.accountId === booking.accountId && (b.id === master || b.fields.masterId === master))
    .map((b) => b.id)
    .sort((a, b) => a - b);
  return { master, ids };
}

function copyFields(booking: Booking, input: Fields): void {
  for (const [key, value] of Object.entries(input)) {
    if (!CORE_FIELDS.has(key)) booking.fields[key] = value;
  }
}

/** Info and invoice items: no id adds, id with fields modifies, a lone id deletes (as the spec describes). */
function applySubItems(state: SandboxState, booking: Booking, input: Fields, now: string, action: string): ItemIssue[] {
  const errors: ItemIssue[] = [];
  const infoItems = Array.isArray(input.infoItems) ? input.infoItems.filter(isPlainObject) : [];
  infoItems.forEach((item, index) => {
    const error = applyInfoItem(state, booking, item, now);
    if (error !== undefined) errors.push({ action, field: `infoItems.${index}.id`, message: error });
  });
  const invoiceItems = Array.isArray(input.invoiceItems) ? input.invoiceItems.filter(isPlainObject) : [];
  invoiceItems.forEach((item, index) => {
    const error = applyInvoiceItem(state, booking, item, now);
    if (error !== undefined) errors.push({ action, field: `invoiceItems.${index}.id`, message: error });
  });
  return errors;
}

function applyInfoItem(state: SandboxState, booking: Booking, item: Fields, now: string): string | undefined {
  if (item.id === undefined) {
    const created: InfoItem = {
      id: state.nextItemId(),
      bookingId: booking.id,
      code: stringOr(item.code),
      text: stringOr(item.text),
      createTime: now,
    };
    booking.infoItems.push(created);
    return undefined;
  }
  const index = booking.infoItems.findIndex((existing) => existing.id === item.id);
  const existing = booking.infoItems[index];
  if (existing === undefined) return `info item ${asText(item.id)} does not exist on booking ${booking.id}`;
  if (Object.keys(item).every((key) => key === 'id')) {
    booking.infoItems.splice(index, 1);
    return undefined;
  }
  if (typeof item.code === 'string') existing.code = item.code;
  if (typeof item.text === 'string') existing.text = item.text;
  return undefined;
}

function applyInvoiceItem(state: SandboxState, booking: Booking, item: Fields, now: string): string | undefined {
  const { id, ...values } = item;
  if (id === undefined) {
    const created: InvoiceItem = { ...values, id: state.nextItemId(), bookingId: booking.id, createTime: now };
    booking.invoiceItems.push(created);
    return undefined;
  }
  const index = booking.invoiceItems.findIndex((existing) => existing.id === id);
  const existing = booking.invoiceItems[index];
  if (existing === undefined) return `invoice item ${asText(id)} does not exist on booking ${booking.id}`;
  if (Object.keys(values).length === 0) {
    booking.invoiceItems.splice(index, 1);
    return undefined;
  }
  booking.invoiceItems[index] = {
    ...existing,
    ...values,
    id: existing.id,
    bookingId: booking.id,
    createTime: existing.createTime,
  };
  return undefined;
}

export interface BookingViewOptions {
  infoItems: boolean;
  invoiceItems: boolean;
  guests?: boolean;
  bookingGroup?: boolean;
  /** The `bookingGroup` value shown when `bookingGroup` is on (see bookingGroupOf). */
  group?: BookingGroup | null;
}

const FULL_VIEW: BookingViewOptions = { infoItems: true, invoiceItems: true };

/** A booking as Beds24 returns it: every field present, unset strings empty, ids as numbers. */
export function bookingView(booking: Booking, options: BookingViewOptions): Record<string, unknown> {
  const view: Record<string, unknown> = {
    id: booking.id,
    propertyId: booking.propertyId,
    roomId: booking.roomId,
    unitId: 0,
    roomQty: 1,
    masterId: null,
    status: booking.status,
    arrival: booking.arrival,
    departure: booking.departure,
    numAdult: 1,
    numChild: 0,
    price: 0,
    deposit: 0,
    tax: 0,
    commission: 0,
    invoiceeId: null,
  };
  for (const key of STRING_DEFAULTS) view[key] = '';
  Object.assign(view, booking.fields);
  Object.assign(view, {
    id: booking.id,
    propertyId: booking.propertyId,
    roomId: booking.roomId,
    status: booking.status,
    arrival: booking.arrival,
    departure: booking.departure,
    bookingTime: booking.bookingTime,
    modifiedTime: booking.modifiedTime,
    cancelTime: booking.cancelTime,
  });
  if (options.infoItems) view.infoItems = booking.infoItems.map((item) => ({ ...item }));
  if (options.invoiceItems) view.invoiceItems = booking.invoiceItems.map(invoiceItemView);
  if (options.guests === true) view.guests = [];
  if (options.bookingGroup === true) view.bookingGroup = options.group ?? null;
  return view;
}

function invoiceItemView(item: InvoiceItem): Record<string, unknown> {
  const qty = typeof item.qty === 'number' ? item.qty : 1;
  const amount = typeof item.amount === 'number' ? item.amount : 0;
  return {
    invoiceId: null,
    type: 'charge',
    description: '',
    qty,
    amount,
    vatRate: 0,
    lineTotal: Math.round(qty * amount * 100) / 100,
    ...item,
  };
}

function failure(action: string, field: string, message: string): ItemResult {
  return itemResult(false, { errors: [{ action, field, message }] });
}

function stringOr(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** A request value as text: a scalar as `String` prints it, an object or array as JSON. */
export function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null || value === undefined) return String(value);
  return JSON.stringify(value);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
