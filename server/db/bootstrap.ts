// Start-up steps shared by server.ts and `npm run migrate`: open, migrate, seed, create the first admin.
import path from 'node:path';
import type { Config } from '../config.js';
import { type BootstrapResult, bootstrapAdmin } from '../services/accounts.js';
import { type DatabaseHandle, openDatabase } from './database.js';
import { migrateToLatest } from './migrate.js';
import { type SeedResult, seedDatabase } from './seed.js';

export function openDatabaseFor(config: Config, onPoolError?: (err: Error) => void): Promise<DatabaseHandle> {
  return openDatabase({
    databaseUrl: config.databaseUrl,
    pgliteDir: config.databaseUrl ? undefined : path.join(config.dataDir, 'pgdata'),
    poolSize: config.databasePoolSize,
    onPoolError: onPoolError ?? ((err) => console.error('データベース接続のエラー:', err.message)),
  });
}

export async function prepareDatabase(
  database: DatabaseHandle,
  config: Config,
  today: Date,
): Promise<{ seed: SeedResult; admin: BootstrapResult }> {
  await migrateToLatest(database.db, database.schema);
  const seed = await seedDatabase(database.db, { today });
  const admin = await bootstrapAdmin(database.db, {
    email: config.adminEmail,
    password: config.adminPassword,
    allowGenerated: config.databaseUrl === undefined,
  });
  return { seed, admin };
}
