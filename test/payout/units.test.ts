import fc from 'fast-check';
import type { Fen } from '../../typings/money';
import { billNumberFor, isBillNumber } from '../../server/payout/bill-number';
import { canMove, isFinal, TRANSFER_STATES } from '../../server/payout/bill-state';
import { checkLimits, type PayoutLimits } from '../../server/payout/limits';
import { chinaDayKey } from '../../shared/china-date';
import { limitsInForce } from '../../server/limits/policy';
import { loadMerchantProfile, MerchantProfileError } from '../../server/merchant/profile';
import { QUALIFICATIONS } from '../../server/merchant/qualification';
import { auditKeys } from '../../server/audit/audit-keys';
import type { ChainHead } from '../../server/audit/chain-head';
import { checkLedgerAgainstBills, verifyLedgerChains } from '../../server/ledger/check';
import {
  chainVoucher,
  disbursementVoucher,
  GENESIS_HASH,
  isBalanced,
  ledgerChainOf,
  reversalVoucher,
  type Voucher,
} from '../../server/ledger/voucher';
import { applyObservation } from '../../server/payout/observe';
import {
  bookingCommit,
  deferBooking,
  isBookedLater,
  withPendingStepFolded,
} from '../../server/payout/booking';
import { DEFAULT_PAYOUT_SETTINGS, payoutSettingsFromEnv } from '../../server/payout/payout-config';
import type { PayoutBill, PayoutDoc } from '../../server/payout/payout-doc';
import type { TransferState } from '../../typings/payout';
import type { BillPhase } from '../../typings/payout';

const LIMITS: PayoutLimits = {
  minAmountFen: 10_000 as Fen,
  perTransferCapFen: 50_000 as Fen,
  perBorrowerDailyCapFen: 500_000 as Fen,
  perMerchantDailyCapFen: 10_000_000 as Fen,
  dailyCallCount: 5_000,
};
const ZERO = { merchantAmount: 0, merchantCalls: 0, borrowerAmount: 0 };

describe('bill numbers', () => {
  test('deterministic, ≤ 32 letters/digits, distinct per loan and attempt', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 80 }),
        fc.integer({ min: 1, max: 999 }),
        (loanId, attempt) => {
          const no = billNumberFor(loanId, attempt);
          expect(no).toMatch(/^[A-Za-z0-9]{1,32}$/);
          expect(isBillNumber(no)).toBe(true);
          expect(billNumberFor(loanId, attempt)).toBe(no);
          if (attempt < 999) expect(billNumberFor(loanId, attempt + 1)).not.toBe(no);
        },
      ),
    );
    expect(billNumberFor('a', 1)).not.toBe(billNumberFor('b', 1));
    expect(() => billNumberFor('a', 0)).toThrow(RangeError);
    expect(() => billNumberFor('a', 1000)).toThrow(RangeError);
  });
});

describe('bill state table', () => {
  test('terminal states never change; no state moves backwards to INTENT', () => {
    const phases: BillPhase[] = ['INTENT', ...TRANSFER_STATES];
    for (const from of phases)
      for (const to of phases) {
        if (isFinal(from)) expect(canMove(from, to)).toBe(false);
        if (to === 'INTENT') expect(canMove(from, to)).toBe(false);
      }
    expect(canMove('TRANSFERING', 'WAIT_USER_CONFIRM')).toBe(false);
  });
});

