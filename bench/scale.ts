/**
 * Question: how do push latency, database load and the idle cost of the sync grow with the number of
 * properties, and does a second or fourth app process help? N properties (2 Beds24 room types × 2 units
 * each) on N/5 sandbox accounts, every Beds24 answer 150 ms late, then with 1, 2 and 4 app processes
 * (`node src/server.ts`, as `npm start` runs it) on one PostgreSQL:
 *   - idle: no edits for `--idle` seconds: transactions per second on the database (pg_stat_database) and
 *     CPU of each process (/proc/<pid>/stat);
 *   - load: `--rate` new reservations per second spread over the properties and the processes for
 *     `--duration` seconds: edit → Beds24 (HTTP answer to the booking held by the sandbox), pushes per second,
 *     connections to the database, CPU per process.
 * Flags: --sizes=50,500 --processes=1,2,4 --workers=8 (SYNC_WORKERS, several to compare) --duration=30
 * --idle=15 --rate=20.
 * PostgreSQL: DATABASE_URL's server, else the local one at 127.0.0.1:5432, else an embedded one; a fresh
 * database per size.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createBeds24Sandbox, type Beds24Sandbox } from '@pms/beds24-sandbox';
import { createDb, withDatabase, type Knex } from '../src/db.ts';
import { startEmbeddedPostgres } from '../src/db/embedded_postgres.ts';
import { migrateLatest } from '../src/db/migrate.ts';
import { createLogger } from '../src/logger.ts';
import { addDays, todayIn } from '../src/utils/dates.ts';
import { jsonRequest, percentile, printTable } from './bench_env.ts';

const SERVER_ENTRY = fileURLToPath(new URL('../src/server.ts', import.meta.url));
const TOKEN = 'scale-bench-token';
const BEDS24_LATENCY_MS = 150;
const PROPERTIES_PER_ACCOUNT = 5;
const ROOMS_PER_PROPERTY = 4;
const CLOCK_TICKS_PER_SECOND = 100;
/** A backend reports its transactions to pg_stat_database up to 10 s after it goes idle: the idle window opens after that. */
const STATS_SETTLE_MS = 11_000;

const { values: flags } = parseArgs({
  options: {
    sizes: { type: 'string', default: '50,500' },
    processes: { type: 'string', default: '1,2,4' },
    workers: { type: 'string', default: '8' },
    duration: { type: 'string', default: '30' },
    idle: { type: 'string', default: '15' },
    rate: { type: 'string', default: '20' },
  },
});
const numbers = (text: string): number[] => text.split(',').map((part) => Number(part.trim()));
const sizes = numbers(flags.sizes);
const processCounts = numbers(flags.processes);
const workerCounts = numbers(flags.workers);
const durationSeconds = Number(flags.duration);
const idleSeconds = Number(flags.idle);
const rate = Number(flags.rate);
const today = todayIn('UTC', new Date());
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Server {
  child: ChildProcess;
  url: string;
  exited: Promise<unknown>;
}

interface Property {
  id: string;
  accountId: number;
  rooms: string[];
}

/** Connections one app process may open at most (its pool and pg-boss's), with a margin. */
const CONNECTIONS_PER_PROCESS = 45;

/**
 * DATABASE_URL's server or the local one, when it has room for the largest run's connections (other
 * clients share it); else an embedded one of its own.
 */
