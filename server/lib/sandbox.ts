// Runs untrusted-input work (uploaded files) in a worker_threads worker with a heap limit and a time limit,
// so a hostile file can exhaust only the worker, never the server's event loop or memory.
import { Worker } from 'node:worker_threads';

export class SandboxError extends Error {
  constructor(
    public readonly reason: 'timeout' | 'memory' | 'crashed' | 'failed',
    message: string,
  ) {
    super(message);
    this.name = 'SandboxError';
  }
}

type WorkerReply = { ok: true; value: unknown } | { ok: false; message: string };

/** Starts the worker at workerUrl with `input` as its workerData; resolves with the value it posts. */
export async function runSandboxed<T>(
  workerUrl: URL,
  input: unknown,
  limits: { timeoutMs: number; maxOldGenerationSizeMb: number; transferList?: ArrayBuffer[] },
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const worker = new Worker(workerUrl, {
      workerData: input,
      transferList: limits.transferList,
      resourceLimits: { maxOldGenerationSizeMb: limits.maxOldGenerationSizeMb, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
      stdout: false,
      stderr: false,
    });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
      void worker.terminate();
    };
    const timer = setTimeout(() => settle(() => reject(new SandboxError('timeout', `worker exceeded ${limits.timeoutMs} ms`))), limits.timeoutMs);
    worker.on('message', (reply: WorkerReply) => {
      settle(() => (reply.ok ? resolve(reply.value as T) : reject(new SandboxError('failed', reply.message))));
    });
    worker.on('error', (err: Error & { code?: string }) => {
      const memory = err.code === 'ERR_WORKER_OUT_OF_MEMORY';
      settle(() => reject(new SandboxError(memory ? 'memory' : 'crashed', err.message)));
    });
    worker.on('exit', (code) => settle(() => reject(new SandboxError('crashed', `worker exited with code ${code}`))));
  });
}

/** Worker side: compute the reply from workerData and post it in the shape runSandboxed expects. */
export async function serveSandboxed(work: (input: any) => Promise<unknown>): Promise<void> {
  const { parentPort, workerData } = await import('node:worker_threads');
  if (!parentPort) throw new Error('serveSandboxed must run inside a worker');
  try {
    parentPort.postMessage({ ok: true, value: await work(workerData) } satisfies WorkerReply);
  } catch (err) {
    parentPort.postMessage({ ok: false, message: (err as Error).message ?? String(err) } satisfies WorkerReply);
  }
}
