import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app.ts';
import { loadEnv, type Env } from './config.ts';
import { migrateLatest } from './db/migrate.ts';
import { openDatabase } from './db/open_database.ts';
import { resolveSecrets } from './dev_secrets.ts';
import { AppError } from './errors.ts';
import { createLogger, type Logger } from './logger.ts';
import { seedDemoData } from './pms/demo_seed.ts';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

const DRAIN_MS = 10_000;

/** Starts the whole backend: database (embedded when no DATABASE_URL), migrations, HTTP API. */
export async function startServer(env: Env, logger: Logger = createLogger(env.LOG_LEVEL)): Promise<RunningServer> {
  const secrets = await resolveSecrets(env);
  const database = await openDatabase(env, logger);
  try {
    const applied = await migrateLatest(database.db);
    if (applied.length > 0) logger.info({ applied }, 'migrations applied');
    if (env.NODE_ENV === 'development') await seedDemoData(database.db, logger);
  } catch (error) {
    await database.close();
    throw error;
  }

  const app = createApp({ db: database.db, logger, apiToken: secrets.apiToken, adminToken: secrets.adminToken });
  const server = await listen(app.listen.bind(app), env.PORT);
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  process.stdout.write(`PMS backend listening on ${url}\n`);
  for (const name of secrets.generated) {
    if (name === 'ENCRYPTION_KEY') process.stdout.write(`ENCRYPTION_KEY generated into ${env.DATA_DIR}/dev-secrets.json\n`);
    else process.stdout.write(`${name} (generated for development): ${name === 'API_TOKEN' ? secrets.apiToken : secrets.adminToken}\n`);
  }

  let closing: Promise<void> | undefined;
  return {
    url,
    close: () => {
      closing ??= (async () => {
        await stopAccepting(server);
        await database.close();
      })();
      return closing;
    },
  };
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
