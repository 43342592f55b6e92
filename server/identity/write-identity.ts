import { appendAudit } from '../audit';
import type { StoredDoc, TxDocs } from '../storage/doc-store';
import { BLACKLIST } from '../loan/blacklist';
import type { BorrowerDoc, BorrowerIdentity } from '../borrowers/borrower-doc';
import { accountClosedRefusal } from '../borrowers/apply-block';
import { identityError } from './messages';
import { IDENTITY_COLLECTIONS, overrideId, type IdentityIndexDoc, type IdentityOverrideDoc } from './records';

type StoredBorrower = BorrowerDoc & { [field: string]: unknown };

/**
 * In one transaction: claims the ID number's index entry (or joins it under an operator's
 * override), creates or updates the borrower document, and appends the audit record. Either all of
 * it commits or none does. Pure apart from `tx`, because the transaction may run several times.
 */
export async function writeVerifiedIdentity(
  tx: TxDocs,
  openid: string,
  identity: BorrowerIdentity,
  now: number,
): Promise<void> {
  const borrower = await tx.get<StoredBorrower>(IDENTITY_COLLECTIONS.borrowers, openid);
  if (borrower?.identity) throw identityError('ALREADY_VERIFIED');
  const closed = accountClosedRefusal(borrower);
  if (closed) throw closed;
  const index = await tx.get<IdentityIndexDoc>(IDENTITY_COLLECTIONS.index, identity.idHash);
  let nextIndex: IdentityIndexDoc;
  if (!index) {
    nextIndex = { _id: identity.idHash, openid, sharedWith: [], createdAt: now, updatedAt: now };
  } else if (index.openid === null) {
    // Released when its owner's account was closed: a new account may claim it.
    nextIndex = { ...index, openid, updatedAt: now };
  } else {
    const override = await tx.get<IdentityOverrideDoc>(
      IDENTITY_COLLECTIONS.overrides,
      overrideId(identity.idHash, openid),
    );
    if (index.openid !== openid && !override) throw identityError('ID_ALREADY_BOUND');
    const sharedWith =
      index.openid === openid || index.sharedWith.includes(openid)
        ? index.sharedWith
        : [...index.sharedWith, openid];
    nextIndex = { ...index, sharedWith, updatedAt: now };
  }
  await tx.put(IDENTITY_COLLECTIONS.index, nextIndex);
  // Joining an identity already on the blacklist carries its flag (the gate reads the borrower only).
  const blacklisted = index
    ? (await tx.get<StoredDoc & { active?: boolean }>(BLACKLIST, identity.idHash))?.active === true
    : false;
  const next: StoredBorrower = borrower
    ? { ...borrower, identity, blacklisted, version: borrower.version + 1, updatedAt: now }
    : {
        _id: openid,
        identity,
        frozen: false,
        blacklisted,
        activeApplicationId: null,
        version: 1,
        createdAt: now,
        updatedAt: now,
      };
  await tx.put(IDENTITY_COLLECTIONS.borrowers, next);
  await appendAudit(tx, {
    at: now,
    actor: openid,
    actorType: 'borrower',
    event: 'identity.verify',
    subject: `borrower:${openid}`,
    outcome: 'success',
    details: {
      verifier: identity.verifier,
      documentType: identity.documentType,
      sharedIdNumber: nextIndex.openid !== openid,
    },
  });
}
