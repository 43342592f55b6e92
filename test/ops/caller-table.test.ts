import fs from 'node:fs';
import path from 'node:path';
import { identityActions } from '../../server/identity/actions';
import { loanActions } from '../../server/loan/actions';
import type { LoanDeps } from '../../server/loan/deps';
import { reviewActions } from '../../server/loan/review-function';
import { opsActions } from '../../server/ops/actions';
import { rightsOpsActions, type RightsOpsDeps } from '../../server/ops/rights-actions';
import { authenticateOperator, OPERATORS } from '../../server/ops/operator-auth';
import { notifyActions } from '../../server/outbox/actions';
import { payoutActions } from '../../server/payout/actions';
import { payoutOpsActions } from '../../server/payout/ops-table';
import { operatorAdminActions } from '../../server/operators/console-admin';
import type { PayoutRuntime } from '../../server/payout/wiring';
import { repaymentActions } from '../../server/repayment/actions';
import type { RepaymentDeps } from '../../server/repayment/deps';
import { repaymentOpsActions } from '../../server/repayment/ops-actions';
import type { Caller } from '../../server/runtime/caller';
import {
  allowedKinds,
  CALLER_KINDS,
  CALLER_TABLE,
  callerVerdict,
  HTTP_ENTRY,
  permits,
  TIMER_ENTRY,
  type CallerKind,
  type FunctionName,
} from '../../server/runtime/caller-table';
import { dispatchActions } from '../../server/runtime/handler';
import { memoryDeps } from '../loan/memory-fixtures';

/**
 * The caller table walked whole: every function × every entry × every caller kind. A refused caller
 * gets the function's refusal and no dependency (database, WeChat) is ever built; an allowed one
 * reaches the action (which then validates its input).
 */

const OPERATOR = 'o-table-operator';
const BORROWER = 'o-table-borrower';

/** The platform context and event of each caller kind. */
function callOf(kind: CallerKind, action: string): { caller: Caller; event: Record<string, unknown> } {
  const base = { appid: undefined, unionid: undefined, clientIp: undefined };
  switch (kind) {
    case 'borrower':
      return { caller: { ...base, openid: BORROWER, source: 'wx_client' }, event: { action } };
    case 'operator':
      return { caller: { ...base, openid: OPERATOR, source: 'wx_client' }, event: { action } };
    case 'console':
      return { caller: { ...base, openid: undefined, source: 'scf' }, event: { action } };
    case 'timer':
      return {
        caller: { ...base, openid: undefined, source: 'wx_trigger' },
        event: { action, Type: 'Timer' },
      };
    case 'http':
      return {
        caller: { ...base, openid: undefined, source: 'wx_http' },
        event: { action, httpMethod: 'POST', headers: {}, body: '' },
      };
  }
}

/** Every function's real action table, over dependencies that count being built. */
function tables(touched: () => void, loan: LoanDeps): Record<string, Record<string, unknown>> {
  const deps = (): LoanDeps => (touched(), loan);
  const never = <T>(): T => {
    touched();
    throw new Error('dependency built');
  };
  const noop = async (): Promise<void> => undefined;
  return {
    identity: identityActions(never),
    loan: loanActions(deps, noop),
    ops: {
      ...opsActions(deps, undefined, noop, noop),
      ...payoutOpsActions(never<Promise<unknown>>, (caller, name) =>
        authenticateOperator(loan.store, loan.clock, caller, name),
      ),
      ...rightsOpsActions(never<RightsOpsDeps>, (caller, name) =>
        authenticateOperator(loan.store, loan.clock, caller, name),
      ),
      ...operatorAdminActions(never),
    },
    repaymentOps: repaymentOpsActions(never<RepaymentDeps>, (caller, name) =>
      authenticateOperator(loan.store, loan.clock, caller, name),
    ),
    repayment: repaymentActions(never<RepaymentDeps>),
    payout: payoutActions(never<PayoutRuntime>),
    review: reviewActions(deps, noop),
    notify: notifyActions(deps, never, never),
  };
}

const functionNames = Object.keys(CALLER_TABLE) as FunctionName[];

