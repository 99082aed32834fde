// The first module of every sandboxed worker: loads the task once (TypeScript through tsx's scoped loader, so
// it works under `node --import tsx` and under vitest alike), then runs its default export on each input it is
// sent and posts the result or the error's message back. Plain JavaScript because nothing has registered tsx yet.
import { parentPort, workerData } from 'node:worker_threads';

const { task } = workerData;
const loading = /\.[cm]?ts$/.test(new URL(task).pathname)
  ? import('tsx/esm/api').then(({ tsImport }) => tsImport(task, import.meta.url))
  : import(task);

parentPort.on('message', async ({ input }) => {
  try {
    const mod = await loading;
    parentPort.postMessage({ ok: true, value: await mod.default(input) });
  } catch (err) {
    parentPort.postMessage({ ok: false, message: err instanceof Error ? err.message : String(err) });
  }
});
