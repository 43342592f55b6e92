import { maskIdNumber, maskName, maskPhone } from '../../shared/masking';
import { decryptPii, type PiiKeys } from '../pii';
import type { DocStore } from '../storage/doc-store';
import type { CorrectableField } from '../../typings/identity';
import type { StoredBorrower } from './borrower-rights';
import { correctionPurpose } from './correction';
import { IDENTITY_COLLECTIONS as C, type IdentityRequestDoc } from './records';

/** Where the next page starts: the last page's oldest-first position (ties at one millisecond by id). */
export interface RequestsCursor {
  requestedAt: number;
  /** Ids already answered at exactly `requestedAt`. */
  seen: string[];
}

/** One open rights request as an operator sees it: masked only. */
export interface OpenRequestItem {
  requestId: string;
  openid: string;
  kind: 'deletion' | 'correction';
  field?: CorrectableField;
  requestedAt: number;
  /** The borrower's masked name and ID number; null when never verified. */
  borrower: { maskedName: string; maskedIdNumber: string } | null;
  /** Corrections: the value asked for, masked like the field. */
  proposed?: string;
  /** Deletions: false while an application or unsettled loan holds the active slot (completeDeletion refuses). */
  canComplete?: boolean;
}

const MASKS: Record<CorrectableField, (value: string) => string> = {
  name: maskName,
  idNumber: maskIdNumber,
  phone: maskPhone,
};

/** Open (`received`) rights requests, oldest first, one page from the cursor; borrowers read in parallel. */
export async function openRightsRequests(
  deps: { store: DocStore; keys: PiiKeys },
  page: { limit: number; cursor?: RequestsCursor | undefined },
): Promise<{ items: OpenRequestItem[]; next: RequestsCursor | null }> {
  const seen = new Set(page.cursor?.seen ?? []);
  const found = await deps.store.find<IdentityRequestDoc>(
    C.requests,
    { state: 'received', ...(page.cursor ? { requestedAt: { $gte: page.cursor.requestedAt } } : {}) },
    { orderBy: { field: 'requestedAt', direction: 'asc' }, limit: page.limit + seen.size + 1 },
  );
  const fresh = found.filter((doc) => !seen.has(doc._id));
  const docs = fresh.slice(0, page.limit);
  const borrowers = await Promise.all(
    docs.map((doc) => deps.store.get<StoredBorrower>(C.borrowers, doc.openid)),
  );
  const items = docs.map((doc, i): OpenRequestItem => {
    const borrower = borrowers[i];
    const masked = borrower?.identity?.masked;
    const item: OpenRequestItem = {
      requestId: doc._id,
      openid: doc.openid,
      kind: doc.kind,
      requestedAt: doc.requestedAt,
      borrower: masked ? { maskedName: masked.name, maskedIdNumber: masked.idNumber } : null,
    };
    if (doc.kind === 'deletion') return { ...item, canComplete: !borrower?.activeApplicationId };
    const field = doc.field ?? 'name';
    const value = decryptPii(deps.keys, doc.detail, correctionPurpose(doc.openid, field));
    return { ...item, field, proposed: MASKS[field](value.trim()) };
  });
  const last = docs.at(-1);
  if (!last || fresh.length <= page.limit) return { items, next: null };
  const sameMoment = docs.filter((d) => d.requestedAt === last.requestedAt).map((d) => d._id);
  const carried = page.cursor?.requestedAt === last.requestedAt ? [...seen] : [];
  return { items, next: { requestedAt: last.requestedAt, seen: [...carried, ...sameMoment] } };
}
