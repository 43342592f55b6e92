import path from 'node:path';
import type { FunctionsService } from '../../../emulator/src/functions';
import { startTestEmulator, type TestEmulator } from '../../helpers/emulator';

/** The fixture functions every functions test runs against. */
export const FIXTURE_FUNCTIONS = path.resolve(__dirname, '..', '..', 'fixtures', 'cloudfunctions');

/** An emulator serving the fixture functions, with its functions service at hand. */
export async function startFunctionsEmulator(): Promise<{ emu: TestEmulator; functions: FunctionsService }> {
  const emu = await startTestEmulator({ functionsDir: FIXTURE_FUNCTIONS });
  return { emu, functions: emu.hub.service<FunctionsService>('functions') };
}

/** What the echoContext fixture answers. */
export interface EchoResult {
  wxContext: Record<string, unknown>;
  wxContextAfterHold: Record<string, unknown>;
  event: Record<string, unknown>;
  greeting: string | undefined;
  clockNow: number;
  realNow: number;
  context: { request_id: string; function_name: string; time_limit_in_ms: number };
}
