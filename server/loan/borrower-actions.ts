import { z } from 'zod';
import type { ApplicationView } from '../../typings/loan';
import { AppError } from '../runtime/app-error';
import { APPLICATIONS, type ApplicationDoc } from './application-doc';
import type { LoanDeps } from './deps';
import { loadApplication, transitionApplication } from './transition';
import { assertMoneyMayMove } from './money-gate';
import { BORROWER_CANCELLABLE } from './transitions';
import { applicationView } from './view';

/** An application id as the client sends it (never an object: no query injection). */
export const applicationIdSchema = z.string().regex(/^[0-9a-f]{32}$/);

/** Reads the caller's own application; another borrower's id answers exactly like a missing one. */
async function ownApplication(deps: LoanDeps, openid: string, id: string): Promise<ApplicationDoc> {
  const app = await deps.store.get<ApplicationDoc>(APPLICATIONS, id);
  if (!app || app.openid !== openid) throw new AppError('APPLICATION_NOT_FOUND', '未找到该借款申请');
  return app;
}

/** `get`: one of the borrower's applications with its timeline. */
export async function getApplication(deps: LoanDeps, openid: string, id: string): Promise<ApplicationView> {
  return applicationView(await ownApplication(deps, openid, id), deps.config);
}

/** `list`: the borrower's applications, newest first. */
export async function listApplications(
  deps: LoanDeps,
  openid: string,
  page: { offset: number; limit: number },
): Promise<ApplicationView[]> {
  const apps = await deps.store.find<ApplicationDoc>(
    APPLICATIONS,
    { openid },
    { orderBy: { field: 'createdAt', direction: 'desc' }, limit: page.limit, skip: page.offset },
  );
  return apps.map((app) => applicationView(app, deps.config));
}

/** `cancel`: the borrower withdraws an application that has not started paying out. */
export async function cancelApplication(
  deps: LoanDeps,
  openid: string,
  id: string,
  expectedVersion?: number,
): Promise<ApplicationView> {
  await ownApplication(deps, openid, id);
  const next = await deps.store.transact(async (tx) => {
    const app = await loadApplication(tx, id);
    if (app.openid !== openid) throw new AppError('APPLICATION_NOT_FOUND', '未找到该借款申请');
    if (!BORROWER_CANCELLABLE.includes(app.status))
      throw new AppError('NOT_CANCELLABLE', '当前状态不能取消申请');
    return transitionApplication(tx, {
      applicationId: id,
      to: 'cancelled',
      ...(expectedVersion !== undefined ? { expectedVersion } : {}),
      actor: { id: openid, type: 'borrower' },
      at: deps.clock.now(),
      note: '您已取消申请',
    });
  });
  return applicationView(next, deps.config);
}

/** `appeal`: the borrower asks a person to review a rejection (PIPL art. 24). */
export async function appealApplication(
  deps: LoanDeps,
  openid: string,
  id: string,
  reason: string,
): Promise<ApplicationView> {
  await ownApplication(deps, openid, id);
  const next = await deps.store.transact(async (tx) => {
    const app = await loadApplication(tx, id);
    if (app.openid !== openid) throw new AppError('APPLICATION_NOT_FOUND', '未找到该借款申请');
    if (app.status !== 'rejected') throw new AppError('NOT_APPEALABLE', '只有未通过的申请可以申请复议');
    // An appeal is a path to an approval: the money gate refuses it for a frozen or blacklisted borrower.
    await assertMoneyMayMove((c, docId) => tx.get(c, docId), app.openid);
    return transitionApplication(tx, {
      applicationId: id,
      to: 'appealed',
      actor: { id: openid, type: 'borrower' },
      at: deps.clock.now(),
      note: '复议申请已提交，将由人工重新审核',
      patch: { appealReason: reason, claimedBy: null, firstApproval: null },
      details: { appealLength: Array.from(reason).length },
    });
  });
  return applicationView(next, deps.config);
}
