import type { Account } from './sandbox_model.ts';

export interface CreditMeter {
  limit: number;
  /** Credits left in the current window, after the request that is being answered. */
  remaining: number;
  /** Whole seconds (rounded up) until the window ends and the credits return to `limit`. */
  resetsInSeconds: number;
}

/** Credits are kept in thousandths so decimal costs such as 1.2 never accumulate float noise. */
export function toMilliCredits(credits: number): number {
  return Math.round(credits * 1000);
}

export function fromMilliCredits(milli: number): number {
  return milli / 1000;
}

/**
 * Beds24's fixed credit window of one account: it opens at the first charged request, lasts
 * `windowSeconds`, and the next charged request after that opens a fresh one with the full limit.
 */
export class CreditWindow {
  readonly #account: Account;

  constructor(account: Account) {
    this.#account = account;
  }

  meter(nowMs: number): CreditMeter {
    const { credit, creditLimit, windowSeconds } = this.#account;
    if (!this.#isOpen(nowMs) || credit.windowStartedAtMs === null) {
      return { limit: creditLimit, remaining: creditLimit, resetsInSeconds: windowSeconds };
    }
    const endsAtMs = credit.windowStartedAtMs + windowSeconds * 1000;
    return {
      limit: creditLimit,
      remaining: fromMilliCredits(toMilliCredits(creditLimit) - credit.spentMilli),
      resetsInSeconds: Math.max(1, Math.ceil((endsAtMs - nowMs) / 1000)),
    };
  }

  canAfford(cost: number, nowMs: number): boolean {
    return toMilliCredits(this.meter(nowMs).remaining) >= toMilliCredits(cost);
  }

  charge(cost: number, nowMs: number): CreditMeter {
    const { credit } = this.#account;
    if (!this.#isOpen(nowMs)) {
      credit.windowStartedAtMs = nowMs;
      credit.spentMilli = 0;
    }
    credit.spentMilli += toMilliCredits(cost);
    return this.meter(nowMs);
  }

  reset(): void {
    this.#account.credit.windowStartedAtMs = null;
    this.#account.credit.spentMilli = 0;
  }

  #isOpen(nowMs: number): boolean {
    const started = this.#account.credit.windowStartedAtMs;
    return started !== null && nowMs < started + this.#account.windowSeconds * 1000;
  }
}
