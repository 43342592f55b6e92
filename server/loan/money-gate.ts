import type { StoredDoc } from '../storage/doc-store';
import type { BorrowerDoc } from '../borrowers/borrower-doc';
import { AppError } from '../runtime/app-error';
import { APPLICATIONS, BORROWERS, type ApplicationDoc } from './application-doc';

/** Reads one document (a transaction's `tx.get` or a store's `get`). */
export type GateRead = <T extends StoredDoc>(collection: string, id: string) => Promise<T | undefined>;

/** Whether a borrower is frozen or blacklisted right now (what operators see next to an application). */
export interface BorrowerFlags {
  frozen: boolean;
  blacklisted: boolean;
}

/** Refusal when the borrower is frozen (operator action or AML hit). */
export const BORROWER_FROZEN = 'BORROWER_FROZEN';
/** Refusal when the borrower's identity is on the blacklist. */
export const BORROWER_BLACKLISTED = 'BORROWER_BLACKLISTED';

const MESSAGES = {
  [BORROWER_FROZEN]: '您的账户已被冻结，暂时无法放款或审批，请联系客服了解详情',
  [BORROWER_BLACKLISTED]: '根据风控规定，暂时无法为您办理借款，请联系客服了解详情',
} as const;

/**
 * Reads the borrower's flags from the borrower document alone: freezing sets `frozen`, and
 * blacklisting an identity sets `blacklisted` on every borrower of it (server/ops/borrower-controls.ts).
 */
export async function borrowerFlags(read: GateRead, openid: string): Promise<BorrowerFlags> {
  const borrower = await read<BorrowerDoc & StoredDoc>(BORROWERS, openid);
  return { frozen: borrower?.frozen === true, blacklisted: borrower?.blacklisted === true };
}

/** The refusal for a borrower with these flags, or undefined when money may move. */
export function gateRefusal(flags: BorrowerFlags): AppError | undefined {
  if (flags.blacklisted) return new AppError(BORROWER_BLACKLISTED, MESSAGES[BORROWER_BLACKLISTED]);
  if (flags.frozen) return new AppError(BORROWER_FROZEN, MESSAGES[BORROWER_FROZEN]);
  return undefined;
}

/**
 * The one place that decides whether money may move to a borrower: every approval (automatic,
 * maker, checker, appeal), every payout start and every retry asks it, inside the transaction that
 * would commit the step. Throws BORROWER_FROZEN / BORROWER_BLACKLISTED.
 */
export async function assertMoneyMayMove(read: GateRead, openid: string): Promise<void> {
  const refusal = gateRefusal(await borrowerFlags(read, openid));
  if (refusal) throw refusal;
}

/**
 * The gate's refusal for the borrower of an application (its payee and identity), or undefined
 * when money may move or the application is unknown. For checks outside a transaction, e.g.
 * before handing a confirmation package to the borrower.
 */
export async function refusalForApplication(
  read: GateRead,
  applicationId: string,
): Promise<AppError | undefined> {
  const app = await read<ApplicationDoc>(APPLICATIONS, applicationId);
  return app ? gateRefusal(await borrowerFlags(read, app.openid)) : undefined;
}
