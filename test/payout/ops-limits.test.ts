import { AUDIT_COLLECTION } from '../../server/audit/audit-log';
import type { AuditRecord } from '../../server/audit/chain';
import type { StoredDoc } from '../../server/storage/doc-store';
import { sendCreate, startPayout } from '../../server/payout/engine';
import { decryptSensitiveField } from '../../emulator/src/wechatpay/sandbox-crypto';
import { loadOrCreateSandboxKeys } from '../../emulator/src/wechatpay/sandbox-keys';
import { payoutOps } from '../../server/payout/ops-actions';
import { payoutRuntimeFromEnv } from '../../server/payout/wiring';
import { AppError } from '../../server/runtime/app-error';
import {
  assertPayoutInvariants,
  driveToSuccess,
  fault,
  payoutOf,
  sandboxBillsOf,
  seedApprovedLoan,
  startPayoutHarness,
  type PayoutHarness,
} from './harness';

const SYSTEM = { id: 'system:test', type: 'system' } as const;
const OPERATOR = 'o-operator-7';

describe('limits are enforced atomically before any call; operator actions are audited', () => {
  let h: PayoutHarness;
  beforeAll(async () => {
    h = await startPayoutHarness();
  });
  afterAll(async () => {
    await h.stop();
  });

  test('concurrent payouts against the merchant daily cap: exactly the ones that fit get a bill', async () => {
    const limited = payoutRuntimeFromEnv(
      {
        ...process.env,
        ...h.sandbox.functionEnv(),
        WXLEND_LIMITS: JSON.stringify({ perMerchantDailyCapFen: 60_000 }),
      },
      { clock: h.deps.clock, docs: h.docs },
    );
    const loans = await Promise.all([1, 2, 3].map(() => seedApprovedLoan(h, 30_000)));
    const outcomes = await Promise.allSettled(loans.map((loan) => startPayout(limited.deps, loan, SYSTEM)));
    const refused = outcomes
      .filter((o) => o.status === 'rejected')
      .map((o) => (o as PromiseRejectedResult).reason as AppError);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(2);
    expect(refused.map((e) => e.code)).toEqual(['PAYOUT_OVER_MERCHANT_DAILY_CAP']);
    const created = await Promise.all(loans.map((l) => h.deps.store.get(l.loanId)));
    expect(created.filter(Boolean)).toHaveLength(2);
    expect(h.sandbox.listBills().filter((b) => loans.some((l) => b.bill.openid === l.openid))).toHaveLength(
      2,
    );

    // A confirmed failure gives the reservation back: the third loan then fits.
    const first = created.find(Boolean);
    if (!first) throw new Error('no payout');
    await payoutOps.payoutCancel(limited, OPERATOR, {
      loanId: first._id,
      reasonCode: 'OPERATOR_ERROR',
      reason: '测试释放额度',
    });
    await h.steps(2);
    await payoutOps.payoutReconcile(limited, OPERATOR);
    expect((await payoutOf(h, first._id)).bills[0]?.phase).toBe('CANCELLED');
    const third = loans.find((l) => !created.some((c) => c?._id === l.loanId));
    if (!third) throw new Error('no refused loan');
    await expect(startPayout(limited.deps, third, SYSTEM)).resolves.toMatchObject({ status: 'in_progress' });
  });

  test('per-transfer and per-borrower caps and the minimum refuse before WeChat is called', async () => {
    const loan = await seedApprovedLoan(h, 60_000);
    await expect(startPayout(h.deps, loan, SYSTEM)).rejects.toMatchObject({
      code: 'PAYOUT_OVER_TRANSFER_CAP',
    });
    const small = await seedApprovedLoan(h, 9_000);
    await expect(startPayout(h.deps, small, SYSTEM)).rejects.toMatchObject({ code: 'PAYOUT_BELOW_MINIMUM' });
    expect(await h.deps.store.get(loan.loanId)).toBeUndefined();
    expect(await h.deps.store.get(small.loanId)).toBeUndefined();
    const tight = payoutRuntimeFromEnv(
      {
        ...process.env,
        ...h.sandbox.functionEnv(),
        WXLEND_LIMITS: JSON.stringify({
          perBorrowerDailyCapFen: 10_000,
          perMerchantDailyCapFen: 100_000_000,
        }),
      },
      { clock: h.deps.clock, docs: h.docs },
    );
    const over = await seedApprovedLoan(h, 20_000);
    await expect(startPayout(tight.deps, over, SYSTEM)).rejects.toMatchObject({
      code: 'PAYOUT_OVER_BORROWER_DAILY_CAP',
    });
    expect(
      h.sandbox.listBills().filter((b) => [loan, small, over].some((l) => b.bill.openid === l.openid)),
    ).toHaveLength(0);
  });

  test('from 2,000 CNY the payee name is sent RSA-OAEP encrypted, frozen in the intent and resent byte for byte', async () => {
    const large = payoutRuntimeFromEnv(
      {
        ...process.env,
        ...h.sandbox.functionEnv(),
        WXLEND_LIMITS: JSON.stringify({ perTransferCapFen: 300_000, perBorrowerDailyCapFen: 1_000_000 }),
      },
      { clock: h.deps.clock, docs: h.docs, names: { realNameOf: async () => '欧阳·娜娜' } },
    );
    const loan = await seedApprovedLoan(h, 250_000);
    fault(h, { target: 'api', endpoint: 'create', kind: 'system_error' });
    const first = await startPayout(large.deps, loan, SYSTEM);
    const cipher = first.bills[0]?.request.user_name;
    if (!cipher) throw new Error('no user_name');
    const keys = loadOrCreateSandboxKeys(h.emu.dataDir);
    expect(decryptSensitiveField(cipher, keys.publicKey.privateKeyPem)).toBe('欧阳·娜娜');
    expect(JSON.stringify(first)).not.toContain('欧阳');
    const resent = await sendCreate(large.deps, loan.loanId);
    expect(resent.bills[0]?.request.user_name).toBe(cipher);
    expect(resent.bills[0]?.phase).toBe('ACCEPTED');
    const audits = await h.docs.find<AuditRecord & StoredDoc>(
      AUDIT_COLLECTION,
      { 'entry.event': 'payout.intent' } as never,
      { limit: 1000 },
    );
    expect(
      audits.some((a) => a.entry.details.loanId === loan.loanId && a.entry.details.realNameSent === true),
    ).toBe(true);
    expect(JSON.stringify(audits)).not.toContain('欧阳');
  });

  test('operator: history, hold, cancel, retry after failure — each audited with the operator as actor', async () => {
    const loan = await seedApprovedLoan(h, 21_000);
    fault(h, { target: 'settle_fail', failReason: 'PAYEE_ACCOUNT_ABNORMAL' });
    await startPayout(h.deps, loan, SYSTEM);
    await driveToSuccess(h, loan.loanId);
    const history = await payoutOps.payoutHistory(h.runtime, OPERATOR, { loanId: loan.loanId });
    expect(history.bills[0]?.phase).toBe('FAIL');
    expect(history.bills[0]?.failReason).toBe('PAYEE_ACCOUNT_ABNORMAL');
    expect(JSON.stringify(history)).not.toContain('package');
    const retried = await payoutOps.payoutRetry(h.runtime, OPERATOR, { loanId: loan.loanId });
    expect(retried.bills).toHaveLength(2);
    await expect(payoutOps.payoutRetry(h.runtime, OPERATOR, { loanId: loan.loanId })).rejects.toMatchObject({
      code: 'PAYOUT_NOT_RETRYABLE',
    });
    const held = await payoutOps.payoutHold(h.runtime, OPERATOR, {
      loanId: loan.loanId,
      reasonCode: 'FRAUD_SUSPECTED',
      reason: '核实收款人身份',
    });
    expect(held.status).toBe('manual');
    await payoutOps.payoutCancel(h.runtime, OPERATOR, {
      loanId: loan.loanId,
      reasonCode: 'CUSTOMER_REQUEST',
      reason: '借款人要求撤销',
    });
    await h.steps(2);
    const doc = await payoutOf(h, loan.loanId);
    expect(doc.bills[1]?.phase).toBe('CANCELLED');
    expect(doc.status).toBe('manual');
    await payoutOps.payoutRetry(h.runtime, OPERATOR, { loanId: loan.loanId });
    await driveToSuccess(h, loan.loanId);
    const final = await assertPayoutInvariants(h, loan.loanId);
    expect(final.status).toBe('succeeded');
    expect(final.billNos).toHaveLength(3);
    expect(sandboxBillsOf(h, final)).toHaveLength(3);
    const audits = await h.docs.find<AuditRecord & StoredDoc>(
      AUDIT_COLLECTION,
      { 'entry.actor': OPERATOR } as never,
      { limit: 100 },
    );
    const events = audits.map((a) => a.entry.event);
    expect(events).toEqual(
      expect.arrayContaining([
        'payout.history_viewed',
        'payout.retry',
        'payout.manual',
        'payout.cancel_requested',
      ]),
    );
    expect(audits.every((a) => a.entry.actorType === 'operator')).toBe(true);
  });
});