describe('limits', () => {
  test.each([
    [0, 'PAYOUT_AMOUNT_INVALID'],
    [-1, 'PAYOUT_AMOUNT_INVALID'],
    [0.1 + 0.2, 'PAYOUT_AMOUNT_INVALID'],
    [Number.NaN, 'PAYOUT_AMOUNT_INVALID'],
    [Number.POSITIVE_INFINITY, 'PAYOUT_AMOUNT_INVALID'],
    [1e21, 'PAYOUT_AMOUNT_INVALID'],
    [9_999, 'PAYOUT_BELOW_MINIMUM'],
    [50_001, 'PAYOUT_OVER_TRANSFER_CAP'],
  ])('amount %p is refused with %s', (amount, code) => {
    expect(checkLimits(amount as Fen, ZERO, LIMITS)?.code).toBe(code);
  });

  test('daily caps and call count', () => {
    expect(checkLimits(50_000 as Fen, ZERO, LIMITS)).toBeUndefined();
    expect(checkLimits(50_000 as Fen, { ...ZERO, borrowerAmount: 460_000 }, LIMITS)?.code).toBe(
      'PAYOUT_OVER_BORROWER_DAILY_CAP',
    );
    expect(checkLimits(50_000 as Fen, { ...ZERO, merchantAmount: 9_960_000 }, LIMITS)?.code).toBe(
      'PAYOUT_OVER_MERCHANT_DAILY_CAP',
    );
    expect(checkLimits(50_000 as Fen, { ...ZERO, merchantCalls: 5_000 }, LIMITS)?.code).toBe(
      'PAYOUT_OVER_DAILY_CALLS',
    );
  });

  test('the qualification narrows the policy; days turn at Beijing midnight', () => {
    expect(
      limitsInForce({ ...LIMITS, perTransferCapFen: 1_000_000 as Fen }, QUALIFICATIONS.individual_business)
        .perTransferCapFen,
    ).toBe(199_999);
    expect(chinaDayKey(Date.UTC(2026, 0, 1, 15, 59))).toBe('20260101');
    expect(chinaDayKey(Date.UTC(2026, 0, 1, 16, 0))).toBe('20260102');
  });
});

describe('merchant profile', () => {
  const env = {
    WXLEND_MERCHANT_PROFILE: JSON.stringify({
      subjectType: 'enterprise',
      transferRemark: '借款放款',
      transferSceneReportInfos: [
        { info_type: '岗位类型', info_content: '借款' },
        { info_type: '报酬说明', info_content: '个人消费借款放款' },
      ],
    }),
    WECHATPAY_MCH_ID: '1900000109',
    WECHATPAY_APP_ID: 'wx0000000000000001',
    WECHATPAY_TRANSFER_SCENE_ID: '1005',
    WECHATPAY_MCH_SERIAL_NO: 'ABC123',
    WECHATPAY_PUBLIC_KEY_ID: 'PUB_KEY_ID_0114232134912410000000000000',
    WXLEND_PAYOUT_NOTIFY_URL: 'https://pay.example.com/payNotify',
  };

  test('a valid profile loads with its qualification', () => {
    const profile = loadMerchantProfile(env);
    expect(profile.qualification).toEqual(QUALIFICATIONS.enterprise);
    expect(profile.wechatKeyIds).toEqual([env.WECHATPAY_PUBLIC_KEY_ID]);
  });

  test.each([
    ['not JSON', { WXLEND_MERCHANT_PROFILE: '{' }, 'not valid JSON'],
    [
      'individual subject',
      { WXLEND_MERCHANT_PROFILE: env.WXLEND_MERCHANT_PROFILE.replace('enterprise', 'individual') },
      'may not use merchant transfer',
    ],
    [
      'unknown subject',
      { WXLEND_MERCHANT_PROFILE: env.WXLEND_MERCHANT_PROFILE.replace('enterprise', 'company') },
      'subjectType',
    ],
    [
      'report infos of another scene',
      { WXLEND_MERCHANT_PROFILE: env.WXLEND_MERCHANT_PROFILE.replace('岗位类型', '借款用途') },
      '未传入完整且对应的转账场景报备信息，请根据接口文档检查 (scene 1005 佣金报酬 requires transfer_scene_report_infos 岗位类型 + 报酬说明, got 借款用途 + 报酬说明)',
    ],
    [
      'a perception the scene does not allow',
      {
        WXLEND_MERCHANT_PROFILE: JSON.stringify({
          ...(JSON.parse(env.WXLEND_MERCHANT_PROFILE) as object),
          userRecvPerception: '活动奖励',
        }),
      },
      '暂不支持展示当前传入的用户收款感知 (scene 1005 佣金报酬 allows user_recv_perception 劳务报酬 / 报酬, got 活动奖励)',
    ],
    [
      'remark over 32 chars',
      { WXLEND_MERCHANT_PROFILE: env.WXLEND_MERCHANT_PROFILE.replace('借款放款', '放'.repeat(33)) },
      'transferRemark',
    ],
    ['http notify url', { WXLEND_PAYOUT_NOTIFY_URL: 'http://pay.example.com/n' }, 'notifyUrl'],
    ['notify url with query', { WXLEND_PAYOUT_NOTIFY_URL: 'https://pay.example.com/n?x=1' }, 'notifyUrl'],
    ['missing mch id', { WECHATPAY_MCH_ID: '' }, 'mchId'],
    ['missing scene', { WECHATPAY_TRANSFER_SCENE_ID: '' }, 'transferSceneId'],
    [
      'unknown field',
      { WXLEND_MERCHANT_PROFILE: env.WXLEND_MERCHANT_PROFILE.replace('{', '{"__proto__x":1,') },
      '__proto__x',
    ],
  ])('%s is a clear start-up error', (_name, patch, mention) => {
    try {
      loadMerchantProfile({ ...env, ...patch });
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(MerchantProfileError);
      expect((error as Error).message).toContain(mention);
    }
  });

  test('payout settings overrides are validated', () => {
    expect(payoutSettingsFromEnv({})).toEqual(DEFAULT_PAYOUT_SETTINGS);
    expect(payoutSettingsFromEnv({ WXLEND_PAYOUT_SETTINGS: '{"maxAttempts":5}' }).maxAttempts).toBe(5);
    expect(() => payoutSettingsFromEnv({ WXLEND_PAYOUT_SETTINGS: '{"maxAttempts":0.5}' })).toThrow(
      'maxAttempts',
    );
  });
});

