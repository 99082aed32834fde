// Main-thread side of reading a plan file: size and magic-byte checks here, extraction and reading in a worker
// (heap and time limits) so a hostile or huge file never blocks other requests. Failures become 413 / 422.
import { DomainError, unprocessable } from '../domain/errors.js';
import { runSandboxed, SandboxError } from '../lib/sandbox.js';
import { MAX_PLAN_BYTES, type PlanFormat, sniffPlanFile } from './formats.js';
import type { PlanWorkerOutput } from './plan-worker.js';
import type { MeasureLabel, PlanReading } from './reading/read-plan.js';

const WORKER_URL = new URL('./plan-worker.ts', import.meta.url);
export const NO_TEXT_WARNING = '文字を読み取れませんでした（画像の PDF の可能性があります）。';

export interface ReadDocument {
  pages: string[];
  reading: PlanReading;
  warnings: string[];
}

const fileError = (message: string) => unprocessable(message, [{ path: '/file', message }]);

export function tooLarge(): DomainError {
  const message = `ファイルが大きすぎます（上限 ${MAX_PLAN_BYTES / 1024 / 1024} MB）。`;
  return new DomainError(413, 'PAYLOAD_TOO_LARGE', message, [{ path: '/file', message }]);
}

export async function readPlanDocument(bytes: Uint8Array, format: PlanFormat, measures: MeasureLabel[]): Promise<ReadDocument> {
  if (bytes.length > MAX_PLAN_BYTES) throw tooLarge();
  const problem = sniffPlanFile(bytes, format);
  if (problem) throw fileError(problem);
  const copy = new Uint8Array(bytes); // transferred to the worker; the caller keeps its own bytes for storage
  let out: PlanWorkerOutput;
  try {
    out = await runSandboxed<PlanWorkerOutput>(WORKER_URL, { format, bytes: copy, measures }, {
      timeoutMs: 60_000,
      maxOldGenerationSizeMb: 512,
      transferList: [copy.buffer as ArrayBuffer],
    });
  } catch (err) {
    if (!(err instanceof SandboxError)) throw err;
    const why = err.reason === 'timeout' ? '読み取りに時間がかかりすぎたため' : err.reason === 'memory' ? '読み取りに必要なメモリが上限を超えたため' : 'ファイルを解析できなかったため';
    throw fileError(`${why}、このファイルは受け付けられません。別の形式（PDF など）で保存し直して送ってください。`);
  }
  if (!out.ok) throw fileError(out.message);
  const hasText = out.pages.some((p) => p.replace(/\s/g, '').length > 0);
  return { pages: out.pages, reading: out.reading, warnings: hasText ? [] : [NO_TEXT_WARNING] };
}
