/**
 * Entry of a function worker thread: one serverless instance. It loads the bundled function once (the
 * cold start), then runs invocations one at a time, replacing `process.env` (a plain object, see
 * env-object.ts) before each (the SDK reads identity from it: the shared part arrives once, the per-call
 * part each time) and streaming console output to the runtime. Bundled to plain JS at emulator start.
 */
import { createRequire } from 'node:module';
import { format } from 'node:util';
import { parentPort, workerData } from 'node:worker_threads';
import type { InvocationLog } from '../api';
import { envObject } from './env-object';
import type { InvokeMessage, ThrownError, WorkerBoot, WorkerMessage } from './protocol';

type FunctionMain = (event: unknown, context: unknown) => unknown;

const port = parentPort;
if (!port) throw new Error('worker/main.ts must run inside a worker thread');
const boot = workerData as WorkerBoot;
let currentInvocation = boot.firstInvocationId;
/** The shared variables last received (the runtime sends them only when they change). */
let sharedEnv: Record<string, string> = {};

function send(message: WorkerMessage): void {
  port?.postMessage(message);
}

/** Emulator time: real time plus the offset the runtime hands every invocation. */
function emulatorNow(): number {
  const offset = Number(process.env.WXLEND_CLOCK_OFFSET_MS ?? 0);
  return Date.now() + (Number.isFinite(offset) ? offset : 0);
}

/** Routes console output to the runtime, attributed to the invocation being served. */
function captureConsole(): void {
  const levels: Array<[keyof Console, InvocationLog['level']]> = [
    ['log', 'log'],
    ['debug', 'log'],
    ['info', 'info'],
    ['warn', 'warn'],
    ['error', 'error'],
  ];
  for (const [method, level] of levels) {
    const replacement = (...args: unknown[]): void => {
      send({
        type: 'log',
        invocationId: currentInvocation,
        log: { level, message: format(...args), at: emulatorNow() },
      });
    };
    Object.assign(console, { [method]: replacement });
  }
}

function describe(thrown: unknown): ThrownError {
  if (thrown instanceof Error) return { name: thrown.name, message: thrown.message, stack: thrown.stack };
  return { name: 'Error', message: typeof thrown === 'string' ? thrown : format(thrown) };
}

function loadFunction(): FunctionMain {
  const loaded = createRequire(boot.bundlePath)(boot.bundlePath) as { main?: unknown };
  if (typeof loaded.main !== 'function') throw new Error('index.js does not export main(event, context)');
  return loaded.main as FunctionMain;
}

/** Makes `process.env` exactly the invocation's environment (no variable of the previous caller survives). */
function replaceEnvironment(env: Record<string, string>): void {
  for (const key of Object.keys(process.env)) if (!Object.hasOwn(env, key)) delete process.env[key];
  Object.assign(process.env, env);
}

async function serve(main: FunctionMain, message: InvokeMessage): Promise<void> {
  if (message.shared) sharedEnv = message.shared;
  replaceEnvironment({ ...sharedEnv, ...message.platform });
  currentInvocation = message.invocationId;
  try {
    const value = await main(message.event, message.context);
    const json = JSON.stringify(value === undefined ? null : value) ?? 'null';
    send({ type: 'result', invocationId: message.invocationId, ok: true, json });
  } catch (thrown) {
    send({ type: 'result', invocationId: message.invocationId, ok: false, error: describe(thrown) });
  }
}

captureConsole();
// Before the function loads, so the one object it may keep a reference to is the one updated per call.
process.env = envObject(process.env);
try {
  const main = loadFunction();
  port.on('message', (message: InvokeMessage) => void serve(main, message));
  send({ type: 'ready' });
} catch (thrown) {
  send({ type: 'load-error', error: describe(thrown) });
}
