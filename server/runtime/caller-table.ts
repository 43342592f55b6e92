import { AppError } from './app-error';
import { isFromClient, type Caller } from './caller';

/**
 * Who may call: a borrower (mini-program, `wx_client`, with OPENID), an operator (the same
 * transport, OPENID an active operator), the console or another server (`scf`, no OPENID), a
 * timer trigger, or HTTP access (WeChat Pay's callbacks).
 */
export type CallerKind = 'borrower' | 'operator' | 'console' | 'timer' | 'http';

/** Every caller kind, in table order. */
export const CALLER_KINDS: readonly CallerKind[] = ['borrower', 'operator', 'console', 'timer', 'http'];

/** The entry of a function that is not an action: its timer tick. */
export const TIMER_ENTRY = '$timer';
/** The entry of a function served through HTTP access. */
export const HTTP_ENTRY = '$http';

const BORROWER = ['borrower'] as const;
const STAFF = ['operator', 'console'] as const;
const SERVER = ['console'] as const;

/** The one table of who may call each function's actions (and timer / HTTP entries). */
export const CALLER_TABLE = {
  identity: {
    status: BORROWER,
    consent: BORROWER,
    startFace: BORROWER,
    verify: BORROWER,
    profile: BORROWER,
    withdrawConsent: BORROWER,
    requestDeletion: BORROWER,
    cancelDeletion: BORROWER,
    requestCorrection: BORROWER,
  },
  loan: {
    quote: BORROWER,
    authoriseCreditInquiry: BORROWER,
    withdrawCreditInquiry: BORROWER,
    apply: BORROWER,
    get: BORROWER,
    list: BORROWER,
    cancel: BORROWER,
    appeal: BORROWER,
  },
  ops: {
    queue: STAFF,
    application: STAFF,
    claim: STAFF,
    decide: STAFF,
    freeze: STAFF,
    unfreeze: STAFF,
    blacklist: STAFF,
    reveal: STAFF,
    verifyAudit: STAFF,
    amlReports: STAFF,
    payoutStart: STAFF,
    payoutRetry: STAFF,
    payoutCancel: STAFF,
    payoutHold: STAFF,
    payoutHistory: STAFF,
    payoutReconcile: STAFF,
    payoutList: STAFF,
    dashboard: STAFF,
    payoutDisagreements: STAFF,
    identityRequests: STAFF,
    resolveCorrection: STAFF,
    completeDeletion: STAFF,
    // Operator accounts (server/operators/console-admin.ts): administrators in the console only.
    registerOperator: SERVER,
    deactivateOperator: SERVER,
    reactivateOperator: SERVER,
    resetOperatorSecondFactor: SERVER,
    setOperatorRole: SERVER,
  },
  repaymentOps: {
    repaymentOverdueList: STAFF,
    repaymentWaivePenalty: STAFF,
    repaymentOffline: STAFF,
    repaymentRefund: STAFF,
    repaymentWriteOff: STAFF,
    repaymentVerify: STAFF,
    repaymentApprove: STAFF,
    repaymentReject: STAFF,
    repaymentPendingApprovals: STAFF,
  },
  repayment: { schedule: BORROWER, quote: BORROWER, pay: BORROWER, history: BORROWER },
  // cloudPay's result callbacks arrive with SOURCE wx_paycallback (checked by the function itself).
  repaymentResult: { [HTTP_ENTRY]: ['http'] },
  repaymentDaily: { [TIMER_ENTRY]: ['timer', 'console'] },
  repaymentReconcile: { [TIMER_ENTRY]: ['timer', 'console'] },
  // startApproved (after an operator's approval), operatorPayout, cancelBlocked: handed over by ops
  // and workbench, which hold no WeChat Pay keys.
  payout: {
    start: ['console', 'timer'],
    startApproved: STAFF,
    progress: BORROWER,
    retry: BORROWER,
    operatorPayout: STAFF,
    cancelBlocked: STAFF,
  },
  review: { review: SERVER, sweep: SERVER, [TIMER_ENTRY]: ['timer'] },
  notify: { deliver: SERVER, [TIMER_ENTRY]: ['timer'] },
  reconcile: { [TIMER_ENTRY]: ['timer', 'console'] },
  payNotify: { [HTTP_ENTRY]: ['http'] },
  // The operators' web app: HTTP access only; its own session check names the operator.
  workbench: { [HTTP_ENTRY]: ['http'] },
  workbenchRepayment: { [HTTP_ENTRY]: ['http'] },
  workbenchRights: { [HTTP_ENTRY]: ['http'] },
} as const satisfies Record<string, Record<string, readonly CallerKind[]>>;

