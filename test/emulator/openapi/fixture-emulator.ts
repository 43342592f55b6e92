import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FunctionsApi, InvokeResult } from '../../../emulator/src/functions/api';
import type { EmulatorService } from '../../../emulator/src/service';
import { startTestEmulator, type TestEmulator } from '../../helpers/emulator';

const FIXTURES = path.resolve(__dirname, '..', '..', 'fixtures', 'cloudfunctions');

/** A test emulator whose functions folder holds only the named fixture functions. */
export interface FixtureEmulator extends TestEmulator {
  functions: FunctionsApi;
  /** Invokes a fixture as a mini-program user would (`wx_client`). */
  invokeAsUser(name: string, openid: string, event: unknown): Promise<InvokeResult>;
  /** POSTs JSON to a loopback route and answers status + parsed body. */
  post<T>(route: string, body: unknown): Promise<{ status: number; body: T }>;
  get<T>(route: string): Promise<T>;
}

/**
 * Starts an emulator over a temporary functions folder holding copies of only `names` from
 * test/fixtures/cloudfunctions, so other fixtures' timers and state stay out of the test.
 */
export async function startWithFixtures(names: string[]): Promise<FixtureEmulator> {
  const functionsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxlend-fx-'));
  for (const name of names)
    fs.cpSync(path.join(FIXTURES, name), path.join(functionsDir, name), { recursive: true });
  const emu = await startTestEmulator({ functionsDir });
  const functions = emu.hub.service<EmulatorService & FunctionsApi>('functions');
  return {
    ...emu,
    functions,
    invokeAsUser: (name, openid, event) => functions.invoke({ name, event, source: 'wx_client', openid }),
    async post<T>(route: string, body: unknown) {
      const res = await fetch(`${emu.baseUrl}${route}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as T };
    },
    async get<T>(route: string) {
      return (await (await fetch(`${emu.baseUrl}${route}`)).json()) as T;
    },
    async stop(options) {
      await emu.stop(options);
      fs.rmSync(functionsDir, { recursive: true, force: true });
    },
  };
}
