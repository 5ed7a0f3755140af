import type { Clock } from '../../src/clock.ts';

export interface FakeClock extends Clock {
  sleeps: number[];
  advance(ms: number): void;
}

/** A clock whose sleep returns at once and moves time forward, recording how long each wait was. */
export function fakeClock(start: Date = new Date()): FakeClock {
  let now = start.getTime();
  const sleeps: number[] = [];
  return {
    now: () => new Date(now),
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
      await new Promise((resolve) => setImmediate(resolve));
    },
    sleeps,
    advance: (ms) => {
      now += ms;
    },
  };
}
