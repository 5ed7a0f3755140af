import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rm, writeFile } from 'node:fs/promises';
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
import { SANDBOX_URL_FILE } from './integrations/beds24/demo/sandbox_url_file.ts';
import { ensureDemoConnection } from './integrations/beds24/demo/demo_connection.ts';
import { createBeds24Sandbox, type Beds24Sandbox } from './integrations/beds24/sandbox/index.ts';
import { Beds24Connector } from './integrations/beds24/services/beds24_connector.ts';
import { seedDemoData } from './pms/demo_seed.ts';
import { useEncryptionKey } from './utils/encryption.ts';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

const DRAIN_MS = 10_000;

/** Starts the whole backend: database (embedded when no DATABASE_URL), migrations, sync workers, HTTP API. */
export async function startServer(env: Env, logger: Logger = createLogger(env.LOG_LEVEL)): Promise<RunningServer> {
  const secrets = await resolveSecrets(env);
  useEncryptionKey(secrets.encryptionKey);
  const database = await openDatabase(env, logger);
  // Closed in reverse order of opening: HTTP, then the sync (running jobs finish), the sandbox, the database.
  const closers: Array<() => Promise<void>> = [() => database.close()];
  const closeAll = async (): Promise<void> => {
    for (const close of closers.reverse()) await close();
  };

  try {
    const applied = await migrateLatest(database.db);
    if (applied.length > 0) logger.info({ applied }, 'migrations applied');

    let sandbox: Beds24Sandbox | undefined;
    let beds24ApiUrl = env.BEDS24_API_URL;
    if (beds24ApiUrl === undefined) {
      const demo = createBeds24Sandbox({ persistFile: join(env.DATA_DIR, 'beds24-sandbox.json'), logger: logger.child({ component: 'beds24-sandbox' }) });
      beds24ApiUrl = await demo.listen(0);
      // The command line (npm run beds24) finds the demo sandbox of the running server here.
      await writeFile(join(env.DATA_DIR, SANDBOX_URL_FILE), `${beds24ApiUrl}\n`);
      closers.push(async () => {
        await rm(join(env.DATA_DIR, SANDBOX_URL_FILE), { force: true });
        await demo.close();
      });
      sandbox = demo;
    }

    const sync = new Beds24Sync({
      db: database.db,
      databaseUrl: database.url,
      beds24ApiUrl,
      encryptionKey: secrets.encryptionKey,
      horizonDays: env.SYNC_HORIZON_DAYS,
      logger,
      clock: systemClock,
    });
    await sync.start({ workers: true });
    closers.push(() => sync.stop(DRAIN_MS));

    if (env.NODE_ENV === 'development') await seedDemoData(database.db, logger);
    if (sandbox) {
      await ensureDemoConnection({
        db: database.db,
        sandbox,
        connector: new Beds24Connector(sync.factory, systemClock),
        resync: sync.resync,
        encryptionKey: secrets.encryptionKey,
        logger,
      });
    }

    const app = createApp({ db: database.db, logger, apiToken: secrets.apiToken, adminToken: secrets.adminToken, sync, clock: systemClock });
    const server = await listen(app.listen.bind(app), env.PORT);
    closers.push(() => stopAccepting(server));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    // One write, so whoever reads the banner gets the URL and the tokens together.
    const banner = [`PMS backend listening on ${url}`, sandbox ? `Beds24: demo mode, local sandbox at ${beds24ApiUrl}` : `Beds24: ${beds24ApiUrl}`];
    for (const name of secrets.generated) {
      if (name === 'ENCRYPTION_KEY') banner.push(`ENCRYPTION_KEY generated into ${env.DATA_DIR}/dev-secrets.json`);
      else banner.push(`${name} (generated for development): ${name === 'API_TOKEN' ? secrets.apiToken : secrets.adminToken}`);
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

function listen(start: (port: number, callback: () => void) => Server, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = start(port, () => resolve(server));
    server.once('error', reject);
  });
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
  let running: RunningServer;
  try {
    running = await startServer(env, logger);
  } catch (error) {
    if (error instanceof AppError) process.stderr.write(`${error.message}\n`);
    else logger.fatal({ err: error }, 'start failed');
    process.exit(1);
  }
  const shutdown = (signal: NodeJS.Signals): void => {
    logger.info({ signal }, 'shutting down');
    process.once(signal, () => process.exit(1));
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

if (import.meta.main) await main();