test('the table lists every cloud function and every action of each', () => {
  const dirs = fs
    .readdirSync(path.join(__dirname, '..', '..', 'cloudfunctions'))
    .filter((d) => fs.existsSync(path.join(__dirname, '..', '..', 'cloudfunctions', d, 'index.ts')));
  expect([...functionNames].sort()).toEqual(dirs.sort());
  const actionTables = tables(() => undefined, memoryDeps());
  for (const fn of functionNames) {
    const listed = Object.keys(CALLER_TABLE[fn]).filter((k) => !k.startsWith('$'));
    expect([fn, listed.sort()]).toEqual([fn, Object.keys(actionTables[fn] ?? {}).sort()]);
  }
});

/**
 * Functions whose entry hands the platform caller to a handler that checks it itself (cloudPay's result
 * receiver accepts only the `wx_paycallback` source: test/repayment/faults.test.ts).
 */
const CHECKED_BY_HANDLER: readonly FunctionName[] = ['repaymentResult'];

test('every function entry asks the caller table before doing anything', () => {
  for (const fn of functionNames.filter((name) => !CHECKED_BY_HANDLER.includes(name))) {
    const entry = fs.readFileSync(path.join(__dirname, '..', '..', 'cloudfunctions', fn, 'index.ts'), 'utf8');
    const asks = new RegExp(`callerVerdict\\('${fn}'|dispatchActions\\(|fn: '${fn}'`).test(entry);
    expect([fn, asks]).toEqual([fn, true]);
  }
});

describe.each(functionNames.filter((fn) => fn in tables(() => undefined, memoryDeps())))('%s', (fn) => {
  const entries = Object.keys(CALLER_TABLE[fn]).filter((k) => !k.startsWith('$'));
  const cases = entries.flatMap((entry) => CALLER_KINDS.map((kind) => [entry, kind] as const));
  it.each(cases)('%s as %s', async (entry, kind) => {
    const loan = memoryDeps();
    await loan.store.transact((tx) => tx.put(OPERATORS, { _id: OPERATOR, role: 'reviewer', active: true }));
    let built = 0;
    const actions = tables(() => (built += 1), loan)[fn] as Parameters<typeof dispatchActions>[0];
    const { caller, event } = callOf(kind, entry);
    const dispatch = dispatchActions(
      actions,
      () => caller,
      {},
      {
        fn,
        resolveOperator: (c, name) => authenticateOperator(loan.store, loan.clock, c, name),
      },
    );
    const answer = await dispatch(event);
    const allowed = permits(fn, entry, kind);
    // An operator entry refuses a non-operator client with the operator check's own code.
    const refusal =
      fn === 'ops' ||
      fn === 'repaymentOps' ||
      (kind === 'borrower' && allowedKinds(fn, entry).includes('operator'))
        ? 'OPERATOR_REQUIRED'
        : /^(review|notify|reconcile)$/.test(fn)
          ? `${fn.toUpperCase()}_FORBIDDEN`
          : 'FORBIDDEN';
    if (allowed) {
      // Reached the action: its input check (or its own work) answers, never the table's refusal.
      expect(answer.ok ? 'ok' : answer.error.code).not.toBe(refusal);
    } else {
      expect(answer).toMatchObject({ ok: false, error: { code: refusal } });
      expect(built).toBe(0);
    }
  });
});

test.each(
  (['review', 'notify', 'reconcile', 'repaymentDaily', 'payNotify'] as const).flatMap((fn) =>
    CALLER_KINDS.map((kind) => [fn, kind] as const),
  ),
)('%s timer / HTTP entry as %s', (fn, kind) => {
  const entry = fn === 'payNotify' ? HTTP_ENTRY : TIMER_ENTRY;
  const { caller, event } = callOf(kind, 'x');
  const verdict = callerVerdict(fn, entry, caller, event);
  expect(verdict).toBe(permits(fn, entry, kind) ? 'allow' : 'refuse');
});

test('a client hop wins over an event that claims to be a timer or HTTP access', () => {
  const caller = callOf('borrower', 'x').caller;
  expect(callerVerdict('reconcile', TIMER_ENTRY, caller, { Type: 'Timer' })).toBe('refuse');
  expect(callerVerdict('payNotify', HTTP_ENTRY, caller, { httpMethod: 'POST' })).toBe('refuse');
});
