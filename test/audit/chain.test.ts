import { createHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import {
  appendAudit,
  AUDIT_COLLECTION,
  AUDIT_HEAD_COLLECTION,
  AUDIT_REFUSALS,
  recordAudit,
} from '../../server/audit/audit-log';
import { auditRecordId, chainOf, type AuditEntry, type AuditRecord } from '../../server/audit/chain';
import { canonicalJson } from '../../server/audit/canonical';
import { GENESIS_HASH, linkHash } from '../../server/audit/hash-chain';
import { MemoryDocStore } from '../../server/storage/memory-store';
import { sealAudit } from '../../server/audit/seal';
import { verifyAudit } from '../../server/audit/verify';

const entry = (n: number, subject = `application:${n % 4}`): AuditEntry => ({
  at: 1_700_000_000_000 + n,
  actor: `op${n % 3}`,
  actorType: 'operator',
  event: 'test.event',
  subject,
  outcome: 'success',
  details: { n, nested: { b: 2, a: 1 } },
});

type Stored = AuditRecord & { [k: string]: unknown };
const record = (store: MemoryDocStore, chain: string, seq: number): Stored =>
  store.raw(AUDIT_COLLECTION).get(auditRecordId(chain, seq)) as unknown as Stored;

describe('audit: one keyed chain per subject', () => {
  it('links each subject on its own, with the head in that subject’s head document', async () => {
    const store = new MemoryDocStore();
    const first = (await recordAudit(store, entry(1, 'application:a'))) as AuditRecord;
    const other = (await recordAudit(store, entry(2, 'application:b'))) as AuditRecord;
    const second = (await recordAudit(store, entry(3, 'application:a'))) as AuditRecord;
    expect(first).toMatchObject({ chain: 'application:a', seq: 1, prevHash: GENESIS_HASH });
    expect(other).toMatchObject({ chain: 'application:b', seq: 1, prevHash: GENESIS_HASH });
    expect(second).toMatchObject({ seq: 2, prevHash: first.hash });
    expect(store.raw(AUDIT_HEAD_COLLECTION).get('application:a')).toMatchObject({
      seq: 2,
      hash: second.hash,
    });
    expect(await verifyAudit(store)).toEqual({ ok: true, chains: 2, records: 3, seals: 0, refusals: 0 });
  });

  it('a subject without an id is qualified by the actor, so callers never share a chain', () => {
    expect(chainOf({ ...entry(1), subject: 'ops', actor: 'o-x' })).toBe('ops:o-x');
    expect(chainOf(entry(1, 'payout:l1'))).toBe('payout:l1');
  });

  it('two appends to one subject in one transaction chain correctly', async () => {
    const store = new MemoryDocStore();
    await store.transact(async (tx) => {
      await appendAudit(tx, entry(1, 'payout:p'));
      await appendAudit(tx, entry(2, 'payout:p'));
    });
    expect(store.raw(AUDIT_HEAD_COLLECTION).get('payout:p')).toMatchObject({ seq: 2 });
    expect((await verifyAudit(store)).ok).toBe(true);
  });

  it('appends nothing when the surrounding transaction fails', async () => {
    const store = new MemoryDocStore();
    await recordAudit(store, entry(1));
    await expect(
      store.transact(async (tx) => {
        await appendAudit(tx, entry(2));
        throw new Error('change refused');
      }),
    ).rejects.toThrow('change refused');
    expect(store.raw(AUDIT_COLLECTION).size).toBe(1);
    expect((await verifyAudit(store)).ok).toBe(true);
  });

  it('refusals are single keyed documents outside every chain', async () => {
    const store = new MemoryDocStore();
    await recordAudit(store, { ...entry(1, 'ops'), outcome: 'refused' });
    expect(store.raw(AUDIT_HEAD_COLLECTION).size).toBe(0);
    expect(store.raw(AUDIT_REFUSALS).size).toBe(1);
    expect(await verifyAudit(store)).toMatchObject({ ok: true, refusals: 1 });
    const doc = [...store.raw(AUDIT_REFUSALS).values()][0] as unknown as { entry: AuditEntry };
    doc.entry.details = { code: 'NOTHING_TO_SEE' };
    expect(await verifyAudit(store)).toMatchObject({ ok: false, reason: 'refusal_mismatch' });
  });

  it('an edit with every hash recomputed without the key is reported (the key is not in the database)', async () => {
    const store = new MemoryDocStore();
    for (let i = 1; i <= 4; i += 1) await recordAudit(store, entry(i, 'borrower:o-1'));
    // The forger rewrites link 2 and recomputes links 2…4 and the head with every unkeyed hash they could know.
    const forge = (prev: string, r: Stored): string =>
      createHash('sha256')
        .update(prev)
        .update('\n')
        .update(canonicalJson({ chain: r.chain, seq: r.seq, entry: r.entry }))
        .digest('hex');
    record(store, 'borrower:o-1', 2).entry.details = { reason: '改过的理由' };
    let prev = record(store, 'borrower:o-1', 1).hash;
    for (let seq = 2; seq <= 4; seq += 1) {
      const r = record(store, 'borrower:o-1', seq);
      r.prevHash = prev;
      r.hash = forge(prev, r);
      prev = r.hash;
    }
    Object.assign(store.raw(AUDIT_HEAD_COLLECTION).get('borrower:o-1') as object, { hash: prev });
    expect(await verifyAudit(store)).toMatchObject({
      ok: false,
      chain: 'borrower:o-1',
      seq: 2,
      brokenAt: 'borrower:o-1#2',
      reason: 'hash_mismatch',
    });
    // Even with a guessed key the forgery fails: only the environment's key verifies.
    const guessed = randomBytes(32);
    const r2 = record(store, 'borrower:o-1', 2);
    r2.hash = linkHash(r2.prevHash, { chain: r2.chain, seq: 2, entry: r2.entry }, guessed);
    expect(await verifyAudit(store)).toMatchObject({ ok: false, seq: 2, reason: 'hash_mismatch' });
  });

  it('a link made under a rotated-out key still verifies while its key is listed', async () => {
    const store = new MemoryDocStore();
    const saved = { keys: process.env.WXLEND_AUDIT_KEYS, kid: process.env.WXLEND_AUDIT_ACTIVE_KID };
    const old = JSON.parse(saved.keys ?? '{}') as Record<string, string>;
    try {
      await recordAudit(store, entry(1, 'application:r'));
      process.env.WXLEND_AUDIT_KEYS = JSON.stringify({ ...old, rotated: randomBytes(32).toString('base64') });
      process.env.WXLEND_AUDIT_ACTIVE_KID = 'rotated';
      const second = (await recordAudit(store, entry(2, 'application:r'))) as AuditRecord;
      expect(second.kid).toBe('rotated');
      expect((await verifyAudit(store)).ok).toBe(true);
      process.env.WXLEND_AUDIT_KEYS = JSON.stringify({
        rotated: JSON.parse(process.env.WXLEND_AUDIT_KEYS).rotated,
      });
      expect(await verifyAudit(store)).toMatchObject({ ok: false, seq: 1, reason: 'unknown_key' });
    } finally {
      process.env.WXLEND_AUDIT_KEYS = saved.keys;
      process.env.WXLEND_AUDIT_ACTIVE_KID = saved.kid;
    }
  });

  it('seals chain every changed head; a removed sealed tail is then reported', async () => {
    const store = new MemoryDocStore();
    for (let i = 1; i <= 6; i += 1) await recordAudit(store, entry(i, `application:${i % 2}`));
    expect(await sealAudit(store, 1)).toEqual({ sealed: 2 });
    expect(await sealAudit(store, 2)).toEqual({ sealed: 0 });
    await recordAudit(store, entry(7, 'application:1'));
    expect(await sealAudit(store, 3)).toEqual({ sealed: 1 });
    expect(await verifyAudit(store)).toMatchObject({ ok: true, seals: 2 });
    // Drop the sealed last record of application:1 and move its head back: only the seal notices.
    store.raw(AUDIT_COLLECTION).delete(auditRecordId('application:1', 4));
    const earlier = record(store, 'application:1', 3);
    Object.assign(store.raw(AUDIT_HEAD_COLLECTION).get('application:1') as object, {
      seq: 3,
      hash: earlier.hash,
    });
    expect(await verifyAudit(store)).toMatchObject({
      ok: false,
      chain: 'application:1',
      seq: 4,
      reason: 'seal_mismatch',
    });
  });

  it('reports the first broken link for any edit, deletion or truncation (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 20 }),
        fc.nat(),
        fc.constantFrom('edit-details', 'edit-actor', 'delete', 'drop-tail', 'rewrite-head'),
        async (count, pick, tamper) => {
          const store = new MemoryDocStore();
          for (let i = 1; i <= count; i += 1) await recordAudit(store, entry(i, 'application:p'));
          const docs = store.raw(AUDIT_COLLECTION);
          const target = (pick % count) + 1;
          const doc = record(store, 'application:p', target);
          if (tamper === 'edit-details') doc.entry.details = { n: -1 };
          if (tamper === 'edit-actor') doc.entry.actor = 'someone-else';
          if (tamper === 'delete') docs.delete(auditRecordId('application:p', target));
          if (tamper === 'drop-tail') docs.delete(auditRecordId('application:p', count));
          if (tamper === 'rewrite-head')
            Object.assign(store.raw(AUDIT_HEAD_COLLECTION).get('application:p') as object, {
              hash: 'f'.repeat(64),
            });
          const verdict = await verifyAudit(store);
          expect(verdict.ok).toBe(false);
          if (!verdict.ok) {
            const expected = tamper === 'drop-tail' || tamper === 'rewrite-head' ? count : target;
            expect(verdict.seq).toBe(tamper === 'rewrite-head' ? count + 1 : expected);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
