/**
 * Questions: how many Beds24 calls and credits does the sync spend, next to a naive design that makes one
 * call per hook event, and how long does the availability calculation take at hotel-chain scale?
 *   (a) a burst of 300 mixed staff edits at concurrency 8, until Beds24 is in step;
 *   (b) a full resync of 200 rooms mapped to 20 Beds24 rooms over 365 nights, then the same with nothing
 *       changed (a normal push) and again as an explicit resync;
 *   (c) computeDesiredCalendar for 500 rooms × 365 nights with 50,000 reservations (pure), and the whole
 *       database load + calculation + diff on the same data.
 */
import {
  computeDesiredCalendar,
  type AvailabilityInput,
} from '../src/integrations/beds24/mappers/availability_mapper.ts';
import { addDays, todayIn } from '../src/utils/dates.ts';
import { connectedProperty, printTable, startBenchEnv, waitIdle, type BenchEnv } from './bench_env.ts';

const today = todayIn('UTC', new Date());

function meter(env: BenchEnv) {
  const requests = env.sandbox.requests.filter((r) => r.path !== '/authentication/details');
  return { calls: requests.length, credits: Number(requests.reduce((sum, r) => sum + r.cost, 0).toFixed(1)) };
}

async function burst(env: BenchEnv): Promise<Record<string, string | number>> {
  const { propertyId, rooms } = await connectedProperty(env, 'Burst hotel', 5, 8, true);
  await waitIdle(env.db);
  env.sandbox.resetRequestLog();
  let naive = 0;
  const reservations: string[] = [];
  const edits: Array<() => Promise<void>> = [];
  for (let i = 0; i < 300; i += 1) {
    const room = rooms[i % rooms.length]!;
    const kind = i % 10;
    edits.push(async () => {
      if (kind < 4 || reservations.length === 0) {
        const offset = 1 + ((i * 7) % 300);
        const res = await env.api<{ id: string }>('POST', '/api/reservations', {
          room_id: room,
          guest: { first_name: 'Burst', last_name: `Guest ${i}` },
          check_in: addDays(today, offset),
          check_out: addDays(today, offset + 1 + (i % 3)),
          adults: 1,
        });
        if (res.status === 201) reservations.push(res.body.id);
        naive += 2;
      } else if (kind < 7) {
        const id = reservations[(i * 13) % reservations.length]!;
        await env.api('PATCH', `/api/reservations/${id}`, { notes: `edit ${i}`, adults: 1 + (i % 2) });
        naive += 2;
      } else if (kind === 7) {
        await env.api('PUT', `/api/rooms/${room}/rates`, {
          from: addDays(today, i % 60),
          to: addDays(today, (i % 60) + 6),
          price: 90 + (i % 40),
        });
        naive += 1;
      } else if (kind === 8) {
        await env.api('PATCH', `/api/rooms/${room}/housekeeping`, {
          housekeeping_status: i % 20 === 8 ? 'out_of_order' : 'clean',
        });
        naive += 1;
      } else {
        const id = reservations[(i * 7) % reservations.length]!;
        await env.api('DELETE', `/api/reservations/${id}`);
        naive += 2;
      }
    });
  }
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < edits.length) await edits[next++]!();
    }),
  );
  await waitIdle(env.db);
  const seconds = (performance.now() - started) / 1000;
  const used = meter(env);
  void propertyId;
  return {
    scenario: '(a) 300 mixed edits, concurrency 8',
    sync_calls: used.calls,
    sync_credits: used.credits,
    naive_calls: naive,
    until_in_step_s: seconds.toFixed(1),
  };
}

