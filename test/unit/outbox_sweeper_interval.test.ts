import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDb } from '../../src/db.ts';
import { OutboxSweeper } from '../../src/integrations/beds24/queue/outbox_sweeper.ts';
import { createLogger } from '../../src/logger.ts';

// Beds24Sync passes its optional sweepIntervalMs through as it is, so "not configured" arrives as undefined.
describe('the outbox sweeper interval', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each([
    { given: undefined, sweepsPerMinute: 2 },
    { given: 10_000, sweepsPerMinute: 6 },
  ])('sweeps every 30 s unless told otherwise (given $given)', async ({ given, sweepsPerMinute }) => {
    vi.useFakeTimers();
    // Never queried: sweep() is replaced below.
    const db = createDb({ url: 'postgres://unused@127.0.0.1:1/unused', poolMax: 1 });
    const sweeper = new OutboxSweeper({
      db,
      queue: { send: () => Promise.resolve(null), liveKeys: () => Promise.resolve(new Set<string>()) },
      logger: createLogger('silent'),
      intervalMs: given,
    });
    const sweep = vi.spyOn(sweeper, 'sweep').mockResolvedValue(0);
    sweeper.start();
    await vi.advanceTimersByTimeAsync(60_000);
    await sweeper.stop();
    await db.destroy();
    expect(sweep).toHaveBeenCalledTimes(sweepsPerMinute);
  });
});
