// The one way an uploaded workbook is opened: the package is scanned against the caller's caps on the main
// thread (cheap, streaming), then the task reads it in a sandboxed worker (256 MB heap, 10 s).
import { runSandboxed } from './sandbox.js';

export const WORKBOOK_SANDBOX = { timeoutMs: 10_000, maxOldGenerationSizeMb: 256 };

/** Runs a workbook task in the sandbox on a private copy of the bytes (an upload's Buffer may share a pool). */
export function readInSandbox<T>(task: URL, workbook: Uint8Array, extra: Record<string, unknown> = {}): Promise<T> {
  const copy = new Uint8Array(workbook);
  return runSandboxed<T>(task, { ...extra, workbook: copy }, { ...WORKBOOK_SANDBOX, transferList: [copy.buffer] });
}
