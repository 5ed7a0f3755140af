import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectWithinCreditWindows } from '../helpers/credit_windows.ts';
import {
  burst,
  connectedProperty,
  expectConverged,
  startE2eWorld,
  waitConverged,
  type E2eServer,
  type E2eWorld,
} from './e2e_harness.ts';

let world: E2eWorld;
let server: E2eServer;

beforeAll(async () => {
  world = await startE2eWorld();
  server = await world.startServer();
});

afterAll(async () => {
  await world.close();
});

describe('end to end, the server as a child process', () => {
  it('converges after a burst of 300 mixed edits at concurrency 8', async () => {
    const property = await connectedProperty(world, server, 3, 4);
    await waitConverged(server, property.propertyId);
    const { accepted } = await burst([server], property, 300, 8, 11);
    expect(accepted).toBeGreaterThan(150);
    await waitConverged(server, property.propertyId);
    await expectConverged(world, server, property);
  }, 180_000);

  it('converges through 15% errors, 10% lost answers, tokens expiring every 30 s and a 40-credit window, without duplicates or overspending', async () => {
    const property = await connectedProperty(world, server, 3, 4);
    await waitConverged(server, property.propertyId);
    world.sandbox.setTokenTtl(property.accountId, 30);
    world.sandbox.invalidateTokens(property.accountId);
    world.sandbox.setCreditWindow(property.accountId, { limit: 40, windowSeconds: 30 });
    world.sandbox.setFaults({ errorRate: 0.15, dropRate: 0.1 });
    world.sandbox.resetRequestLog();
    await burst([server], property, 300, 8, 22);
    // Coalescing makes a burst cost few Beds24 calls: more rounds until both faults really happened.
    const seen = (fault: 'error' | 'drop'): boolean => world.sandbox.requests.some((r) => r.fault === fault);
    for (let round = 0; round < 20 && !(seen('error') && seen('drop')); round += 1) {
      await waitConverged(server, property.propertyId, 240_000);
      await burst([server], property, 20, 4, 100 + round);
    }
    await waitConverged(server, property.propertyId, 240_000);
    world.sandbox.clearFaults();
    await expectConverged(world, server, property);

    // Error pages are answered before the token is read, so they carry no account; nothing else is active now.
    const requests = world.sandbox.requests.filter((r) => r.accountId === property.accountId || r.accountId === null);
    expect(requests.filter((r) => r.fault === 'error').length).toBeGreaterThan(0);
    expect(requests.filter((r) => r.dropped).length).toBeGreaterThan(0);
    expect(requests.filter((r) => r.status === 429)).toEqual([]);
    expectWithinCreditWindows(requests, 40, 30);
  }, 300_000);

  it('catches up on its own after Beds24 was down (connection refused)', async () => {
    const property = await connectedProperty(world, server, 2, 3);
    await waitConverged(server, property.propertyId);
    await world.sandbox.close();
    await burst([server], property, 60, 4, 33);
    await new Promise((resolve) => setTimeout(resolve, 8000));
    const during = await server.admin('GET', `/api/admin/beds24/status?property_id=${property.propertyId}`);
    expect(during.body.oldest_pending_change_age_s).toBeGreaterThan(0);
    await world.sandbox.listen(world.sandboxPort);
    await waitConverged(server, property.propertyId, 240_000);
    await expectConverged(world, server, property);
  }, 300_000);
});
