import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Knex } from 'knex';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

/**
 * Knex's own loader `require()`s migration files; ours `import()`s them so Node runs the TypeScript
 * migrations directly (type stripping) and vitest can transform them, with no build step either way.
 */
export class DirectoryMigrationSource implements Knex.MigrationSource<string> {
  readonly dir: string;

  constructor(dir: string = MIGRATIONS_DIR) {
    this.dir = dir;
  }

  async getMigrations(): Promise<string[]> {
    const files = await readdir(this.dir);
    return files.filter((file) => file.endsWith('.ts')).sort();
  }

  getMigrationName(migration: string): string {
    return migration;
  }

  async getMigration(migration: string): Promise<Knex.Migration> {
    return (await import(pathToFileURL(join(this.dir, migration)).href)) as Knex.Migration;
  }
}

export async function migrateLatest(db: Knex): Promise<string[]> {
  const [, applied] = (await db.migrate.latest({ migrationSource: new DirectoryMigrationSource() })) as [
    number,
    string[],
  ];
  return applied;
}
