import type { PayoutProgress } from '../../typings/payout';
import { advanceClock, callAs, DemoHttpError, pause, postJson, unwrap } from './http';
import type { Borrower } from './scenarios';

/** A fault the demo scripts into the WeChat Pay sandbox (see emulator/src/wechatpay/fault-plan.ts). */
export interface InjectedFault {
  /** Which borrower's payout it was aimed at. */
  borrower: number;
  /** `target/kind` as posted. */
  label: string;
}

/** Payout stages after which nothing more happens without an operator. */
const SETTLED_STAGES = new Set(['disbursed', 'failed', 'manual_review']);

/** The borrower's payout progress (`payout.progress`). */
async function progressOf(
  baseUrl: string,
  borrower: Borrower,
  loanId: string,
): Promise<PayoutProgress | null> {
  const answer = await callAs<PayoutProgress>(baseUrl, borrower.openid, 'payout', {
    action: 'progress',
    loanId,
  });
  // The reconcile timer starts payouts of automatic approvals in the background: not there yet.
  if (!answer.ok && answer.error.code === 'PAYOUT_NOT_FOUND') return null;
  return unwrap('payout.progress', answer);
}

/** Lets sandbox-sized steps of emulator time pass until `done` holds (or gives up). */
async function stepUntil(
  baseUrl: string,
  read: () => Promise<PayoutProgress | null>,
  done: (p: PayoutProgress) => boolean,
  what: string,
): Promise<PayoutProgress> {
  for (let step = 0; step < 60; step += 1) {
    const progress = await read();
    if (progress && done(progress)) return progress;
    await advanceClock(baseUrl, 1_100);
    await pause(40);
  }
  throw new DemoHttpError(`payout never reached ${what}`);
}

/**
 * The fault scripted for a scenario before its bill is created: `settle_fail` is bound to the next
 * bill the sandbox creates, so it must be pending when this borrower's payout starts.
 */
export function billFaultFor(borrower: Borrower): Record<string, unknown> | null {
  return borrower.scenario === 'payout_fail' ? { target: 'settle_fail', failReason: 'ACCOUNT_FROZEN' } : null;
}

/** The fault scripted just before the payee confirms: the next payout notification is sent twice. */
function confirmFaultFor(borrower: Borrower): Record<string, unknown> | null {
  return borrower.scenario === 'payout_fault_recovered'
    ? { target: 'notification', kind: 'duplicate' }
    : null;
}

/** Posts a fault to the sandbox (`POST /_admin/wechatpay/faults`) and records it. */
export async function injectFault(
  baseUrl: string,
  borrower: Borrower,
  fault: Record<string, unknown>,
  faults: InjectedFault[],
): Promise<void> {
  await postJson(baseUrl, '/_admin/wechatpay/faults', fault);
  faults.push({
    borrower: borrower.index,
    label: `${String(fault.target)}/${String(fault.kind ?? fault.failReason)}`,
  });
}

/**
 * Waits for the transfer to await the payee, scripts the scenario's fault, confirms as the payee
 * (`POST /_user/wechatpay/merchant-transfer`) and steps time until the payout settles.
 * Callers run this for one borrower at a time so a scripted fault hits the intended bill.
 */
export async function confirmAndSettle(
  baseUrl: string,
  borrower: Borrower,
  loanId: string,
  faults: InjectedFault[],
): Promise<PayoutProgress> {
  const read = () => progressOf(baseUrl, borrower, loanId);
  const waiting = await stepUntil(baseUrl, read, (p) => !!p.confirmation, 'awaiting_confirmation');
  const fault = confirmFaultFor(borrower);
  if (fault) await injectFault(baseUrl, borrower, fault, faults);
  await postJson(baseUrl, '/_user/wechatpay/merchant-transfer', {
    ...waiting.confirmation,
    action: 'confirm',
  });
  return stepUntil(baseUrl, read, (p) => SETTLED_STAGES.has(p.stage), 'a settled stage');
}
