// Scale runs for one database kind: each case (participants × measures) runs in a fresh child process,
// so its peak RSS is its own. Prints one JSON line per case.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');
const db = process.argv[2];
const PARTICIPANTS = (process.env.BENCH_PARTICIPANTS ?? '62,1800,5000').split(',').map(Number);
const MEASURES = (process.env.BENCH_MEASURES ?? '46,200').split(',').map(Number);

for (const participants of PARTICIPANTS) {
  for (const measures of MEASURES) {
    console.error(`bench: scale ${db} ${participants} × ${measures}`);
    const run = spawnSync(TSX, ['bench/scale-case.ts', db, String(participants), String(measures)], { cwd: ROOT, env: { ...process.env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --expose-gc`.trim() }, encoding: 'utf8', maxBuffer: 1 << 24 });
    const line = run.stdout.split('\n').find((l) => l.startsWith('{'));
    if (!line) {
      console.error(run.stderr);
      throw new Error(`scale case ${participants} × ${measures} failed`);
    }
    console.log(line);
  }
}
