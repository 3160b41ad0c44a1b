import { Worker } from 'node:worker_threads';
import { LifeguardError } from '../../core/errors.js';

/** Handles one message; runs inside a worker thread or, with zero workers, on the calling thread. */
export type TaskHandler<TMsg, TResult> = (msg: TMsg) => TResult | Promise<TResult>;

/** A result plus the buffers to move (not copy) back to the caller. */
export interface Transferable<TResult> {
  result: TResult;
  transfer?: ArrayBuffer[];
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
}

interface Slot {
  worker: Worker;
  busy: number;
  pending: Map<number, Pending>;
}

/**
 * A fixed set of worker threads, each running the same task module. Why not piscina: the scan needs to
 * talk to every worker at once (set the pass's parameters, collect each worker's local sketch), which a
 * task queue cannot address. Tasks go to the least busy worker; results come back as promises, which the
 * caller awaits in submission order to keep the input order. With `size` 0 the handler runs inline.
 *
 * A worker that dies rejects everything it had and fails the pool: the scan stops, and `--resume`
 * continues from the last checkpoint.
 */
export class WorkerPool<TMsg, TResult> {
  private readonly slots: Slot[] = [];
  private nextId = 0;
  private failure: Error | undefined;
  private readonly inline: TaskHandler<TMsg, Transferable<TResult>> | undefined;

  constructor(options: {
    size: number;
    /** The worker module (`worker.js`); a `.ts` module is run through tsx (tests, development). */
    workerUrl: URL;
    workerData: unknown;
    /** The handler to run inline when `size` is 0. */
    inline?: () => TaskHandler<TMsg, Transferable<TResult>>;
  }) {
    if (options.size === 0) {
      if (!options.inline)
        throw new LifeguardError('LG_ERR_CONFIG_INVALID', 'WorkerPool: size 0 needs an inline handler');
      this.inline = options.inline();
      return;
    }
    for (let i = 0; i < options.size; i++) {
      const worker = startWorker(options.workerUrl, options.workerData);
      const slot: Slot = { worker, busy: 0, pending: new Map() };
      worker.on('message', (msg: { id: number; result?: unknown; error?: { message: string; code?: string } }) => {
        const p = slot.pending.get(msg.id);
        if (!p) return;
        slot.pending.delete(msg.id);
        slot.busy--;
        if (msg.error) {
          p.reject(
            msg.error.code
              ? new LifeguardError(msg.error.code as never, msg.error.message)
              : new Error(`worker task failed: ${msg.error.message}`),
          );
        } else p.resolve(msg.result);
      });
      const fail = (e: Error) => {
        this.failure ??= new Error(`scan worker ${i} stopped: ${e.message}`);
        for (const p of slot.pending.values()) p.reject(this.failure);
        slot.pending.clear();
      };
      worker.on('error', fail);
      worker.on('exit', (code) => {
        if (code !== 0 || slot.pending.size > 0) fail(new Error(`exit code ${code}`));
      });
      this.slots.push(slot);
    }
  }

  get size(): number {
    return this.slots.length;
  }

  /** Runs one task on the least busy worker. */
  run(msg: TMsg, transfer: ArrayBuffer[] = []): Promise<TResult> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.inline) return Promise.resolve(this.inline(msg)).then((r) => r.result);
    let best = this.slots[0] as Slot;
    for (const s of this.slots) if (s.busy < best.busy) best = s;
    return this.send(best, msg, transfer);
  }

  /** Sends a message to every worker (after the tasks each already has) and gathers the answers. */
  broadcast(msg: TMsg): Promise<TResult[]> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.inline) return Promise.resolve(this.inline(msg)).then((r) => [r.result]);
    return Promise.all(this.slots.map((s) => this.send(s, msg, [])));
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots.length = 0;
  }

  private send(slot: Slot, msg: TMsg, transfer: ArrayBuffer[]): Promise<TResult> {
    const id = this.nextId++;
    slot.busy++;
    return new Promise<TResult>((resolve, reject) => {
      slot.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      slot.worker.postMessage({ id, msg }, transfer);
    });
  }
}

/**
 * Runs one task per batch on the pool with a bounded number in flight (backpressure on the reader) and
 * hands each result to `onResult` in submission order, i.e. input order. On an error, the tasks still in
 * flight are awaited before it is rethrown.
 */
export async function runOrdered<T extends { batch: unknown }, TKind extends string>(
  p: { readonly size: number; run(msg: { kind: TKind; batch: T['batch'] }): Promise<unknown> },
  batches: AsyncIterable<T>,
  kind: TKind,
  onResult: (item: T, result: unknown) => void | Promise<void>,
): Promise<void> {
  const inflight: { item: T; result: Promise<unknown> }[] = [];
  // Enough batches queued that a worker never waits for the next one while the main thread is busy.
  const max = Math.max(4, p.size * 4);
  const next = async (): Promise<void> => {
    const head = inflight.shift() as (typeof inflight)[number];
    await onResult(head.item, await head.result);
  };
  try {
    for await (const item of batches) {
      const result = p.run({ kind, batch: item.batch });
      result.catch(() => {}); // awaited in order by next(); this only marks it handled meanwhile
      inflight.push({ item, result });
      if (inflight.length >= max) await next();
    }
    while (inflight.length > 0) await next();
  } catch (e) {
    await Promise.allSettled(inflight.map((f) => f.result));
    throw e;
  }
}

/** A worker on a `.js` module, or on a `.ts` one through tsx's loader (tests and development runs). */
function startWorker(url: URL, workerData: unknown): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url, { workerData });
  const boot = `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(boot, { eval: true, workerData });
}

/**
 * The worker side: answers each message with the handler's result, one message at a time (so a
 * broadcast sees every earlier task of that worker finished).
 */
export function serveTasks<TMsg, TResult>(
  port: import('node:worker_threads').MessagePort,
  handler: TaskHandler<TMsg, Transferable<TResult>>,
): void {
  let chain: Promise<void> = Promise.resolve();
  port.on('message', ({ id, msg }: { id: number; msg: TMsg }) => {
    chain = chain.then(async () => {
      try {
        const { result, transfer } = await handler(msg);
        port.postMessage({ id, result }, transfer ?? []);
      } catch (e) {
        const err = e as Error & { code?: string };
        port.postMessage({
          id,
          error: { message: err.message, code: LifeguardError.isInstance(e) ? err.code : undefined },
        });
      }
    });
  });
}
