// Opens the database: PostgreSQL over `pg` when DATABASE_URL is set, the embedded PGlite otherwise.
// Both give the same Kysely<Database>; dates come back as 'YYYY-MM-DD' strings on both.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

/**
 * Runs `fn` in a transaction: the caller's, when `db` already is one (so services compose), else a new one.
 * The only place below the routes where a transaction is opened.
 */
export async function inTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db);
  return db.transaction().execute(fn);
}

const preparedNames = new Map<string, string>();

/**
 * Marks an SQL text (with $n parameters) as a statement to prepare: each PostgreSQL connection (and PGlite) then
 * parses and plans it once, under a name, instead of on every run (for the hottest queries only: issue #15).
 * Only for a statement whose result columns a migration cannot change (JSON, not `*`): a stale prepared statement
 * is run again unprepared, which a transaction aborted by the failure would not allow. Such a statement may run in a
 * caller's transaction too (the save's write, repositories/response-save.ts). Returns the text.
 */
export function preparedStatement(text: string): string {
  if (!preparedNames.has(text)) preparedNames.set(text, `prepared_${preparedNames.size + 1}`);
  return text;
}

/**
 * A prepared statement whose result columns changed under it (a migration added a column while this instance ran:
 * 0A000 "cached plan must not change result type") or that is gone (26000): run the text unprepared instead.
 */
const isStalePrepared = (err: unknown) => ['0A000', '26000'].includes((err as { code?: string }).code ?? '');

/**
 * Kysely's pg driver calls client.query(text, values): a text marked by preparedStatement() goes by its name. A
 * name that failed as stale on this connection is not used on it again.
 */
function runPreparedByName(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (config: unknown, values?: unknown) => Promise<unknown>;
  const stale = new Set<string>();
  (client as unknown as { query: typeof query }).query = async (config, values) => {
    const name = typeof config === 'string' ? preparedNames.get(config) : undefined;
    if (!name || stale.has(name)) return query(config, values);
    try {
      return await query({ name, text: config, values });
    } catch (err) {
      if (!isStalePrepared(err)) throw err;
      stale.add(name);
      return query(config, values);
    }
  };
}

/** A parameter as an SQL literal for EXECUTE (which takes no $n parameters); undefined for anything but a scalar. */
function literal(value: unknown): string | undefined {
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  // standard_conforming_strings is on (PostgreSQL's default, and PGlite's): only the quote needs doubling
  // a NUL cannot be written in SQL text (it would end the protocol message): such a value goes as a parameter
  if (typeof value === 'string') return value.includes('\u0000') ? undefined : `'${value.replaceAll("'", "''")}'`;
  return undefined;
}

type PgliteQuery = (text: string, params?: unknown[], options?: unknown) => Promise<unknown>;

/** A statement that cannot change any table's rows (a plain SELECT; also SELECT … FOR UPDATE, which only locks). */
const READS_ONLY = /^\s*select\b/i;

/**
 * PGlite plans every query in the event loop's thread: a text marked by preparedStatement() is PREPAREd once and
 * then run as EXECUTE with its (scalar) parameters as literals, which skips the parse and the plan. Every other
 * statement (a write, a DDL, BEGIN/COMMIT) is counted before it runs, for DatabaseHandle.writes.
 */
function runPreparedOnPglite(pglite: { query: PgliteQuery }, counter: { writes: number }): void {
  const query = pglite.query.bind(pglite);
  const prepared = new Set<string>();
  pglite.query = async (text, params = [], options) => {
    if (!READS_ONLY.test(text)) counter.writes++;
    const name = preparedNames.get(text);
    const literals = name ? params.map(literal) : [];
    if (!name || literals.includes(undefined)) return query(text, params, options);
    const execute = () => query(`execute ${name}${literals.length > 0 ? `(${literals.join(', ')})` : ''}`, [], options);
    if (!prepared.has(name)) {
      await query(`prepare ${name} as ${text}`);
      prepared.add(name);
    }
    try {
      return await execute();
    } catch (err) {
      if (!isStalePrepared(err)) throw err;
      await query(`deallocate ${name}`).catch(() => undefined);
      await query(`prepare ${name} as ${text}`);
      return execute();
    }
  };
}

export interface DatabaseHandle {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** The schema the tables live in ('public' unless a test gave its own). */
  schema: string;
  /**
   * PGlite only: how many statements that may write have been run so far. The embedded database has no other
   * writer (one process owns its data directory), so while this number stays the same, no data has changed.
   * Undefined for PostgreSQL, where other instances write too.
   */
  writes?: () => number;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** PostgreSQL connection string; when absent, PGlite is used. */
  databaseUrl?: string;
  /** PGlite data directory; when absent with no databaseUrl, an in-memory PGlite (tests). */
  pgliteDir?: string;
  /** PGlite only: start from this dumpDataDir() tarball instead of an empty cluster (tests start migrated). */
  pgliteSnapshot?: Blob;
  /** PostgreSQL only: put every table in this schema (tests isolate files this way). */
  schema?: string;
  /** Pool size for PostgreSQL. */
  poolSize?: number;
  onPoolError?: (err: Error) => void;
}

const DATE_OID = 1082;
const keepDateString = (value: string) => value;

export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options);
  return openPglite(options.pgliteDir, options.pgliteSnapshot);
}

async function openPostgres(databaseUrl: string, options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  const schema = options.schema ?? 'public';
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name: ${schema}`);
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.poolSize ?? 10,
    // A finite wait for a free or new connection, and a ceiling on any statement (pg's defaults wait forever).
    connectionTimeoutMillis: 5000,
    statement_timeout: 15000,
    idleTimeoutMillis: 30000,
    options: schema === 'public' ? undefined : `-c search_path=${schema}`,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === DATE_OID ? keepDateString : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client's error (the server restarted, the network dropped) must not crash the process.
  pool.on('error', (err) => options.onPoolError?.(err));
  // A checked-out client between queries has no listener of pg's own: give every client one, so a dropped
  // connection becomes a failed query (answered 503) rather than an uncaught exception.
  pool.on('connect', (client) => {
    client.on('error', (err) => options.onPoolError?.(err));
    runPreparedByName(client);
  });
  if (schema !== 'public') {
    const client = await pool.connect();
    try {
      await client.query(`create schema if not exists ${schema}`);
    } finally {
      client.release();
    }
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, kind: 'postgres', schema, close: () => db.destroy() };
}

async function openPglite(dir?: string, snapshot?: Blob): Promise<DatabaseHandle> {
  if (dir) mkdirSync(path.dirname(dir), { recursive: true });
  // Loaded only when used: PGlite's module costs some 50 MB of memory that a PostgreSQL server does not need.
  const [{ PGlite }, { PGliteDialect }] = await Promise.all([import('@electric-sql/pglite'), import('kysely-pglite-dialect')]);
  const pglite = await PGlite.create({ dataDir: dir, loadDataDir: snapshot, parsers: { [DATE_OID]: keepDateString } });
  const counter = { writes: 0 };
  runPreparedOnPglite(pglite as unknown as { query: PgliteQuery }, counter);
  const db = new Kysely<Database>({ dialect: new PGliteDialect(pglite) });
  return { db, kind: 'pglite', schema: 'public', writes: () => counter.writes, close: () => db.destroy() };
}

/** True when the database answers a trivial query. */
export async function pingDatabase(db: Db): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
