// `npm run bench`: HTTP throughput against a bare-Fastify baseline measured in the same run, then the
// scale runs (results query, results page, organiser workbook with peak RSS) at 62, 1,800 and 5,000 participants.
// Prints a table per part, each target of issue #15 with its figure, its ratio to the baseline and met / not met,
// how each scale figure grows with the participants, and a one-line summary. Runs on PGlite, and on PostgreSQL
// too when DATABASE_URL is set. BENCH_PARTS=http or scale runs one part only.
import { type ChildProcess, spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { DEFAULT_POOL_SIZE } from '../server/config.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP_S = 2;
const CONNECTIONS = 50;

interface Served {
  child: ChildProcess;
  info: { port: number; organiserToken?: string; respondentTokens?: string[]; respondentVersions?: number[]; respondentCookie?: string; measureCodes?: string[] };
}

async function serve(args: string[], env: Record<string, string> = {}): Promise<Served> {
  const child = spawn(TSX, ['bench/serve.ts', ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
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
/** met: null for a figure printed for comparison only (e.g. a PostgreSQL target shown for PGlite). */
const targets: Array<{ name: string; value: string; met: boolean | null }> = [];

/**
 * Draft-save throughput before issue #15 (commit 701801e: 12 statements per save, the 46 answers deleted and
 * inserted again), measured with this bench (5 s runs, 50 connections) on this 2-core machine on 2026-12-01 while
 * other work shared it (load about 10): the "today's" of the target "≥ 3× today's".
 */
const SAVE_RPS_BEFORE: Record<'pglite' | 'postgres', number> = { postgres: 133, pglite: 64 };

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const ofBaseline = (l: Load, baseline: Load) => `${l.rps.toFixed(0)} req/s = ${pct(l.rps / baseline.rps)} of the baseline's ${baseline.rps.toFixed(0)}`;

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
  const formShare = db === 'postgres' ? 0.1 : 0.05;
  targets.push({ name: `[${db}] form page (unchanged data: the kept page) ≥ ${formShare * 100} % of baseline req/s at ${CONNECTIONS} connections`, value: `${ofBaseline(form, baseline)}${form.non2xx ? ` (${form.statuses})` : ''}`, met: form.non2xx === 0 && form.rps / baseline.rps >= formShare });
  if (db === 'postgres') targets.push({ name: '[postgres] form page p99 < 50 ms', value: `${form.p99.toFixed(1)} ms`, met: form.p99 < 50 });

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
            setupRequest: (req: object, context: { token?: string }) => {
              context.token = free.shift();
              return { ...req, headers: { authorization: `Bearer ${context.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ ...sampleResponse(app.info.measureCodes!, n++), version: versions.get(context.token!) }) };
            },
            onResponse: (status: number, body: string, context: { token?: string }) => {
              if (status === 200) versions.set(context.token!, JSON.parse(body).version);
              free.push(context.token!);
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
  const saveOk = save.non2xx === 0 && save.errors === 0;
  targets.push({
    name: `[${db}] draft save throughput ≥ 3× before issue #15 (${SAVE_RPS_BEFORE[db]} req/s)`,
    value: `${ofBaseline(save, baseline)}, ${(save.rps / SAVE_RPS_BEFORE[db]).toFixed(2)}× before${saveOk ? '' : ` (${save.statuses} ${save.errors} errors)`}`,
    met: saveOk && save.rps >= 3 * SAVE_RPS_BEFORE[db],
  });
  targets.push({ name: `[${db}] draft save p99 < 50 ms at ${CONNECTIONS} connections`, value: `${save.p99.toFixed(1)} ms (p50 ${save.p50.toFixed(1)} ms)`, met: db === 'postgres' ? save.p99 < 50 : null });

  const results = await load({ url: `${url}/api/v1/surveys/1/results`, headers: { authorization: `Bearer ${app.info.organiserToken}` } });
  row(db, 'GET /api/v1/surveys/1/results (62 cities)', results, baseline);
  await stop(app);

  // The form drawn afresh on every request (a first view, or the view after a save: the kept page does not apply)
  const uncached = await serve(['app', db], { PAGE_CACHE_MB: '0' });
  const fresh = await load({ url: `http://127.0.0.1:${uncached.info.port}/respond`, headers: { cookie: uncached.info.respondentCookie! } });
  row(db, 'GET /respond drawn afresh each time (PAGE_CACHE_MB=0)', fresh, baseline);
  await stop(uncached);
}

interface ScaleCase {
  participants: number;
  measures: number;
  /** computeResults: the full recount */
  resultsMs: number;
  /** the cache's first request: its tally started from nothing */
  resultsFirstMs: number;
  /** the cache after one response changed */
  resultsChangedMs: number;
  resultsCachedMs: number;
  pageMs: number;
  workbookMs: number;
  workbookPeakRssMb: number;
  rssBeforeWorkbookMb: number;
}
const growth: string[] = [];

/**
 * How each figure grows with the participants at the largest number of measures: the figures at 62, 1,800 and
 * 5,000 and, for each step, the figure's ratio against the size's ratio (1.0 = linear; below 1, fixed costs).
 */
function growthLines(db: string, cases: ScaleCase[]): string[] {
  const measures = Math.max(...cases.map((c) => c.measures));
  const series = cases.filter((c) => c.measures === measures).sort((a, b) => a.participants - b.participants);
  if (series.length < 2) return [];
  const figures: Array<[string, (c: ScaleCase) => number, string]> = [
    ['results, full recount', (c) => c.resultsMs, 'ms'],
    ['results after a change', (c) => c.resultsChangedMs, 'ms'],
    ['results of unchanged data', (c) => c.resultsCachedMs, 'ms'],
    ['results page', (c) => c.pageMs, 'ms'],
    ['workbook', (c) => c.workbookMs, 'ms'],
    ['workbook RSS above the process', (c) => c.workbookPeakRssMb - c.rssBeforeWorkbookMb, 'MB'],
  ];
  return figures.map(([name, f, unit]) => {
    const steps = series.slice(1).map((c, i) => {
      const prev = series[i];
      return `${((f(c) / f(prev)) / (c.participants / prev.participants)).toFixed(2)}`;
    });
    const last = series.length - 1;
    const linear = (f(series[last]) / f(series[last - 1])) / (series[last].participants / series[last - 1].participants) <= 1.5;
    return `${linear ? 'linear ' : 'FASTER '}  [${db}] ${name} × ${measures} measures: ${series.map((c) => `${c.participants.toLocaleString('en')}: ${f(c).toFixed(0)} ${unit}`).join(' → ')}; growth ÷ size per step: ${steps.join(', ')}`;
  });
}

async function scaleRuns(db: 'pglite' | 'postgres'): Promise<string[][]> {
  const child = spawn(TSX, ['bench/scale.ts', db], { cwd: ROOT, env: process.env, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  await new Promise((r) => child.on('exit', r));
  const cases: ScaleCase[] = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  for (const c of cases.filter((c) => c.participants === 1800 && c.measures === 200)) {
    targets.push({
      name: `[${db}] results for 1,800 × 200 < 200 ms, the first request after a change (one response submitted again; counted response by response)`,
      value: `${c.resultsChangedMs.toFixed(1)} ms (full recount ${c.resultsMs.toFixed(1)} ms, the app's first request ${c.resultsFirstMs.toFixed(1)} ms)`,
      met: c.resultsChangedMs < 200,
    });
    targets.push({
      name: `[${db}] results for 1,800 × 200 < 200 ms, a repeated request of unchanged data (kept results, checked against the data version)`,
      value: `${c.resultsCachedMs.toFixed(1)} ms`,
      met: c.resultsCachedMs < 200,
    });
    targets.push({
      name: `[${db}] organiser workbook 1,800 × 200 < 3 s and < 300 MB peak RSS${db === 'pglite' ? ' (a PostgreSQL target; PGlite\'s RSS holds the database)' : ''}`,
      value: `${(c.workbookMs / 1000).toFixed(2)} s, ${c.workbookPeakRssMb.toFixed(0)} MB (process at ${c.rssBeforeWorkbookMb.toFixed(0)} MB before)`,
      met: db === 'postgres' ? c.workbookMs < 3000 && c.workbookPeakRssMb < 300 : null,
    });
  }
  growth.push(...growthLines(db, cases));
  const first = cases[0];
  return cases.map((c) => [
    db,
    `${c.participants} × ${c.measures}`,
    c.resultsMs.toFixed(1),
    c.resultsFirstMs.toFixed(1),
    c.resultsChangedMs.toFixed(1),
    c.resultsCachedMs.toFixed(1),
    c.pageMs.toFixed(1),
    c.workbookMs.toFixed(0),
    c.workbookPeakRssMb.toFixed(0),
    ((c.participants * c.measures) / (first.participants * first.measures)).toFixed(1),
    (c.resultsMs / first.resultsMs).toFixed(1),
    (c.workbookMs / first.workbookMs).toFixed(1),
  ]);
}

const loadAtStart = loadavg();
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
printTable(['db', 'participants × measures', 'results ms (full recount)', 'results ms (first request)', 'results ms (after a change)', 'results ms (unchanged data)', 'page ms', 'workbook ms', 'workbook peak RSS MB', 'size ×', 'results ×', 'workbook ×'], scaleRows);
console.log('\nGrowth with the participants (62 → 1,800 → 5,000; "linear" when the last step grows at most 1.5× the size)');
for (const g of growth) console.log(g);
const loads = (l: number[]) => l.map((x) => x.toFixed(1)).join(' ');
console.log(`\nTargets (machine load average ${loads(loadAtStart)} when the run started, ${loads(loadavg())} when it ended, on ${cpus().length} cores; PostgreSQL pool ${process.env.DATABASE_POOL_SIZE ?? DEFAULT_POOL_SIZE} connections)`);
for (const t of targets) console.log(`${t.met === null ? 'info   ' : t.met ? 'met    ' : 'NOT met'}  ${t.name}: ${t.value}`);
const counted = targets.filter((t) => t.met !== null);
console.log(`\nbench summary: ${counted.filter((t) => t.met).length}/${counted.length} targets met; ${targets.map((t) => `${t.name.replace(/^\[(\w+)\] /, '$1 ')}=${t.value}`).join('; ')}`);
