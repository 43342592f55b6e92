import type { OperatorRole } from '../../typings/ops';
import { AppError } from '../runtime/app-error';

/** Roles a workbench operator may hold. */
export const WORKBENCH_ROLES = ['reviewer', 'approver', 'payout_officer', 'supervisor', 'auditor'] as const;

/** A workbench role. */
export type WorkbenchRole = (typeof WORKBENCH_ROLES)[number] & OperatorRole;

/**
 * THE table: which role may run which `ops` action through the workbench. `secondApproval` is the
 * checker's half of `decide` (an application awaiting its second approval). Console calls (the
 * administrators' emergency path) are outside this table and are audited as `console`.
 */
export const ROLE_TABLE = {
  queue: ['reviewer', 'approver', 'supervisor', 'auditor'],
  application: ['reviewer', 'approver', 'supervisor', 'auditor'],
  claim: ['reviewer', 'approver', 'supervisor'],
  decide: ['reviewer', 'approver', 'supervisor'],
  secondApproval: ['approver', 'supervisor'],
  freeze: ['supervisor'],
  unfreeze: ['supervisor'],
  blacklist: ['supervisor'],
  reveal: ['supervisor'],
  verifyAudit: ['supervisor', 'auditor'],
  amlReports: ['supervisor', 'auditor'],
  payoutStart: ['payout_officer', 'supervisor'],
  payoutRetry: ['payout_officer', 'supervisor'],
  payoutCancel: ['payout_officer', 'supervisor'],
  payoutHold: ['payout_officer', 'supervisor'],
  payoutHistory: ['payout_officer', 'supervisor', 'auditor'],
  payoutReconcile: ['payout_officer', 'supervisor'],
  payoutDisagreements: ['payout_officer', 'supervisor', 'auditor'],
  identityRequests: ['supervisor'],
  resolveCorrection: ['supervisor'],
  completeDeletion: ['supervisor'],
  payoutList: ['payout_officer', 'supervisor', 'auditor'],
  dashboard: ['reviewer', 'approver', 'payout_officer', 'supervisor', 'auditor'],
  // Repayment actions (function workbenchRepayment, route /workbench/repayment).
  repaymentOverdueList: ['payout_officer', 'supervisor', 'auditor'],
  repaymentWaivePenalty: ['payout_officer', 'supervisor'],
  repaymentOffline: ['payout_officer', 'supervisor'],
  repaymentRefund: ['payout_officer', 'supervisor'],
  repaymentWriteOff: ['supervisor'],
  repaymentVerify: ['supervisor', 'auditor'],
  repaymentApprove: ['supervisor'],
  repaymentReject: ['supervisor'],
  repaymentPendingApprovals: ['payout_officer', 'supervisor', 'auditor'],
} as const satisfies Record<string, readonly WorkbenchRole[]>;

/** An action named in the role table. */
export type TableAction = keyof typeof ROLE_TABLE;

/** True when `action` is in the table. */
export function isTableAction(action: string): action is TableAction {
  return Object.hasOwn(ROLE_TABLE, action);
}

/** True when `role` may run `action`; an action missing from the table is allowed to nobody. */
export function roleMay(role: string, action: string): boolean {
  return isTableAction(action) && (ROLE_TABLE[action] as readonly string[]).includes(role);
}

/** Refuses a role the table does not allow for `action`. */
export function requireRole(role: string, action: string): void {
  if (!roleMay(role, action)) throw new AppError('ROLE_FORBIDDEN', `角色 ${role} 无权执行 ${action}`);
}
