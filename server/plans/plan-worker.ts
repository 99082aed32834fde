// The extraction task: file bytes in, pages and the reading out. Run by read-document.ts in a sandboxed worker
// (server/lib/sandbox.ts), which calls this module's default export.
import { extractPages, UnreadableFile } from './extract.js';
import type { PlanFormat } from './formats.js';
import { readPlan, type MeasureLabel, type PlanReading } from './reading/read-plan.js';

export interface PlanWorkerInput {
  format: PlanFormat;
  bytes: Uint8Array;
  measures: MeasureLabel[];
}

export type PlanWorkerOutput = { ok: true; pages: string[]; reading: PlanReading } | { ok: false; message: string };

export default async function readInWorker(input: PlanWorkerInput): Promise<PlanWorkerOutput> {
  try {
    const pages = await extractPages(input.format, input.bytes);
    return { ok: true, pages, reading: readPlan(pages, input.measures) };
  } catch (err) {
    if (err instanceof UnreadableFile) return { ok: false, message: err.message };
    throw err;
  }
}
