import type { Fen } from '../../typings/money';
import type { ApplicationDoc } from '../../server/loan/application-doc';
import { DEFAULT_REPAYMENT_CONFIG, type RepaymentConfig } from '../../server/repayment/config';

/** The repayment configuration tests run with. */
export const TEST_REPAYMENT_CONFIG: RepaymentConfig = { ...DEFAULT_REPAYMENT_CONFIG, subMchId: '1900000109' };

/** An application as the loan domain leaves it just before the money lands. */
export function landingApplication(
  loanId: string,
  openid: string,
  at: number,
  terms: { amount?: number; termMonths?: number; aprBps?: number; method?: ApplicationDoc['method'] } = {},
): ApplicationDoc {
  return {
    _id: loanId,
    openid,
    status: 'awaiting_confirmation',
    version: 4,
    amount: (terms.amount ?? 300_000) as Fen,
    termMonths: terms.termMonths ?? 3,
    method: terms.method ?? 'equal_instalment',
    purpose: 'consumption',
    aprBps: terms.aprBps ?? 1_800,
    deviceHash: 'd'.repeat(64),
    idHash: 'i'.repeat(64),
    consent: { version: '2026-01', textSha256: 'a'.repeat(64), at, clientIp: null, signer: openid },
    requestId: `req-${loanId}`,
    createdAt: at,
    updatedAt: at,
    timeline: [{ at, status: 'awaiting_confirmation', note: '待确认收款' }],
  };
}

/** Epoch ms of a China wall-clock time. */
export function chinaTime(iso: string): number {
  return Date.parse(`${iso}+08:00`);
}
