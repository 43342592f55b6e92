import type { FunctionsService } from '../../emulator/src/functions';
import type { WechatPaySandbox } from '../../emulator/src/wechatpay';
import type { PayoutProgress } from '../../typings/payout';
import type { TestEmulator } from '../helpers/emulator';
import { signedConsent } from '../helpers/signed-consent';
import { IDS } from '../loan/memory-fixtures';
import { callAs, docs, startLendingEmulator, verifyBorrower } from '../loan/emulator-harness';

const person = { openid: 'o-payout-full', name: '张三', idNumber: IDS.approve, phone: '13800000011' };

describe('the real product path: verify → apply (answered at the decision) → progress starts the payout → confirm → disbursed', () => {
  let emu: TestEmulator;
  beforeAll(async () => {
    emu = await startLendingEmulator();
    await verifyBorrower(emu, person.openid, person);
  }, 120_000);
  afterAll(async () => {
    await emu.stop();
  });

  test('an automatic approval is paid out once; the payee confirms; the loan is disbursed', async () => {
    const applied = await callAs<{ applicationId: string; application: { status: string } }>(
      emu,
      person.openid,
      'loan',
      {
        action: 'apply',
        requestId: 'req-payout-full-1',
        amount: 30_000,
        termMonths: 6,
        method: 'equal_instalment',
        purpose: 'consumption',
        deviceFingerprint: 'device-fingerprint-payout-full',
        consent: signedConsent(30_000, 6, 'equal_instalment', emu.hub.clock.now()),
      },
    );
    if (!applied.ok) throw new Error(applied.error.code);
    const loanId = applied.data.applicationId;
    // `apply` answers at the decision: nothing of the payout has been written yet.
    expect(applied.data.application.status).toBe('approved');
    expect(docs<{ _id: string }>(emu, 'payouts').filter((p) => p._id === loanId)).toHaveLength(0);
    const progress = async () => {
      const answer = await callAs<PayoutProgress>(emu, person.openid, 'payout', {
        action: 'progress',
        loanId,
      });
      if (!answer.ok) throw new Error(answer.error.code);
      return answer.data;
    };
    // Someone else's progress call starts nothing and learns nothing.
    expect(await callAs(emu, 'o-someone-else', 'payout', { action: 'progress', loanId })).toMatchObject({
      ok: false,
      error: { code: 'PAYOUT_NOT_FOUND' },
    });
    // The progress page's first call starts the payout; concurrent ones end with one payout.
    await Promise.all([progress(), progress(), progress()]);
    expect(docs<{ _id: string }>(emu, 'payouts').filter((p) => p._id === loanId)).toHaveLength(1);
    // The reconcile tick's sweep of approved applications finds nothing left to start.
    const functions = emu.hub.service<FunctionsService>('functions');
    const tick = await functions.invoke({
      name: 'reconcile',
      event: { Type: 'Timer' },
      source: 'wx_trigger',
    });
    expect(tick.result).toMatchObject({ started: 0 });
    let waiting = await progress();
    for (let i = 0; i < 5 && !waiting.confirmation; i++) {
      await emu.hub.clock.advance(1_100);
      await emu.hub.scheduler.drain();
      waiting = await progress();
    }
    expect(waiting.stage).toBe('awaiting_confirmation');
    const confirmation = waiting.confirmation;
    if (!confirmation) throw new Error('no confirmation');
    const confirmed = await fetch(`${emu.baseUrl}/_user/wechatpay/merchant-transfer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...confirmation, action: 'confirm' }),
    });
    expect(confirmed.status).toBe(200);
    for (let i = 0; i < 3; i++) {
      await emu.hub.clock.advance(1_100);
      await emu.hub.scheduler.drain();
    }
    expect(await progress()).toMatchObject({ stage: 'disbursed', amount: 30_000 });
    const view = await callAs<{ status: string }>(emu, person.openid, 'loan', {
      action: 'get',
      applicationId: loanId,
    });
    expect(view).toMatchObject({ ok: true, data: { status: 'repaying' } });
    const bills = emu.hub.service<WechatPaySandbox>('wechatpay').listBills();
    expect(bills.filter((b) => b.bill.openid === person.openid && b.bill.state === 'SUCCESS')).toHaveLength(
      1,
    );
    expect(
      docs<{ loanId: string; kind: string }>(emu, 'ledgerVouchers').filter((v) => v.loanId === loanId),
    ).toEqual([expect.objectContaining({ kind: 'disbursement', amount: 30_000 })]);
  });
});
