import { recordAudit } from '../audit';
import type { IdentityDeps } from './deps';

/** Audits a refused verification step (no personal data: the code says why). */
export async function auditRefusal(deps: IdentityDeps, openid: string, code: string): Promise<void> {
  await recordAudit(deps.store, {
    at: deps.clock.now(),
    actor: openid,
    actorType: 'borrower',
    event: 'identity.verify',
    subject: `borrower:${openid}`,
    outcome: 'refused',
    details: { verifier: deps.verifier.kind, code },
  });
}
