import { createHash } from 'node:crypto';
import { z } from 'zod';
import { REPAYMENT_REASONS } from '../../shared/reason-codes';
import type { Fen } from '../../typings/money';
import { appendAudit, recordAudit } from '../audit/audit-log';
import { recordOperatorRead } from '../audit/operator-read';
import type { StoredDoc } from '../storage/doc-store';
import { appendVouchers } from '../ledger/append';
import { loanProductConfig } from '../loan/config';
import type { Operator } from '../ops/operator-auth';
import { AppError } from '../runtime/app-error';
import type { Caller } from '../runtime/caller';
import { action } from '../runtime/handler';
import { daysPastDue } from './accrue';
import { statusOf } from './allocate';
import { applyPaidOrder, followPlanStatus } from './apply-payment';
import { awaitingApprovals, pendingFor, rejectPending } from './approval-queue';
import type { RepaymentDeps } from './deps';
import { planAsOf, today } from './plan-access';
import {
  REPAYMENT_COLLECTIONS as C,
  nextDueKeyOf,
  unpaidParts,
  type PendingApproval,
  type RepaymentOrderDoc,
  type RepaymentPlanDoc,
} from './plan-doc';
import { quoteRepayment, totalRemaining } from './quote';
import { verifyRepaymentLedger } from './reconcile';
import { refundExcess } from './refund';
import { writeOffVoucher } from './vouchers';

const loanId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const note = z.string().trim().min(4).max(200);
const fenAmount = z.number().int().positive().max(1_000_000_000);

/** Reason codes, one list per operator action (audited with every use; shared/reason-codes.ts). */
export const REASON_CODES = REPAYMENT_REASONS;

/** A second operator's check of a pending action, re-verified inside the transaction that runs it. */
interface Check {
  checker: Operator;
  approvalId: string;
}

