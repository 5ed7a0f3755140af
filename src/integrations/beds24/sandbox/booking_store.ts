import { requestBodyItemProperties, validateRequestBodyItem } from '../openapi/openapi_schemas.ts';
import { addDays } from '../../../utils/dates.ts';
import { itemResult, type ItemIssue, type ItemResult } from './api_answers.ts';
import type { SandboxState } from './sandbox_state.ts';
import type { Booking, BookingStatus, InfoItem, InvoiceItem, Room } from './sandbox_model.ts';
import { formatTimestamp } from './sandbox_time.ts';

/** Statuses that take a unit: `inquiry` never blocks, `cancelled` does not (request blocks by default). */
export const BLOCKING_STATUSES: ReadonlySet<BookingStatus> = new Set(['confirmed', 'new', 'request', 'black']);

/** Fields with their own column in the store; every other accepted field goes to `Booking.fields`. */
const CORE_FIELDS = new Set(['id', 'actions', 'roomId', 'status', 'arrival', 'departure', 'infoItems', 'invoiceItems']);

/** Read-only fields of a channel booking that only the admin API may set, to imitate OTA bookings. */
const ADMIN_EXTRA_FIELDS = ['apiReference', 'channel', 'apiSource', 'apiSourceId', 'referer', 'reference', 'subStatus'];

const STRING_DEFAULTS = [
  'title', 'firstName', 'lastName', 'email', 'phone', 'mobile', 'fax', 'company', 'address', 'city', 'state', 'postcode',
  'country', 'country2', 'arrivalTime', 'voucher', 'comments', 'notes', 'message', 'groupNote',
  'custom1', 'custom2', 'custom3', 'custom4', 'custom5', 'custom6', 'custom7', 'custom8', 'custom9', 'custom10',
  'flagColor', 'flagText', 'lang', 'referer', 'refererEditable', 'reference', 'apiReference', 'rateDescription', 'apiMessage',
];

export interface WriteBookingsOptions {
  /** The `/_sandbox` path: may also set channel-only fields such as `apiReference`. */
  admin?: boolean;
}

type Fields = Record<string, unknown>;

let postableFields: Set<string> | undefined;

function acceptedFields(admin: boolean): Set<string> {
  postableFields ??= requestBodyItemProperties('POST', '/bookings');
  return admin ? new Set([...postableFields, ...ADMIN_EXTRA_FIELDS]) : postableFields;
}

export function writeBookings(state: SandboxState, accountId: number, items: unknown[], options: WriteBookingsOptions = {}): ItemResult[] {
  return items.map((item) => writeBooking(state, accountId, item, options.admin === true));
}

function writeBooking(state: SandboxState, accountId: number, raw: unknown, admin: boolean): ItemResult {
  if (!isPlainObject(raw)) return failure('new booking', '', 'each booking must be a JSON object');
  const isUpdate = raw.id !== undefined;
  const action = isUpdate ? 'modify booking' : 'new booking';
  const check = validateRequestBodyItem('POST', '/bookings', raw);
  if (!check.ok) return itemResult(false, { errors: check.errors.map((e) => ({ action, field: e.path, message: e.message })) });
  const accepted = acceptedFields(admin);
  const warnings: ItemIssue[] = Object.keys(raw)
    .filter((key) => !accepted.has(key))
    .map((key) => ({ action, field: key, message: `${key} is not a writable booking field and was ignored` }));
  const input: Fields = Object.fromEntries(Object.entries(raw).filter(([key]) => accepted.has(key)));
  return isUpdate ? updateBooking(state, accountId, input, warnings) : createBooking(state, accountId, input, warnings);
}

