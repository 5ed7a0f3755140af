/**
 * Question: what does bringing channel bookings into the PMS cost in Beds24 credits, and how long after a
 * channel books is the reservation in the PMS, with the booking webhook on and with pulls only?
 * 100 channel bookings per scenario, one every 200 ms (Beds24 records them by itself and, when the webhook
 * is on, notifies the PMS; no faults). Latency: from the booking made in Beds24 to the reservation's row
 * in the PMS (polled every 10 ms). Credits: every Beds24 call of the account from the first booking until
 * all are imported and the sync is idle, as the sandbox meters them; "reading bookings" counts only
 * GET /bookings (pulls and reads by id), "all" adds the calendar writes the imports cause.
 *   (a) webhook on, pulls every 300 s (the product's default BEDS24_PULL_INTERVAL_SECONDS);
 *   (b) webhook on, pulls every 5 s;
 *   (c) pulls only (no webhook), every 5 s.
 */
import { addDays, todayIn } from '../src/utils/dates.ts';
import {
  WEBHOOK_TOKEN,
  connectedProperty,
  percentile,
  printTable,
  startBenchEnv,
  waitIdle,
  type BenchEnv,
} from './bench_env.ts';

const BOOKINGS = 100;
const SPACING_MS = 200;
const today = todayIn('UTC', new Date());

async function scenario(env: BenchEnv, label: string, webhook: boolean): Promise<Record<string, string | number>> {
  const property = await connectedProperty(env, label, 5, 10, true);
  // The full import at connect time, and its calendar push, are not part of the question.
  await waitForFirstPull(env, property.propertyId);
  await waitIdle(env.db);
  if (webhook) {
    env.sandbox.setPropertyWebhooks(property.beds24PropertyId, {
      url: `${env.baseUrl}/webhooks/beds24`,
      version: 'twoNoPersonalData',
      customHeader: `X-Webhook-Token: ${WEBHOOK_TOKEN}`,
    });
  }
  env.sandbox.resetRequestLog();
  const started = performance.now();
  const madeAt = new Map<number, number>();
  const latencies: number[] = [];
  let making = true;
  const watching = (async () => {
    while (making || madeAt.size > 0) {
      if (madeAt.size > 0) {
        const seen: number[] = await env
          .db('reservations')
          .where({ property_id: property.propertyId })
          .whereIn('beds24_booking_id', [...madeAt.keys()])
          .distinct()
          .pluck('beds24_booking_id');
        const now = performance.now();
        for (const id of seen) {
          latencies.push(now - madeAt.get(id)!);
          madeAt.delete(id);
        }
      }
      if (performance.now() - started > 600_000) throw new Error('bookings not imported within 10 minutes');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  })();
  for (let i = 0; i < BOOKINGS; i += 1) {
    const offset = 2 + ((i * 7) % 200);
    const [result] = env.sandbox.addBookings(property.accountId, [
      {
        roomId: property.beds24RoomIds[i % property.beds24RoomIds.length],
        arrival: addDays(today, offset),
        departure: addDays(today, offset + 1 + (i % 3)),
        status: 'confirmed',
        numAdult: 2,
        lastName: `Channel ${i}`,
        channel: 'booking',
        apiReference: `BDC-${label}-${i}`,
        price: 180,
      },
    ]);
    if (!result?.success) throw new Error(`channel booking refused: ${JSON.stringify(result)}`);
    madeAt.set((result.new as { id: number }).id, performance.now());
    await new Promise((resolve) => setTimeout(resolve, SPACING_MS));
  }
  making = false;
  await watching;
  await env.sandbox.webhooksIdle();
  await waitIdle(env.db);
  const windowSeconds = (performance.now() - started) / 1000;

  const requests = env.sandbox.requests.filter((r) => r.accountId === property.accountId);
  const reads = requests.filter((r) => r.method === 'GET' && r.path === '/bookings');
  const credits = (list: typeof requests): string =>
    ((list.reduce((sum, r) => sum + r.cost, 0) * 100) / BOOKINGS).toFixed(1);
  const sorted = latencies.sort((a, b) => a - b);
  return {
    scenario: label,
    bookings: sorted.length,
    p50_s: (percentile(sorted, 50) / 1000).toFixed(2),
    p99_s: (percentile(sorted, 99) / 1000).toFixed(2),
    max_s: (sorted.at(-1)! / 1000).toFixed(2),
    'GET /bookings calls': reads.length,
    'credits per 100, reading bookings': credits(reads),
    'credits per 100, all': credits(requests),
    window_s: windowSeconds.toFixed(0),
  };
}

async function waitForFirstPull(env: BenchEnv, propertyId: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await env.db('beds24_pull_state').where({ property_id: propertyId }).whereNotNull('cursor').first())) {
    if (Date.now() > deadline) throw new Error('no pull within 60 s of connecting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const rows: Array<Record<string, string | number>> = [];
const slow = await startBenchEnv({ workers: true, horizonDays: 365, pullIntervalSeconds: 300 });
try {
  rows.push(await scenario(slow, '(a) webhook on, pulls every 300 s', true));
} finally {
  await slow.close();
}
const fast = await startBenchEnv({ workers: true, horizonDays: 365, pullIntervalSeconds: 5 });
try {
  rows.push(await scenario(fast, '(b) webhook on, pulls every 5 s', true));
  rows.push(await scenario(fast, '(c) pulls only, every 5 s', false));
} finally {
  await fast.close();
}
printTable(
  `${BOOKINGS} channel bookings, one every ${SPACING_MS} ms: time to the PMS reservation, and Beds24 credits`,
  rows,
);
