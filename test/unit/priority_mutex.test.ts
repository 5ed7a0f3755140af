import { describe, expect, it } from 'vitest';
import { PriorityMutex } from '../../src/integrations/beds24/client/priority_mutex.ts';
import { trimForLog } from '../../src/integrations/beds24/client/sync_log.ts';

describe('PriorityMutex', () => {
  it('serves waiters by priority, then in arrival order', async () => {
    const mutex = new PriorityMutex();
    const order: string[] = [];
    const first = await mutex.acquire('low');
    const waits = (['low', 'normal', 'critical', 'high', 'critical'] as const).map((priority, i) =>
      mutex.acquire(priority).then((release) => {
        order.push(`${priority}${i}`);
        release();
      }),
    );
    expect(mutex.waiting).toBe(5);
    first();
    await Promise.all(waits);
    expect(order).toEqual(['critical2', 'critical4', 'high3', 'normal1', 'low0']);
  });
});

describe('trimForLog', () => {
  it.each([
    [
      { firstName: 'Ada', lastName: 'L', email: 'a@b.c', phone: '1', roomId: 5, arrival: '2030-01-01' },
      { roomId: 5, arrival: '2030-01-01' },
    ],
    [{ token: 't', refreshToken: 'r', success: true }, { success: true }],
    [[{ id: 1, notes: 'private', custom10: 'pms:abc' }], [{ id: 1 }]],
    [
      { errors: [{ field: 'roomId', message: 'x'.repeat(400) }] },
      { errors: [{ field: 'roomId', message: `${'x'.repeat(300)}…` }] },
    ],
  ])('keeps identifiers and results, drops personal data and secrets: %j', (input, expected) => {
    expect(trimForLog(input)).toEqual(expected);
  });

  it('cuts long arrays', () => {
    const trimmed = trimForLog(Array.from({ length: 25 }, (_, id) => ({ id }))) as unknown[];
    expect(trimmed).toHaveLength(21);
    expect(trimmed[20]).toBe('… 5 more');
  });
});
