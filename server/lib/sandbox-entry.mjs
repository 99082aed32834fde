// The first module of every sandboxed worker: loads the task (TypeScript through tsx's scoped loader, so it
// works under `node --import tsx` and under vitest alike), runs its default export on the input, and posts
// the result or the error's message back. Plain JavaScript because nothing has registered tsx yet.
import { parentPort, workerData } from 'node:worker_threads';

const { task, input } = workerData;
try {
  let mod;
  if (/\.[cm]?ts$/.test(new URL(task).pathname)) {
    const { tsImport } = await import('tsx/esm/api');
    mod = await tsImport(task, import.meta.url);
  } else {
    mod = await import(task);
  }
  const value = await mod.default(input);
  parentPort.postMessage({ ok: true, value });
} catch (err) {
  parentPort.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err) });
}
