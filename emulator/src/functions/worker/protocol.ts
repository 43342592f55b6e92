import type { InvocationLog } from '../api';

/** What a function worker is started with (`workerData`). */
export interface WorkerBoot {
  /** Absolute path of the bundled `index.js` to load. */
  bundlePath: string;
  /** The invocation that caused this cold start: logs printed while loading belong to it. */
  firstInvocationId: string;
}

/** The runtime asks the worker to run one invocation (the worker runs one at a time). */
export interface InvokeMessage {
  type: 'invoke';
  invocationId: string;
  /**
   * The variables every invocation shares (keys, SDK redirect), sent only when they differ from what
   * this worker last received; absent means "as before".
   */
  shared?: Record<string, string>;
  /** This invocation's own variables (identity, token, source, clock offset); they win over `shared`. */
  platform: Record<string, string>;
  event: unknown;
  context: Record<string, unknown>;
}

/** A thrown value, described so it survives the thread boundary. */
export interface ThrownError {
  name: string;
  message: string;
  stack?: string;
}

/** Everything a worker tells the runtime. */
export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'load-error'; error: ThrownError }
  | { type: 'log'; invocationId: string; log: InvocationLog }
  | { type: 'result'; invocationId: string; ok: true; json: string }
  | { type: 'result'; invocationId: string; ok: false; error: ThrownError };
