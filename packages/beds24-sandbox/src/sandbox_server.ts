import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { unsuccessful, type ItemResult } from './api_answers.ts';
import { mountEndpoints, type SandboxRuntime } from './api_pipeline.ts';
import { authEndpoints } from './auth_routes.ts';
import type { BookingChange } from './booking_change.ts';
import { bookingEndpoints } from './booking_routes.ts';
import { bookingView, deleteBookings, writeBookings } from './booking_store.ts';
import { calendarEndpoints } from './calendar_routes.ts';
import { editCalendar, readDays, type CalendarDay } from './calendar_store.ts';
import { isCalendarDate } from './dates.ts';
import { FaultInjector } from './faults.ts';
import type { NightAvailability } from './inventory_model.ts';
import {
  InvariantRecorder,
  availability,
  overPublished,
  type InvariantViolation,
  type OverPublishedNight,
} from './invariant_recorder.ts';
import { propertyEndpoints } from './property_routes.ts';
import { RequestLog, type RequestLogEntry } from './request_log.ts';
import { createAdminRouter } from './sandbox_admin_routes.ts';
import type {
  AdminBookingOptions,
  CreditStatus,
  InventoryWebhookInput,
  PropertyWebhooksInput,
  SandboxBookingView,
  SandboxControl,
} from './sandbox_control.ts';
import { SandboxError, SandboxInputError, describeIssues } from './sandbox_errors.ts';
import {
  INVENTORY_MODELS,
  inventoryWebhookSchema,
  propertyWebhooksSchema,
  type InventoryModel,
  type InventoryWebhook,
  type PropertyWebhooks,
} from './sandbox_model.ts';
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
  type SandboxLogger,
  type SandboxOptions,
  type WebhookFaults,
  type WebhookFaultsInput,
} from './sandbox_options.ts';
import { SandboxState } from './sandbox_state.ts';
import { StatePersister } from './state_persister.ts';
import { bookingNotification, firesBookingWebhook, inventoryNotification, roomsTouched } from './webhook_payloads.ts';
import { WebhookSender, type WebhookDelivery } from './webhook_sender.ts';

/**
 * An in-process imitation of the Beds24 API v2 (served under /v2) with a control surface for tests and
 * demos: the methods below, mirrored over HTTP under /_sandbox.
 */
export class Beds24Sandbox implements SandboxControl {
  readonly app: Express;
  readonly #state: SandboxState;
  readonly #faults: FaultInjector;
  readonly #log = new RequestLog();
  readonly #persister: StatePersister | undefined;
  readonly #logger: SandboxLogger | undefined;
  readonly #webhooks: WebhookSender;
  readonly #invariants = new InvariantRecorder();
  #costs: CostTable;
  #server: Server | undefined;
  readonly #sockets = new Set<Socket>();
  #url: string | undefined;

