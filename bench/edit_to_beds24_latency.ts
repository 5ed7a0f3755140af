/**
 * Question: how long after a staff member's save is the change in Beds24? Measured from the HTTP answer
 * to the moment the sandbox holds the booking (looked for after each request it answers), (a) idle: one new
 * reservation at a time, and (b) in a burst: 200 new reservations at concurrency 8. The product's own
 * settings: 1 s debounce, 0.5 s polling.
 */
import { addDays, todayIn } from '../src/utils/dates.ts';
import {
  bookingArrivals,
  connectedProperty,
  percentile,
  printTable,
  startBenchEnv,
  waitIdle,
  type BenchEnv,
  type BookingArrivals,
} from './bench_env.ts';

const today = todayIn('UTC', new Date());

async function timeToBeds24(env: BenchEnv, arrivals: BookingArrivals, rooms: string[], i: number): Promise<number> {
  const offset = 2 + Math.floor(i / rooms.length) * 2;
  const res = await env.api<{ id: string }>('POST', '/api/reservations', {
    room_id: rooms[i % rooms.length],
    guest: { first_name: 'Latency', last_name: `Guest ${i}` },
    check_in: addDays(today, offset),
    check_out: addDays(today, offset + 1),
    adults: 1,
  });
  if (res.status !== 201) throw new Error(`create failed: ${JSON.stringify(res.body)}`);
  const saved = performance.now();
  return (await arrivals.arrived(`PMS:${res.body.id}`)) - saved;
}

function row(label: string, samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    scenario: label,
    edits: sorted.length,
    p50_s: (percentile(sorted, 50) / 1000).toFixed(2),
    p99_s: (percentile(sorted, 99) / 1000).toFixed(2),
    max_s: (sorted.at(-1)! / 1000).toFixed(2),
  };
}

const env = await startBenchEnv({ workers: true });
try {
  const { rooms } = await connectedProperty(env, 'Latency hotel', 5, 10, true);
  const arrivals = bookingArrivals(env.sandbox);
  await waitIdle(env.db);
  const idle: number[] = [];
  for (let i = 0; i < 30; i += 1) idle.push(await timeToBeds24(env, arrivals, rooms, i));
  await waitIdle(env.db);
  const inBurst: number[] = [];
  let next = 100;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < 300) inBurst.push(await timeToBeds24(env, arrivals, rooms, next++));
    }),
  );
  printTable('Time from the saved edit (HTTP answer) to the booking in Beds24', [
    row('(a) idle, one edit at a time', idle),
    row('(b) burst, 200 edits at concurrency 8', inBurst),
  ]);
} finally {
  await env.close();
}
