import type { FunctionWorker } from './function-worker';

/** The environment a new instance loads its module with; built only when an instance is started. */
export type StartEnvironment = () => Record<string, string>;

/** Starts a new instance for the invocation that needs it. */
export type SpawnWorker = (firstInvocationId: string, env: Record<string, string>) => Promise<FunctionWorker>;

/** A worker lent to one invocation; `cold` when it was started for it. */
export interface WorkerLease {
  worker: FunctionWorker;
  cold: boolean;
}

/** Counts shown by `/health` and the console. */
export interface PoolStats {
  idle: number;
  busy: number;
  starting: number;
  queued: number;
}

interface Waiter {
  invocationId: string;
  env: StartEnvironment;
  resolve: (lease: WorkerLease) => void;
  reject: (error: unknown) => void;
}

/**
 * The instances of one function, like CloudBase's: each serves one request at a time and is reused
 * serially; a new one starts only when all are busy, up to `maxWorkers`; beyond that requests queue.
 * Idle instances are reaped after `idleTtlMs`. Most recently used instances are reused first, so a
 * quiet function shrinks back to one warm instance.
 */
export class WorkerPool {
  private readonly idle: FunctionWorker[] = [];
  private readonly busy = new Set<FunctionWorker>();
  private readonly retiring = new Set<FunctionWorker>();
  private readonly waiters: Waiter[] = [];
  private starting = 0;

  constructor(
    private readonly spawn: SpawnWorker,
    private readonly maxWorkers: number,
    private readonly idleTtlMs: number,
  ) {}

  /** A warm idle worker, a new one, or (at capacity) the next one released. */
  acquire(invocationId: string, env: StartEnvironment): Promise<WorkerLease> {
    const warm = this.idle.pop();
    if (warm) {
      this.busy.add(warm);
      return Promise.resolve({ worker: warm, cold: false });
    }
    if (this.size() < this.maxWorkers) return this.startFor(invocationId, env);
    return new Promise<WorkerLease>((resolve, reject) => {
      this.waiters.push({ invocationId, env, resolve, reject });
    });
  }

  /** Gives a worker back after a clean invocation: to the next waiter, or to the idle list. */
  release(worker: FunctionWorker): void {
    if (!worker.alive || this.retiring.delete(worker)) {
      this.discard(worker);
      return;
    }
    const waiter = this.waiters.shift();
    if (waiter) {
      waiter.resolve({ worker, cold: false });
      return;
    }
    this.busy.delete(worker);
    worker.idleSince = Date.now();
    this.idle.push(worker);
  }

  /** Drops a worker that timed out or crashed (terminating it), and lets a waiter start a new one. */
  discard(worker: FunctionWorker): void {
    this.busy.delete(worker);
    this.retiring.delete(worker);
    void worker.terminate();
    this.admitWaiter();
  }

  /** Starts workers until `count` are idle or the pool is full; answers how many are idle. */
  async prewarm(count: number, makeEnv: StartEnvironment, idPrefix: string): Promise<number> {
    const wanted = Math.min(count, this.maxWorkers) - this.idle.length;
    const starts = Array.from({ length: Math.max(0, wanted) }, async (_, i) => {
      if (this.size() >= this.maxWorkers) return;
      const lease = await this.startFor(`${idPrefix}-${i}`, makeEnv);
      this.release(lease.worker);
    });
    await Promise.all(starts);
    return this.idle.length;
  }

  /** Terminates workers idle for longer than the TTL; answers how many were reaped. */
  reapIdle(now = Date.now()): number {
    const stale = this.idle.filter((worker) => now - worker.idleSince >= this.idleTtlMs);
    for (const worker of stale) {
      this.idle.splice(this.idle.indexOf(worker), 1);
      void worker.terminate();
    }
    return stale.length;
  }

  /** Ends every idle worker now and every busy one when its invocation ends (state reset). */
  retireAll(): void {
    for (const worker of this.idle.splice(0)) void worker.terminate();
    for (const worker of this.busy) this.retiring.add(worker);
  }

  /** Terminates everything and fails queued requests (shutdown). */
  async shutdown(): Promise<void> {
    for (const waiter of this.waiters.splice(0))
      waiter.reject(new Error('the functions runtime is stopping'));
    const all = [...this.idle.splice(0), ...this.busy];
    this.busy.clear();
    await Promise.all(all.map((worker) => worker.terminate()));
  }

  /** Current counts. */
  stats(): PoolStats {
    return {
      idle: this.idle.length,
      busy: this.busy.size,
      starting: this.starting,
      queued: this.waiters.length,
    };
  }

  private size(): number {
    return this.idle.length + this.busy.size + this.starting;
  }

  private async startFor(invocationId: string, env: StartEnvironment): Promise<WorkerLease> {
    this.starting += 1;
    try {
      const worker = await this.spawn(invocationId, env());
      this.busy.add(worker);
      return { worker, cold: true };
    } finally {
      this.starting -= 1;
      // A failed start frees capacity that a queued request may use.
      if (this.waiters.length > 0 && this.size() < this.maxWorkers) this.admitWaiter();
    }
  }

  private admitWaiter(): void {
    if (this.size() >= this.maxWorkers) return;
    const waiter = this.waiters.shift();
    if (!waiter) return;
    this.startFor(waiter.invocationId, waiter.env).then(waiter.resolve, waiter.reject);
  }
}
