import { randomBytes } from 'node:crypto';
import { isTimeZone } from './dates.ts';
import type { BookingChange } from './booking_change.ts';
import { CreditWindow } from './credit_window.ts';
import { applyDecrement } from './inventory_model.ts';
import { SandboxInputError, SandboxNotFoundError, describeIssues } from './sandbox_errors.ts';
import {
  SNAPSHOT_VERSION,
  type AccessToken,
  type Account,
  type Booking,
  type DayValues,
  type IdCounters,
  type InventoryModel,
  type InventoryWebhook,
  type InviteCode,
  type Property,
  type PropertyWebhooks,
  type RefreshToken,
  type Room,
  type Snapshot,
} from './sandbox_model.ts';
import {
  createAccountInputSchema,
  type CreateAccountInput,
  type CreatedAccount,
  type CreditWindowInput,
} from './sandbox_options.ts';

const INVITE_CODE_TTL_MS = 24 * 3600 * 1000;
/** Beds24 refresh tokens die when unused for 30 days. */
const REFRESH_TOKEN_IDLE_MS = 30 * 24 * 3600 * 1000;

// Realistic-looking, disjoint id ranges so a mixed-up id (room id sent as booking id...) is caught.
const FIRST_IDS: IdCounters = { account: 30001, property: 100001, room: 200001, booking: 70000001, item: 90000001 };

export interface SandboxStateHooks {
  clock: () => Date;
  /** Called after every mutation; the persister debounces it. */
  onChange: () => void;
  /** The model of accounts that have none of their own. */
  defaultInventoryModel?: InventoryModel;
  /** After a booking change is applied (and, under `decrement`, the calendar moved). */
  onBookingChange?: (change: BookingChange) => void;
  /** After availability or price values of a room's calendar were written. */
  onCalendarChange?: (roomId: number) => void;
}

/** The sandbox's whole world: plain data plus the operations that keep it consistent. */
export class SandboxState {
  readonly accounts = new Map<number, Account>();
  readonly properties = new Map<number, Property>();
  readonly rooms = new Map<number, Room>();
  readonly inviteCodes = new Map<string, InviteCode>();
  readonly refreshTokens = new Map<string, RefreshToken>();
  readonly accessTokens = new Map<string, AccessToken>();
  readonly bookings = new Map<number, Booking>();
  /** roomId → date → values. */
  readonly calendar = new Map<number, Map<string, DayValues>>();
  ids: IdCounters = { ...FIRST_IDS };
  readonly #hooks: SandboxStateHooks;

  constructor(hooks: SandboxStateHooks) {
    this.#hooks = hooks;
  }

  now(): Date {
    return this.#hooks.clock();
  }

  changed(): void {
    this.#hooks.onChange();
  }

  createAccount(input: CreateAccountInput): CreatedAccount {
    const parsed = createAccountInputSchema.safeParse(input);
    if (!parsed.success) throw new SandboxInputError(`invalid account: ${describeIssues(parsed.error)}`);
    const data = parsed.data;
    this.#checkExplicitIds(data.properties);
    const account: Account = {
      id: this.ids.account++,
      creditLimit: data.creditLimit,
      windowSeconds: data.windowSeconds,
      tokenTtlSeconds: data.tokenTtlSeconds,
      credit: { windowStartedAtMs: null, spentMilli: 0 },
      ...(data.inventoryModel === undefined ? {} : { inventoryModel: data.inventoryModel }),
    };
    this.accounts.set(account.id, account);
    const created: CreatedAccount = {
      accountId: account.id,
      properties: [],
      roomIds: [],
      propertyIds: [],
      inventoryModel: this.inventoryModelOf(account.id),
    };
    for (const p of data.properties) {
      const property: Property = {
        id: this.#takeId('property', p.id),
        accountId: account.id,
        name: p.name,
        timezone: p.timezone,
        currency: p.currency,
      };
      this.properties.set(property.id, property);
      created.propertyIds.push(property.id);
      const rooms = p.rooms.map((r) => {
        const room: Room = {
          id: this.#takeId('room', r.id),
          accountId: account.id,
          propertyId: property.id,
          name: r.name,
          qty: r.qty,
        };
        this.rooms.set(room.id, room);
        created.roomIds.push(room.id);
        return { id: room.id, name: room.name, qty: room.qty };
      });
      created.properties.push({ id: property.id, name: property.name, rooms });
    }
    this.changed();
    return created;
  }

  account(accountId: number): Account {
    const account = this.accounts.get(accountId);
    if (account === undefined) throw new SandboxNotFoundError('account', accountId);
    return account;
  }

  credits(accountId: number): CreditWindow {
    return new CreditWindow(this.account(accountId));
  }

