/**
 * Question: how much does the sync add to a staff member's save? Reservation creation over HTTP, sync on
 * (property connected: the hook writes the outbox row and the pg-boss job in the same transaction) next
 * to sync off (property not connected), interleaved request by request in one run so both see the same
 * machine. Workers are off so that only the write path is measured.
 */
import { connectedProperty, percentile, printTable, startBenchEnv } from './bench_env.ts';

const N = Number(process.env.BENCH_N ?? 400);
const env = await startBenchEnv({ workers: false });
try {
  const on = await connectedProperty(env, 'Sync on', 10, 10, true);
  const off = await connectedProperty(env, 'Sync off', 10, 10, false);
  const timings = { on: [] as number[], off: [] as number[] };
  const create = async (rooms: string[], i: number): Promise<number> => {
    const nightOffset = 10 + Math.floor(i / rooms.length) * 2;
    const start = performance.now();
    const res = await env.api('POST', '/api/reservations', {
      room_id: rooms[i % rooms.length],
      guest: { first_name: 'Bench', last_name: `Guest ${i}`, email: `guest${i}@example.com` },
      check_in: new Date(Date.now() + nightOffset * 86_400_000).toISOString().slice(0, 10),
      check_out: new Date(Date.now() + (nightOffset + 1) * 86_400_000).toISOString().slice(0, 10),
      adults: 2,
    });
    if (res.status !== 201) throw new Error(`create failed: ${JSON.stringify(res.body)}`);
    return performance.now() - start;
  };
  for (let i = 0; i < 30; i += 1) {
    await create(on.rooms, i);
    await create(off.rooms, i);
  }
  for (let i = 30; i < N + 30; i += 1) {
    timings.on.push(await create(on.rooms, i));
    timings.off.push(await create(off.rooms, i));
  }
  const row = (name: string, values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return {
      sync: name,
      requests: sorted.length,
      p50_ms: percentile(sorted, 50).toFixed(2),
      p90_ms: percentile(sorted, 90).toFixed(2),
      p99_ms: percentile(sorted, 99).toFixed(2),
    };
  };
  const onRow = row('on', timings.on);
  const offRow = row('off', timings.off);
  printTable(`POST /api/reservations latency, ${N} requests each, interleaved`, [
    onRow,
    offRow,
    {
      sync: 'added by sync',
      requests: N,
      p50_ms: (Number(onRow.p50_ms) - Number(offRow.p50_ms)).toFixed(2),
      p90_ms: (Number(onRow.p90_ms) - Number(offRow.p90_ms)).toFixed(2),
      p99_ms: (Number(onRow.p99_ms) - Number(offRow.p99_ms)).toFixed(2),
    },
  ]);
} finally {
  await env.close();
}
