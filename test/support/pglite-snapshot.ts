// Vitest globalSetup: builds two PGlite snapshots once per run — migrated, and migrated + seeded — so each
// test file starts its in-memory database from a tarball (loadDataDir) instead of running initdb and every
// migration again. Built from the migrations in the tree at every run, never committed, removed afterwards.
// Skipped on PostgreSQL (DATABASE_URL), where each file migrates its own schema as before.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import type { TestProject } from 'vitest/node';
import { migrateToLatest } from '../../server/db/migrate.js';
import type { Database } from '../../server/db/schema.js';
import { seedDatabase } from '../../server/db/seed.js';

export interface PgliteSnapshots {
  migrated: string;
  seeded: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteSnapshots: PgliteSnapshots | null;
  }
}

/** The date the seed is built for: the demo survey's deadline is 30 days after it (as buildTestApp always used). */
export const SEED_TODAY = new Date('2026-11-21T00:00:00Z');

/** One cluster: migrated and dumped, then seeded and dumped again. */
async function buildSnapshots(): Promise<{ migrated: Blob; seeded: Blob }> {
  const pglite = await PGlite.create();
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  try {
    await migrateToLatest(db);
    const migrated = await pglite.dumpDataDir('none');
    await seedDatabase(db, { today: SEED_TODAY });
    const seeded = await pglite.dumpDataDir('none');
    return { migrated, seeded };
  } finally {
    await db.destroy();
  }
}

export default async function setup(project: TestProject) {
  if (process.env.DATABASE_URL) {
    project.provide('pgliteSnapshots', null);
    return;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'survey-pglite-snapshot-'));
  const files: PgliteSnapshots = { migrated: path.join(dir, 'migrated.tar'), seeded: path.join(dir, 'seeded.tar') };
  const built = await buildSnapshots();
  writeFileSync(files.migrated, Buffer.from(await built.migrated.arrayBuffer()));
  writeFileSync(files.seeded, Buffer.from(await built.seeded.arrayBuffer()));
  project.provide('pgliteSnapshots', files);
  return () => rmSync(dir, { recursive: true, force: true });
}