async function fullResync(env: BenchEnv): Promise<Array<Record<string, string | number>>> {
  const { propertyId } = await connectedProperty(env, 'Resync hotel', 20, 10, true);
  await waitIdle(env.db);
  const rows: Array<Record<string, string | number>> = [];
  const run = async (label: string, action: () => Promise<unknown>, naive: number | string) => {
    env.sandbox.resetRequestLog();
    const started = performance.now();
    await action();
    await waitIdle(env.db);
    const used = meter(env);
    rows.push({
      scenario: label,
      sync_calls: used.calls,
      sync_credits: used.credits,
      naive_calls: naive,
      until_in_step_s: ((performance.now() - started) / 1000).toFixed(1),
    });
  };
  await run(
    '(b) full resync, 200 rooms → 20 Beds24 rooms × 365 nights',
    () => env.api('POST', '/api/admin/beds24/resync', { property_id: propertyId }),
    200,
  );
  await run('(b) same push again, nothing changed', () => env.sync.pushCalendar(propertyId), 200);
  await run(
    '(b) explicit resync again, nothing changed',
    () => env.api('POST', '/api/admin/beds24/resync', { property_id: propertyId }),
    200,
  );
  return rows;
}

/** 500 rooms with 100 stays each: back to back, never overlapping (the database would refuse that). */
function syntheticInput(): AvailabilityInput {
  const rooms = Array.from({ length: 500 }, (_, i) => ({
    id: `room-${i}`,
    beds24_room_id: 1000 + (i % 50),
    status: i % 40 === 0 ? 'inactive' : 'active',
    housekeeping_status: 'clean',
    base_price: 80 + (i % 30),
  }));
  const stays = rooms.flatMap((room, r) =>
    Array.from({ length: 100 }, (_, k) => {
      const start = Math.floor(k * 3.6);
      return {
        room_id: room.id,
        check_in: addDays(today, start),
        check_out: addDays(today, start + 1 + ((r + k) % 3)),
        status: k % 10 === 0 ? 'pending' : 'confirmed',
      };
    }),
  );
  const blocks = Array.from({ length: 500 }, (_, i) => ({
    room_id: `room-${i}`,
    start_date: addDays(today, 364),
    end_date: addDays(today, 366),
  }));
  const rates = Array.from({ length: 20_000 }, (_, i) => ({
    room_id: `room-${i % 500}`,
    date: addDays(today, i % 365),
    price: 70 + (i % 50),
  }));
  return { from: today, to: addDays(today, 364), today, horizonDays: 365, rooms, stays, blocks, rates };
}

async function compute(env: BenchEnv): Promise<Array<Record<string, string | number>>> {
  const input = syntheticInput();
  computeDesiredCalendar(input);
  const times: number[] = [];
  for (let i = 0; i < 10; i += 1) {
    const started = performance.now();
    computeDesiredCalendar(input);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);

  // The same data in PostgreSQL, through the service: load, calculate, diff against what Beds24 holds.
  const { propertyId, rooms } = await connectedProperty(env, 'Chain hotel', 50, 10, true);
  await waitIdle(env.db, 300_000);
  const guest = (await env.db('guests').insert({ first_name: 'Load', last_name: 'Test' }).returning('id'))[0]
    .id as string;
  const rows = input.stays.map((s) => ({
    property_id: propertyId,
    room_id: rooms[Number(s.room_id.slice(5))],
    guest_id: guest,
    check_in: s.check_in,
    check_out: s.check_out,
    adults: 1,
    status: s.status,
    source: 'beds24',
  }));
  for (let i = 0; i < rows.length; i += 5000) await env.db('reservations').insert(rows.slice(i, i + 5000));
  await env.sync.pushCalendar(propertyId);
  const loaded: number[] = [];
  for (let i = 0; i < 3; i += 1) {
    const started = performance.now();
    await env.sync.pushCalendar(propertyId);
    loaded.push(performance.now() - started);
  }
  loaded.sort((a, b) => a - b);
  return [
    {
      calculation: 'computeDesiredCalendar, 500 rooms × 365 nights, 50,000 stays (pure, median of 10)',
      ms: times[5]!.toFixed(1),
    },
    {
      calculation: `push run, nothing left to send: load ${rows.length} stays from PostgreSQL + calculate + diff (median of 3)`,
      ms: loaded[1]!.toFixed(1),
    },
  ];
}

const env = await startBenchEnv({ workers: true, tuning: { debounceFactor: 1 } });
try {
  const costRows = [await burst(env), ...(await fullResync(env))];
  printTable('Beds24 calls and credits: this sync next to one call per hook event', costRows);
  printTable('Availability calculation time', await compute(env));
} finally {
  await env.close();
}
