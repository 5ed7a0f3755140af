import { setTimeout as wait } from 'node:timers/promises';

/** Time as a dependency: services read it from here so tests can move it. */
export interface Clock {
  now(): Date;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms) => wait(Math.max(0, ms)),
};
