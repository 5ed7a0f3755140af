import { Beds24UnexpectedAnswerError, Beds24ValidationError } from './beds24_errors.ts';
import {
  AuthDetailsAnswer,
  BookingsAnswer,
  CalendarAnswer,
  PostResults,
  PropertiesAnswer,
  SetupAnswer,
  TokenAnswer,
  type Beds24Booking,
  type Beds24Property,
  type BookingWrite,
  type BookingsQuery,
  type CalendarRoom,
  type CalendarQuery,
  type CalendarWrite,
  type ItemMessage,
  type PostResultItem,
  type PropertyWrite,
} from './beds24_schemas.ts';
import type { Beds24Transport, QueryValue } from './beds24_transport.ts';
import type { Beds24Priority } from './priority.ts';

/** The outcome of one item of a POST: a 2xx answer whose item says `success: false` is a failure, always. */
export type ItemResult =
  | { ok: true; id: number | undefined; warnings: ItemMessage[]; raw: PostResultItem }
  | { ok: false; error: Beds24ValidationError; warnings: ItemMessage[]; raw: PostResultItem };

export interface CallOptions {
  priority?: Beds24Priority;
  /** False: throw Beds24CreditsDeferredError instead of waiting for the credit window to reset. */
  wait?: boolean;
  retries?: number;
  timeoutMs?: number;
  /** No try of the call starts after this (the deadline of the job attempt making it). */
  deadline?: Date;
  /** Counts the calls made (one per page of a list). */
  tally?: { calls: number };
  /**
   * Credits of its priority's reserve this call may use: a calendar write may spend what the pull made for
   * it has just spent, so a window that affords the write alone is not spent on that pull again and again.
   */
  allowance?: number;
}

const MAX_PAGES = 200;

/** The typed Beds24 API v2 operations the push services need. */
export class Beds24Client {
  private readonly transport: Beds24Transport;

  constructor({ transport }: { transport: Beds24Transport }) {
    this.transport = transport;
  }

  async getProperties(ids: number[] = [], options: CallOptions = {}): Promise<Beds24Property[]> {
    const { priority = 'normal' } = options;
    return this.paged({ id: ids, includeAllRooms: true }, async (query) => {
      const answer = await this.transport.call({
        method: 'GET',
        path: '/properties',
        query,
        schema: PropertiesAnswer,
        priority,
        idempotent: true,
        ...settings(options),
      });
      return { items: answer.data, more: answer.pages?.nextPageExists === true };
    });
  }

  /**
   * Creates (no `id`) and modifies (`id`) bookings in one call. A call that contains creates is not repeated
   * after an ambiguous failure (the answer may be lost after Beds24 applied it): the caller reconciles first.
   */
  async postBookings(items: BookingWrite[], options: CallOptions = {}): Promise<ItemResult[]> {
    const { priority = 'critical' } = options;
    const idempotent = items.every((item) => item.id !== undefined);
    const answer = await this.transport.call({
      method: 'POST',
      path: '/bookings',
      body: items,
      schema: PostResults,
      priority,
      idempotent,
      ...settings(options),
    });
    return toItemResults(answer, items.length, 'POST /bookings');
  }

  async getBookings(query: BookingsQuery, options: CallOptions = {}): Promise<Beds24Booking[]> {
    const { priority = 'critical' } = options;
    return this.paged(query as Record<string, QueryValue>, async (pageQuery) => {
      if (options.tally) options.tally.calls += 1;
      const answer = await this.transport.call({
        method: 'GET',
        path: '/bookings',
        query: pageQuery,
        schema: BookingsAnswer,
        priority,
        idempotent: true,
        ...settings(options),
      });
      return { items: answer.data, more: answer.pages?.nextPageExists === true };
    });
  }

  /** Modifies properties (their booking webhook, for one); one result per item. */
  async postProperties(items: PropertyWrite[], options: CallOptions = {}): Promise<ItemResult[]> {
    const { priority = 'normal' } = options;
    const answer = await this.transport.call({
      method: 'POST',
      path: '/properties',
      body: items,
      schema: PostResults,
      priority,
      idempotent: true,
      ...settings(options),
    });
    return toItemResults(answer, items.length, 'POST /properties');
  }

