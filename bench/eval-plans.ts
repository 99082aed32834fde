// npm run eval:plans [truth.json]: reads each plan of a hand-written truth file through the same extraction and
// reading as uploads, and prints exact-match for the plan fields and precision/recall for the measure suggestions.
// Default truth: test/fixtures/plans/truth.json (the two reference plans). Other truth files may list PDFs too.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { CHUKAKUSHI_2018 } from '../server/domain/templates/chukakushi-2018.js';
import { extractPages } from '../server/plans/extract.js';
import { formatOfFileName } from '../server/plans/formats.js';
import { readPlan } from '../server/plans/reading/read-plan.js';

type Label = 'implemented' | 'studying' | 'none';
interface TruthDoc {
  file: string;
  plan: Record<string, string | number | null>;
  measures: Record<string, { truth: Label; basis: string }>;
}

const truthPath = path.resolve(process.argv[2] ?? 'test/fixtures/plans/truth.json');
const truth = JSON.parse(readFileSync(truthPath, 'utf8')) as { documents: TruthDoc[] };
const measures = CHUKAKUSHI_2018.measures.map((m) => ({ code: m.code, label: m.label }));
const pct = (n: number, d: number) => (d === 0 ? 'n/a' : `${(n / d).toFixed(2)} (${n}/${d})`);

let fieldsRight = 0;
let fieldsAll = 0;
const total = { suggested: 0, correct: 0, relevant: 0, found: 0, detected: 0 };
for (const doc of truth.documents) {
  const file = path.resolve(path.dirname(truthPath), doc.file);
  const format = formatOfFileName(file);
  if (!format) throw new Error(`unknown format: ${file}`);
  const started = performance.now();
  const pages = await extractPages(format, new Uint8Array(readFileSync(file)));
  const reading = readPlan(pages, measures);
  const ms = performance.now() - started;
  console.log(`\n# ${doc.file} (${pages.length} pages, read in ${ms.toFixed(0)} ms)`);
  for (const [field, want] of Object.entries(doc.plan)) {
    const got = (reading.plan as unknown as Record<string, { value: unknown } | null>)[field]?.value ?? null;
    const ok = got === want;
    fieldsAll++;
    if (ok) fieldsRight++;
    console.log(`  ${ok ? 'ok  ' : 'MISS'} ${field}: ${JSON.stringify(got)}${ok ? '' : ` (truth ${JSON.stringify(want)})`}`);
  }
  const d = { suggested: 0, correct: 0, relevant: 0, found: 0, detected: 0 };
  const wrong: string[] = [];
  for (const m of measures) {
    const want = doc.measures[m.code]?.truth ?? 'none';
    const got = (reading.measures[m.code]?.suggestion ?? 'none') as Label;
    if (got !== 'none') d.suggested++;
    if (want !== 'none') d.relevant++;
    if (got !== 'none' && got === want) d.correct++;
    if (got !== 'none' && want !== 'none') d.detected++;
    if (got !== want) {
      const ev = reading.measures[m.code]?.evidence[0];
      wrong.push(`    ${m.code} ${m.label}: got ${got}, truth ${want}${ev ? ` — p.${ev.page} 「${ev.text.slice(0, 60)}」` : ''}`);
    }
  }
  d.found = d.correct;
  console.log(`  measures: precision ${pct(d.correct, d.suggested)}, recall ${pct(d.correct, d.relevant)}; mentioned-at-all precision ${pct(d.detected, d.suggested)}, recall ${pct(d.detected, d.relevant)}`);
  if (wrong.length) console.log(`  differences:\n${wrong.join('\n')}`);
  for (const k of Object.keys(total) as Array<keyof typeof total>) total[k] += d[k];
}
console.log(`\n== all documents: plan fields exact ${pct(fieldsRight, fieldsAll)}; measure suggestions precision ${pct(total.correct, total.suggested)}, recall ${pct(total.correct, total.relevant)}`);
console.log(`   (a suggestion counts as correct only with the right label; "mentioned-at-all" ignores the label: precision ${pct(total.detected, total.suggested)}, recall ${pct(total.detected, total.relevant)})`);
