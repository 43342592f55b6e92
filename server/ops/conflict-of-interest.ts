import { recordAudit } from '../audit/audit-log';
import type { StoredDoc } from '../storage/doc-store';
import type { BorrowerDoc } from '../borrowers/borrower-doc';
import { APPLICATIONS, BORROWERS, type ApplicationDoc } from '../loan/application-doc';
import type { LoanDeps } from '../loan/deps';
import { borrowerFlags, type BorrowerFlags } from '../loan/money-gate';
import { linkedParties } from '../risk/signals';
import { AppError } from '../runtime/app-error';
import type { Operator } from './operator-auth';

/** Why an operator may not work on an application. */
type ConflictKind = 'same_openid' | 'same_identity' | 'fraud_link';

/** What an operator's check of an application found: the borrower's flags for the answer. */
export interface ReviewContext {
  flags: BorrowerFlags;
}

/** The conflict between the operator and the application's borrower, if any. */
async function conflictOf(
  deps: LoanDeps,
  operator: Operator,
  app: ApplicationDoc,
): Promise<ConflictKind | undefined> {
  if (operator.id === app.openid) return 'same_openid';
  const [own, links] = await Promise.all([
    deps.store.get<BorrowerDoc & StoredDoc>(BORROWERS, operator.id),
    linkedParties(deps.store, {
      deviceHash: app.deviceHash,
      clientIp: app.consent.clientIp,
      at: app.createdAt,
    }),
  ]);
  const ownHash = own?.identity?.idHash;
  if (ownHash && ownHash === app.idHash) return 'same_identity';
  if (links.openids.includes(operator.id) || (ownHash && links.idHashes.includes(ownHash)))
    return 'fraud_link';
  return undefined;
}

/**
 * Before an operator claims, decides or checks an application: refuses (CONFLICT_OF_INTEREST,
 * audited) when its borrower is the operator — same openid, same identity, or linked by a recorded
 * device/IP link — and reads the borrower's frozen/blacklisted flags for the answer.
 */
export async function reviewContext(
  deps: LoanDeps,
  operator: Operator,
  applicationId: string,
  action: 'claim' | 'decide',
): Promise<ReviewContext> {
  const app = await deps.store.get<ApplicationDoc>(APPLICATIONS, applicationId);
  if (!app) throw new AppError('APPLICATION_NOT_FOUND', '未找到该借款申请');
  const read = <T extends StoredDoc>(c: string, id: string) => deps.store.get<T>(c, id);
  const [conflict, flags] = await Promise.all([
    operator.role === 'console' ? undefined : conflictOf(deps, operator, app),
    borrowerFlags(read, app.openid),
  ]);
  if (conflict) {
    await recordAudit(deps.store, {
      at: deps.clock.now(),
      actor: operator.id,
      actorType: 'operator',
      event: `ops.${action}`,
      subject: `application:${applicationId}`,
      outcome: 'refused',
      details: { code: 'CONFLICT_OF_INTEREST', conflict },
    });
    throw new AppError('CONFLICT_OF_INTEREST', '该申请与您本人存在关联，须由其他审核员处理');
  }
  return { flags };
}
