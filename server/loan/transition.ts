import type { LoanStatus } from '../../typings/loan';
import type { BorrowerDoc } from '../borrowers/borrower-doc';
import { appendAudit } from '../audit/audit-log';
import type { ActorType } from '../audit/chain';
import type { StoredDoc, TxDocs } from '../storage/doc-store';
import { enqueueNotification } from '../outbox/enqueue';
import { AppError } from '../runtime/app-error';
import { slotTakenError } from './active-slot';
import { APPLICATIONS, BORROWERS, type ApplicationDoc } from './application-doc';
import { canTransition, isActive, STATUS_LABELS } from './transitions';

/** Who causes a transition. */
export interface Actor {
  id: string;
  type: ActorType;
}

/** A requested status change. */
export interface TransitionRequest {
  applicationId: string;
  to: LoanStatus;
  /** When given, the change applies only to this version (optimistic check of what the caller saw). */
  expectedVersion?: number;
  actor: Actor;
  /** Product-clock time of the change. */
  at: number;
  /** Plain-language note for the borrower's timeline; defaults to the status label. */
  note?: string;
  /** Other fields changed together with the status (never status/version/openid). */
  patch?: Partial<Omit<ApplicationDoc, '_id' | 'status' | 'version' | 'openid' | 'timeline'>>;
  /** Non-personal audit details. */
  details?: Record<string, unknown>;
}

/** Reads an application inside a transaction or refuses with APPLICATION_NOT_FOUND. */
export async function loadApplication(tx: TxDocs, id: string): Promise<ApplicationDoc> {
  const app = await tx.get<ApplicationDoc>(APPLICATIONS, id);
  if (!app) throw new AppError('APPLICATION_NOT_FOUND', '未找到该借款申请');
  return app;
}

/**
 * Moves an application to `to` inside `tx`: checks the transition table and version, keeps the
 * borrower's active-application slot, adds a timeline entry, appends exactly one audit record and
 * queues the borrower's notification — all in the same transaction.
 */
export async function transitionApplication(tx: TxDocs, request: TransitionRequest): Promise<ApplicationDoc> {
  const app = await loadApplication(tx, request.applicationId);
  if (request.expectedVersion !== undefined && app.version !== request.expectedVersion) {
    throw new AppError('STALE_VERSION', '申请状态已变化，请刷新后重试');
  }
  if (!canTransition(app.status, request.to)) {
    throw new AppError('TRANSITION_NOT_ALLOWED', `当前状态（${STATUS_LABELS[app.status]}）不能执行该操作`);
  }
  await keepActiveSlot(tx, app, request.to, request.at);
  const next: ApplicationDoc = {
    ...app,
    ...request.patch,
    status: request.to,
    version: app.version + 1,
    updatedAt: request.at,
    timeline: [
      ...app.timeline,
      { at: request.at, status: request.to, note: request.note ?? STATUS_LABELS[request.to] },
    ],
  };
  await tx.put(APPLICATIONS, next);
  await appendAudit(tx, {
    at: request.at,
    actor: request.actor.id,
    actorType: request.actor.type,
    event: 'application.transition',
    subject: `application:${app._id}`,
    outcome: 'success',
    details: { from: app.status, to: request.to, version: next.version, ...request.details },
  });
  await enqueueNotification(tx, {
    applicationId: app._id,
    version: next.version,
    openid: app.openid,
    status: request.to,
    amount: app.amount,
    at: request.at,
  });
  return next;
}

/** Takes or frees the borrower's single active-application slot when activity changes. */
async function keepActiveSlot(tx: TxDocs, app: ApplicationDoc, to: LoanStatus, at: number): Promise<void> {
  const wasActive = isActive(app.status);
  const willBeActive = isActive(to);
  if (wasActive === willBeActive) return;
  const borrower = await tx.get<BorrowerDoc & StoredDoc>(BORROWERS, app.openid);
  if (!borrower) throw new AppError('BORROWER_NOT_FOUND', '未找到借款人信息');
  if (willBeActive && borrower.activeApplicationId !== null && borrower.activeApplicationId !== app._id) {
    throw await slotTakenError(tx, borrower.activeApplicationId);
  }
  const activeApplicationId = willBeActive
    ? app._id
    : borrower.activeApplicationId === app._id
      ? null
      : borrower.activeApplicationId;
  await tx.put(BORROWERS, { ...borrower, activeApplicationId, version: borrower.version + 1, updatedAt: at });
}
