import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createApp } from './app.ts';
import { systemClock } from './clock.ts';
import { loadEnv, type Env } from './config.ts';
import { migrateLatest } from './db/migrate.ts';
import { openDatabase } from './db/open_database.ts';
import { resolveSecrets } from './dev_secrets.ts';
import { AppError } from './errors.ts';
import { createLogger, type Logger } from './logger.ts';
import { Beds24Sync } from './integrations/beds24/beds24_sync.ts';
import { ensureDemoConnection } from './integrations/beds24/demo/demo_connection.ts';
import { SANDBOX_URL_FILE, startDemoSandbox, type DemoSandbox } from './integrations/beds24/demo/demo_sandbox.ts';
import { seedDemoData } from './pms/demo_seed.ts';
import { useEncryptionKey } from './utils/encryption.ts';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

/** Another process (most often another `npm start` in the same folder) holds the HTTP port. */
export class PortInUseError extends AppError {
  constructor(port: number) {
    super('port_in_use', 500, `port ${port} is in use (another server from this folder?)`);
  }
}

const DRAIN_MS = 10_000;

/** Starts the whole backend: database (embedded when no DATABASE_URL), migrations, sync workers, HTTP API. */
export async function startServer(env: Env, logger: Logger = createLogger(env.LOG_LEVEL)): Promise<RunningServer> {
  // The port is taken first: a second start in the same folder must fail before it touches the database,
  // the sandbox or the files of the server that already runs there.
  const http = await bindPort(env.PORT);
  const localUrl = `http://127.0.0.1:${(http.server.address() as AddressInfo).port}`;
  // Closed in reverse order of opening after HTTP: the sync (running jobs finish), the sandbox, the database.
  const closers: Array<() => Promise<void>> = [];
  const closeAll = async (): Promise<void> => {
    await stopAccepting(http.server);
    for (const close of closers.reverse()) await close();
  };

  try {
    const secrets = await resolveSecrets(env);
    useEncryptionKey(secrets.encryptionKey);
    const database = await openDatabase(env, logger);
    closers.push(() => database.close());
    const applied = await migrateLatest(database.db);
    if (applied.length > 0) logger.info({ applied }, 'migrations applied');

    let demo: DemoSandbox | undefined;
    let beds24ApiUrl: string;
    if (env.BEDS24_API_URL === undefined) {
      const started = await startDemoSandbox(env.DATA_DIR, logger, { publish: true });
      closers.push(() => started.close());
      demo = started;
      beds24ApiUrl = started.url;
    } else {
      beds24ApiUrl = env.BEDS24_API_URL;
    }

    const sync = new Beds24Sync({
      db: database.db,
      databaseUrl: database.url,
      beds24ApiUrl,
      encryptionKey: secrets.encryptionKey,
      horizonDays: env.SYNC_HORIZON_DAYS,
      webhookToken: secrets.webhookToken,
      pullIntervalSeconds: env.BEDS24_PULL_INTERVAL_SECONDS,
      tuning: { localConcurrency: env.SYNC_WORKERS },
      // Demo mode: the sandbox runs beside us, so its webhooks reach this server at its local address.
      publicUrl: env.PUBLIC_URL ?? (demo ? localUrl : undefined),
      logger,
      clock: systemClock,
    });
    await sync.start({ workers: true });
    closers.push(() => sync.stop(DRAIN_MS));

    if (env.NODE_ENV === 'development') await seedDemoData(database.db, logger);
    if (demo) {
      await ensureDemoConnection({ db: database.db, sandbox: demo.sandbox, sync, logger });
    }

    const { apiToken, adminToken } = secrets;
    http.attach(createApp({ db: database.db, logger, apiToken, adminToken, sync }));
    const url = localUrl;

    // One write, so whoever reads the banner gets the URL and the tokens together.
    const banner = [
      `PMS backend listening on ${url}`,
      demo ? `Beds24: demo mode, local sandbox at ${beds24ApiUrl}` : `Beds24: ${beds24ApiUrl}`,
    ];
    if (demo) banner.push(`  (its URL is kept in ${join(env.DATA_DIR, SANDBOX_URL_FILE)} for npm run beds24)`);
    const shown = {
      API_TOKEN: secrets.apiToken,
      ADMIN_TOKEN: secrets.adminToken,
      BEDS24_WEBHOOK_TOKEN: secrets.webhookToken,
    };
    for (const name of secrets.generated) {
      if (name === 'ENCRYPTION_KEY') banner.push(`ENCRYPTION_KEY generated into ${env.DATA_DIR}/dev-secrets.json`);
      else banner.push(`${name} (generated for development): ${shown[name]}`);
    }
    process.stdout.write(`${banner.join('\n')}\n`);

    let closing: Promise<void> | undefined;
    return {
      url,
      close: () => {
        closing ??= closeAll();
        return closing;
      },
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

interface BoundPort {
  server: Server;
  /** Hands requests to the app; until then they are answered 503. */
  attach(app: RequestListener): void;
}

async function bindPort(port: number): Promise<BoundPort> {
  let handle: RequestListener = (_req, res) => {
    res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
    res.end(JSON.stringify({ error: { code: 'starting', message: 'the server is starting' } }));
  };
  const server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port) : error);
    });
    server.listen(port, () => resolve());
  });
  return {
    server,
    attach: (app) => {
      handle = app;
    },
  };
}

/** Stops taking connections, lets requests in flight finish (bounded), then drops what is left. */
async function stopAccepting(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), DRAIN_MS);
  await closed;
  clearTimeout(timer);
}

async function main(): Promise<void> {
  let env: Env;
  try {
    env = loadEnv(process.env);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
  const logger = createLogger(env.LOG_LEVEL);
  const starting = startServer(env, logger);
  // Installed before the start finishes: a signal that arrives while starting waits for it, then closes
  // what was opened, instead of killing the process with its embedded database half set up.
  const shutdown = (signal: NodeJS.Signals): void => {
    logger.info({ signal }, 'shutting down');
    process.once(signal, () => process.exit(1));
    starting
      .then((running) => running.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  try {
    await starting;
  } catch (error) {
    if (error instanceof AppError) process.stderr.write(`${error.message}\n`);
    else logger.fatal({ err: error }, 'start failed');
    process.exit(1);
  }
}

if (import.meta.main) await main();
