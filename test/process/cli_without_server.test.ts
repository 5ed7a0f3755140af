import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, todayIn } from '../../src/utils/dates.ts';
import { runCliProcess, spawnServer, type ServerProcess } from '../helpers/server_process.ts';
import type { Json } from '../helpers/test_app.ts';

const API = 'cli-demo-api-token';
const ADMIN = 'cli-demo-admin-token';
let dataDir: string;
let env: Record<string, string | undefined>;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'pms-cli-demo-'));
  await chmod(dataDir, 0o755);
  // Demo mode: no DATABASE_URL, no BEDS24_API_URL.
  env = {
    NODE_ENV: 'development',
    PORT: '0',
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    DATABASE_URL: undefined,
    BEDS24_API_URL: undefined,
    API_TOKEN: API,
    ADMIN_TOKEN: ADMIN,
    ENCRYPTION_KEY: undefined,
  };
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function call(server: ServerProcess, method: string, path: string, body?: unknown, token = API): Promise<Json> {
  const json = body === undefined ? {} : { 'content-type': 'application/json' };
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...json },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res.json();
}

async function waitForSyncIdle(server: ServerProcess, propertyId: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const status = await call(server, 'GET', `/api/admin/beds24/status?property_id=${propertyId}`, undefined, ADMIN);
    const depths = Object.values(status.queue_depth as Record<string, Record<string, number>>);
    const busy = depths.some((d) => Object.values(d).some((n) => n > 0));
    if (!busy && status.last_successful_push_at !== null) return;
    if (Date.now() > deadline) throw new Error(`sync not idle: ${JSON.stringify(status)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const postgresRunning = (): boolean => existsSync(join(dataDir, 'postgres', 'postmaster.pid'));

describe('npm run beds24 with no server running, in demo mode', () => {
  it('status, retry-failed use the database only; verify, resync start the sandbox from its state file', async () => {
    // After each command, nothing it started (PostgreSQL, the sandbox) is left running.
    const server = await spawnServer(env);
    const property = (await call(server, 'GET', '/api/properties')).data[0];
    const rooms = (await call(server, 'GET', `/api/rooms?property_id=${property.id}`)).data;
    const today = todayIn(property.timezone, new Date());
    await call(server, 'POST', '/api/reservations', {
      room_id: rooms[0].id,
      guest: { first_name: 'Ada', last_name: 'Lovelace' },
      check_in: addDays(today, 2),
      check_out: addDays(today, 4),
      adults: 1,
    });
    await waitForSyncIdle(server, property.id);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(postgresRunning()).toBe(false);

    const status = await runCliProcess(env, ['status']);
    expect(status.output).toMatch(/Demo Hotel \(.*\)\n {2}connected true, sync on, push on/);
    expect(status.code).toBe(0);
    expect(postgresRunning()).toBe(false);

    const retry = await runCliProcess(env, ['retry-failed']);
    expect(retry.output).toContain('0 failed item(s) queued again');
    expect(retry.code).toBe(0);
    expect(postgresRunning()).toBe(false);

    // A server killed without its shutdown leaves its URL file behind; nothing answers there.
    const urlFile = join(dataDir, 'beds24-sandbox.url');
    await writeFile(urlFile, 'http://127.0.0.1:9/v2\n');
    const verify = await runCliProcess(env, ['verify', '--no-repair']);
    expect(verify.output).toContain('Demo Hotel: 0 night(s) and 0 booking(s) differ');
    expect(verify.code).toBe(0);
    expect(postgresRunning()).toBe(false);

    const resync = await runCliProcess(env, ['resync', '--property', property.id]);
    expect(resync.output).toContain('resync done: failed items 0');
    expect(resync.code).toBe(0);
    expect(postgresRunning()).toBe(false);
    expect(await readFile(urlFile, 'utf8')).toBe('http://127.0.0.1:9/v2\n');
  }, 180_000);
});
