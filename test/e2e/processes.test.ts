import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectWithinCreditWindows } from '../helpers/credit_windows.ts';
import {
  burst,
  connectedProperty,
  expectConverged,
  startE2eWorld,
  waitConverged,
  type E2eWorld,
} from './e2e_harness.ts';

let world: E2eWorld;

beforeAll(async () => {
  world = await startE2eWorld();
});

afterAll(async () => {
  await world.close();
});

describe('processes', () => {
  it('loses nothing and duplicates nothing when the server is SIGKILLed in the middle of a burst', async () => {
    const first = await world.startServer();
    const property = await connectedProperty(world, first, 2, 4);
    await waitConverged(first, property.propertyId);
    world.sandbox.setFaults({ latencyMs: [50, 250] });
    const running = burst([first], property, 200, 8, 44).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    await first.kill();
    await running;
    world.sandbox.clearFaults();

    const second = await world.startServer();
    await waitConverged(second, property.propertyId, 150_000);
    await expectConverged(world, second, property);
    await second.stop();
  }, 240_000);

  it('two app processes on one database converge, push one call at a time per account, and share the credit budget', async () => {
    const a = await world.startServer();
    const b = await world.startServer();
    const property = await connectedProperty(world, a, 3, 4);
    await waitConverged(a, property.propertyId);
    world.sandbox.setCreditWindow(property.accountId, { limit: 40, windowSeconds: 20 });
    world.sandbox.setFaults({ latencyMs: 40 });
    world.sandbox.resetRequestLog();
    await burst([a, b], property, 240, 8, 55);
    await waitConverged(b, property.propertyId, 150_000);
    world.sandbox.clearFaults();
    await expectConverged(world, a, property);

    const charged = world.sandbox.requests.filter((r) => r.accountId === property.accountId && r.cost > 0);
    expect(charged.filter((r) => r.status === 429)).toEqual([]);
    // Every call takes 40 ms in Beds24: calls that overlapped would start less than that apart.
    for (let i = 1; i < charged.length; i += 1) {
      expect(Date.parse(charged[i]!.time) - Date.parse(charged[i - 1]!.time)).toBeGreaterThanOrEqual(39);
    }
    expectWithinCreditWindows(charged, 40, 20);
    await a.stop();
    await b.stop();
  }, 240_000);
});
