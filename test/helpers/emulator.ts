import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configFromEnv, type EmulatorConfig } from '../../emulator/src/config';
import { EmulatorHub } from '../../emulator/src/hub';

/** A local backend started for one test file, on a free port and a fresh data folder. */
export interface TestEmulator {
  hub: EmulatorHub;
  baseUrl: string;
  dataDir: string;
  /** Stops the backend; removes the data folder unless `keepData`. */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

/** Starts an emulator for tests (no real-time ticking unless asked). */
export async function startTestEmulator(overrides: Partial<EmulatorConfig> = {}): Promise<TestEmulator> {
  const dataDir = overrides.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'wxlend-emu-'));
  const config: EmulatorConfig = { ...configFromEnv({}), port: 0, autoTick: false, ...overrides, dataDir };
  const hub = new EmulatorHub(config);
  await hub.start();
  return {
    hub,
    baseUrl: hub.baseUrl,
    dataDir,
    async stop(options = {}) {
      await hub.stop();
      if (!options.keepData) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Points this process's wx-server-sdk at the emulator (the SDK re-reads env on every request). */
export function useEmulatorEnv(emulator: TestEmulator): void {
  Object.assign(process.env, emulator.hub.sdkEnv());
}

/** POSTs JSON to a loopback endpoint of the backend (device side `/_user/...`, admin `/_admin/...`). */
export async function userAction<T>(
  emu: TestEmulator,
  path: string,
  body: Record<string, unknown>,
): Promise<T> {
  const response = await fetch(`${emu.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}