  constructor(options: SandboxOptions = {}) {
    const parsed = sandboxDataOptionsSchema.safeParse({
      persistFile: options.persistFile,
      pageSize: options.pageSize,
      costs: options.costs,
      inventoryModel: options.inventoryModel,
      webhookFaults: options.webhookFaults,
    });
    if (!parsed.success) throw new SandboxInputError(`invalid sandbox options: ${describeIssues(parsed.error)}`);
    const clock = options.clock ?? (() => new Date());
    const random = options.random ?? Math.random;
    this.#logger = options.logger;
    this.#costs = { ...DEFAULT_COSTS, ...parsed.data.costs };
    this.#faults = new FaultInjector(random);
    this.#webhooks = new WebhookSender(random, parsed.data.webhookFaults, this.#logger);
    this.#state = new SandboxState({
      clock,
      onChange: () => this.#persister?.markDirty(),
      defaultInventoryModel: parsed.data.inventoryModel,
      onBookingChange: (change) => this.#notifyBookingChange(change),
      onCalendarChange: (roomId) => this.#notifyInventory(roomId),
    });
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
    if (this.#server !== undefined)
      throw new SandboxError('sandbox_already_listening', 409, `the sandbox already listens on ${this.#url ?? '?'}`);
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
   * Pending webhook deliveries are cancelled.
   */
  async close(): Promise<void> {
    this.#webhooks.stop();
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
      .map(
        (b) =>
          ({
            ...bookingView(b, { infoItems: true, invoiceItems: true }),
            accountId: b.accountId,
          }) as SandboxBookingView,
      );
  }

  /**
   * Creates (no `id`) or modifies (`id`) bookings as Beds24 does for a channel booking: no credits,
   * channel-only fields allowed (`apiReference`, `channel`, `apiSourceId`...), bookingTime/modifiedTime
   * stamped from the sandbox clock, the property's booking webhook sent for every change.
   */
  addBookings(accountId: number, items: unknown[], options: AdminBookingOptions = {}): ItemResult[] {
    this.#state.account(accountId);
    return writeBookings(this.#state, accountId, items, { admin: true, ...options });
  }

  /** A channel modification of one booking: dates, room, guest, status (`cancelled` stamps cancelTime)... */
  modifyBooking(
    accountId: number,
    bookingId: number,
    changes: Record<string, unknown>,
    options: AdminBookingOptions = {},
  ): ItemResult {
    const [result] = this.addBookings(accountId, [{ ...changes, id: bookingId }], options);
    return result ?? { success: false };
  }

  /** Removes bookings for good, as a hotelier deleting them in Beds24 (no booking webhook: nothing left to send). */
  deleteBookings(accountId: number, ids: number[]): ItemResult[] {
    this.#state.account(accountId);
    return deleteBookings(this.#state, accountId, ids, 'admin');
  }

  inventoryModel(accountId: number): InventoryModel {
    this.#state.account(accountId);
    return this.#state.inventoryModelOf(accountId);
  }

  /** Written numAvail values are kept; the model decides what is read from now on and how bookings move them. */
  setInventoryModel(accountId: number, model: InventoryModel): InventoryModel {
    if (!INVENTORY_MODELS.includes(model)) {
      throw new SandboxInputError(`inventory model must be one of ${INVENTORY_MODELS.join(', ')}`);
    }
    this.#state.setInventoryModel(accountId, model);
    return model;
  }

  /** Per night: qty, blocking units, truly free, written and effective numAvail, override. */
  availability(roomId: number, from: string, to: string): NightAvailability[] {
    checkRange(from, to);
    return availability(this.#state, roomId, from, to);
  }

  /** Nights whose current effective numAvail exceeds the units truly free. */
  overPublished(roomId: number, from: string, to: string): OverPublishedNight[] {
    checkRange(from, to);
    return overPublished(this.#state, roomId, from, to);
  }

  /** Every calendar write so far that published a night above its truly free units. */
  invariantViolations(): InvariantViolation[] {
    return this.#invariants.violations;
  }

  resetInvariantViolations(): void {
    this.#invariants.reset();
  }

  /** Sandbox time of the account's latest GET /bookings answer, ISO 8601; null before the first. */
  lastBookingsReadAt(accountId: number): string | null {
    this.#state.account(accountId);
    return this.#invariants.lastBookingsReadAt(accountId);
  }

  propertyWebhooks(propertyId: number): PropertyWebhooks | null {
    return this.#state.property(propertyId).webhooks ?? null;
  }

  /**
   * The property's booking webhook as the Beds24 settings page would set it (version defaults to
   * `twoWithPersonalData`, additionalData to `none`, customHeader to ''); null turns it off.
   */
  setPropertyWebhooks(propertyId: number, webhooks: PropertyWebhooksInput | null): PropertyWebhooks | null {
    this.#state.property(propertyId);
    if (webhooks === null) {
      this.#state.setPropertyWebhooks(propertyId, undefined);
      return null;
    }
    const defaults = { version: 'twoWithPersonalData', additionalData: 'none', customHeader: '' };
    const parsed = propertyWebhooksSchema.safeParse({ ...defaults, ...webhooks });
    if (!parsed.success) throw new SandboxInputError(`invalid webhooks: ${describeIssues(parsed.error)}`);
    this.#state.setPropertyWebhooks(propertyId, parsed.data);
    return parsed.data;
  }

  inventoryWebhook(accountId: number): InventoryWebhook | null {
    return this.#state.account(accountId).inventoryWebhook ?? null;
  }

  /** The account's inventory webhook (`SYNC_ROOM` per room on booking, availability or price changes); null: off. */
  setInventoryWebhook(accountId: number, webhook: InventoryWebhookInput | null): InventoryWebhook | null {
    this.#state.account(accountId);
    if (webhook === null) {
      this.#state.setInventoryWebhook(accountId, null);
      return null;
    }
    const parsed = inventoryWebhookSchema.safeParse(webhook);
    if (!parsed.success) throw new SandboxInputError(`invalid inventory webhook: ${describeIssues(parsed.error)}`);
    this.#state.setInventoryWebhook(accountId, parsed.data);
    return parsed.data;
  }

  get webhookFaults(): WebhookFaults {
    return this.#webhooks.faults;
  }

  setWebhookFaults(faults: WebhookFaultsInput): WebhookFaults {
    return this.#webhooks.setFaults(faults);
  }

  clearWebhookFaults(): void {
    this.#webhooks.clearFaults();
  }

  /** Every delivery attempt (and dropped or cancelled notification), oldest first. */
  webhookDeliveries(): WebhookDelivery[] {
    return this.#webhooks.deliveries;
  }

  resetWebhookDeliveries(): void {
    this.#webhooks.resetLog();
  }

  /** Webhook copies waiting for their delay or a retry, or in flight. */
  get pendingWebhooks(): number {
    return this.#webhooks.pending;
  }

  /** Resolves once no webhook delivery is pending (a receiver that never answers 2xx delays it by the retries). */
  webhooksIdle(): Promise<void> {
    return this.#webhooks.idle();
  }

  /** Stored values of every day from `from` to `to` inclusive. */
  calendar(roomId: number, from: string, to: string): CalendarDay[] {
    if (!isCalendarDate(from) || !isCalendarDate(to) || from > to)
      throw new SandboxInputError('from and to must be YYYY-MM-DD dates with from <= to');
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

  get requestsInFlight(): number {
    return this.#log.inFlight;
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
    if (!parsed.success)
      throw new SandboxInputError('credit window needs a positive limit and a positive whole windowSeconds');
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

  #notifyBookingChange(change: BookingChange): void {
    if (firesBookingWebhook(change)) {
      const notification = bookingNotification(this.#state, change);
      if (notification !== undefined) this.#webhooks.send(notification);
    }
    for (const roomId of roomsTouched(change)) this.#notifyInventory(roomId);
  }

  #notifyInventory(roomId: number): void {
    const notification = inventoryNotification(this.#state, roomId);
    if (notification !== undefined) this.#webhooks.send(notification);
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
    const endpoints = [
      ...authEndpoints(),
      ...bookingEndpoints(this.#invariants),
      ...calendarEndpoints(this.#invariants),
      ...propertyEndpoints(),
    ];
    mountEndpoints(v2, endpoints, runtime);
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
      if (error instanceof SandboxError) {
        res.status(error.status).json(unsuccessful(error.status, error.message));
        return;
      }
      this.#logger?.error({ err: error, method: req.method, path: req.path }, 'beds24 sandbox failed');
      res.status(500).json(unsuccessful(500, 'Internal error'));
    };
  }
}

function checkRange(from: string, to: string): void {
  if (!isCalendarDate(from) || !isCalendarDate(to) || from > to) {
    throw new SandboxInputError('from and to must be YYYY-MM-DD dates with from <= to');
  }
}

export function createBeds24Sandbox(options: SandboxOptions = {}): Beds24Sandbox {
  return new Beds24Sandbox(options);
}
