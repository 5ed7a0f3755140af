import { AppError } from '../../../errors.ts';

export interface Beds24ItemError {
  action?: string;
  field?: string;
  message: string;
}

/** Base of every failure the Beds24 client reports; `retryable` tells the queue whether to try again. */
export class Beds24Error extends AppError {
  readonly retryable: boolean;

  constructor(code: string, message: string, retryable: boolean) {
    super(code, 502, message);
    this.retryable = retryable;
  }
}

/**
 * Network errors, timeouts, 5xx and HTML error pages. `ambiguous` means the request may have been applied
 * before the answer was lost, so a non-idempotent write must not simply be sent again.
 */
export class Beds24TransientError extends Beds24Error {
  readonly ambiguous: boolean;

  constructor(message: string, ambiguous: boolean) {
    super('beds24_transient', message, true);
    this.ambiguous = ambiguous;
  }
}

export class Beds24RateLimitedError extends Beds24Error {
  readonly resetsInSeconds: number;

  constructor(resetsInSeconds: number) {
    super('beds24_rate_limited', `Beds24 credit limit reached; resets in ${resetsInSeconds} s`, true);
    this.resetsInSeconds = resetsInSeconds;
  }
}

/**
 * A call made with `wait: false` that would have to wait for the credit window to reset. Nothing was sent:
 * the caller gives the work back and tries again at `resumeAt` instead of holding anything while it waits.
 */
export class Beds24CreditsDeferredError extends Beds24Error {
  readonly resumeAt: Date;
  readonly waitMs: number;

  constructor(resumeAt: Date, waitMs: number) {
    const message = `Beds24 credits are below this call's reserve until ${resumeAt.toISOString()}`;
    super('beds24_credits_deferred', message, true);
    this.resumeAt = resumeAt;
    this.waitMs = waitMs;
  }
}

export class Beds24AuthError extends Beds24Error {
  constructor(message: string) {
    super('beds24_auth', message, false);
  }
}

/** Beds24 refused the request or one of its items, with its own message: retrying the same data is pointless. */
export class Beds24ValidationError extends Beds24Error {
  readonly itemErrors: Beds24ItemError[];

  constructor(message: string, itemErrors: Beds24ItemError[] = []) {
    super('beds24_validation', message, false);
    this.itemErrors = itemErrors;
  }
}

export class Beds24UnexpectedAnswerError extends Beds24Error {
  constructor(message: string) {
    super('beds24_unexpected_answer', message, false);
  }
}

/** This process was started without a Beds24 API URL (a command that works on the database only). */
export class Beds24NotConfiguredError extends AppError {
  constructor() {
    super('beds24_not_configured', 500, 'no Beds24 API URL is configured in this process');
  }
}
