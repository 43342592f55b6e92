import { decryptSensitiveField } from '../../emulator/src/wechatpay/sandbox-crypto';
import { loadOrCreateSandboxKeys } from '../../emulator/src/wechatpay/sandbox-keys';
import { BORROWERS } from '../../server/loan/application-doc';
import { recordIntent } from '../../server/payout/engine';
import { firstIntent } from '../../server/payout/intent';
import { startPayoutForApplication } from '../../server/payout/start';
import type { StoredDoc } from '../../server/storage/doc-store';
import { payoutRuntimeFromEnv } from '../../server/payout/wiring';
import { PAYOUT_COLLECTIONS } from '../../server/payout/collections';
import {
  applicationOf,
  assertPayoutInvariants,
  driveToSuccess,
  payoutOf,
  seedApprovedLoan,
  startPayoutHarness,
  type PayoutHarness,
} from './harness';

/**
 * A payout started from the stored application: the intent's transaction reads the application
 * itself (amount and payee never come from a caller), refuses a caller who does not own it, and
 * asks for the payee's name outside the transaction when the amount needs it.
 */

const SYSTEM = { id: 'system:test', type: 'system' } as const;

describe('starting a payout from the application the intent’s transaction reads', () => {
  let h: PayoutHarness;
  beforeAll(async () => {
    h = await startPayoutHarness();
  });
  afterAll(async () => {
    await h.stop();
  });

  test('the payee starts their own approved loan; anyone else gets PAYOUT_NOT_FOUND and nothing is written', async () => {
    const loan = await seedApprovedLoan(h, 21_000);
    await expect(
      startPayoutForApplication(h.deps, loan.loanId, { id: 'o-other', type: 'borrower' }, 'o-other'),
    ).rejects.toMatchObject({ code: 'PAYOUT_NOT_FOUND' });
    expect(await h.docs.get(PAYOUT_COLLECTIONS.payouts, loan.loanId)).toBeUndefined();
    expect((await applicationOf(h, loan.loanId)).status).toBe('approved');

    const doc = await startPayoutForApplication(
      h.deps,
      loan.loanId,
      { id: loan.openid, type: 'borrower' },
      loan.openid,
    );
    expect(doc).toMatchObject({ amount: 21_000, borrowerOpenid: loan.openid });
    expect(doc.bills[0]?.phase).toBe('ACCEPTED');
    expect((await applicationOf(h, loan.loanId)).status).toBe('disbursing');
    // A second call resumes the same payout (one bill number), whoever asks.
    const again = await startPayoutForApplication(h.deps, loan.loanId, SYSTEM);
    expect(again.billNos).toEqual(doc.billNos);
    await driveToSuccess(h, loan.loanId);
    await assertPayoutInvariants(h, loan.loanId);
  });

  test('an application that is not approved and has no payout is refused', async () => {
    const loan = await seedApprovedLoan(h, 21_000, { status: 'manual_review' });
    const stored = await applicationOf(h, loan.loanId);
    expect(stored.status).toBe('manual_review');
    await expect(startPayoutForApplication(h.deps, loan.loanId, SYSTEM)).rejects.toMatchObject({
      code: 'PAYOUT_NOT_APPROVED',
    });
    await expect(
      startPayoutForApplication(h.deps, loan.loanId, { id: loan.openid, type: 'borrower' }, loan.openid),
    ).rejects.toMatchObject({ code: 'PAYOUT_NOT_FOUND' });
    await expect(startPayoutForApplication(h.deps, 'no-such-loan', SYSTEM)).rejects.toMatchObject({
      code: 'APPLICATION_NOT_FOUND',
    });
    expect(await h.docs.get(PAYOUT_COLLECTIONS.payouts, loan.loanId)).toBeUndefined();
    expect((await applicationOf(h, loan.loanId)).status).toBe('manual_review');
  });

  test('a freeze committed while the intent’s transaction runs makes it conflict, and its next run refuses (no write skew)', async () => {
    const loan = await seedApprovedLoan(h, 21_000);
    let froze = false;
    await expect(
      recordIntent<never>(h.deps, loan.loanId, async (tx) => {
        await tx.get(BORROWERS, loan.openid);
        if (!froze) {
          froze = true;
          // An operator's freeze commits after this transaction's snapshot, before its writes.
          await h.docs.transact(async (other) => {
            const borrower = (await other.get<StoredDoc & { version: number }>(
              BORROWERS,
              loan.openid,
            )) as StoredDoc & {
              version: number;
            };
            await other.put(BORROWERS, { ...borrower, frozen: true, version: borrower.version + 1 });
          });
        }
        return firstIntent(h.deps, loan, SYSTEM);
      }),
    ).rejects.toMatchObject({ code: 'BORROWER_FROZEN' });
    expect(await h.docs.get(PAYOUT_COLLECTIONS.payouts, loan.loanId)).toBeUndefined();
    expect((await applicationOf(h, loan.loanId)).status).toBe('approved');
  });

  test('from 2,000 CNY the name is revealed once, outside the transaction, and frozen encrypted in the intent', async () => {
    let reveals = 0;
    const large = payoutRuntimeFromEnv(
      {
        ...process.env,
        ...h.sandbox.functionEnv(),
        WXLEND_LIMITS: JSON.stringify({ perTransferCapFen: 300_000, perBorrowerDailyCapFen: 1_000_000 }),
      },
      {
        clock: h.deps.clock,
        docs: h.docs,
        names: {
          realNameOf: async () => {
            reveals += 1;
            return '欧阳·娜娜';
          },
        },
      },
    );
    const loan = await seedApprovedLoan(h, 250_000);
    const doc = await startPayoutForApplication(
      large.deps,
      loan.loanId,
      { id: loan.openid, type: 'borrower' },
      loan.openid,
    );
    const cipher = doc.bills[0]?.request.user_name;
    if (!cipher) throw new Error('no user_name');
    expect(
      decryptSensitiveField(cipher, loadOrCreateSandboxKeys(h.emu.dataDir).publicKey.privateKeyPem),
    ).toBe('欧阳·娜娜');
    expect(reveals).toBe(1);
    expect((await payoutOf(h, loan.loanId)).bills[0]?.request.user_name).toBe(cipher);
  });
});
