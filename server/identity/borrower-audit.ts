import { appendAudit } from '../audit';
import type { TxDocs } from '../storage/doc-store';

/** Appends what a borrower did to their own chain (`borrower:<openid>`), in the caller's transaction; never personal data. */
export async function auditBorrowerAct(
  tx: TxDocs,
  openid: string,
  event: string,
  details: Record<string, unknown>,
  at: number,
): Promise<void> {
  await appendAudit(tx, {
    at,
    actor: openid,
    actorType: 'borrower',
    event,
    subject: `borrower:${openid}`,
    outcome: 'success',
    details,
  });
}
