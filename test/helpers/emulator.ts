import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { configFromEnv, type EmulatorConfig } from '../../emulator/src/config';
import { EmulatorHub } from '../../emulator/src/hub';
import type { ServiceFactory } from '../../emulator/src/service';

/** A local backend started for one test file (or benchmark), on a free port and a fresh data folder. */
export interface TestEmulator {
  hub: EmulatorHub;
  baseUrl: string;
  dataDir: string;
  /** Drops every service's state (database, outbox, history, clock…): call it between tests. */
  reset(): Promise<void>;
  /** Stops the backend; removes the data folder (and the extra folders) unless `keepData`. */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

/** How the backend is assembled, beyond its configuration. */
export interface TestEmulatorOptions {
  /** Services in start order (default: every service of emulator/src/services.ts). */
  factories?: ServiceFactory[];
  /** Folders removed with the data folder on stop (e.g. a copied functions folder). */
  extraDirs?: string[];
  /** Start the hub but do not wait for its services (tests of the startup window). */
  noWait?: boolean;
}

/** The configuration of a test backend: port 0, no real-time ticking, a fresh data folder unless given. */
export function testEmulatorConfig(overrides: Partial<EmulatorConfig> = {}): EmulatorConfig {
  const dataDir = overrides.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'wxlend-emu-'));
  return { ...configFromEnv({}), port: 0, autoTick: false, ...overrides, dataDir };
}

/**
 * The one way tests and benchmarks start a backend: builds the hub (all services unless `factories`),
 * starts it and answers handles to reset and stop it.
 */
export async function startTestEmulator(
  overrides: Partial<EmulatorConfig> = {},
  options: TestEmulatorOptions = {},
): Promise<TestEmulator & { started: Promise<void> }> {
  const config = testEmulatorConfig(overrides);
  const hub = options.factories ? new EmulatorHub(config, options.factories) : new EmulatorHub(config);
  const started = hub.start();
  if (!options.noWait) await started;
  return {
    hub,
    started,
    get baseUrl() {
      return hub.baseUrl;
    },
    dataDir: config.dataDir,
    reset: () => hub.reset(),
    async stop(stopOptions = {}) {
      await hub.stop();
      if (stopOptions.keepData) return;
      for (const dir of [config.dataDir, ...(options.extraDirs ?? [])])
        fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Registers jest hooks for one backend per test file with a reset before every test, so no test relies
 * on what an earlier one left behind. Read `emulator()` inside tests.
 */
export function useTestEmulator(
  overrides: Partial<EmulatorConfig> = {},
  options: TestEmulatorOptions = {},
): () => TestEmulator {
  let emu: TestEmulator | undefined;
  beforeAll(async () => {
    emu = await startTestEmulator(overrides, options);
  });
  beforeEach(async () => {
    await emu?.reset();
  });
  afterAll(async () => {
    await emu?.stop();
  });
  return () => {
    if (!emu) throw new Error('the test backend is not started yet (use it inside a test)');
    return emu;
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
