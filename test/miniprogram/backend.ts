import type { FunctionsService } from '../../emulator/src/functions';
import { serviceFactories } from '../../emulator/src/services';
import { wechatPaySandboxFactory, type WechatPaySandbox } from '../../emulator/src/wechatpay';
import type { FaultSpecInput } from '../../emulator/src/wechatpay/fault-plan';
import type { ApiResult } from '../../typings/api';
import { startTestEmulator, type TestEmulator } from '../helpers/emulator';
import { postJson } from './http';

/** The local backend of one page-test file, with the operator-side moves a borrower cannot make. */
export interface PageBackend {
  emu: TestEmulator;
  /** Lets emulator time pass in sandbox-sized steps (each 1.1 s, timers drained). */
  steps(count: number): Promise<void>;
  /** Plays the operator (console/timer, never the client) starting the payout of an approved loan. */
  startPayout(loanId: string): Promise<void>;
  /** Scripts a WeChat Pay sandbox fault. */
  fault(spec: FaultSpecInput): void;
  /** A single-use phone code, as the getPhoneNumber button would hand the page. */
  phoneCode(openid: string, phone: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts the real local backend. Uses startTestEmulator() when emulator/src/services.ts already lists
 * the WeChat Pay sandbox; until then the same hub is started with the sandbox appended (as the payout
 * suite does), because payouts cannot run without it.
 */
async function startEmulatorWithSandbox(): Promise<TestEmulator> {
  if (serviceFactories.includes(wechatPaySandboxFactory)) return startTestEmulator();
  return startTestEmulator({}, { factories: [...serviceFactories, wechatPaySandboxFactory] });
}

/** Starts a backend for a page-test file. */
export async function startPageBackend(): Promise<PageBackend> {
  const emu = await startEmulatorWithSandbox();
  const hub = emu.hub;
  return {
    emu,
    async steps(count) {
      for (let i = 0; i < count; i++) {
        await hub.clock.advance(1_100);
        await hub.scheduler.drain();
      }
    },
    async startPayout(loanId) {
      const functions = hub.service<FunctionsService>('functions');
      const started = await functions.invoke({
        name: 'payout',
        event: { action: 'start', loanId },
        source: 'scf',
      });
      const result = started.result as ApiResult<unknown> | undefined;
      if (started.error || !result?.ok)
        throw new Error(`payout start failed: ${JSON.stringify(started.error ?? result)}`);
    },
    fault(spec) {
      hub.service<WechatPaySandbox>('wechatpay').addFault(spec);
    },
    async phoneCode(openid, phone) {
      const answer = await postJson(`${emu.baseUrl}/_user/phone-code`, { openid, phone });
      return (answer.body as { code: string }).code;
    },
    stop: () => emu.stop(),
  };
}
