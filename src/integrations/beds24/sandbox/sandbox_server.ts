import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { AppError } from '../../../errors.ts';
import { isCalendarDate } from '../../../utils/dates.ts';
import type { Logger } from '../../../logger.ts';
import { unsuccessful, type ItemResult } from './api_answers.ts';
import { mountEndpoints, type SandboxRuntime } from './api_pipeline.ts';
import { authEndpoints } from './auth_routes.ts';
import { bookingEndpoints } from './booking_routes.ts';
import { bookingView, writeBookings } from './booking_store.ts';
import { calendarEndpoints } from './calendar_routes.ts';
import { editCalendar, readDays, type CalendarDay } from './calendar_store.ts';
import type { CreditMeter } from './credit_window.ts';
import { FaultInjector } from './faults.ts';
import { propertyEndpoints } from './property_routes.ts';
import { RequestLog, type RequestLogEntry } from './request_log.ts';
import { createAdminRouter } from './sandbox_admin_routes.ts';
import { SandboxError, SandboxInputError, describeIssues } from './sandbox_errors.ts';
import type { BookingStatus, InfoItem } from './sandbox_model.ts';
import {
  DEFAULT_COST,
  DEFAULT_COSTS,
  costTableSchema,
  creditWindowInputSchema,
  invalidateTokensInputSchema,
  sandboxDataOptionsSchema,
  type CostTable,
  type CreateAccountInput,
  type CreatedAccount,
  type CreditWindowInput,
  type Faults,
  type FaultsInput,
  type InvalidateTokensInput,
  type SandboxOptions,
} from './sandbox_options.ts';
import { SandboxState } from './sandbox_state.ts';
import { StatePersister } from './state_persister.ts';

/** A booking as the inspection API shows it: the API view plus the owning account. */
export interface SandboxBookingView {
  id: number;
  accountId: number;
  propertyId: number;
  roomId: number;
  status: BookingStatus;
  arrival: string;
  departure: string;
  bookingTime: string;
  modifiedTime: string;
  cancelTime: string | null;
  infoItems: InfoItem[];
  invoiceItems: Array<Record<string, unknown>>;
  [field: string]: unknown;
}

export interface CreditStatus extends CreditMeter {
  /** Credits spent since the sandbox started or the request log was last reset. */
  spent: number;
}

/**
 * An in-process imitation of the Beds24 API v2 (served under /v2) with a control surface for tests and
 * demos: the methods below, mirrored over HTTP under /_sandbox.
 */
export class Beds24Sandbox {
  readonly app: Express;
  readonly #state: SandboxState;
  readonly #faults: FaultInjector;
  readonly #log = new RequestLog();
  readonly #persister: StatePersister | undefined;
  readonly #logger: Logger | undefined;
  #costs: CostTable;
  #server: Server | undefined;
  readonly #sockets = new Set<Socket>();
  #url: string | undefined;

  constructor(options: SandboxOptions = {}) {
    const parsed = sandboxDataOptionsSchema.safeParse({ persistFile: options.persistFile, pageSize: options.pageSize, costs: options.costs });
    if (!parsed.success) throw new SandboxInputError(`invalid sandbox options: ${describeIssues(parsed.error)}`);
    const clock = options.clock ?? (() => new Date());
    this.#logger = options.logger;
    this.#costs = { ...DEFAULT_COSTS, ...parsed.data.costs };
    this.#faults = new FaultInjector(options.random ?? Math.random);
    this.#state = new SandboxState({ clock, onChange: () => this.#persister?.markDirty() });
    const file = parsed.data.persistFile;
    if (file !== undefined) {
      const snapshot = StatePersister.load(file);
      if (snapshot !== undefined) this.#state.restore(snapshot);
      this.#persister = new StatePersister(file, () => this.#state.snapshot(), this.#logger);
    }
    this.app = this.#buildApp(parsed.data.pageSize);
  }