  setCreditWindow(accountId: number, window: CreditWindowInput): void {
    const account = this.account(accountId);
    account.creditLimit = window.limit;
    account.windowSeconds = window.windowSeconds;
    // A new limit starts a fresh window: mixing the old window's spending with the new limit helps no test.
    new CreditWindow(account).reset();
    this.changed();
  }

  inventoryModelOf(accountId: number): InventoryModel {
    return this.accounts.get(accountId)?.inventoryModel ?? this.#hooks.defaultInventoryModel ?? 'stored';
  }

  /** Written values stay as they are; the new model applies to what is read and to later booking changes. */
  setInventoryModel(accountId: number, model: InventoryModel): void {
    this.account(accountId).inventoryModel = model;
    this.changed();
  }

  setInventoryWebhook(accountId: number, webhook: InventoryWebhook | null): void {
    this.account(accountId).inventoryWebhook = webhook;
    this.changed();
  }

  setPropertyWebhooks(propertyId: number, webhooks: PropertyWebhooks | undefined): void {
    const property = this.property(propertyId);
    if (webhooks === undefined) delete property.webhooks;
    else property.webhooks = webhooks;
    this.changed();
  }

  bookingChanged(change: BookingChange): void {
    applyDecrement(this, change.accountId, change.before, change.after);
    this.#hooks.onBookingChange?.(change);
  }

  calendarChanged(roomId: number): void {
    this.#hooks.onCalendarChange?.(roomId);
  }

  setTokenTtl(accountId: number, seconds: number): void {
    if (!Number.isInteger(seconds) || seconds <= 0)
      throw new SandboxInputError('token TTL must be a positive whole number of seconds');
    this.account(accountId).tokenTtlSeconds = seconds;
    this.changed();
  }

  /** The room if it exists and belongs to the account; rooms of other accounts are invisible. */
  roomOf(accountId: number, roomId: number): Room | undefined {
    const room = this.rooms.get(roomId);
    return room?.accountId === accountId ? room : undefined;
  }

  room(roomId: number): Room {
    const room = this.rooms.get(roomId);
    if (room === undefined) throw new SandboxNotFoundError('room', roomId);
    return room;
  }

  property(propertyId: number): Property {
    const property = this.properties.get(propertyId);
    if (property === undefined) throw new SandboxNotFoundError('property', propertyId);
    return property;
  }

  roomsOfAccount(accountId: number): Room[] {
    return [...this.rooms.values()].filter((r) => r.accountId === accountId).sort((a, b) => a.id - b.id);
  }

  createInviteCode(accountId: number): string {
    this.account(accountId);
    const code = randomBytes(32).toString('base64url');
    this.inviteCodes.set(code, { code, accountId, createdAtMs: this.now().getTime(), usedAtMs: null });
    this.changed();
    return code;
  }

  /** An unused, unexpired invite code; undefined otherwise (Beds24 does not say which). */
  usableInviteCode(code: string): InviteCode | undefined {
    const invite = this.inviteCodes.get(code);
    if (invite === undefined || invite.usedAtMs !== null) return undefined;
    if (this.now().getTime() - invite.createdAtMs > INVITE_CODE_TTL_MS) return undefined;
    return invite;
  }

  redeemInviteCode(invite: InviteCode, deviceName: string): { refresh: RefreshToken; access: AccessToken } {
    invite.usedAtMs = this.now().getTime();
    const refresh = this.createRefreshToken(invite.accountId, deviceName);
    return { refresh, access: this.mintAccessToken(refresh) };
  }

  createRefreshToken(accountId: number, deviceName = ''): RefreshToken {
    this.account(accountId);
    const nowMs = this.now().getTime();
    const refresh: RefreshToken = {
      token: randomBytes(48).toString('base64url'),
      accountId,
      deviceName,
      createdAtMs: nowMs,
      lastUsedAtMs: nowMs,
      revoked: false,
    };
    this.refreshTokens.set(refresh.token, refresh);
    this.changed();
    return refresh;
  }

  usableRefreshToken(token: string): RefreshToken | undefined {
    const refresh = this.refreshTokens.get(token);
    if (refresh === undefined || refresh.revoked) return undefined;
    if (this.now().getTime() - refresh.lastUsedAtMs > REFRESH_TOKEN_IDLE_MS) return undefined;
    return refresh;
  }

  mintAccessToken(refresh: RefreshToken): AccessToken {
    refresh.lastUsedAtMs = this.now().getTime();
    return this.createAccessToken(refresh.accountId, refresh.deviceName);
  }

  createAccessToken(accountId: number, deviceName = ''): AccessToken {
    const account = this.account(accountId);
    const nowMs = this.now().getTime();
    this.#pruneAccessTokens(nowMs);
    // Real access tokens are 152-172 characters; 120 random bytes give 160.
    const access: AccessToken = {
      token: randomBytes(120).toString('base64url'),
      accountId,
      deviceName,
      createdAtMs: nowMs,
      expiresAtMs: nowMs + account.tokenTtlSeconds * 1000,
      revoked: false,
    };
    this.accessTokens.set(access.token, access);
    this.changed();
    return access;
  }

