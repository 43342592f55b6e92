import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment';
import { TestEnvironment } from 'jest-environment-jsdom';

/**
 * jsdom for miniprogram-simulate, plus the Node globals the in-process local backend (fastify,
 * better-sqlite3, the WeChat Pay sandbox's HTTP calls) needs and jsdom does not provide.
 */
const NODE_GLOBALS = [
  'fetch',
  'Request',
  'Response',
  'Headers',
  'FormData',
  'Blob',
  'AbortController',
  'AbortSignal',
  'TextEncoder',
  'TextDecoder',
  'ReadableStream',
  'WritableStream',
  'TransformStream',
  'URL',
  'URLSearchParams',
  'structuredClone',
  'setTimeout',
  'clearTimeout',
  'setInterval',
  'clearInterval',
  'setImmediate',
  'clearImmediate',
  'queueMicrotask',
  'Buffer',
  'ArrayBuffer',
  'Uint8Array',
  'crypto',
  'MessageChannel',
  'BroadcastChannel',
] as const;

/** The `miniprogram` project's test environment. */
export default class MiniprogramEnvironment extends TestEnvironment {
  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    super(config, context);
    const target = this.global as unknown as Record<string, unknown>;
    const source = globalThis as unknown as Record<string, unknown>;
    for (const name of NODE_GLOBALS) if (source[name] !== undefined) target[name] = source[name];
  }
}
