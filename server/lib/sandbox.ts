// Runs a task on untrusted input in a worker thread with a heap limit and a time limit, so that input which
// makes a library blow up (exceljs expanding a range cell by cell) costs only that worker, never the server.
// The task is a module (TypeScript or JavaScript) whose default export takes the input and returns the result;
// server/lib/sandbox-entry.mjs loads it inside the worker. At most MAX_RUNNING tasks run at once, the rest wait;
// a worker that answered normally is kept for the next input of the same task, one that failed in any way is ended.
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
/** A worker that finished cleanly takes the next input of the same task (loading exceljs costs ~0.3 s), up to this many. */
const JOBS_PER_WORKER = 50;
const IDLE_MS = 60_000;
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

interface Pooled {
  worker: Worker;
  jobs: number;
  watched?: boolean;
  idleTimer?: NodeJS.Timeout;
}
const idle = new Map<string, Pooled[]>();

function takeWorker(key: string, task: URL, maxOldGenerationSizeMb: number): Pooled {
  const ready = idle.get(key)?.pop();
  if (ready) {
    clearTimeout(ready.idleTimer);
    ready.worker.ref();
    return ready;
  }
  const worker = new Worker(ENTRY, {
    workerData: { task: task.href },
    resourceLimits: { maxOldGenerationSizeMb, maxYoungGenerationSizeMb: 32 },
  });
  return { worker, jobs: 0 };
}

function giveBack(key: string, pooled: Pooled): void {
  const list = idle.get(key) ?? [];
  if (pooled.jobs >= JOBS_PER_WORKER || list.length >= MAX_RUNNING) {
    void pooled.worker.terminate();
    return;
  }
  // an idle worker must not keep the process alive, and goes away when unused
  if (!pooled.watched) {
    pooled.watched = true;
    pooled.worker.on('error', () => undefined);
    pooled.worker.on('exit', () => idle.set(key, (idle.get(key) ?? []).filter((p) => p !== pooled)));
  }
  pooled.worker.unref();
  pooled.idleTimer = setTimeout(() => void pooled.worker.terminate(), IDLE_MS).unref();
  list.push(pooled);
  idle.set(key, list);
}

export async function runSandboxed<T>(
  workerUrl: URL,
  input: unknown,
  limits: { timeoutMs: number; maxOldGenerationSizeMb: number; transferList?: ArrayBuffer[] },
): Promise<T> {
  const release = await slot();
  const key = `${workerUrl.href}|${limits.maxOldGenerationSizeMb}`;
  const pooled = takeWorker(key, workerUrl, limits.maxOldGenerationSizeMb);
  const { worker } = pooled;
  try {
    return await new Promise<T>((resolve, reject) => {
      let settled = false;
      // Only a worker that answered normally is used again; any failure ends it.
      const settle = (fn: () => void, reuse = false) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
        if (reuse) giveBack(key, pooled);
        else void worker.terminate();
        fn();
      };
      const timer = setTimeout(
        () => settle(() => reject(new SandboxError('timeout', `処理が ${limits.timeoutMs / 1000} 秒以内に終わらなかったため中止しました`))),
        limits.timeoutMs,
      );
      const onMessage = (m: { ok: true; value: T } | { ok: false; message: string }) => {
        pooled.jobs++;
        if (m.ok) settle(() => resolve(m.value), true);
        else settle(() => reject(new SandboxError('failed', m.message)));
      };
      const onError = (err: Error & { code?: string }) =>
        settle(() =>
          reject(
            err.code === 'ERR_WORKER_OUT_OF_MEMORY'
              ? new SandboxError('memory', `処理に必要なメモリが上限（${limits.maxOldGenerationSizeMb} MB）を超えたため中止しました`)
              : new SandboxError('crashed', `処理が異常終了しました（${err.message}）`),
          ),
        );
      const onExit = (code: number) => settle(() => reject(new SandboxError('crashed', `処理が結果を返さずに終了しました（終了コード ${code}）`)));
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      worker.postMessage({ input }, limits.transferList ?? []);
    });
  } finally {
    release();
  }
}
