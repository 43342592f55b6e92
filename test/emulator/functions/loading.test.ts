import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { databaseService } from '../../../emulator/src/database';
import { functionsServiceWith, type FunctionsService } from '../../../emulator/src/functions';
import type { EmulatorHub } from '../../../emulator/src/hub';
import { startTestEmulator, type TestEmulator } from '../../helpers/emulator';
import { FIXTURE_FUNCTIONS } from './helpers';

describe('loading functions into the runtime', () => {
  let emu: TestEmulator;
  let functions: FunctionsService;
  let source: string;
  let errorOutput: jest.SpyInstance;
  const write = (name: string, code: string): void => {
    fs.mkdirSync(path.join(source, name), { recursive: true });
    fs.writeFileSync(path.join(source, name, 'index.ts'), code);
  };
  beforeAll(async () => {
    source = fs.mkdtempSync(path.join(os.tmpdir(), 'wxlend-fn-src-'));
    write('fine', 'export async function main() { return { fine: true }; }\n');
    write('brokenSyntax', 'export async function main( { return 1; }\n');
    write(
      'throwsOnLoad',
      'throw new Error("cannot start: missing setting");\nexport const main = () => 1;\n',
    );
    write('noMain', 'export const handler = () => 1;\n');
    errorOutput = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    emu = await startTestEmulator({ functionsDir: source });
    functions = emu.hub.service<FunctionsService>('functions');
  });
  afterAll(async () => {
    errorOutput.mockRestore();
    await emu.stop();
    fs.rmSync(source, { recursive: true, force: true });
  });

  test('a function that fails to bundle is reported and not callable; the others are', async () => {
    expect(functions.names().sort()).toEqual(['fine', 'noMain', 'throwsOnLoad']);
    expect(functions.bundleFailures()).toEqual([
      {
        name: 'brokenSyntax',
        message: expect.stringContaining('cloud function brokenSyntax failed to bundle'),
      },
    ]);
    expect(functions.info()).toMatchObject({ failed: ['brokenSyntax'] });
    expect(errorOutput).toHaveBeenCalledWith(
      expect.stringMatching(/^\[functions\] cloud function brokenSyntax/),
    );
    expect((await functions.invoke({ name: 'fine', event: {}, source: 'scf' })).result).toEqual({
      fine: true,
    });
    expect((await functions.invoke({ name: 'brokenSyntax', event: {}, source: 'scf' })).error?.code).toBe(
      'FUNCTION_NOT_FOUND',
    );
  });

  test('a module that throws while loading, or exports no main, fails its invocations clearly', async () => {
    const thrown = await functions.invoke({ name: 'throwsOnLoad', event: {}, source: 'scf' });
    expect(thrown.error).toEqual({
      code: 'FUNCTIONS_EXECUTE_FAIL',
      message: 'Error: cannot start: missing setting',
    });
    expect(thrown.logs[0]?.message).toContain('cannot start: missing setting');
    const noMain = await functions.invoke({ name: 'noMain', event: {}, source: 'scf' });
    expect(noMain.error).toEqual({
      code: 'FUNCTIONS_EXECUTE_FAIL',
      message: 'Error: index.js does not export main(event, context)',
    });
    expect(functions.poolStats().throwsOnLoad).toEqual({ idle: 0, busy: 0, starting: 0, queued: 0 });
  });

  test('reload picks up new and fixed functions', async () => {
    write('brokenSyntax', 'export async function main() { return "fixed"; }\n');
    write('added', 'export async function main(event: { n: number }) { return event.n * 2; }\n');
    expect(await functions.reload()).toEqual([]);
    expect((await functions.invoke({ name: 'brokenSyntax', event: {}, source: 'scf' })).result).toBe('fixed');
    expect((await functions.invoke({ name: 'added', event: { n: 21 }, source: 'scf' })).result).toBe(42);
  });
});

describe('instance limits', () => {
  let emu: TestEmulator;
  let hub: EmulatorHub;
  beforeAll(async () => {
    emu = await startTestEmulator(
      { functionsDir: FIXTURE_FUNCTIONS },
      { factories: [databaseService, functionsServiceWith({ maxWorkersPerFunction: 2 })] },
    );
    hub = emu.hub;
  });
  afterAll(async () => {
    await emu.stop();
  });

  test('requests beyond the cap queue for a busy instance instead of starting more', async () => {
    const functions = hub.service<FunctionsService>('functions');
    expect(await functions.prewarm('echoContext', 2)).toBe(2);
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        functions.invoke({
          name: 'echoContext',
          event: { holdMs: 50 },
          source: 'scf',
          openid: `capped-${i}`,
        }),
      ),
    );
    results.forEach((result, i) => {
      expect(result.error).toBeUndefined();
      expect((result.result as { wxContext: { OPENID: string } }).wxContext.OPENID).toBe(`capped-${i}`);
    });
    const records = functions.invocations({ name: 'echoContext', limit: 5 });
    expect(new Set(records.map((record) => record.workerId)).size).toBe(2);
    expect(records.every((record) => !record.coldStart)).toBe(true);
  });
});
