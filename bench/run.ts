// `npm run bench`: HTTP throughput against a bare-Fastify baseline measured in the same run, then the
// scale runs (results query, results page, organiser workbook with peak RSS). Prints a table per part and
// a one-line summary of every target, met or not. Runs on PGlite, and on PostgreSQL when DATABASE_URL is set.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP_S = 2;
const CONNECTIONS = 50;

interface Served {
  child: ChildProcess;
  info: { port: number; organiserToken?: string; respondentTokens?: string[]; respondentVersions?: number[]; respondentCookie?: string; measureCodes?: string[] };
}

async function serve(args: string[]): Promise<Served> {
  const child = spawn(TSX, ['bench/serve.ts', ...args], { cwd: ROOT, env: process.env, stdio: ['ignore', 'pipe', 'inherit'] });
  const info = await new Promise<Served['info']>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line));
    });
    child.on('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return { child, info };
}

async function stop(served: Served) {
  served.child.kill('SIGTERM');
  await new Promise((r) => served.child.once('exit', r));
}

type Options = Parameters<typeof autocannon>[0];
interface Load {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  /** non-2xx answers by status, e.g. "409×12" */
  statuses: string;
  bytes: number;
}

/** A run of the given duration; without one, a warm-up run first and then the measured run. */
async function load(opts: Options, duration?: number): Promise<Load> {
  if (duration === undefined) await autocannon({ ...opts, connections: CONNECTIONS, duration: WARMUP_S });
  const r = await autocannon({ ...opts, connections: CONNECTIONS, duration: duration ?? DURATION_S });
  const statuses = Object.entries((r as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {})
    .filter(([code]) => !code.startsWith('2'))
    .map(([code, { count }]) => `${code}×${count}`)
    .join(' ');
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts, non2xx: r.non2xx, statuses, bytes: r.throughput.average / Math.max(r.requests.average, 1) };
}

const rows: string[][] = [];
const targets: Array<{ name: string; value: string; met: boolean }> = [];

function row(db: string, name: string, l: Load, baseline?: Load) {
  rows.push([db, name, l.rps.toFixed(0), l.p50.toFixed(1), l.p99.toFixed(1), baseline ? (l.rps / baseline.rps).toFixed(2) : '1.00', [l.errors ? `${l.errors} errors/timeouts` : '', l.statuses].filter(Boolean).join(' ') || '0']);
}

function printTable(header: string[], body: string[][]) {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of body) console.log(line(r));
}

