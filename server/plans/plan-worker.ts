// The extraction worker: file bytes in, pages and the reading out. Started by read-document.ts via runSandboxed.
import { serveSandboxed } from '../lib/sandbox.js';
import { extractPages, UnreadableFile } from './extract.js';
import type { PlanFormat } from './formats.js';
import { readPlan, type MeasureLabel, type PlanReading } from './reading/read-plan.js';

export interface PlanWorkerInput {
  format: PlanFormat;
  bytes: Uint8Array;
  measures: MeasureLabel[];
}

export type PlanWorkerOutput = { ok: true; pages: string[]; reading: PlanReading } | { ok: false; message: string };

await serveSandboxed(async (input: PlanWorkerInput): Promise<PlanWorkerOutput> => {
  try {
    const pages = await extractPages(input.format, input.bytes);
    return { ok: true, pages, reading: readPlan(pages, input.measures) };
  } catch (err) {
    if (err instanceof UnreadableFile) return { ok: false, message: err.message };
    throw err;
  }
});
