import { auditKeys, type AuditKeys } from './audit-keys';
import {
  AUDIT_COLLECTION,
  AUDIT_HEAD_COLLECTION,
  AUDIT_HOMES,
  AUDIT_REFUSALS,
  refusalHash,
  type AuditHead,
  type AuditRefusal,
} from './audit-log';
import { auditLinkHash, auditRecordId, type AuditRecord } from './chain';
import { AUDIT_HEAD_FIELD, type DocStore, type StoredDoc } from '../storage/doc-store';
import { GENESIS_HASH } from './hash-chain';
import { AUDIT_SEALS, checkSealChain, type AuditSeal } from './seal';
import { pendingAuditRecords } from './pending';

/** Why a link is broken. */
export type BrokenReason =
  | 'gap'
  | 'prev_mismatch'
  | 'hash_mismatch'
  | 'unknown_key'
  | 'head_mismatch'
  | 'seal_mismatch'
  | 'refusal_mismatch';

/** Outcome of `verifyAudit`: counts, or the first broken link (chain and position). */
export type AuditVerdict =
  | { ok: true; chains: number; records: number; seals: number; refusals: number }
  | { ok: false; chain: string; seq: number; brokenAt: string; reason: BrokenReason };

const PAGE = 1000;

/** Every document of a collection in `field` order. */
async function readAll<T extends StoredDoc>(
  store: DocStore,
  collection: string,
  field: string,
): Promise<T[]> {
  const all: T[] = [];
  for (let skip = 0; ; skip += PAGE) {
    const page = await store.find<T>(
      collection,
      {},
      {
        orderBy: { field, direction: 'asc' },
        skip,
        limit: PAGE,
      },
    );
    all.push(...page);
    if (page.length < PAGE) return all;
  }
}

const broken = (chain: string, seq: number, reason: BrokenReason): AuditVerdict => ({
  ok: false,
  chain,
  seq,
  brokenAt: `${chain}#${seq}`,
  reason,
});

/** Checks one chain's records in order against its head; undefined when it is intact. */
function checkChain(
  keys: AuditKeys,
  chain: string,
  records: AuditRecord[],
  head: { seq: number; hash: string } | undefined,
): AuditVerdict | undefined {
  let prev = GENESIS_HASH;
  for (const [index, record] of records.entries()) {
    const seq = index + 1;
    if (record.seq !== seq || record._id !== auditRecordId(chain, seq)) return broken(chain, seq, 'gap');
    if (record.prevHash !== prev) return broken(chain, seq, 'prev_mismatch');
    const expected = auditLinkHash(keys, record.kid, record);
    if (expected === undefined) return broken(chain, seq, 'unknown_key');
    if (expected !== record.hash) return broken(chain, seq, 'hash_mismatch');
    prev = record.hash;
  }
  if (!head || head.seq !== records.length || head.hash !== prev)
    return broken(chain, Math.min(head?.seq ?? 0, records.length) + 1, 'head_mismatch');
  return undefined;
}

/**
 * Reads every chain, head, seal and refusal and checks them with the keys from the environment:
 * an edit (even with every hash recomputed, which needs the key), a removed record or tail, a
 * rewritten head or seal is reported as the first broken link.
 */
export async function verifyAudit(store: DocStore): Promise<AuditVerdict> {
  const keys = auditKeys();
  const [records, heads, seals, refusals, ...homes] = await Promise.all([
    readAll<AuditRecord & StoredDoc>(store, AUDIT_COLLECTION, '_id'),
    readAll<AuditHead>(store, AUDIT_HEAD_COLLECTION, '_id'),
    readAll<AuditSeal>(store, AUDIT_SEALS, 'seq'),
    readAll<AuditRefusal>(store, AUDIT_REFUSALS, '_id'),
    ...Object.values(AUDIT_HOMES).map((c) => readAll<StoredDoc>(store, c, '_id')),
  ]);
  const byChain = new Map<string, AuditRecord[]>();
  // Records waiting in their subject's own document are links like the logged ones.
  const waiting = homes.flatMap((docs) => (docs ?? []).flatMap((doc) => pendingAuditRecords(doc)));
  for (const record of [...records, ...waiting]) {
    const chain = typeof record.chain === 'string' ? record.chain : (String(record._id).split('#')[0] ?? '');
    const list = byChain.get(chain) ?? [];
    list.push(record);
    byChain.set(chain, list);
  }
  // A head lives in its subject's own document when the subject has one, else in auditHeads.
  const headOf = new Map<string, { seq: number; hash: string }>(heads.map((h) => [h._id, h]));
  for (const [i, kind] of Object.keys(AUDIT_HOMES).entries())
    for (const doc of homes[i] ?? [])
      if (doc[AUDIT_HEAD_FIELD])
        headOf.set(`${kind}:${doc._id}`, doc[AUDIT_HEAD_FIELD] as { seq: number; hash: string });
  const chains = [...new Set([...byChain.keys(), ...headOf.keys()])].sort();
  for (const chain of chains) {
    const list = (byChain.get(chain) ?? []).sort((a, b) => a.seq - b.seq);
    const problem = checkChain(keys, chain, list, headOf.get(chain));
    if (problem) return problem;
  }
  const sealProblem = checkSealChain(keys, seals, (chain, seq) => byChain.get(chain)?.[seq - 1]?.hash);
  if (sealProblem) return broken(sealProblem.chain, sealProblem.seq, sealProblem.reason);
  for (const refusal of refusals) {
    const key = keys.keys.get(refusal.kid);
    if (!key || refusalHash(key, refusal) !== refusal.hash)
      return broken(refusal.chain, 0, key ? 'refusal_mismatch' : 'unknown_key');
  }
  return {
    ok: true,
    chains: chains.length,
    records: records.length + waiting.length,
    seals: seals.length,
    refusals: refusals.length,
  };
}
