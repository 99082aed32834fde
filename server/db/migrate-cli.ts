// `npm run migrate`: migrates the configured database (DATABASE_URL, or the embedded one under DATA_DIR).
import { ConfigError, loadConfig } from '../config.js';
import { openDatabaseFor } from './bootstrap.js';
import { migrateToLatest } from './migrate.js';

try {
  const config = loadConfig();
  const database = await openDatabaseFor(config);
  const result = await migrateToLatest(database.db, database.schema);
  const applied = result.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
  console.log(applied.length ? `適用したマイグレーション:\n  ${applied.join('\n  ')}` : 'データベースは最新です（適用するマイグレーションはありません）');
  await database.close();
} catch (err) {
  console.error(err instanceof ConfigError ? err.message : `マイグレーションに失敗しました: ${(err as Error).message}`);
  process.exit(1);
}
