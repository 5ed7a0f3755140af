import { fromMilliCredits, toMilliCredits } from './credit_window.ts';

export interface RequestLogEntry {
  /** Request start on the injected clock, ISO 8601. */
  time: string;
  /** The account the request was charged to or authenticated as; null when unknown (bad token, bad code). */
  accountId: number | null;
  method: string;
  /** Path relative to /v2, e.g. '/bookings'. */
  path: string;
  /** Raw query string without '?', to check how array parameters were sent. */
  query: string;
  /** The status sent, or that would have been sent when the answer was dropped. */
  status: number;
  cost: number;
  /** Credits left after this request; null when the answer carried no meter headers. */
  remaining: number | null;
  fault: 'error' | 'drop' | null;
  /** True when the request was applied but the client never got the answer. */
  dropped: boolean;
}

/** Every /v2 request, for assertions like "no 429 was ever received" or "the sync spent 14 credits". */
export class RequestLog {
  readonly #entries: RequestLogEntry[] = [];
  readonly #spentMilli = new Map<number, number>();
  #inFlight = 0;

  get entries(): readonly RequestLogEntry[] {
    return this.#entries;
  }

  record(entry: RequestLogEntry): void {
    this.#entries.push(entry);
    if (entry.accountId !== null && entry.cost > 0) {
      this.#spentMilli.set(entry.accountId, (this.#spentMilli.get(entry.accountId) ?? 0) + toMilliCredits(entry.cost));
    }
  }

  /** Requests received and not answered yet (a test waits for a call to be on its way). */
  get inFlight(): number {
    return this.#inFlight;
  }

  opened(): void {
    this.#inFlight += 1;
  }

  closed(): void {
    this.#inFlight -= 1;
  }

  /** Credits the account spent since the sandbox started or the log was last reset. */
  creditsSpent(accountId: number): number {
    return fromMilliCredits(this.#spentMilli.get(accountId) ?? 0);
  }

  reset(): void {
    this.#entries.length = 0;
    this.#spentMilli.clear();
  }
}