describe('ledger', () => {
  /** Chains the drafts, each into its own loan's chain, as appendVouchers does. */
  function chain(drafts: ReturnType<typeof disbursementVoucher>[]): Voucher[] {
    const heads = new Map<string, { seq: number; hash: string }>();
    return drafts.map((d, i) => {
      const v = chainVoucher(
        auditKeys(),
        heads.get(d.loanId) ?? { seq: 0, hash: GENESIS_HASH },
        d,
        1_000 + i,
      );
      heads.set(d.loanId, { seq: v.seq, hash: v.hash });
      return v;
    });
  }
  /** The heads a list of vouchers leaves behind (the last link of each chain). */
  function headsOf(vouchers: readonly Voucher[]): ChainHead[] {
    const last = new Map(vouchers.map((v) => [v.chain, v]));
    return [...last.values()].map((v) => ({
      _id: v.chain,
      chain: v.chain,
      seq: v.seq,
      hash: v.hash,
      unsealed: true,
      updatedAt: v.at,
    }));
  }
  const verify = (vouchers: Voucher[], heads = headsOf(vouchers)) =>
    verifyLedgerChains(auditKeys(), { vouchers, heads, seals: [] });

  test('disbursement and reversal balance; each loan has its own chain, which verifies and detects edits', () => {
    const d = disbursementVoucher('L1', 'WLa', 30_000 as Fen);
    expect(isBalanced(d)).toBe(true);
    const vouchers = chain([d, disbursementVoucher('L2', 'WLb', 20_000 as Fen)]);
    expect(vouchers.map((v) => [v.chain, v.seq])).toEqual([
      [ledgerChainOf('L1'), 1],
      [ledgerChainOf('L2'), 1],
    ]);
    expect(verify(vouchers)).toEqual([]);
    const reversal = reversalVoucher(vouchers[0] as Voucher, '运营更正');
    expect(isBalanced(reversal)).toBe(true);
    const edited = vouchers.map((v, i) => (i === 0 ? { ...v, amount: 1 as Fen } : v));
    expect(verify(edited, headsOf(vouchers))).toEqual([
      expect.objectContaining({ code: 'VOUCHER_UNBALANCED', ref: 'disbursement:WLa' }),
      expect.objectContaining({ code: 'CHAIN_BROKEN', ref: 'ledger:L1#1', detail: 'hash_mismatch' }),
    ]);
    // A removed voucher leaves its chain's head pointing past the end.
    expect(verify([vouchers[1] as Voucher], headsOf(vouchers)).map((p) => [p.code, p.ref])).toEqual([
      ['CHAIN_BROKEN', 'ledger:L1#1'],
    ]);
  });

  test('the ledger must agree with the bills', () => {
    const vouchers = chain([disbursementVoucher('L1', 'WLa', 30_000 as Fen)]);
    expect(
      checkLedgerAgainstBills(vouchers, [{ loanId: 'L1', amount: 30_000, succeededBillNo: 'WLa' }]),
    ).toEqual([]);
    expect(checkLedgerAgainstBills(vouchers, [{ loanId: 'L1', amount: 30_000 }]).map((p) => p.code)).toEqual([
      'DISBURSED_WITHOUT_SUCCESS',
    ]);
    expect(
      checkLedgerAgainstBills([], [{ loanId: 'L1', amount: 30_000, succeededBillNo: 'WLa' }]).map(
        (p) => p.code,
      ),
    ).toEqual(['SUCCESS_WITHOUT_DISBURSEMENT']);
    expect(
      checkLedgerAgainstBills(vouchers, [{ loanId: 'L1', amount: 31_000, succeededBillNo: 'WLa' }]).map(
        (p) => p.code,
      ),
    ).toEqual(['AMOUNT_MISMATCH']);
    const withReversal = chain([
      disbursementVoucher('L1', 'WLa', 30_000 as Fen),
      reversalVoucher(vouchers[0] as Voucher, 'x'),
    ]);
    expect(checkLedgerAgainstBills(withReversal, [{ loanId: 'L1', amount: 30_000 }])).toEqual([]);
  });

  test('a final state recorded with its booking pending is no discrepancy; pending too long is reported', () => {
    const pending = { loanId: 'L1', amount: 30_000, succeededBillNo: 'WLa' };
    expect(checkLedgerAgainstBills([], [{ ...pending, booking: 'pending' }])).toEqual([]);
    expect(checkLedgerAgainstBills([], [{ ...pending, booking: 'overdue' }]).map((p) => p.code)).toEqual([
      'BOOKING_OVERDUE',
    ]);
    // Its loan's vouchers are not counted as vouchers of an unknown payout either.
    const vouchers = chain([disbursementVoucher('L1', 'WLa', 30_000 as Fen)]);
    expect(checkLedgerAgainstBills(vouchers, [{ loanId: 'L1', amount: 30_000, booking: 'pending' }])).toEqual(
      [],
    );
  });
});

