import { SandboxInputError, describeIssues } from './sandbox_errors.ts';
import {
  webhookFaultsSchema,
  type SandboxLogger,
  type WebhookFaults,
  type WebhookFaultsInput,
} from './sandbox_options.ts';

/** One notification Beds24 decided to send (a booking or an inventory webhook), before faults and retries. */
export interface WebhookNotification {
  kind: 'booking' | 'inventory';
  accountId: number;
  bookingId: number | null;
  roomId: number | null;
  /** The booking status the body carries (null for inventory webhooks). */
  status: string | null;
  /** Sandbox time of the change that caused it, ISO 8601. */
  eventAt: string;
  /** The property's `url` setting: one URL per line, each notified on its own. */
  url: string;
  /** `Name: value` lines, sent as HTTP headers. */
  customHeader: string;
  /** The JSON body of an attempt; `retries` counts the attempts before it. */
  body(retries: number): unknown;
}

export type DeliveryOutcome = 'delivered' | 'failed' | 'dropped' | 'cancelled';

/** One line of the delivery log: an attempt, or a notification the drop fault swallowed. */
export interface WebhookDelivery {
  /** Position in the log. */
  seq: number;
  /** Shared by the copies and attempts of one notification to one URL. */
  notificationId: number;
  kind: 'booking' | 'inventory';
  url: string;
  accountId: number;
  bookingId: number | null;
  roomId: number | null;
  status: string | null;
  eventAt: string;
  /** 1, or 2 for the extra copy the duplicate fault sends. */
  copy: number;
  /** 1 for the first try; the body's `retries` is attempt − 1. */
  attempt: number;
  outcome: DeliveryOutcome;
  /** The receiver's HTTP status; null when it did not answer (or nothing was sent). */
  answerStatus: number | null;
  error: string | null;
  willRetry: boolean;
}

interface Job {
  notification: WebhookNotification;
  notificationId: number;
  url: string;
  headers: Record<string, string>;
  copy: number;
  attempt: number;
  cancelled: boolean;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** `Name: value` lines; lines without a valid name are skipped (an HTTP client could not send them). */
export function parseCustomHeader(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    if (HEADER_NAME.test(name)) headers[name] = line.slice(colon + 1).trim();
  }
  return headers;
}

/**
 * Delivers webhooks asynchronously on real timers (not the injected clock), like Beds24's queue: an attempt
 * that gets no answer, or HTTP 400 or above, is retried after `retryDelayMs`, up to `maxRetries` times.
 * Faults draw from the injected random, only for knobs that are on, per notification and URL in this order:
 * drop, duplicate, then one delay per copy.
 */
export class WebhookSender {
  readonly #random: () => number;
  readonly #logger: SandboxLogger | undefined;
  #faults: WebhookFaults;
  readonly #defaults: WebhookFaults;
  readonly #log: WebhookDelivery[] = [];
  readonly #timers = new Map<NodeJS.Timeout, Job>();
  readonly #inFlight = new Map<AbortController, Job>();
  readonly #active = new Set<Job>();
  #idleWaiters: Array<() => void> = [];
  #nextNotificationId = 1;
  #nextSeq = 1;

  constructor(random: () => number, defaults: WebhookFaults, logger?: SandboxLogger) {
    this.#random = random;
    this.#defaults = structuredClone(defaults);
    this.#faults = structuredClone(defaults);
    this.#logger = logger;
  }

