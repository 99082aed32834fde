// Sequential page requests in-process (app.inject), to see one page's own cost without the load generator: wall
// time, this process's CPU time and SQL statements per request; the page's query alone beside `select 1`.
//   tsx bench/profile-page.ts pglite|postgres [count] [url]
//   BENCH_CPU_PROFILE=file.cpuprofile  writes a V8 CPU profile of the measured requests (open it in Chrome DevTools)
//   BENCH_DUMP=file.html              writes the page once (to compare the HTML before and after a change)
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { sql } from 'kysely';
import { loadRespondentPage } from '../server/repositories/respondent-page.js';
import { openProfiledApp } from './profile-setup.js';
import { sampleResponse } from './sample-response.js';

const [kind, countArg, urlArg] = process.argv.slice(2);
const N = Number(countArg ?? 500);
const url = urlArg ?? '/respond';
const { app, database, counted, codes, invitations, close } = await openProfiledApp(kind, 'page');
const invitation = invitations.find((i) => i.cityCode !== '282049')!;
await app.inject({ method: 'PUT', url: '/api/v1/response', headers: { authorization: `Bearer ${invitation.token}` }, payload: { ...sampleResponse(codes, 1), version: 0 } });
const opened = await app.inject({ method: 'POST', url: `/r/${invitation.token}` });
const setCookie = opened.headers['set-cookie'];
const cookie = (Array.isArray(setCookie) ? setCookie : [String(setCookie)]).map((c) => c.split(';')[0]).join('; ');
const get = () => app.inject({ method: 'GET', url, headers: { cookie } });
for (let i = 0; i < 50; i++) await get();
if (process.env.BENCH_DUMP) writeFileSync(process.env.BENCH_DUMP, (await get()).body);

const measure = async (name: string, fn: () => Promise<unknown>) => {
  const t = performance.now();
  const cpu = process.cpuUsage();
  for (let i = 0; i < N; i++) await fn();
  const used = process.cpuUsage(cpu);
  console.log(`${kind} ${name}: ${((performance.now() - t) / N).toFixed(3)} ms per run (${((used.user + used.system) / 1000 / N).toFixed(3)} ms of this process's CPU)`);
};
const claims = app.jwt.decode<{ sid: number; city: string; inv: number }>(decodeURIComponent(cookie.split('respondent_session=')[1].split(';')[0]))!;
const session = { invitationId: claims.inv, surveyId: claims.sid, cityCode: claims.city };
await measure('select 1', () => sql`select 1`.execute(database.db));
await measure('the form page\'s query', () => loadRespondentPage(database.db, session, { response: true, planDocuments: true }));

const profiler = new Session();
if (process.env.BENCH_CPU_PROFILE) {
  profiler.connect();
  await profiler.post('Profiler.enable');
  await profiler.post('Profiler.start');
}
counted.statements = 0;
let bytes = 0;
await measure(`GET ${url}`, async () => {
  const res = await get();
  if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`);
  bytes = res.rawPayload.length;
});
if (process.env.BENCH_CPU_PROFILE) writeFileSync(process.env.BENCH_CPU_PROFILE, JSON.stringify((await profiler.post('Profiler.stop')).profile));
console.log(`${kind} GET ${url}: ${(counted.statements / N).toFixed(2)} statements per request, ${(bytes / 1024).toFixed(1)} KB`);
await close();