  usableAccessToken(token: string): AccessToken | undefined {
    const access = this.accessTokens.get(token);
    if (access === undefined || access.revoked || this.now().getTime() >= access.expiresAtMs) return undefined;
    return access;
  }

  revokeRefreshToken(refresh: RefreshToken): void {
    refresh.revoked = true;
    this.changed();
  }

  /** Kills access tokens (and, when asked, refresh tokens) of one account or of all accounts. */
  invalidateTokens(accountId: number | undefined, alsoRefreshTokens: boolean): number {
    if (accountId !== undefined) this.account(accountId);
    let count = 0;
    const matches = (owner: number): boolean => accountId === undefined || owner === accountId;
    for (const access of this.accessTokens.values()) {
      if (matches(access.accountId) && !access.revoked) {
        access.revoked = true;
        count++;
      }
    }
    if (alsoRefreshTokens) {
      for (const refresh of this.refreshTokens.values()) {
        if (matches(refresh.accountId) && !refresh.revoked) {
          refresh.revoked = true;
          count++;
        }
      }
    }
    this.changed();
    return count;
  }

  nextBookingId(): number {
    return this.ids.booking++;
  }

  nextItemId(): number {
    return this.ids.item++;
  }

  roomCalendar(roomId: number): Map<string, DayValues> {
    let days = this.calendar.get(roomId);
    if (days === undefined) {
      days = new Map();
      this.calendar.set(roomId, days);
    }
    return days;
  }

  snapshot(): Snapshot {
    const calendar: Snapshot['calendar'] = {};
    for (const [roomId, days] of this.calendar) {
      if (days.size > 0) calendar[String(roomId)] = Object.fromEntries(days);
    }
    return {
      version: SNAPSHOT_VERSION,
      ids: { ...this.ids },
      accounts: [...this.accounts.values()],
      properties: [...this.properties.values()],
      rooms: [...this.rooms.values()],
      inviteCodes: [...this.inviteCodes.values()],
      refreshTokens: [...this.refreshTokens.values()],
      accessTokens: [...this.accessTokens.values()],
      bookings: [...this.bookings.values()],
      calendar,
    };
  }

  restore(snapshot: Snapshot): void {
    this.ids = { ...snapshot.ids };
    fill(this.accounts, snapshot.accounts, (a) => a.id);
    fill(this.properties, snapshot.properties, (p) => p.id);
    fill(this.rooms, snapshot.rooms, (r) => r.id);
    fill(this.inviteCodes, snapshot.inviteCodes, (c) => c.code);
    fill(this.refreshTokens, snapshot.refreshTokens, (t) => t.token);
    fill(this.accessTokens, snapshot.accessTokens, (t) => t.token);
    fill(this.bookings, snapshot.bookings, (b) => b.id);
    this.calendar.clear();
    for (const [roomId, days] of Object.entries(snapshot.calendar)) {
      this.calendar.set(Number(roomId), new Map(Object.entries(days)));
    }
  }

  #checkExplicitIds(
    properties: Array<{ id?: number | undefined; timezone: string; rooms: Array<{ id?: number | undefined }> }>,
  ): void {
    const propertyIds = new Set<number>();
    const roomIds = new Set<number>();
    for (const p of properties) {
      if (!isTimeZone(p.timezone)) throw new SandboxInputError(`unknown time zone ${p.timezone}`);
      if (p.id !== undefined && (this.properties.has(p.id) || propertyIds.has(p.id)))
        throw new SandboxInputError(`property id ${p.id} is already taken`);
      if (p.id !== undefined) propertyIds.add(p.id);
      for (const r of p.rooms) {
        if (r.id !== undefined && (this.rooms.has(r.id) || roomIds.has(r.id)))
          throw new SandboxInputError(`room id ${r.id} is already taken`);
        if (r.id !== undefined) roomIds.add(r.id);
      }
    }
  }

  #takeId(kind: 'property' | 'room', explicit: number | undefined): number {
    if (explicit === undefined) {
      const taken = kind === 'property' ? this.properties : this.rooms;
      while (taken.has(this.ids[kind])) this.ids[kind]++;
      return this.ids[kind]++;
    }
    return explicit;
  }

  #pruneAccessTokens(nowMs: number): void {
    for (const [token, access] of this.accessTokens) {
      if (access.expiresAtMs <= nowMs) this.accessTokens.delete(token);
    }
  }
}

function fill<K, V>(map: Map<K, V>, values: V[], key: (value: V) => K): void {
  map.clear();
  for (const value of values) map.set(key(value), value);
}