  async postCalendar(rooms: CalendarWrite[], options: CallOptions = {}): Promise<ItemResult[]> {
    const { priority = 'high' } = options;
    const answer = await this.transport.call({
      method: 'POST',
      path: '/inventory/rooms/calendar',
      body: rooms,
      schema: PostResults,
      priority,
      idempotent: true,
      ...settings(options),
    });
    return toItemResults(answer, rooms.length, 'POST /inventory/rooms/calendar');
  }

  async getCalendar(query: CalendarQuery, options: CallOptions = {}): Promise<CalendarRoom[]> {
    const { priority = 'low' } = options;
    return this.paged(query as unknown as Record<string, QueryValue>, async (pageQuery) => {
      const answer = await this.transport.call({
        method: 'GET',
        path: '/inventory/rooms/calendar',
        query: pageQuery,
        schema: CalendarAnswer,
        priority,
        idempotent: true,
        ...settings(options),
      });
      return { items: answer.data, more: answer.pages?.nextPageExists === true };
    });
  }

  private async paged<T>(
    query: Record<string, QueryValue>,
    fetchPage: (query: Record<string, QueryValue>) => Promise<{ items: T[]; more: boolean }>,
  ): Promise<T[]> {
    const all: T[] = [];
    for (let page = 1; page <= MAX_PAGES; page += 1) {
      const { items, more } = await fetchPage(page === 1 ? query : { ...query, page });
      all.push(...items);
      if (!more) return all;
    }
    throw new Beds24UnexpectedAnswerError(`more than ${MAX_PAGES} pages`);
  }
}

/** The token-less calls: turning an invite code or a refresh token into tokens. */
export class Beds24AuthApi {
  private readonly transport: Beds24Transport;

  constructor({ transport }: { transport: Beds24Transport }) {
    this.transport = transport;
  }

  setup(inviteCode: string): Promise<SetupAnswer> {
    return this.transport.call({
      method: 'GET',
      path: '/authentication/setup',
      authHeaders: { code: inviteCode, deviceName: 'PMS push sync' },
      schema: SetupAnswer,
      priority: 'critical',
      idempotent: false,
    });
  }

  /** Who the token belongs to (the account id keys the shared credit meter). Beds24 charges nothing for it. */
  details(accessToken: string): Promise<AuthDetailsAnswer> {
    return this.transport.call({
      method: 'GET',
      path: '/authentication/details',
      authHeaders: { token: accessToken },
      schema: AuthDetailsAnswer,
      priority: 'critical',
      idempotent: true,
    });
  }

  token(refreshToken: string): Promise<TokenAnswer> {
    return this.transport.call({
      method: 'GET',
      path: '/authentication/token',
      authHeaders: { refreshToken },
      schema: TokenAnswer,
      priority: 'critical',
      idempotent: true,
    });
  }
}

/** Only the per-call settings: callers pass wider objects (push options) that must not leak into the call. */
function settings(
  options: CallOptions,
): Pick<CallOptions, 'wait' | 'retries' | 'timeoutMs' | 'deadline' | 'allowance'> {
  const { wait, retries, timeoutMs, deadline, allowance } = options;
  return { wait, retries, timeoutMs, deadline, allowance };
}

function toItemResults(answer: PostResultItem[], sent: number, endpoint: string): ItemResult[] {
  if (answer.length !== sent)
    throw new Beds24UnexpectedAnswerError(`${endpoint} answered ${answer.length} results for ${sent} items`);
  return answer.map((raw) => {
    const warnings = raw.warnings ?? [];
    if (raw.success) return { ok: true, id: raw.new?.id ?? raw.modified?.id, warnings, raw };
    const messages = [...(raw.errors ?? []), ...warnings];
    const text =
      messages.map((m) => (m.field ? `${m.field}: ${m.message}` : m.message)).join('; ') ||
      'item failed without a message';
    return { ok: false, error: new Beds24ValidationError(text, messages), warnings, raw };
  });
}
