import fs from 'node:fs';
import path from 'node:path';
import type { EmulatorConfig } from '../emulator/src/config';
import type { EmulatorHub } from '../emulator/src/hub';
import type { ServiceFactory } from '../emulator/src/service';
import { startTestEmulator } from '../test/helpers/emulator';

/** Where the echoContext-style fixtures live; their relative imports expect to sit three folders deep. */
const FIXTURES = path.resolve(__dirname, '..', 'test', 'fixtures', 'cloudfunctions');

/** A hub on a fresh temporary data folder, with the given services, that removes its folders on stop. */
export interface BenchHub {
  hub: EmulatorHub;
  stop(): Promise<void>;
}

/**
 * Copies only `names` from test/fixtures/cloudfunctions into a temporary functions folder. It is made
 * under `.tmp/bench/` of the project (gitignored) because the fixtures import server code by a path
 * relative to three folders up, which a copy under the OS temp folder could not resolve.
 */
export function fixtureFunctionsDir(names: string[]): string {
  const parent = path.resolve(__dirname, '..', '.tmp', 'bench');
  fs.mkdirSync(parent, { recursive: true });
  const dir = fs.mkdtempSync(path.join(parent, 'fx-'));
  for (const name of names) fs.cpSync(path.join(FIXTURES, name), path.join(dir, name), { recursive: true });
  return dir;
}

/** Starts a hub on port 0 over a fresh data folder (removed, with `extraDirs`, on stop): the tests' one builder. */
export async function startBenchHub(
  factories: ServiceFactory[],
  overrides: Partial<EmulatorConfig> = {},
  extraDirs: string[] = [],
): Promise<BenchHub> {
  const emu = await startTestEmulator(overrides, { factories, extraDirs });
  return { hub: emu.hub, stop: () => emu.stop() };
}
