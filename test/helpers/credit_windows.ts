import { expect } from 'vitest';
import type { RequestLogEntry } from '@pms/beds24-sandbox';

/**
 * Replays the sandbox's fixed credit windows over its request log: a window opens at the first charged
 * request and lasts `windowSeconds`; what was charged inside any window must stay within `limit`.
 */
export function expectWithinCreditWindows(
  requests: readonly RequestLogEntry[],
  limit: number,
  windowSeconds: number,
): void {
  const charged = requests.filter((r) => r.cost > 0);
  let windowStart = Number.NEGATIVE_INFINITY;
  let spent = 0;
  for (const request of charged) {
    const at = Date.parse(request.time);
    if (at >= windowStart + windowSeconds * 1000) {
      windowStart = at;
      spent = 0;
    }
    spent += request.cost;
    expect(spent, `credits spent in the window opened at ${new Date(windowStart).toISOString()}`).toBeLessThanOrEqual(
      limit,
    );
  }
}