/** A cloud function named in the table. */
export type FunctionName = keyof typeof CALLER_TABLE;

/** The refusal each function answers a caller the table does not allow (codes clients already know). */
const REFUSALS: Record<FunctionName, { code: string; message: string }> = {
  identity: { code: 'FORBIDDEN', message: '请在小程序内使用该功能' },
  loan: { code: 'FORBIDDEN', message: '请在小程序内使用该功能' },
  ops: { code: 'OPERATOR_REQUIRED', message: '仅限运营人员操作' },
  payout: { code: 'FORBIDDEN', message: '无权执行该操作' },
  review: { code: 'REVIEW_FORBIDDEN', message: '该功能不对小程序开放' },
  notify: { code: 'NOTIFY_FORBIDDEN', message: '该功能不对小程序开放' },
  reconcile: { code: 'RECONCILE_FORBIDDEN', message: '该功能不对小程序开放' },
  payNotify: { code: 'FORBIDDEN', message: 'HTTP access only' },
  repayment: { code: 'FORBIDDEN', message: '请在小程序内使用该功能' },
  repaymentOps: { code: 'OPERATOR_REQUIRED', message: '仅限运营人员操作' },
  repaymentResult: { code: 'RESULT_NOT_FROM_CLOUDPAY', message: 'cloudPay callbacks only' },
  repaymentDaily: { code: 'REPAYMENT_TIMER_FORBIDDEN', message: '该功能不对小程序开放' },
  repaymentReconcile: { code: 'REPAYMENT_TIMER_FORBIDDEN', message: '该功能不对小程序开放' },
  workbench: { code: 'FORBIDDEN', message: 'HTTP access only' },
  workbenchRepayment: { code: 'FORBIDDEN', message: 'HTTP access only' },
  workbenchRights: { code: 'FORBIDDEN', message: 'HTTP access only' },
};

/** How the platform context and the event classify a caller, before any database read. */
export type TransportKind = 'client' | 'console' | 'timer' | 'http';

/** Classifies the caller by transport: a client hop wins over anything the event claims. */
export function transportOf(caller: Caller, event: unknown): TransportKind {
  if (isFromClient(caller)) return 'client';
  // A hop from one of our own functions (`<source>,scf`, not from a client) is a server call.
  const hops = caller.source.split(',');
  if (hops.length > 1 && hops[hops.length - 1] === 'scf') return 'console';
  // The platform's own SOURCE says HTTP access even when the event does not look like one.
  if (caller.source.split(',').includes('wx_http')) return 'http';
  const e = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
  if (e.Type === 'Timer') return 'timer';
  if (typeof e.httpMethod === 'string') return 'http';
  return 'console';
}

/** The kinds the table allows for a function's entry (none for an entry it does not list). */
export function allowedKinds(fn: FunctionName, entry: string): readonly CallerKind[] {
  const row = CALLER_TABLE[fn] as Record<string, readonly CallerKind[]>;
  return Object.hasOwn(row, entry) ? (row[entry] ?? []) : [];
}

/**
 * Whether a caller of `kind` may use the entry. An operator's OPENID is also a WeChat user: it
 * may use borrower entries (for its own loans only, as any borrower).
 */
export function permits(fn: FunctionName, entry: string, kind: CallerKind): boolean {
  const kinds = allowedKinds(fn, entry);
  return kinds.includes(kind) || (kind === 'operator' && kinds.includes('borrower'));
}

/**
 * What the table says about this call, from the transport alone: `allow`, `refuse`, or
 * `operator` (a client caller that may proceed only once its OPENID is verified as an operator).
 */
export function callerVerdict(
  fn: FunctionName,
  entry: string,
  caller: Caller,
  event: unknown,
): 'allow' | 'refuse' | 'operator' {
  const kinds = allowedKinds(fn, entry);
  const transport = transportOf(caller, event);
  if (transport !== 'client') return kinds.includes(transport) && !caller.openid ? 'allow' : 'refuse';
  if (!caller.openid) return 'refuse';
  if (kinds.includes('borrower')) return 'allow';
  return kinds.includes('operator') ? 'operator' : 'refuse';
}

/** The function's refusal for a caller the table does not allow. */
export function callerRefusal(fn: FunctionName): AppError {
  const refusal = REFUSALS[fn];
  return new AppError(refusal.code, refusal.message);
}