  get faults(): WebhookFaults {
    return structuredClone(this.#faults);
  }

  /** Replaces the knobs: the ones not given get their defaults, not their previous value. */
  setFaults(input: WebhookFaultsInput): WebhookFaults {
    const parsed = webhookFaultsSchema.safeParse(input);
    if (!parsed.success) throw new SandboxInputError(`invalid webhook faults: ${describeIssues(parsed.error)}`);
    const delay = parsed.data.delayMs;
    if (Array.isArray(delay) && delay[0] > delay[1]) {
      throw new SandboxInputError('invalid webhook faults: delayMs range must be [min, max]');
    }
    this.#faults = parsed.data;
    return this.faults;
  }

  /** Back to the knobs the sandbox was created with. */
  clearFaults(): void {
    this.#faults = structuredClone(this.#defaults);
  }

  get deliveries(): WebhookDelivery[] {
    return structuredClone(this.#log);
  }

  resetLog(): void {
    this.#log.length = 0;
  }

  /** Copies waiting for their delay or retry, or with an attempt in flight. */
  get pending(): number {
    return this.#active.size;
  }

  /** Resolves once nothing is pending (immediately when nothing is). */
  idle(): Promise<void> {
    if (this.#active.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  send(notification: WebhookNotification): void {
    const urls = notification.url
      .split(/\r?\n/)
      .map((u) => u.trim())
      .filter((u) => u !== '');
    const headers = parseCustomHeader(notification.customHeader);
    for (const url of urls) {
      const notificationId = this.#nextNotificationId++;
      const base = { notification, notificationId, url, headers, attempt: 1, cancelled: false };
      const faults = this.#faults;
      if (faults.dropRate > 0 && this.#random() < faults.dropRate) {
        this.#record({ ...base, copy: 1 }, 'dropped', null, null, false);
        continue;
      }
      const copies = faults.duplicateRate > 0 && this.#random() < faults.duplicateRate ? 2 : 1;
      for (let copy = 1; copy <= copies; copy++) {
        const job: Job = { ...base, copy };
        this.#active.add(job);
        this.#schedule(job, this.#delayMs());
      }
    }
  }

  /** Cancels every pending delivery (logged as `cancelled`); later notifications are sent as usual. */
  stop(): void {
    for (const [timer, job] of this.#timers) {
      clearTimeout(timer);
      this.#cancel(job);
    }
    this.#timers.clear();
    for (const [controller, job] of this.#inFlight) {
      this.#cancel(job);
      controller.abort();
    }
    this.#inFlight.clear();
    this.#settle();
  }

  #cancel(job: Job): void {
    job.cancelled = true;
    this.#active.delete(job);
    this.#record(job, 'cancelled', null, null, false);
  }

  #delayMs(): number {
    const delay = this.#faults.delayMs;
    if (!Array.isArray(delay)) return delay;
    const [min, max] = delay;
    return min === max ? min : min + this.#random() * (max - min);
  }

  #schedule(job: Job, delayMs: number): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      void this.#attempt(job);
    }, delayMs);
    // A pending webhook must not keep a finished test or CLI process alive.
    timer.unref();
    this.#timers.set(timer, job);
  }

  async #attempt(job: Job): Promise<void> {
    const controller = new AbortController();
    this.#inFlight.set(controller, job);
    const timeout = setTimeout(() => controller.abort(), this.#faults.timeoutMs);
    timeout.unref();
    let answerStatus: number | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(job.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...job.headers },
        body: JSON.stringify(job.notification.body(job.attempt - 1)),
        signal: controller.signal,
        redirect: 'manual',
      });
      answerStatus = res.status;
      await res.arrayBuffer();
    } catch (caught) {
      error = caught instanceof Error ? describeFetchError(caught) : String(caught);
    } finally {
      clearTimeout(timeout);
      this.#inFlight.delete(controller);
    }
    if (job.cancelled) return;
    // Beds24: "If there is no response or a response HTTP code of 400 or higher the notify will be retried".
    const delivered = answerStatus !== null && answerStatus < 400;
    const willRetry = !delivered && job.attempt <= this.#faults.maxRetries;
    this.#record(job, delivered ? 'delivered' : 'failed', answerStatus, error, willRetry);
    if (willRetry) {
      job.attempt++;
      this.#schedule(job, this.#faults.retryDelayMs);
      return;
    }
    if (!delivered) {
      const { kind, bookingId } = job.notification;
      this.#logger?.debug({ kind, bookingId }, 'beds24 sandbox gave up a webhook');
    }
    this.#active.delete(job);
    this.#settle();
  }

  #record(
    job: Job,
    outcome: DeliveryOutcome,
    answerStatus: number | null,
    error: string | null,
    willRetry: boolean,
  ): void {
    const n = job.notification;
    this.#log.push({
      seq: this.#nextSeq++,
      notificationId: job.notificationId,
      kind: n.kind,
      url: job.url,
      accountId: n.accountId,
      bookingId: n.bookingId,
      roomId: n.roomId,
      status: n.status,
      eventAt: n.eventAt,
      copy: job.copy,
      attempt: job.attempt,
      outcome,
      answerStatus,
      error,
      willRetry,
    });
  }

  #settle(): void {
    if (this.#active.size > 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** undici hides the useful part (ECONNREFUSED...) in `cause`. */
function describeFetchError(error: Error): string {
  const cause = (error as { cause?: unknown }).cause;
  if (error.name === 'AbortError') return 'no answer before timeoutMs';
  if (cause instanceof Error) return (cause as NodeJS.ErrnoException).code ?? cause.message;
  return error.message;
}