/** Operator actions on repayment, registered by the `ops` function after its operator check. */
export function repaymentOpsActions(
  deps: () => RepaymentDeps,
  authenticate: (caller: Caller, action: string) => Promise<Operator>,
) {
  /** Amounts above this need a second operator (the loan product's maker-checker threshold). */
  const threshold = (): number => loanProductConfig().makerCheckerAboveFen;

  /** The plan brought up to today, or REPAYMENT_NOT_FOUND. */
  async function plan(d: RepaymentDeps, id: string): Promise<RepaymentPlanDoc> {
    const stored = await d.docs.get<RepaymentPlanDoc>(C.plans, id);
    if (!stored) throw new AppError('REPAYMENT_NOT_FOUND', '未找到该借款的还款计划');
    return planAsOf(stored, today(d), d.clock.now());
  }

  /**
   * Maker-checker: above the threshold the first operator's request is stored and answered
   * `awaiting_second_approval`; `repaymentApprove` by another operator runs it. A plan holds one
   * such request: a different one is refused APPROVAL_PENDING until it is checked or rejected.
   */
  async function gate(
    d: RepaymentDeps,
    operator: Operator,
    id: string,
    kind: PendingApproval['action'],
    amount: number,
    params: Record<string, unknown>,
  ): Promise<{ status: 'awaiting_second_approval'; approvalId: string } | undefined> {
    if (amount <= threshold()) return undefined;
    const approvalId = createHash('sha256')
      .update(`${id}|${kind}|${JSON.stringify(params)}|${operator.id}`)
      .digest('hex')
      .slice(0, 16);
    await d.docs.transact(async (tx) => {
      const stored = await tx.get<RepaymentPlanDoc>(C.plans, id);
      if (!stored) throw new AppError('REPAYMENT_NOT_FOUND', '未找到该借款的还款计划');
      // One request awaits per plan: another one is checked (or rejected) first, never overwritten.
      if (stored.pendingApproval?.id === approvalId) return; // the same request again: already waiting
      if (stored.pendingApproval)
        throw new AppError('APPROVAL_PENDING', '该借款已有一项待复核的操作，请先在待复核中处理');
      const at = d.clock.now();
      const pending: PendingApproval = {
        id: approvalId,
        action: kind,
        params,
        amount,
        maker: operator.id,
        at,
      };
      await tx.put(C.plans, {
        ...stored,
        pendingApproval: pending,
        version: stored.version + 1,
        updatedAt: at,
      } as RepaymentPlanDoc & StoredDoc);
      await appendAudit(tx, {
        at,
        actor: operator.id,
        actorType: 'operator',
        event: `repayment.ops.${kind}.requested`,
        subject: `loan:${id}`,
        outcome: 'success',
        details: { approvalId, amount, reasonCode: params.reasonCode },
      });
    });
    return { status: 'awaiting_second_approval', approvalId };
  }

  /** Waives unpaid penalty (earliest instalments first). */
  async function waive(
    d: RepaymentDeps,
    operator: Operator,
    p: { loanId: string; amount: number; reasonCode: string; note: string },
    check?: Check,
  ) {
    return d.docs.transact(async (tx) => {
      const stored = await tx.get<RepaymentPlanDoc>(C.plans, p.loanId);
      if (!stored) throw new AppError('REPAYMENT_NOT_FOUND', '未找到该借款的还款计划');
      // A checker's run: the request must still be pending (a second approval never runs it twice).
      if (check) pendingFor(stored, check.approvalId, check.checker);
      const at = d.clock.now();
      const current = planAsOf(stored, today(d), at);
      const unpaid = current.instalments.reduce((s, i) => s + Math.max(0, unpaidParts(i).penalty), 0);
      if (p.amount > unpaid) throw new AppError('WAIVE_EXCEEDS_PENALTY', `可减免罚息最多 ${unpaid} 分`);
      let left = p.amount;
      const instalments = current.instalments.map((i) => {
        const part = Math.min(left, Math.max(0, unpaidParts(i).penalty));
        left -= part;
        const next = { ...i, waivedPenalty: (i.waivedPenalty + part) as Fen };
        return unpaidParts(next).principal + unpaidParts(next).interest + unpaidParts(next).penalty === 0
          ? { ...next, status: 'paid' as const }
          : next;
      });
      const status = statusOf(instalments);
      const next: RepaymentPlanDoc = {
        ...current,
        instalments,
        status,
        nextDueKey: nextDueKeyOf(instalments),
        // Only the approved request leaves; another operator's pending request stays pending.
        pendingApproval: check ? null : (stored.pendingApproval ?? null),
        version: stored.version + 1,
        updatedAt: at,
      };
      await tx.put(C.plans, next as RepaymentPlanDoc & StoredDoc);
      await followPlanStatus(tx, stored, next, { id: operator.id, type: 'operator' }, at);
      await appendAudit(tx, {
        at,
        actor: operator.id,
        actorType: 'operator',
        event: 'repayment.ops.waive',
        subject: `loan:${p.loanId}`,
        outcome: 'success',
        details: {
          amount: p.amount,
          reasonCode: p.reasonCode,
          note: p.note,
          ...(check ? { checker: check.checker.id } : {}),
        },
      });
      return { status: 'done' as const, waived: p.amount, remaining: totalRemaining(next) };
    });
  }

  /** Records money received outside cloudPay, with its evidence, as one applied order. */
  async function offline(
    d: RepaymentDeps,
    operator: Operator,
    p: {
      loanId: string;
      amount: number;
      kind: 'due' | 'overdue' | 'payoff';
      evidence: string;
      reasonCode: string;
      requestId: string;
    },
    check?: Check,
  ) {
    const current = await plan(d, p.loanId);
    if (current.status === 'settled' || current.status === 'written_off')
      throw new AppError('LOAN_SETTLED', '这笔借款已结清');
    const ceiling =
      p.kind === 'payoff' ? quoteRepayment(current, 'payoff', today(d)).amount : totalRemaining(current);
    if (p.amount > ceiling)
      throw new AppError('OFFLINE_EXCEEDS_DEBT', `线下还款金额不能超过应还金额 ${ceiling} 分`);
    const id = `OF${createHash('sha256').update(`${p.loanId}\u0000${p.requestId}`).digest('hex').slice(0, 30)}`;
    const at = d.clock.now();
    const seed: RepaymentOrderDoc = {
      _id: id,
      loanId: p.loanId,
      openid: current.openid,
      requestId: p.requestId,
      kind: p.kind,
      amount: p.amount as Fen,
      breakdown: { principal: 0 as Fen, interest: 0 as Fen, penalty: 0 as Fen },
      quotedOn: today(d),
      periods: current.instalments.filter((i) => i.status !== 'paid').map((i) => i.period),
      planVersion: current.version,
      state: 'created',
      createdAt: at,
      offline: {
        operator: operator.id,
        evidence: `${p.reasonCode}:${p.evidence}`,
        ...(check ? { checker: check.checker.id } : {}),
      },
    };
    const outcome = await applyPaidOrder(
      d,
      id,
      `offline:${id}`,
      { id: operator.id, type: 'operator' },
      seed,
      undefined,
      check,
    );
    if (outcome.kind === 'unknown_order') throw new AppError('REPAYMENT_NOT_FOUND', '未找到该借款的还款计划');
    return {
      status: 'done' as const,
      outTradeNo: id,
      replayed: outcome.kind === 'already_applied',
      allocation: outcome.order.allocation,
    };
  }

  /** Writes off what is left: the loan ends `written_off`, the receivable principal goes to loan loss. */
  async function writeOff(
    d: RepaymentDeps,
    operator: Operator,
    p: { loanId: string; reasonCode: string; note: string },
    check?: Check,
  ) {
    return d.docs.transact(async (tx) => {
      const stored = await tx.get<RepaymentPlanDoc>(C.plans, p.loanId);
      if (!stored) throw new AppError('REPAYMENT_NOT_FOUND', '未找到该借款的还款计划');
      if (check) pendingFor(stored, check.approvalId, check.checker);
      // Writing off ends the loan: a request still waiting (a cash receipt, a waiver) is decided first.
      else if (stored.pendingApproval)
        throw new AppError('APPROVAL_PENDING', '该借款已有一项待复核的操作，请先在待复核中处理');
      if (stored.status === 'settled' || stored.status === 'written_off')
        throw new AppError('LOAN_SETTLED', '这笔借款已结清或已核销');
      const at = d.clock.now();
      const principal = stored.instalments.reduce((s, i) => s + i.principal - i.paidPrincipal, 0);
      const next: RepaymentPlanDoc = {
        ...stored,
        status: 'written_off',
        pendingApproval: null,
        version: stored.version + 1,
        updatedAt: at,
      };
      await tx.put(C.plans, next as RepaymentPlanDoc & StoredDoc);
      if (principal > 0) await appendVouchers(tx, [writeOffVoucher(p.loanId, principal as Fen)], at);
      await followPlanStatus(tx, stored, next, { id: operator.id, type: 'operator' }, at, '借款已核销');
      await appendAudit(tx, {
        at,
        actor: operator.id,
        actorType: 'operator',
        event: 'repayment.ops.write_off',
        subject: `loan:${p.loanId}`,
        outcome: 'success',
        details: {
          principal,
          reasonCode: p.reasonCode,
          note: p.note,
          ...(check ? { checker: check.checker.id } : {}),
        },
      });
      return { status: 'done' as const, writtenOffPrincipal: principal };
    });
  }

  return {
    /** Overdue loans, most days past due first (no personal data). */
    repaymentOverdueList: action({
      input: z.strictObject({
        offset: z.number().int().min(0).max(100_000).default(0),
        limit: z.number().int().min(1).max(100).default(20),
      }),
      run: async (input, caller) => {
        const d = deps();
        const operator = await authenticate(caller, 'repaymentOverdueList');
        const day = today(d);
        const plans = await d.docs.find<RepaymentPlanDoc>(
          C.plans,
          { status: 'overdue' },
          {
            orderBy: { field: 'nextDueKey', direction: 'asc' },
            skip: input.offset,
            limit: input.limit,
          },
        );
        await recordOperatorRead(d.docs, {
          at: d.clock.now(),
          operator: operator.id,
          event: 'repayment.ops.overdue_list',
          details: { count: plans.length },
        });
        return {
          loans: plans.map((stored) => {
            const p = planAsOf(stored, day, d.clock.now());
            return {
              loanId: p._id,
              daysPastDue: daysPastDue(p, day),
              overdueAmount: p.instalments
                .filter((i) => i.status === 'overdue')
                .reduce(
                  (s, i) => s + unpaidParts(i).principal + unpaidParts(i).interest + unpaidParts(i).penalty,
                  0,
                ),
              remaining: totalRemaining(p),
            };
          }),
        };
      },
    }),
    /** Waives penalty interest (amount in fen; maker-checker above the threshold). */
    repaymentWaivePenalty: action({
      input: z.strictObject({ loanId, amount: fenAmount, reasonCode: z.enum(REASON_CODES.waive), note }),
      run: async (input, caller) => {
        const d = deps();
        const operator = await authenticate(caller, 'repaymentWaivePenalty');
        return (
          (await gate(d, operator, input.loanId, 'waive', input.amount, input)) ?? waive(d, operator, input)
        );
      },
    }),
    /** Records an offline repayment with its evidence reference (maker-checker above the threshold). */
    repaymentOffline: action({
      input: z.strictObject({
        loanId,
        amount: fenAmount,
        kind: z.enum(['due', 'overdue', 'payoff']),
        evidence: z.string().trim().min(4).max(120),
        reasonCode: z.enum(REASON_CODES.offline),
        requestId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
      }),
      run: async (input, caller) => {
        const d = deps();
        const operator = await authenticate(caller, 'repaymentOffline');
        return (
          (await gate(d, operator, input.loanId, 'offline', input.amount, input)) ??
          offline(d, operator, input)
        );
      },
    }),
    /** Asks cloudPay again for an order's pending refund (overpayment, payment on a settled loan). */
    repaymentRefund: action({
      input: z.strictObject({
        outTradeNo: z.string().regex(/^RP[0-9a-f]{30}$/),
        reasonCode: z.enum(REASON_CODES.refund),
      }),
      run: async (input, caller) => {
        const d = deps();
        const operator = await authenticate(caller, 'repaymentRefund');
        const order = await d.docs.get<RepaymentOrderDoc>(C.orders, input.outTradeNo);
        if (!order || order.state !== 'applied')
          throw new AppError('ORDER_NOT_FOUND', '未找到已支付的还款订单');
        if (!order.refund) throw new AppError('NOTHING_TO_REFUND', '该订单没有需要退回的金额');
        const outcome = await refundExcess(d, order);
        await recordAudit(d.docs, {
          at: d.clock.now(),
          actor: operator.id,
          actorType: 'operator',
          event: 'repayment.ops.refund',
          subject: `loan:${order.loanId}`,
          outcome: 'success',
          details: {
            outTradeNo: order._id,
            amount: order.refund.amount,
            reasonCode: input.reasonCode,
            outcome,
          },
        });
        return {
          status: outcome === 'failed' ? ('pending' as const) : ('accepted' as const),
          amount: order.refund.amount,
        };
      },
    }),
    /** Writes off the loan (always maker-checker when principal is left above the threshold). */
    repaymentWriteOff: action({
      input: z.strictObject({ loanId, reasonCode: z.enum(REASON_CODES.writeOff), note }),
      run: async (input, caller) => {
        const d = deps();
        const operator = await authenticate(caller, 'repaymentWriteOff');
        const current = await plan(d, input.loanId);
        const principal = current.instalments.reduce((s, i) => s + i.principal - i.paidPrincipal, 0);
        return (
          (await gate(d, operator, input.loanId, 'writeOff', principal, input)) ??
          writeOff(d, operator, input)
        );
      },
    }),
    /** Checks the repayment ledger against cloudPay's orders (all loans, or one). */
    repaymentVerify: action({
      input: z.strictObject({ loanId: loanId.optional() }),
      run: async (input, caller) => {
        const d = deps();
        const operator = await authenticate(caller, 'repaymentVerify');
        const problems = await verifyRepaymentLedger(d, input.loanId);
        await recordAudit(d.docs, {
          at: d.clock.now(),
          actor: operator.id,
          actorType: 'operator',
          event: 'repayment.ops.verify',
          subject: input.loanId ? `loan:${input.loanId}` : 'ops',
          outcome: 'success',
          details: { problems: problems.length },
        });
        return { ok: problems.length === 0, problems };
      },
    }),
    /** The second operator approves a pending waive, offline repayment or write-off. */
    repaymentApprove: action({
      input: z.strictObject({ loanId, approvalId: z.string().regex(/^[0-9a-f]{16}$/) }),
      run: async (input, caller) => {
        const d = deps();
        const operator = await authenticate(caller, 'repaymentApprove');
        const stored = await d.docs.get<RepaymentPlanDoc>(C.plans, input.loanId);
        const pending = pendingFor(stored, input.approvalId, operator);
        const maker = { ...operator, id: pending.maker };
        const check = { checker: operator, approvalId: pending.id };
        if (pending.action === 'waive')
          return waive(d, maker, pending.params as Parameters<typeof waive>[2], check);
        if (pending.action === 'writeOff')
          return writeOff(d, maker, pending.params as Parameters<typeof writeOff>[2], check);
        return offline(d, maker, pending.params as Parameters<typeof offline>[2], check);
      },
    }),
    /** The second operator rejects a pending waive, offline repayment or write-off (with a reason). */
    repaymentReject: action({
      input: z.strictObject({
        loanId,
        approvalId: z.string().regex(/^[0-9a-f]{16}$/),
        reasonCode: z.enum(REASON_CODES.reject),
        note,
      }),
      run: async (input, caller) =>
        rejectPending(deps(), await authenticate(caller, 'repaymentReject'), input),
    }),
    /** Repayment actions awaiting a second operator, oldest first, masked, paged (index `pendingApproval_at`). */
    repaymentPendingApprovals: action({
      input: z.strictObject({
        offset: z.number().int().min(0).max(100_000).default(0),
        limit: z.number().int().min(1).max(100).default(20),
      }),
      run: async (input, caller) => {
        const d = deps();
        const operator = await authenticate(caller, 'repaymentPendingApprovals');
        const page = await awaitingApprovals(d, input);
        await recordOperatorRead(d.docs, {
          at: d.clock.now(),
          operator: operator.id,
          event: 'repayment.ops.pending_list',
          details: { count: page.items.length },
        });
        return page;
      },
    }),
  };
}