async function httpRuns(db: 'pglite' | 'postgres') {
  const base = await serve(['baseline']);
  const baseline = await load({ url: `http://127.0.0.1:${base.info.port}/` });
  await stop(base);
  row(db, 'baseline: bare Fastify hello-world', baseline);

  const app = await serve(['app', db]);
  const url = `http://127.0.0.1:${app.info.port}`;
  const form = await load({ url: `${url}/respond`, headers: { cookie: app.info.respondentCookie! } });
  row(db, 'GET /respond (46-measure form)', form, baseline);
  targets.push({ name: `[${db}] form page ≥ 30% of baseline req/s`, value: `${((form.rps / baseline.rps) * 100).toFixed(1)}%`, met: form.rps / baseline.rps >= 0.3 });

  const page = await fetch(`${url}/respond`, { headers: { cookie: app.info.respondentCookie! } });
  const html = await page.text();
  const bytes = Buffer.byteLength(html);
  const otherHosts = [...html.matchAll(/(?:src|href|action)="(https?:)?\/\/[^"]*"/g)].length;
  targets.push({ name: `[${db}] form page < 60 KB, no other host`, value: `${(bytes / 1024).toFixed(1)} KB, ${otherHosts} external refs`, met: bytes < 60 * 1024 && otherHosts === 0 });

  // Draft saves: each request takes a city that has no save in flight and carries the version it last read
  // (autocannon resets a connection's context after every request, so the cities are handed out from a pool).
  // Requests cut off at the end of a run may or may not have been applied: versions are read again before each run.
  const tokens = app.info.respondentTokens!;
  const { sampleResponse } = await import('./sample-response.js');
  let n = 0;
  const saveRun = async (duration: number) => {
    const free = [...tokens];
    const versions = new Map<string, number>();
    for (const t of tokens) {
      const res = await fetch(`${url}/api/v1/response`, { headers: { authorization: `Bearer ${t}` } });
      versions.set(t, ((await res.json()) as { version: number }).version);
    }
    return load(
      {
        url: `${url}/api/v1/response`,
        requests: [
          {
            method: 'PUT',
            setupRequest: (req: any, context: any) => {
              context.token = free.shift();
              return { ...req, headers: { authorization: `Bearer ${context.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ ...sampleResponse(app.info.measureCodes!, n++), version: versions.get(context.token) }) };
            },
            onResponse: (status: number, body: string, context: any) => {
              if (status === 200) versions.set(context.token, JSON.parse(body).version);
              free.push(context.token);
            },
          },
        ],
      } as Options,
      duration,
    );
  };
  await saveRun(WARMUP_S);
  const save = await saveRun(DURATION_S);
  row(db, 'PUT /api/v1/response (draft save)', save, baseline);
  if (db === 'postgres') targets.push({ name: '[postgres] draft save p99 < 50 ms', value: `${save.p99.toFixed(1)} ms`, met: save.p99 < 50 });

  const results = await load({ url: `${url}/api/v1/surveys/1/results`, headers: { authorization: `Bearer ${app.info.organiserToken}` } });
  row(db, 'GET /api/v1/surveys/1/results (62 cities)', results, baseline);
  await stop(app);
}

async function scaleRuns(db: 'pglite' | 'postgres'): Promise<string[][]> {
  const child = spawn(TSX, ['bench/scale.ts', db], { cwd: ROOT, env: process.env, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  await new Promise((r) => child.on('exit', r));
  const cases = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  for (const c of cases.filter((c) => c.participants === 1800 && c.measures === 200)) {
    targets.push({ name: `[${db}] results for 1,800 × 200 < 200 ms`, value: `${c.resultsMs.toFixed(1)} ms`, met: c.resultsMs < 200 });
    targets.push({ name: `[${db}] organiser workbook 1,800 × 200 < 3 s and < 300 MB RSS`, value: `${(c.workbookMs / 1000).toFixed(2)} s, ${c.workbookPeakRssMb.toFixed(0)} MB`, met: c.workbookMs < 3000 && c.workbookPeakRssMb < 300 });
  }
  const first = cases[0];
  return cases.map((c) => [
    db,
    `${c.participants} × ${c.measures}`,
    c.resultsMs.toFixed(1),
    c.pageMs.toFixed(1),
    c.workbookMs.toFixed(0),
    c.workbookPeakRssMb.toFixed(0),
    ((c.participants * c.measures) / (first.participants * first.measures)).toFixed(1),
    (c.resultsMs / first.resultsMs).toFixed(1),
    (c.workbookMs / first.workbookMs).toFixed(1),
  ]);
}

const kinds = (process.env.BENCH_DB?.split(',') ?? (process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'])) as Array<'pglite' | 'postgres'>;
const parts = (process.env.BENCH_PARTS ?? 'http,scale').split(',');
const scaleRows: string[][] = [];
for (const db of kinds) {
  if (parts.includes('http')) {
    console.error(`bench: HTTP runs on ${db} (${DURATION_S} s each after a ${WARMUP_S} s warm-up, ${CONNECTIONS} connections)`);
    await httpRuns(db);
  }
  if (parts.includes('scale')) {
    console.error(`bench: scale runs on ${db}`);
    scaleRows.push(...(await scaleRuns(db)));
  }
}

console.log('\nHTTP (autocannon, loopback)');
printTable(['db', 'route', 'req/s', 'p50 ms', 'p99 ms', '× baseline', 'errors / non-2xx'], rows);
console.log('\nScale (time grows with participants × measures: compare the last three columns)');
printTable(['db', 'participants × measures', 'results ms', 'page ms', 'workbook ms', 'workbook peak RSS MB', 'size ×', 'results ×', 'workbook ×'], scaleRows);
console.log('\nTargets');
for (const t of targets) console.log(`${t.met ? 'met    ' : 'NOT met'}  ${t.name}: ${t.value}`);
console.log(`\nbench summary: ${targets.filter((t) => t.met).length}/${targets.length} targets met; ${targets.map((t) => `${t.name.replace(/^\[(\w+)\] /, '$1 ')}=${t.value}`).join('; ')}`);
