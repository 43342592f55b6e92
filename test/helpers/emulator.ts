import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configFromEnv, type EmulatorConfig } from '../../emulator/src/config';
import { EmulatorHub } from '../../emulator/src/hub';
import type { SecretsService } from '../../emulator/src/secrets';

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

/**
 * What server code running in this process needs to act like a function of `hub`: the SDK's
 * environment plus the audit keys the functions use (so both append to and verify the same chains).
 */
export function serverEnvOf(hub: EmulatorHub): Record<string, string> {
  let secrets: Record<string, string> = {};
  try {
    secrets = hub.service<SecretsService>('secrets').env();
  } catch {
    // A hub built without the secrets service: functions get no keys from it either.
  }
  const audit = Object.fromEntries(
    Object.entries(secrets).filter(([name]) => name.startsWith('WXLEND_AUDIT_')),
  );
  return { ...hub.sdkEnv(), ...audit };
}

/** Points this process's wx-server-sdk (and audit keys) at the emulator (the SDK re-reads env on every request). */
export function useEmulatorEnv(emulator: TestEmulator): void {
  Object.assign(process.env, serverEnvOf(emulator.hub));
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