async function postgresServer(needed: number): Promise<{ url: string; label: string; stop(): Promise<void> }> {
  const candidate = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const probe = createDb({ url: candidate, poolMax: 1 });
  let free: number;
  try {
    const { rows } = await probe.raw<{ rows: Array<{ free: number }> }>(
      `select current_setting('max_connections')::int - (select count(*) from pg_stat_activity)::int as free`,
    );
    free = rows[0]!.free;
  } catch {
    free = 0;
  } finally {
    await probe.destroy();
  }
  if (free >= needed) return { url: candidate, label: 'shared server', stop: async () => {} };
  const dir = await mkdtemp(join(tmpdir(), 'pms-scale-pg-'));
  // Run as root, the cluster is initialised as the postgres user, which must reach the folder.
  await chmod(dir, 0o755);
  const cluster = await startEmbeddedPostgres({
    dir: join(dir, 'postgres'),
    logger: createLogger('silent'),
    settings: { max_connections: String(needed + 20) },
  });
  return {
    url: cluster.url,
    label: 'embedded server',
    stop: async () => {
      await cluster.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

const children = new Set<ChildProcess>();
// A bench that dies leaves no server polling the database behind it.
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

async function startServer(env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, [SERVER_ENTRY], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    void exited.then(() => reject(new Error(`server exited before listening:\n${output}`)));
  });
  return { child, url, exited };
}

async function stopServers(servers: Server[]): Promise<void> {
  for (const server of servers) server.child.kill('SIGTERM');
  await Promise.all(servers.map((server) => server.exited));
}

async function inParallel<T>(items: T[], concurrency: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await run(items[next++]!);
    }),
  );
}

async function createProperties(base: string, sandbox: Beds24Sandbox, count: number): Promise<Property[]> {
  const api = jsonRequest(base, TOKEN);
  const properties: Property[] = [];
  const accounts = Array.from({ length: Math.ceil(count / PROPERTIES_PER_ACCOUNT) }, (_, a) =>
    sandbox.createAccount({
      creditLimit: 1_000_000,
      properties: Array.from({ length: PROPERTIES_PER_ACCOUNT }, (_, p) => ({
        name: `Scale ${a}-${p}`,
        rooms: [
          { name: 'double', qty: ROOMS_PER_PROPERTY / 2 },
          { name: 'suite', qty: ROOMS_PER_PROPERTY / 2 },
        ],
      })),
    }),
  );
  const slots = accounts.flatMap((account) => account.properties.map((beds24) => ({ account, beds24 })));
  await inParallel(slots.slice(0, count), 8, async ({ account, beds24 }) => {
    const created = await api<{ id: string }>('POST', '/api/properties', { name: beds24.name, timezone: 'UTC' });
    const rooms: string[] = [];
    for (let r = 0; r < ROOMS_PER_PROPERTY; r += 1) {
      const room = await api<{ id: string }>('POST', '/api/rooms', {
        property_id: created.body.id,
        number: `${r + 1}`,
        room_type: r % 2 === 0 ? 'double' : 'suite',
        base_price: 100,
        max_occupancy: 4,
        beds24_room_id: beds24.rooms[r % 2]!.id,
      });
      rooms.push(room.body.id);
    }
    const connect = await api('PUT', '/api/admin/beds24/config', {
      property_id: created.body.id,
      beds24_property_id: beds24.id,
      invite_code: sandbox.createInviteCode(account.accountId),
    });
    if (connect.status !== 200) throw new Error(`connect failed: ${JSON.stringify(connect.body)}`);
    properties.push({ id: created.body.id, accountId: account.accountId, rooms });
  });
  return properties;
}

/** No change waiting and no push queued or running (pulls, which run on their own clock, aside). */
async function waitPushesIdle(db: Knex, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await db.raw<{ rows: Array<{ n: number }> }>(
      `select (select count(*) from beds24_pending_changes)::int
            + (select count(*) from pgboss.job where name = 'beds24-sync' and state in ('created', 'retry', 'active')
               and data->>'kind' <> 'import')::int as n`,
    );
    if (rows[0]!.n === 0) return;
    if (Date.now() > deadline) throw new Error('pushes did not become idle');
    await sleep(200);
  }
}

async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

async function transactions(db: Knex, name: string): Promise<number> {
  const { rows } = await db.raw<{ rows: Array<{ n: string }> }>(
    'select xact_commit + xact_rollback as n from pg_stat_database where datname = ?',
    [name],
  );
  return Number(rows[0]!.n);
}

async function connections(db: Knex, name: string): Promise<number> {
  const { rows } = await db.raw<{ rows: Array<{ n: number }> }>(
    'select count(*)::int as n from pg_stat_activity where datname = ?',
    [name],
  );
  return rows[0]!.n;
}

