import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A local backend running as a child process on a fixed port and data folder. */
export interface ProcessHub {
  baseUrl: string;
  dataDir: string;
  /** Starts (or restarts) the process and waits until `/health` says `ok`. */
  start(): Promise<void>;
  /** Resolves with the signal once the process has died (e.g. killed by a crash fault). */
  died(timeoutMs: number): Promise<NodeJS.Signals | number | null>;
  /** Kills the process if it runs and removes the data folder. */
  dispose(): Promise<void>;
  /** POSTs JSON to a loopback route and answers the JSON. */
  post<T>(route: string, body: unknown): Promise<T>;
  get<T>(route: string): Promise<T>;
}

/** A free TCP port on loopback. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Prepares a backend process (not started) on a fresh data folder and a free port. */
export async function processHub(): Promise<ProcessHub> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxlend-crash-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const script = path.join(__dirname, 'child-hub.ts');
  let child: ChildProcess | undefined;
  let exited: Promise<NodeJS.Signals | number | null> = Promise.resolve(null);
  const log = fs.openSync(path.join(dataDir, 'child.log'), 'a');

  const request = async <T>(route: string, init?: RequestInit): Promise<T> => {
    const response = await fetch(`${baseUrl}${route}`, init);
    if (!response.ok) throw new Error(`${route} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  };

  return {
    baseUrl,
    dataDir,
    async start() {
      child = spawn(process.execPath, ['--import', 'tsx', script], {
        cwd: path.resolve(__dirname, '../../..'),
        env: {
          ...process.env,
          CLOUDBASE_LOCAL_DATA: dataDir,
          CLOUDBASE_LOCAL_PORT: String(port),
          CLOUDBASE_LOCAL_AUTOTICK: '0',
          CLOUDBASE_LOCAL_FUNCTION_LOGS: '0',
        },
        stdio: ['ignore', log, log],
      });
      const proc = child;
      exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve(signal ?? code)));
      for (let i = 0; i < 240; i++) {
        const health = await request<{ status: string }>('/health').catch(() => undefined);
        if (health?.status === 'ok') return;
        if (proc.exitCode !== null || proc.signalCode !== null) break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      throw new Error(`backend process did not become healthy; see ${path.join(dataDir, 'child.log')}`);
    },
    died(timeoutMs) {
      return Promise.race([
        exited,
        new Promise<never>((_, reject) =>
          setTimeout(() => reject(new Error('the backend process did not die')), timeoutMs).unref(),
        ),
      ]);
    },
    async dispose() {
      if (child && child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
      fs.closeSync(log);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
    post: (route, body) =>
      request(route, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    get: (route) => request(route),
  };
}
