// Sequential draft saves in-process, to see a save's own cost (statements, time) without the load generator.
//   tsx bench/profile-save.ts pglite|postgres [count]
import { openProfiledApp } from './profile-setup.js';
import { sampleResponse } from './sample-response.js';

const [kind, countArg] = process.argv.slice(2);
const { app, counted, codes, invitations, close } = await openProfiledApp(kind, 'prof');
const [drafted, submitted] = invitations.filter((i) => i.cityCode !== '282049');
const versions = new Map<string, number>();
for (const [i, inv] of [drafted, submitted].entries()) {
  const bearer = { authorization: `Bearer ${inv.token}` };
  versions.set(inv.token, (await app.inject({ method: 'PUT', url: '/api/v1/response', headers: bearer, payload: { ...sampleResponse(codes, i), version: 0 } })).json().version);
}
versions.set(submitted.token, (await app.inject({ method: 'POST', url: '/api/v1/response/submit', headers: { authorization: `Bearer ${submitted.token}` }, payload: {} })).json().version);
const count = Number(countArg ?? 300);
for (const [label, inv] of [['draft', drafted], ['after submission', submitted]] as const) {
  let n = 0;
  const t = performance.now();
  counted.statements = 0;
  for (let i = 0; i < count; i++) {
    const res = await app.inject({ method: 'PUT', url: '/api/v1/response', headers: { authorization: `Bearer ${inv.token}` }, payload: { ...sampleResponse(codes, n++), version: versions.get(inv.token) } });
    if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`);
    versions.set(inv.token, res.json().version);
  }
  console.log(`${kind} ${label}: ${((performance.now() - t) / count).toFixed(2)} ms per save, ${(counted.statements / count).toFixed(1)} statements per save`);
}
await close();
