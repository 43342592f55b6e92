import { appendAudit, type ActorType } from '../audit';
import type { TxDocs } from '../storage/doc-store';

/** Appends an act on a borrower's chain (`borrower:<openid>`), in the caller's transaction; never personal data. */
async function auditOnBorrowerChain(
  tx: TxDocs,
  actor: { id: string; type: ActorType },
  openid: string,
  event: string,
  details: Record<string, unknown>,
  at: number,
): Promise<void> {
  await appendAudit(tx, {
    at,
    actor: actor.id,
    actorType: actor.type,
    event,
    subject: `borrower:${openid}`,
    outcome: 'success',
    details,
  });
}

/** Appends what a borrower did to their own chain, in the caller's transaction. */
export async function auditBorrowerAct(
  tx: TxDocs,
  openid: string,
  event: string,
  details: Record<string, unknown>,
  at: number,
): Promise<void> {
  await auditOnBorrowerChain(tx, { id: openid, type: 'borrower' }, openid, event, details, at);
}

/** Appends what an operator did about a borrower to the borrower's chain, in the caller's transaction. */
export async function auditOperatorAct(
  tx: TxDocs,
  operatorId: string,
  openid: string,
  event: string,
  details: Record<string, unknown>,
  at: number,
): Promise<void> {
  await auditOnBorrowerChain(tx, { id: operatorId, type: 'operator' }, openid, event, details, at);
}
