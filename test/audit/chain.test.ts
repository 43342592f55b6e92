import fc from 'fast-check';
import {
  appendAudit,
  AUDIT_COLLECTION,
  AUDIT_HEAD_COLLECTION,
  recordAudit,
  verifyChain,
} from '../../server/audit/audit-log';
import { chainHash, GENESIS_HASH, type AuditEntry } from '../../server/audit/chain';
import { MemoryDocStore } from '../../server/audit/memory-store';

const entry = (n: number): AuditEntry => ({
  at: 1_700_000_000_000 + n,
  actor: `op${n % 3}`,
  actorType: 'operator',
  event: 'test.event',
  subject: `application:${n}`,
  outcome: 'success',
  details: { n, nested: { b: 2, a: 1 } },
});

describe('audit hash chain', () => {
  it('links h_n = SHA-256(h_{n-1} ‖ canonical entry) and verifies', async () => {
    const store = new MemoryDocStore();
    const first = await recordAudit(store, entry(1));
    const second = await recordAudit(store, entry(2));
    expect(first.prevHash).toBe(GENESIS_HASH);
    expect(first.hash).toBe(chainHash(GENESIS_HASH, entry(1)));
    expect(second.prevHash).toBe(first.hash);
    expect(await verifyChain(store)).toEqual({ ok: true, count: 2, headHash: second.hash });
  });

  it('hashes key order independently (canonical form)', () => {
    const a = entry(5);
    const b = { ...a, details: { nested: { a: 1, b: 2 }, n: 5 } };
    expect(chainHash(GENESIS_HASH, a)).toBe(chainHash(GENESIS_HASH, b));
  });

  it('an empty chain verifies', async () => {
    expect(await verifyChain(new MemoryDocStore())).toEqual({ ok: true, count: 0, headHash: GENESIS_HASH });
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
    expect((await verifyChain(store)).ok).toBe(true);
  });

  it('reports the first broken link for any edit, deletion or truncation (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 25 }),
        fc.nat(),
        fc.constantFrom('edit-details', 'edit-actor', 'delete', 'rehash-one', 'drop-tail'),
        async (count, pick, tamper) => {
          const store = new MemoryDocStore();
          for (let i = 1; i <= count; i += 1) await recordAudit(store, entry(i));
          const docs = store.raw(AUDIT_COLLECTION);
          const target = (pick % count) + 1;
          const id = `a${String(target).padStart(12, '0')}`;
          const doc = docs.get(id) as unknown as { entry: AuditEntry; hash: string; prevHash: string };
          if (tamper === 'edit-details') doc.entry.details = { n: -1 };
          if (tamper === 'edit-actor') doc.entry.actor = 'someone-else';
          if (tamper === 'delete') docs.delete(id);
          if (tamper === 'rehash-one') {
            // A careful forger recomputes this link's hash; the next link (or the head) still disagrees.
            doc.entry.outcome = 'refused';
            doc.hash = chainHash(doc.prevHash, doc.entry);
          }
          if (tamper === 'drop-tail') docs.delete(`a${String(count).padStart(12, '0')}`);
          const verdict = await verifyChain(store);
          expect(verdict.ok).toBe(false);
          if (!verdict.ok) {
            const expected =
              tamper === 'drop-tail'
                ? count
                : tamper === 'rehash-one'
                  ? Math.min(target + 1, count + 1)
                  : target;
            expect(verdict.brokenAt).toBe(expected);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('detects a rewritten head', async () => {
    const store = new MemoryDocStore();
    await recordAudit(store, entry(1));
    const head = store.raw(AUDIT_HEAD_COLLECTION).get('head') as unknown as { hash: string };
    head.hash = 'f'.repeat(64);
    expect(await verifyChain(store)).toMatchObject({ ok: false, reason: 'head_mismatch' });
  });
});