describe('applying observations', () => {
  const doc: PayoutDoc = {
    _id: 'L1',
    borrowerOpenid: 'o1',
    amount: 30_000 as Fen,
    status: 'in_progress',
    bills: [
      {
        outBillNo: 'WLx',
        attempt: 1,
        amount: 30_000 as Fen,
        openid: 'o1',
        request: {
          appid: 'wx',
          out_bill_no: 'WLx',
          transfer_scene_id: '1005',
          openid: 'o1',
          transfer_amount: 30_000,
          transfer_remark: 'r',
          notify_url: 'https://x',
          transfer_scene_report_infos: [],
        },
        phase: 'WAIT_USER_CONFIRM',
        createCalls: 1,
        cancelRequested: false,
        reservedDay: '20260101',
        createdAt: 0,
        updatedAt: 0,
        history: [],
      },
    ],
    billNos: ['WLx'],
    open: true,
    version: 4,
    createdAt: 0,
    updatedAt: 0,
  };

  test('the same observation k times equals once; SUCCESS books exactly one voucher', () => {
    const commit = applyObservation(
      doc,
      { outBillNo: 'WLx', state: 'SUCCESS', source: 'notify' },
      10,
      DEFAULT_PAYOUT_SETTINGS,
    );
    expect(commit?.vouchers).toHaveLength(1);
    expect(commit?.events).toHaveLength(1);
    expect(commit?.loanStatus?.to).toBe('disbursed');
    expect(commit?.next.open).toBe(false);
    if (!commit) throw new Error('no commit');
    expect(
      applyObservation(
        commit.next,
        { outBillNo: 'WLx', state: 'SUCCESS', source: 'notify' },
        11,
        DEFAULT_PAYOUT_SETTINGS,
      ),
    ).toBeUndefined();
    expect(
      applyObservation(
        commit.next,
        { outBillNo: 'WLx', state: 'FAIL', source: 'query' },
        12,
        DEFAULT_PAYOUT_SETTINGS,
      ),
    ).toBeUndefined();
  });

  test('FAIL releases the reservation and tells the borrower why and what next', () => {
    const commit = applyObservation(
      doc,
      { outBillNo: 'WLx', state: 'FAIL', source: 'notify', failReason: 'OVERDUE_CLOSE' },
      10,
      DEFAULT_PAYOUT_SETTINGS,
    );
    expect(commit?.release).toEqual({ day: '20260101', key: 'WLx', openid: 'o1', amount: 30_000 });
    expect(commit?.next.status).toBe('failed');
    expect(commit?.loanStatus?.note).toContain('重新发起');
    expect(commit?.vouchers).toEqual([]);
  });
});

