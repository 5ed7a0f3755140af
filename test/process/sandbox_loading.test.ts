import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliProcess, spawnServer, type ServerProcess } from '../helpers/server_process.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/test_database.ts';

const RECORDER = pathToFileURL(join(import.meta.dirname, '../helpers/module_recorder.ts')).href;
/** The sandbox package, and the dependencies only it uses. */
const SANDBOX_MODULES = /\/packages\/beds24-sandbox\/|\/node_modules\/(ajv|ajv-formats|yaml)\//;
const PRODUCTION = {
  NODE_ENV: 'production',
  PORT: '0',
  LOG_LEVEL: 'warn',
  API_TOKEN: 'loading-api-token',
  ADMIN_TOKEN: 'loading-admin-token',
  ENCRYPTION_KEY: 'ab'.repeat(32),
  BEDS24_WEBHOOK_TOKEN: 'loading-webhook-token',
  // Nothing listens there: a start with no connected property never calls Beds24.
  BEDS24_API_URL: 'http://127.0.0.1:9/v2',
};

let database: TestDatabase;
let folder: string;
let run = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  folder = await mkdtemp(join(tmpdir(), 'pms-loading-'));
  await chmod(folder, 0o755);
});

afterAll(async () => {
  await database.drop();
  await rm(folder, { recursive: true, force: true });
});

/** The environment that records every module the child loads, and the file it records them in. */
function recording(env: Record<string, string | undefined>): { env: Record<string, string | undefined>; file: string } {
  run += 1;
  const file = join(folder, `modules-${run}.txt`);
  const recorded = { ...env, DATABASE_URL: database.url, DATA_DIR: folder, MODULE_RECORD_FILE: file };
  return { env: { ...recorded, NODE_OPTIONS: `--import=${RECORDER}` }, file };
}

/** Stops a server once it answers: the banner is printed just before its signal handlers are installed. */
async function stop(server: ServerProcess): Promise<void> {
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  server.child.kill('SIGTERM');
  expect(await server.exited).toBe(0);
}

async function loaded(file: string): Promise<string[]> {
  return (await readFile(file, 'utf8')).split('\n').filter((line) => line !== '');
}

describe('the Beds24 sandbox package is loaded by demo mode only', () => {
  it('a production start (BEDS24_API_URL set) never loads it nor its dependencies', async () => {
    const { env, file } = recording(PRODUCTION);
    await stop(await spawnServer(env));
    const modules = await loaded(file);
    expect(modules.some((url) => url.endsWith('/src/server.ts'))).toBe(true);
    expect(modules.some((url) => url.includes('/node_modules/express/'))).toBe(true);
    expect(modules.filter((url) => SANDBOX_MODULES.test(url))).toEqual([]);
  }, 60_000);

  it('the command line with BEDS24_API_URL set never loads it', async () => {
    const { env, file } = recording(PRODUCTION);
    const cli = await runCliProcess(env, ['status']);
    expect(cli.code).toBe(0);
    const modules = await loaded(file);
    expect(modules.some((url) => url.endsWith('/beds24_cli.ts'))).toBe(true);
    expect(modules.filter((url) => SANDBOX_MODULES.test(url))).toEqual([]);
  }, 60_000);

  it('a start in demo mode (no BEDS24_API_URL) loads it', async () => {
    const { env, file } = recording({ ...PRODUCTION, NODE_ENV: 'development', BEDS24_API_URL: undefined });
    const server = await spawnServer(env);
    expect(server.output()).toContain('Beds24: demo mode, local sandbox at');
    await stop(server);
    const modules = await loaded(file);
    expect(modules.some((url) => url.includes('/packages/beds24-sandbox/src/'))).toBe(true);
  }, 60_000);
});
