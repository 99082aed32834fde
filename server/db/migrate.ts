// Runs the migrations in ../../migrations with Kysely's Migrator (date-prefixed, frozen files).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Kysely, type Migration, type MigrationProvider, type MigrationResultSet, Migrator } from 'kysely';

import { MIGRATIONS_DIR } from '../paths.js';

export { MIGRATIONS_DIR };

class MigrationFolder implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    const files = (await fs.readdir(MIGRATIONS_DIR)).filter((f) => /\.(ts|js)$/.test(f) && !f.endsWith('.d.ts')).sort();
    const migrations: Record<string, Migration> = {};
    for (const file of files) {
      migrations[file.replace(/\.(ts|js)$/, '')] = await import(pathToFileURL(path.join(MIGRATIONS_DIR, file)).href);
    }
    return migrations;
  }
}

export function createMigrator(db: Kysely<any>, schema = 'public'): Migrator {
  return new Migrator({ db, provider: new MigrationFolder(), migrationTableSchema: schema });
}

/** Migrates to the latest version; throws with the failing migration's name on error. */
export async function migrateToLatest(db: Kysely<any>, schema = 'public'): Promise<MigrationResultSet> {
  const result = await createMigrator(db, schema).migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? '(不明)';
    throw new Error(`マイグレーション ${failed} に失敗しました: ${String((result.error as Error).message ?? result.error)}`);
  }
  return result;
}

let migrationNames: Promise<string[]> | undefined;

/**
 * True when every migration in the folder has been applied. Reads the migration table directly: Kysely's
 * getMigrations() would first run its CREATE … IF NOT EXISTS statements, which /health must not do on every call.
 */
export async function isMigrated(db: Kysely<any>, schema = 'public'): Promise<boolean> {
  migrationNames ??= new MigrationFolder().getMigrations().then((m) => Object.keys(m));
  try {
    const applied = await db.withSchema(schema).selectFrom('kysely_migration').select('name').execute();
    const names = new Set(applied.map((r: { name: string }) => r.name));
    return (await migrationNames).every((name) => names.has(name));
  } catch {
    return false;
  }
}