  /** The base URL (ending in /v2) while listening. */
  get url(): string | undefined {
    return this.#url;
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    if (this.#server !== undefined) throw new SandboxError('sandbox_already_listening', 409, `the sandbox already listens on ${this.#url ?? '?'}`);
    const server = createServer(this.app);
    server.on('connection', (socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const address = server.address();
    const actualPort = typeof address === 'object' && address !== null ? address.port : port;
    this.#server = server;
    this.#url = `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}/v2`;
    return this.#url;
  }

  /**
   * Stops answering (open connections are cut, so clients see connection refused or reset) but keeps
   * all state: `listen(samePort)` brings the same Beds24 back, which is how tests simulate an outage.
   */
  async close(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    this.#url = undefined;
    if (server !== undefined) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of this.#sockets) socket.destroy();
      this.#sockets.clear();
      await closed;
    }
    await this.flush();
  }

  /** Writes the state to `persistFile` now (no-op without one). */
  async flush(): Promise<void> {
    await this.#persister?.flush();
  }

  createAccount(input: CreateAccountInput = {}): CreatedAccount {
    return this.#state.createAccount(input);
  }

  /** Ids of every account, oldest first. */
  get accountIds(): number[] {
    return [...this.#state.accounts.keys()].sort((a, b) => a - b);
  }

  createInviteCode(accountId: number): string {
    return this.#state.createInviteCode(accountId);
  }

  createRefreshToken(accountId: number, deviceName = 'sandbox'): string {
    return this.#state.createRefreshToken(accountId, deviceName).token;
  }

  createAccessToken(accountId: number, deviceName = 'sandbox'): string {
    return this.#state.createAccessToken(accountId, deviceName).token;
  }

  /** Every booking (cancelled ones included), optionally of one account, by id. */
  bookings(accountId?: number): SandboxBookingView[] {
    if (accountId !== undefined) this.#state.account(accountId);
    return [...this.#state.bookings.values()]
      .filter((b) => accountId === undefined || b.accountId === accountId)
      .sort((a, b) => a.id - b.id)
      .map((b) => ({ ...bookingView(b, { infoItems: true, invoiceItems: true }), accountId: b.accountId }) as SandboxBookingView);
  }

  /** Creates or updates bookings as if they arrived through a channel (no credits, may set `apiReference`). */
  addBookings(accountId: number, items: unknown[]): ItemResult[] {
    this.#state.account(accountId);
    return writeBookings(this.#state, accountId, items, { admin: true });
  }

  /** Stored values of every day from `from` to `to` inclusive. */
  calendar(roomId: number, from: string, to: string): CalendarDay[] {
    if (!isCalendarDate(from) || !isCalendarDate(to) || from > to) throw new SandboxInputError('from and to must be YYYY-MM-DD dates with from <= to');
    this.#state.room(roomId);
    return readDays(this.#state, roomId, from, to);
  }

  /** Edits a room's calendar behind the integration's back (any dates, no credits). */
  editCalendar(roomId: number, ranges: unknown[]): ItemResult {
    return editCalendar(this.#state, roomId, ranges);
  }

  get requests(): readonly RequestLogEntry[] {
    return this.#log.entries;
  }

  resetRequestLog(): void {
    this.#log.reset();
  }

  creditsSpent(accountId: number): number {
    this.#state.account(accountId);
    return this.#log.creditsSpent(accountId);
  }

  credits(accountId: number): CreditStatus {
    const meter = this.#state.credits(accountId).meter(this.#state.now().getTime());
    return { ...meter, spent: this.#log.creditsSpent(accountId) };
  }

  get faults(): Faults {
    return this.#faults.current;
  }

  setFaults(faults: FaultsInput): Faults {
    return this.#faults.set(faults);
  }

  clearFaults(): void {
    this.#faults.clear();
  }

  /** Revokes access tokens (and refresh tokens when asked) of one account, or of every account. */
  invalidateTokens(accountId?: number, options: InvalidateTokensInput = {}): number {
    const parsed = invalidateTokensInputSchema.parse(options);
    return this.#state.invalidateTokens(accountId, parsed.refreshTokens);
  }

  /** Changes the account's limit and window length and starts a fresh window. */
  setCreditWindow(accountId: number, window: CreditWindowInput): void {
    const parsed = creditWindowInputSchema.safeParse(window);
    if (!parsed.success) throw new SandboxInputError('credit window needs a positive limit and a positive whole windowSeconds');
    this.#state.setCreditWindow(accountId, parsed.data);
  }

  /** Lifetime of access tokens minted from now on. */
  setTokenTtl(accountId: number, seconds: number): void {
    this.#state.setTokenTtl(accountId, seconds);
  }

  /** Overrides credit costs per `METHOD /path` (relative to /v2); unlisted endpoints keep theirs. */
  setCosts(costs: CostTable): CostTable {
    const parsed = costTableSchema.safeParse(costs);
    if (!parsed.success) throw new SandboxInputError('costs must map "METHOD /path" to a non-negative number');
    this.#costs = { ...this.#costs, ...parsed.data };
    return this.costs;
  }

  get costs(): CostTable {
    return { ...this.#costs };
  }

  #buildApp(pageSize: number): Express {
    const app = express();
    app.disable('x-powered-by');
    app.set('etag', false);
    const runtime: SandboxRuntime = {
      state: this.#state,
      faults: this.#faults,
      log: this.#log,
      cost: (method, path) => this.#costs[`${method} ${path}`] ?? DEFAULT_COST,
      pageSize,
      logger: this.#logger,
    };
    const v2 = express.Router();
    // Bodies are read raw and parsed by the endpoint, so a malformed body becomes Beds24's 400 after auth.
    v2.use(express.raw({ type: () => true, limit: '1mb' }));
    mountEndpoints(v2, [...authEndpoints(), ...bookingEndpoints(), ...calendarEndpoints(), ...propertyEndpoints()], runtime);
    v2.use((req, res) => {
      // Logged so a test can catch a client calling a path Beds24 does not have.
      this.#log.record({
        time: this.#state.now().toISOString(),
        accountId: null,
        method: req.method,
        path: req.path,
        query: req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?') + 1) : '',
        status: 404,
        cost: 0,
        remaining: null,
        fault: null,
        dropped: false,
      });
      res.status(404).json(unsuccessful(404, 'Not found'));
    });
    v2.use(this.#v2ErrorHandler());
    app.use('/v2', v2);
    app.use('/_sandbox', createAdminRouter(this));
    return app;
  }

  #v2ErrorHandler(): ErrorRequestHandler {
    return (error: unknown, req, res, _next) => {
      const type = typeof error === 'object' && error !== null ? (error as { type?: unknown }).type : undefined;
      if (type === 'entity.too.large') {
        res.status(413).json(unsuccessful(413, 'Request body is larger than 1 MB'));
        return;
      }
      if (error instanceof AppError) {
        res.status(error.status).json(unsuccessful(error.status, error.message));
        return;
      }
      this.#logger?.error({ err: error, method: req.method, path: req.path }, 'beds24 sandbox failed');
      res.status(500).json(unsuccessful(500, 'Internal error'));
    };
  }
}

export function createBeds24Sandbox(options: SandboxOptions = {}): Beds24Sandbox {
  return new Beds24Sandbox(options);
}