/** pg_stat_database is updated by each backend when it goes idle, at most every second or so. */
async function settledTransactions(db: Knex, name: string): Promise<number> {
  await db.raw('select pg_stat_clear_snapshot()');
  return transactions(db, name);
}

async function runProcesses(
  size: number,
  processes: number,
  workers: number,
  ctx: {
    db: Knex;
    name: string;
    sandbox: Beds24Sandbox;
    env: Record<string, string>;
    properties: Property[];
    /** Reservations made per room so far (across runs): each new one takes the next free night. */
    roomUse: Map<string, number>;
  },
): Promise<Record<string, string | number>> {
  const { db, name, sandbox, env, properties, roomUse } = ctx;
  const servers = await Promise.all(
    Array.from({ length: processes }, () => startServer({ ...env, SYNC_WORKERS: String(workers) })),
  );
  try {
    await waitPushesIdle(db);
    await sleep(STATS_SETTLE_MS);
    // Idle: the schedules, sweeps, pulls and polling of `processes` processes for `size` properties.
    const idleCpu0 = await Promise.all(servers.map((s) => cpuSeconds(s.child.pid!)));
    const idleTx0 = await settledTransactions(db, name);
    await sleep(idleSeconds * 1000);
    const idleTx1 = await settledTransactions(db, name);
    const idleCpu1 = await Promise.all(servers.map((s) => cpuSeconds(s.child.pid!)));
    const idleCpu = idleCpu1.map((cpu, i) => cpu - idleCpu0[i]!);

    sandbox.resetRequestLog();
    const pending = new Map<number, Map<string, number>>();
    const latencies: number[] = [];
    let offered = 0;
    let failed = 0;
    let maxConnections = 0;
    let polling = true;
    // A booking can only have arrived with a write to its account: each new write in the request log has
    // the account's bookings looked at once, instead of every account's at every turn.
    const poller = (async () => {
      let seen = 0;
      while (polling || [...pending.values()].some((m) => m.size > 0)) {
        const log = sandbox.requests;
        const written = new Set<number>();
        for (; seen < log.length; seen += 1) {
          const entry = log[seen]!;
          if (entry.method === 'POST' && entry.path === '/bookings' && entry.accountId !== null) {
            written.add(entry.accountId);
          }
        }
        const now = performance.now();
        for (const accountId of written) {
          const waiting = pending.get(accountId);
          if (!waiting || waiting.size === 0) continue;
          const held = new Set(sandbox.bookings(accountId).map((b) => b.custom10));
          for (const [marker, saved] of waiting) {
            if (!held.has(marker)) continue;
            latencies.push(now - saved);
            waiting.delete(marker);
          }
        }
        await sleep(5);
      }
    })();
    const sampler = setInterval(() => {
      void connections(db, name).then((n) => (maxConnections = Math.max(maxConnections, n)));
    }, 1000);
    const edits: Array<Promise<void>> = [];
    const cpu0 = await Promise.all(servers.map((s) => cpuSeconds(s.child.pid!)));
    const started = performance.now();
    const total = Math.round(rate * durationSeconds);
    for (let k = 0; k < total; k += 1) {
      const due = started + (k * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const property = properties[(k * 7919) % properties.length]!;
      const room = property.rooms[Math.floor(k / properties.length) % property.rooms.length]!;
      const use = roomUse.get(room) ?? 0;
      roomUse.set(room, use + 1);
      const api = jsonRequest(servers[k % servers.length]!.url, TOKEN);
      offered += 1;
      edits.push(
        (async () => {
          const res = await api<{ id: string }>('POST', '/api/reservations', {
            room_id: room,
            guest: { first_name: 'Scale', last_name: `Guest ${k}` },
            check_in: addDays(today, 2 + use * 2),
            check_out: addDays(today, 3 + use * 2),
            adults: 1,
          });
          if (res.status !== 201) {
            failed += 1;
            return;
          }
          const waiting = pending.get(property.accountId) ?? new Map<string, number>();
          pending.set(property.accountId, waiting);
          waiting.set(`PMS:${res.body.id}`, performance.now());
        })(),
      );
    }
    await Promise.all(edits);
    const offeredSeconds = (performance.now() - started) / 1000;
    polling = false;
    await Promise.race([poller, sleep(120_000)]);
    const doneSeconds = (performance.now() - started) / 1000;
    const cpu1 = await Promise.all(servers.map((s) => cpuSeconds(s.child.pid!)));
    clearInterval(sampler);
    const pushes = sandbox.requests.filter((r) => r.method !== 'GET' && !r.path.startsWith('/authentication')).length;
    const sorted = [...latencies].sort((a, b) => a - b);
    const loadCpu = cpu1.map((cpu, i) => cpu - cpu0[i]!);
    const avg = (values: number[]): number => values.reduce((sum, v) => sum + v, 0) / values.length;
    return {
      properties: size,
      processes,
      workers,
      edits_per_s_offered: (offered / offeredSeconds).toFixed(1),
      pushes_per_s_done: (pushes / doneSeconds).toFixed(1),
      arrived: `${latencies.length}/${offered - failed}`,
      p50_s: (percentile(sorted, 50) / 1000).toFixed(2),
      p99_s: (percentile(sorted, 99) / 1000).toFixed(2),
      pg_conns_max: maxConnections,
      cpu_s_per_proc_load: avg(loadCpu).toFixed(1),
      idle_queries_per_s: ((idleTx1 - idleTx0) / idleSeconds).toFixed(1),
      idle_cpu_pct_per_proc: ((avg(idleCpu) / idleSeconds) * 100).toFixed(1),
    };
  } finally {
    await stopServers(servers);
  }
}

const rows: Array<Record<string, string | number>> = [];
const postgres = await postgresServer(Math.max(...processCounts) * CONNECTIONS_PER_PROCESS + 10);
try {
  for (const size of sizes) {
    const name = `pms_scale_${process.pid}_${size}`;
    const admin = createDb({ url: postgres.url, poolMax: 1 });
    await admin.raw('create database ??', [name]);
    const url = withDatabase(postgres.url, name);
    const db = createDb({ url, poolMax: 2 });
    const sandbox = createBeds24Sandbox({});
    const dataDir = await mkdtemp(join(tmpdir(), 'pms-scale-data-'));
    try {
      await migrateLatest(db);
      const beds24ApiUrl = await sandbox.listen(0);
      const env = {
        NODE_ENV: 'production',
        PORT: '0',
        LOG_LEVEL: 'warn',
        DATA_DIR: dataDir,
        DATABASE_URL: url,
        BEDS24_API_URL: beds24ApiUrl,
        API_TOKEN: TOKEN,
        ADMIN_TOKEN: TOKEN,
        BEDS24_WEBHOOK_TOKEN: TOKEN,
        ENCRYPTION_KEY: 'ab'.repeat(32),
      };
      const setup = await startServer(env);
      let properties: Property[];
      try {
        properties = await createProperties(setup.url, sandbox, size);
        await waitPushesIdle(db);
      } finally {
        await stopServers([setup]);
      }
      sandbox.setFaults({ latencyMs: BEDS24_LATENCY_MS });
      const roomUse = new Map<string, number>();
      for (const processes of processCounts) {
        for (const workers of workerCounts) {
          rows.push(await runProcesses(size, processes, workers, { db, name, sandbox, env, properties, roomUse }));
          process.stderr.write(`${JSON.stringify(rows.at(-1))}\n`);
        }
      }
    } finally {
      await sandbox.close();
      await db.destroy();
      await admin.raw('drop database if exists ?? with (force)', [name]);
      await admin.destroy();
      await rm(dataDir, { recursive: true, force: true });
    }
  }
} finally {
  await postgres.stop();
}
printTable(
  `Scale: ${rate} new reservations/s for ${durationSeconds} s, Beds24 answering in ${BEDS24_LATENCY_MS} ms; idle over ${idleSeconds} s; PostgreSQL: ${postgres.label}`,
  rows,
);
