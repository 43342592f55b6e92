import type { StoredDoc } from '../storage/doc-store';
import type { BorrowerDoc } from '../borrowers/borrower-doc';
import { ageOn } from '../identity/borrower-access';
import { decideApplication, type StoredDecision } from '../risk/decide';
import type { RiskInputs } from '../risk/inputs';
import { bannedPurposeWord } from '../risk/purpose';
import { readLinks } from '../risk/signals';
import { AppError } from '../runtime/app-error';
import { APPLICATIONS, BORROWERS, type ApplicationDoc } from './application-doc';
import type { LoanDeps } from './deps';
import { quoteOffer } from './quote';
import { loadApplication, transitionApplication, type Actor } from './transition';
import { BLACKLIST, type BlacklistDoc } from './blacklist';
import { borrowerFlags, gateRefusal } from './money-gate';
import { readCreditFile } from './credit-file';

/** The automated reviewer, as audited. */
export const REVIEWER: Actor = { id: 'risk-engine', type: 'system' };

/** Age in whole years, or null for an unreadable birth date (the age rule then refuses). */
function safeAge(birthDate: string, now: number): number | null {
  try {
    return ageOn(birthDate, now);
  } catch {
    return null;
  }
}

/** What the decision reads besides the application: every source, already fetched. */
export interface DecisionSources {
  borrower: (BorrowerDoc & StoredDoc) | undefined;
  blacklisted: boolean;
  links: { deviceOpenids: number; deviceIdentities: number; ipOpenidsPerDay: number };
  rank: number | null;
  credit: RiskInputs['credit'];
  creditGap?: RiskInputs['creditGap'];
}

/** The decision's inputs from the application's amount and purpose and the fetched sources (pure). */
export function riskInputsOf(
  deps: LoanDeps,
  app: Pick<ApplicationDoc, 'amount' | 'purposeDescription'>,
  sources: DecisionSources,
): RiskInputs {
  const identity = sources.borrower?.identity;
  return {
    identityVerified: identity !== undefined,
    age: identity ? safeAge(identity.birthDate, deps.clock.now()) : null,
    blacklisted: sources.blacklisted,
    frozen: sources.borrower?.frozen ?? false,
    purposeBanned: bannedPurposeWord(app.purposeDescription ?? '') !== undefined,
    amount: app.amount,
    productMaxAmount: quoteOffer(deps.config, deps.limits).maxAmount,
    ...sources.links,
    wechatRiskRank: sources.rank,
    credit: sources.credit,
    ...(sources.creditGap ? { creditGap: sources.creditGap } : {}),
  };
}

/**
 * Gathers the decision's inputs (outside any transaction: may call WeChat and the credit bureau —
 * the bureau only with the borrower's credit-inquiry authorisation in force).
 */
async function gatherInputs(
  deps: LoanDeps,
  app: ApplicationDoc,
  clientIp: string | null,
): Promise<RiskInputs> {
  const borrower = await deps.store.get<BorrowerDoc & StoredDoc>(BORROWERS, app.openid);
  const idHash = borrower?.identity?.idHash ?? app.idHash;
  const [blacklisted, links, rank, credit] = await Promise.all([
    deps.store.get<BlacklistDoc>(BLACKLIST, idHash).then((doc) => doc?.active === true),
    readLinks(deps.store, { deviceHash: app.deviceHash, clientIp, at: app.createdAt }),
    deps.riskRank(app.openid, clientIp).catch(() => null),
    borrower ? readCreditFile(deps, borrower) : { credit: null },
  ]);
  return riskInputsOf(deps, app, { borrower, blacklisted, links, rank, ...credit });
}

/**
 * Runs the automated review of one application: submitted → scoring, then the decision
 * (approved / manual_review / rejected) stored with its inputs, policy version, score and reasons.
 * Safe to run again: an application already decided is left as it is.
 */
export async function reviewApplication(
  deps: LoanDeps,
  applicationId: string,
): Promise<StoredDecision | undefined> {
  const current = await deps.store.get<ApplicationDoc>(APPLICATIONS, applicationId);
  if (!current) throw new AppError('APPLICATION_NOT_FOUND', '未找到该借款申请');
  if (current.status !== 'submitted' && current.status !== 'scoring') return current.decision;
  const scoring =
    current.status === 'submitted'
      ? await deps.store.transact((tx) =>
          transitionApplication(tx, {
            applicationId,
            to: 'scoring',
            expectedVersion: current.version,
            actor: REVIEWER,
            at: deps.clock.now(),
          }),
        )
      : current;
  const inputs = await gatherInputs(deps, scoring, scoring.consent.clientIp);
  const decision = decideApplication(inputs, deps.risk, deps.clock.now());
  await deps.store.transact(async (tx) => {
    const app = await loadApplication(tx, applicationId);
    if (app.version !== scoring.version) return; // someone else decided meanwhile
    // The money gate, at the moment of the decision: a borrower frozen or blacklisted since the
    // inputs were read waits for a person instead of being approved.
    const gate =
      decision.outcome === 'approved'
        ? gateRefusal(await borrowerFlags((c, id) => tx.get(c, id), app.openid, app.idHash))
        : undefined;
    await transitionApplication(tx, {
      applicationId,
      to: gate ? 'manual_review' : decision.outcome,
      expectedVersion: scoring.version,
      actor: REVIEWER,
      at: decision.decidedAt,
      patch: { decision },
      details: {
        policyVersion: decision.policyVersion,
        score: decision.score,
        band: decision.band,
        rulesHit: decision.rulesHit,
        reasons: decision.reasons,
        ...(gate ? { gate: gate.code } : {}),
      },
    });
  });
  return decision;
}