function createBooking(state: SandboxState, accountId: number, input: Fields, warnings: ItemIssue[]): ItemResult {
  const action = 'new booking';
  const roomId = input.roomId as number;
  const room = state.roomOf(accountId, roomId);
  if (room === undefined) return failure(action, 'roomId', `room ${roomId} does not exist in this account`);
  const arrival = input.arrival as string;
  const departure = input.departure as string;
  if (arrival >= departure) return failure(action, 'departure', 'departure must be after arrival');
  const status = (input.status as BookingStatus | undefined) ?? 'confirmed';
  const roomQty = typeof input.roomQty === 'number' ? input.roomQty : 1;
  const actions = isPlainObject(input.actions) ? input.actions : {};
  if (actions.checkAvailability === true && BLOCKING_STATUSES.has(status)) {
    const fullNight = firstFullNight(state, room, arrival, departure, roomQty, undefined);
    if (fullNight !== undefined) return failure(action, 'roomId', `booking not saved: room ${room.id} has no availability on ${fullNight}`);
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
  const itemErrors = applySubItems(state, booking, input, now, action);
  state.bookings.set(booking.id, booking);
  state.changed();
  return itemResult(itemErrors.length === 0, { new: bookingView(booking, FULL_VIEW), errors: itemErrors, warnings });
}

function updateBooking(state: SandboxState, accountId: number, input: Fields, warnings: ItemIssue[]): ItemResult {
  const action = 'modify booking';
  const id = input.id as number;
  const booking = state.bookings.get(id);
  if (booking === undefined || booking.accountId !== accountId) return failure(action, 'id', `booking ${id} does not exist in this account`);
  const roomId = (input.roomId as number | undefined) ?? booking.roomId;
  const room = state.roomOf(accountId, roomId);
  if (room === undefined) return failure(action, 'roomId', `room ${roomId} does not exist in this account`);
  const arrival = (input.arrival as string | undefined) ?? booking.arrival;
  const departure = (input.departure as string | undefined) ?? booking.departure;
  if (arrival >= departure) return failure(action, 'departure', 'departure must be after arrival');
  const now = formatTimestamp(state.now());
  const status = (input.status as BookingStatus | undefined) ?? booking.status;
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
  return itemResult(itemErrors.length === 0, { modified: bookingView(booking, FULL_VIEW), errors: itemErrors, warnings });
}

export function deleteBookings(state: SandboxState, accountId: number, ids: number[]): ItemResult[] {
  return ids.map((id) => {
    const booking = state.bookings.get(id);
    if (booking === undefined || booking.accountId !== accountId) return failure('delete booking', 'id', `booking ${id} does not exist in this account`);
    state.bookings.delete(id);
    state.changed();
    return itemResult(true, { deleted: { id } });
  });
}

/** Units of the room still free on `date`: qty minus the units of blocking bookings staying that night. */
export function freeUnits(state: SandboxState, room: Room, date: string, excludeBookingId?: number): number {
  let used = 0;
  for (const booking of state.bookings.values()) {
    if (booking.roomId !== room.id || booking.id === excludeBookingId || !BLOCKING_STATUSES.has(booking.status)) continue;
    if (booking.arrival <= date && date < booking.departure) used += roomQtyOf(booking);
  }
  return room.qty - used;
}

function firstFullNight(state: SandboxState, room: Room, arrival: string, departure: string, units: number, excludeBookingId: number | undefined): string | undefined {
  for (let night = arrival; night < departure; night = addDays(night, 1)) {
    if (freeUnits(state, room, night, excludeBookingId) < units) return night;
  }
  return undefined;
}

function roomQtyOf(booking: Booking): number {
  const qty = booking.fields.roomQty;
  return typeof qty === 'number' && qty > 0 ? qty : 1;
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
    const created: InfoItem = { id: state.nextItemId(), bookingId: booking.id, code: stringOr(item.code), text: stringOr(item.text), createTime: now };
    booking.infoItems.push(created);
    return undefined;
  }
  const index = booking.infoItems.findIndex((existing) => existing.id === item.id);
  const existing = booking.infoItems[index];
  if (existing === undefined) return `info item ${String(item.id)} does not exist on booking ${booking.id}`;
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
  if (existing === undefined) return `invoice item ${String(id)} does not exist on booking ${booking.id}`;
  if (Object.keys(values).length === 0) {
    booking.invoiceItems.splice(index, 1);
    return undefined;
  }
  booking.invoiceItems[index] = { ...existing, ...values, id: existing.id, bookingId: booking.id, createTime: existing.createTime };
  return undefined;
}

export interface BookingViewOptions {
  infoItems: boolean;
  invoiceItems: boolean;
  guests?: boolean;
  bookingGroup?: boolean;
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
  if (options.bookingGroup === true) view.bookingGroup = null;
  return view;
}

function invoiceItemView(item: InvoiceItem): Record<string, unknown> {
  const qty = typeof item.qty === 'number' ? item.qty : 1;
  const amount = typeof item.amount === 'number' ? item.amount : 0;
  return { invoiceId: null, type: 'charge', description: '', qty, amount, vatRate: 0, lineTotal: Math.round(qty * amount * 100) / 100, ...item };
}

function failure(action: string, field: string, message: string): ItemResult {
  return itemResult(false, { errors: [{ action, field, message }] });
}

function stringOr(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
