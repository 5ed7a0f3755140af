import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliProcess, runServerToExit, spawnServer, startServerProcess } from '../helpers/server_process.ts';
import { eventually } from '../helpers/inbound.ts';
import type { ApiResponse } from '../helpers/test_app.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test_database.ts';

const base = {
  NODE_ENV: 'development',
  PORT: '0',
  LOG_LEVEL: 'warn',
  DATABASE_URL: undefined,
  API_TOKEN: undefined,
  ADMIN_TOKEN: undefined,
  ENCRYPTION_KEY: undefined,
};

let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'pms-start-'));
  await chmod(dataDir, 0o755);
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function get(url: string, token?: string): Promise<ApiResponse> {
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, body: await res.json() };
}

describe('npm start with no database server and no environment', () => {
  it('starts an embedded PostgreSQL, migrates, seeds a demo hotel, prints tokens, and survives a SIGKILL', async () => {
    const first = await spawnServer({ ...base, DATA_DIR: dataDir });
    const apiToken = /API_TOKEN \(generated for development\): (\S+)/.exec(first.output())?.[1];
    expect(apiToken).toBeDefined();
    const webhookToken = /BEDS24_WEBHOOK_TOKEN \(generated for development\): (\S+)/.exec(first.output())?.[1];
    expect(webhookToken?.length).toBeGreaterThanOrEqual(16);
    expect(await get(`${first.url}/healthz`)).toEqual({ status: 200, body: { status: 'ok' } });
    const properties = await get(`${first.url}/api/properties`, apiToken);
    expect(properties.body.data).toHaveLength(1);
    expect(properties.body.data[0].name).toBe('Demo Hotel');
    const rooms = await get(`${first.url}/api/rooms?property_id=${properties.body.data[0].id}`, apiToken);
    expect(rooms.body.data.length).toBeGreaterThanOrEqual(3);

    // A killed process leaves its PostgreSQL running with a lock file; the next start must cope.
    first.child.kill('SIGKILL');
    await first.exited;
    const second = await spawnServer({ ...base, DATA_DIR: dataDir });
    expect(second.output()).toContain(apiToken);
    expect((await get(`${second.url}/api/properties`, apiToken)).body.data).toHaveLength(1);

    // Demo mode points the sandbox's booking webhook at this start's address: a channel booking arrives by it.
    const adminToken = /ADMIN_TOKEN \(generated for development\): (\S+)/.exec(first.output())?.[1];
    const demo = properties.body.data[0];
    const config = await get(`${second.url}/api/admin/beds24/config/${demo.id}`, adminToken);
    const sandbox = (await readFile(join(dataDir, 'beds24-sandbox.url'), 'utf8')).trim().replace(/\/v2$/, '');
    const hooks = await (
      await fetch(`${sandbox}/_sandbox/properties/${config.body.beds24_property_id}/webhooks`)
    ).json();
    expect(hooks).toMatchObject({ url: `${second.url}/webhooks/beds24`, version: 'twoNoPersonalData' });
    const { accountIds } = (await (await fetch(`${sandbox}/_sandbox/accounts`)).json()) as { accountIds: number[] };
    const booked = await fetch(`${sandbox}/_sandbox/accounts/${accountIds[0]}/bookings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        { roomId: rooms.body.data[0].beds24_room_id, arrival: '2029-01-10', departure: '2029-01-12', status: 'new' },
      ]),
    });
    const bookingId = ((await booked.json()) as Array<{ new: { id: number } }>)[0]!.new.id;
    const arrived = await eventually(
      () => get(`${second.url}/api/reservations?property_id=${demo.id}&from=2029-01-01&to=2029-02-01`, apiToken),
      (res) => res.body.data.some((r: { beds24_booking_id: number }) => r.beds24_booking_id === bookingId),
      // A job the killed process left running holds the property until its heartbeat lapses (20 s) and the
      // monitor (every 10 s) hands it back: the booking may wait for that, as a crash's jobs do.
      60_000,
    ).catch(async (error: unknown) => {
      // What the next engineer needs to tell a lost webhook from a stuck import (tokens left out).
      const deliveries = await (await fetch(`${sandbox}/_sandbox/webhook-deliveries`)).json();
      const status = await get(`${second.url}/api/admin/beds24/status`, adminToken);
      const output = second
        .output()
        .split('\n')
        .filter((line) => !line.includes('generated for development'))
        .slice(-40)
        .join('\n');
      throw new Error(
        `${String(error)}\nwebhook deliveries: ${JSON.stringify(deliveries)}\nsync status: ${JSON.stringify(status.body)}\nserver output:\n${output}`,
      );
    });
    expect(arrived.body.data.filter((r: { source: string }) => r.source === 'beds24')).toHaveLength(1);

    // The command line next to the running server uses its PostgreSQL and must leave it running.
    const cli = await runCliProcess({ ...base, DATA_DIR: dataDir }, ['status']);
    expect(cli.output).toContain('Demo Hotel');
    expect(cli.code).toBe(0);
    expect((await get(`${second.url}/healthz`)).status).toBe(200);
    expect((await get(`${second.url}/api/properties`, apiToken)).body.data).toHaveLength(1);

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);

    const third = await spawnServer({ ...base, DATA_DIR: dataDir });
    expect((await get(`${third.url}/api/properties`, apiToken)).body.data).toHaveLength(1);
    third.child.kill('SIGTERM');
    expect(await third.exited).toBe(0);
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
    const secrets = JSON.parse(await readFile(join(dataDir, 'dev-secrets.json'), 'utf8'));
    expect(secrets.ENCRYPTION_KEY).toMatch(/^[0-9a-f]{64}$/);
    expect(secrets.BEDS24_WEBHOOK_TOKEN).toBe(webhookToken);
  }, 120_000);
});

describe('a second npm start in the same folder', () => {
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'pms-twice-'));
    await chmod(folder, 0o755);
  });
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('says the port is in use, exits 1, and leaves the running server, its sandbox and the CLI alone', async () => {
    const first = await spawnServer({ ...base, DATA_DIR: folder });
    const port = new URL(first.url).port;
    const urlFile = join(folder, 'beds24-sandbox.url');
    const sandboxUrl = await readFile(urlFile, 'utf8');

    const second = await runServerToExit({ ...base, DATA_DIR: folder, PORT: port });
    expect(second.code).toBe(1);
    expect(second.output).toContain(`port ${port} is in use (another server from this folder?)`);
    expect(second.output).not.toMatch(/TypeError/);

    expect(await readFile(urlFile, 'utf8')).toBe(sandboxUrl);
    expect((await get(`${first.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${sandboxUrl.trim().replace(/\/v2$/, '')}/_sandbox/bookings`)).status).toBe(200);
    const cli = await runCliProcess({ ...base, DATA_DIR: folder }, ['status']);
    expect(cli.output).toContain('Demo Hotel');
    expect(cli.code).toBe(0);

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(existsSync(urlFile)).toBe(false);
  }, 120_000);
});

describe('npm start with DATABASE_URL', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database.drop();
  });

  it('uses the given database and the given tokens, and prints no token it did not generate', async () => {
    const server = await spawnServer({
      ...base,
      DATA_DIR: dataDir,
      DATABASE_URL: database.url,
      API_TOKEN: 'given-api-token',
      ADMIN_TOKEN: 'given-admin-token',
    });
    expect(server.output()).not.toContain('given-api-token');
    expect((await get(`${server.url}/api/properties`, 'given-api-token')).status).toBe(200);
    expect((await get(`${server.url}/api/properties`, 'wrong')).status).toBe(401);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  }, 60_000);
});

describe('bad configuration', () => {
  it.each([
    [{ PORT: 'eighty' }, /^Invalid environment variable PORT: .*\n$/],
    [{ SYNC_HORIZON_DAYS: '1000' }, /^Invalid environment variable SYNC_HORIZON_DAYS: .*\n$/],
    [
      { NODE_ENV: 'production' },
      /^Missing environment variable DATABASE_URL, API_TOKEN, ADMIN_TOKEN, ENCRYPTION_KEY, BEDS24_API_URL, BEDS24_WEBHOOK_TOKEN: .*\n$/,
    ],
    [{ BEDS24_WEBHOOK_TOKEN: 'too-short' }, /^Invalid environment variable BEDS24_WEBHOOK_TOKEN: .*\n$/],
    [{ BEDS24_PULL_INTERVAL_SECONDS: '4' }, /^Invalid environment variable BEDS24_PULL_INTERVAL_SECONDS: .*\n$/],
  ])('stops with exit code 1 and one line naming the variable for %j', async (env, message) => {
    const { code, output } = await runServerToExit({ ...base, DATA_DIR: dataDir, ...env });
    expect(code).toBe(1);
    expect(output).toMatch(message);
  });
});

describe('a signal while the server is still starting', () => {
  it('waits for the start, closes what it opened (its PostgreSQL included) and exits 0', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pms-early-signal-'));
    await chmod(dir, 0o755);
    try {
      const { child, exited } = startServerProcess({ ...base, DATA_DIR: dir });
      const lockFile = join(dir, 'postgres', 'postmaster.pid');
      const deadline = Date.now() + 60_000;
      while (!existsSync(lockFile) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(existsSync(lockFile)).toBe(true);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(existsSync(lockFile)).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