describe('a booking left pending by a notification', () => {
  const bill: PayoutDoc['bills'][number] = {
    outBillNo: 'WLy',
    attempt: 1,
    amount: 30_000 as Fen,
    openid: 'o1',
    request: {
      appid: 'wx',
      out_bill_no: 'WLy',
      transfer_scene_id: '1005',
      openid: 'o1',
      transfer_amount: 30_000,
      transfer_remark: 'r',
      notify_url: 'https://x',
      transfer_scene_report_infos: [],
    },
    phase: 'TRANSFERING',
    createCalls: 1,
    cancelRequested: false,
    reservedDay: '20260101',
    createdAt: 0,
    updatedAt: 0,
    history: [],
  };
  const doc: PayoutDoc = {
    _id: 'L2',
    borrowerOpenid: 'o1',
    amount: 30_000 as Fen,
    status: 'in_progress',
    bills: [bill],
    billNos: ['WLy'],
    open: true,
    version: 7,
    createdAt: 0,
    updatedAt: 0,
  };
  /** What WeChat reporting `state` (by `source`) commits on `on`. */
  const observedOn = (on: PayoutDoc, state: TransferState, source: string) => {
    const commit = applyObservation(on, { outBillNo: 'WLy', state, source }, 10, DEFAULT_PAYOUT_SETTINGS);
    if (!commit) throw new Error('no commit');
    return commit;
  };
  /** A notification of `state` on the payout above. */
  const observed = (state: 'SUCCESS' | 'FAIL') => observedOn(doc, state, 'notify');
  /** The loan's awaiting_confirmation step, pending since t=5 (a bill shown as confirmable to its borrower). */
  const awaiting = {
    vouchers: [],
    loanStatus: { to: 'awaiting_confirmation' as const, note: '待确认收款' },
    actor: { id: 'borrower:o1', type: 'borrower' as const },
    recordedAt: 5,
  };
  /** What a query reporting `state` commits on `on`. */
  const queried = (on: PayoutDoc, state: 'SUCCESS' | 'TRANSFERING') => observedOn(on, state, 'query');

  test('notifications book later, and a confirmable bill when a borrower waits for the answer', () => {
    for (const waits of [true, false])
      expect(isBookedLater({ outBillNo: 'WLy', state: 'SUCCESS', source: 'notify' }, waits)).toBe(true);
    for (const source of ['query', 'create', 'cancel']) {
      expect(isBookedLater({ outBillNo: 'WLy', state: 'SUCCESS', source }, true)).toBe(false);
      expect(isBookedLater({ outBillNo: 'WLy', state: 'WAIT_USER_CONFIRM', source }, true)).toBe(true);
      // The timer or an operator's start: nobody to answer first, the state is booked with it.
      expect(isBookedLater({ outBillNo: 'WLy', state: 'WAIT_USER_CONFIRM', source }, false)).toBe(false);
    }
  });

  test('deferring keeps the state change and its audit event, and moves what it books onto the payout', () => {
    const commit = observed('SUCCESS');
    const deferred = deferBooking(commit, doc, 10);
    expect(deferred.vouchers).toEqual([]);
    expect(deferred.loanStatus).toBeUndefined();
    expect(deferred.events).toEqual(commit.events);
    expect(deferred.next).toMatchObject({ status: 'succeeded', bookingPending: true, version: 8 });
    // One conditional update: nothing else is written, and no field the payout never held is "cleared".
    expect(deferred.alone).toBe(true);
    expect('reason' in commit.next && !('reason' in doc)).toBe(true);
    expect('reason' in deferred.next).toBe(false);
    const held = deferBooking(observed('SUCCESS'), { ...doc, reason: 'earlier failure' }, 10);
    expect('reason' in held.next && held.next.reason === undefined).toBe(true);
    expect(deferred.next.booking).toEqual({
      vouchers: commit.vouchers,
      loanStatus: commit.loanStatus,
      actor: { id: 'system:notify', type: 'system' },
      recordedAt: 10,
    });
    // The booking commit books exactly those effects on the recorded version and clears the flag.
    const booking = bookingCommit(deferred.next, 20);
    expect(booking).toMatchObject({
      expectedVersion: 8,
      vouchers: commit.vouchers,
      loanStatus: commit.loanStatus,
      events: [{ type: 'payout.booked', actor: { id: 'system:notify' } }],
    });
    expect(booking?.next.bookingPending).toBeUndefined();
    expect(booking?.next.booking).toBeUndefined();
    expect(booking?.next.version).toBe(9);
    expect(booking && bookingCommit(booking.next, 30)).toBeUndefined();
  });

  test('FAIL defers the release and the loan move; nothing to book stays as it is; a pending booking is carried on', () => {
    const commit = observed('FAIL');
    const deferred = deferBooking(commit, doc, 10);
    expect(deferred.release).toBeUndefined();
    expect(deferred.next.booking?.release).toEqual(commit.release);
    expect(deferred.next.booking?.loanStatus?.to).toBe('disbursement_failed');
    const quiet = { ...commit, vouchers: [], loanStatus: undefined, release: undefined };
    expect(deferBooking(quiet, doc, 10)).toBe(quiet);
    // The bill became confirmable (booking pending: the loan's awaiting_confirmation step), then
    // failed before anyone booked it: one booking, the loan straight to its failure, the release.
    const merged = deferBooking(commit, { ...doc, bookingPending: true, booking: awaiting }, 10);
    expect(merged).toMatchObject({ alone: true, carriesBooking: true, vouchers: [] });
    expect(merged.loanStatus).toBeUndefined();
    expect(merged.next.booking).toEqual({
      vouchers: [],
      loanStatus: commit.loanStatus,
      release: commit.release,
      actor: { id: 'system:notify', type: 'system' },
      recordedAt: 5,
    });
    expect(deferred.carriesBooking).toBeUndefined();
    // Any other pending loan move is never superseded: the commit is left for the writer to book first.
    const failedPending = {
      ...doc,
      bookingPending: true,
      booking: { ...awaiting, loanStatus: commit.loanStatus },
    };
    expect(deferBooking(observed('SUCCESS'), failedPending, 10).carriesBooking).toBeUndefined();
    expect(deferBooking(observed('SUCCESS'), failedPending, 10).alone).toBeUndefined();
  });

  test("a change meeting only the loan's pending awaiting_confirmation step absorbs it in its own transaction", () => {
    const waiting: PayoutBill = { ...bill, phase: 'WAIT_USER_CONFIRM' };
    const held: PayoutDoc = { ...doc, bills: [waiting], bookingPending: true, booking: awaiting };
    // A query learns SUCCESS (not deferred): the commit books the voucher and the loan's move itself.
    const success = queried(held, 'SUCCESS');
    const folded = withPendingStepFolded(success, held, 10);
    expect(folded).toMatchObject({
      alone: false,
      loanStatus: { to: 'disbursed' },
      vouchers: success.vouchers,
    });
    expect(folded?.next.bookingPending).toBeUndefined();
    expect(folded?.next.booking).toBeUndefined();
    expect(folded?.events.map((e) => e.type)).toEqual(['payout.booked', 'payout.bill.SUCCESS']);
    // A change without a loan move of its own (TRANSFERING) makes the step itself.
    const transfering = queried(held, 'TRANSFERING');
    expect(transfering.loanStatus).toBeUndefined();
    expect(withPendingStepFolded(transfering, held, 10)?.loanStatus?.to).toBe('awaiting_confirmation');
    // A booking that moves money is committed first, never folded; the booking itself is not folded.
    const money: PayoutDoc = {
      ...held,
      booking: { ...awaiting, release: { day: '20260101', key: 'WLy', openid: 'o1', amount: 1 as Fen } },
    };
    expect(withPendingStepFolded(success, money, 10)).toBeUndefined();
    const bookingItself = bookingCommit(held, 10);
    if (!bookingItself) throw new Error('nothing pending');
    expect(withPendingStepFolded(bookingItself, held, 10)).toBeUndefined();
    expect(withPendingStepFolded(success, doc, 10)).toBeUndefined();
  });
});
