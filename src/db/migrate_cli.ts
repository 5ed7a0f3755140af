import { loadEnv } from '../config.ts';
import { AppError } from '../errors.ts';
import { createLogger } from '../logger.ts';
import { openDatabase } from './open_database.ts';
import { migrateLatest } from './migrate.ts';

try {
  const env = loadEnv(process.env);
  const logger = createLogger(env.LOG_LEVEL);
  const database = await openDatabase(env, logger);
  try {
    const applied = await migrateLatest(database.db);
    logger.info({ applied }, applied.length > 0 ? 'migrations applied' : 'database already up to date');
  } finally {
    await database.close();
  }
} catch (error) {
  process.stderr.write(`${error instanceof AppError ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
