// Runs a task on untrusted input in a worker thread with a heap limit and a time limit, so that input which
// makes a library blow up (exceljs expanding a range cell by cell) costs only that worker, never the server.
// The task is a module (TypeScript or JavaScript) whose default export takes the input and returns the result;
// server/lib/sandbox-entry.mjs loads it inside the worker. At most MAX_RUNNING workers run at once, the rest wait.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

export type SandboxFailure = 'timeout' | 'memory' | 'crashed' | 'failed';

export class SandboxError extends Error {
  constructor(
    readonly reason: SandboxFailure,
    message: string,
  ) {
    super(message);
    this.name = 'SandboxError';
  }
}

const ENTRY = new URL('./sandbox-entry.mjs', import.meta.url);
const MAX_RUNNING = Math.max(1, Math.min(4, availableParallelism()));
let running = 0;
const waiting: Array<() => void> = [];

async function slot(): Promise<() => void> {
  if (running >= MAX_RUNNING) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  return () => {
    running--;
    waiting.shift()?.();
  };
}

export async function runSandboxed<T>(
  workerUrl: URL,
  input: unknown,
  limits: { timeoutMs: number; maxOldGenerationSizeMb: number; transferList?: ArrayBuffer[] },
): Promise<T> {
  const release = await slot();
  try {
    return await new Promise<T>((resolve, reject) => {
      const worker = new Worker(ENTRY, {
        workerData: { task: workerUrl.href, input },
        transferList: limits.transferList,
        resourceLimits: { maxOldGenerationSizeMb: limits.maxOldGenerationSizeMb, maxYoungGenerationSizeMb: 32 },
      });
      let settled = false;
      const settle = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        fn();
        void worker.terminate();
      };
      const timer = setTimeout(
        () => settle(() => reject(new SandboxError('timeout', `処理が ${limits.timeoutMs / 1000} 秒以内に終わらなかったため中止しました`))),
        limits.timeoutMs,
      );
      worker.on('message', (m: { ok: true; value: T } | { ok: false; message: string }) =>
        settle(() => (m.ok ? resolve(m.value) : reject(new SandboxError('failed', m.message)))),
      );
      worker.on('error', (err: Error & { code?: string }) =>
        settle(() =>
          reject(
            err.code === 'ERR_WORKER_OUT_OF_MEMORY'
              ? new SandboxError('memory', `処理に必要なメモリが上限（${limits.maxOldGenerationSizeMb} MB）を超えたため中止しました`)
              : new SandboxError('crashed', `処理が異常終了しました（${err.message}）`),
          ),
        ),
      );
      worker.on('exit', (code) => settle(() => reject(new SandboxError('crashed', `処理が結果を返さずに終了しました（終了コード ${code}）`))));
    });
  } finally {
    release();
  }
}
