import { MemoryDocStore } from '../../server/storage/memory-store';
import { BORROWERS } from '../../server/loan/application-doc';
import { borrowerAndLinked, coHolders, withLinks } from '../../server/risk/signals';
import type { DocStore, DocFilter, FindOptions, StoredDoc } from '../../server/storage/doc-store';

const AT = Date.UTC(2026, 0, 15, 4);
const link = { deviceHash: 'device-shared', clientIp: '198.51.100.7', at: AT };

/** A borrower document carrying this application's device (and IP-day) among its links. */
function linkedDoc(id: string, idHash?: string): StoredDoc {
  return {
    _id: id,
    riskLinks: withLinks(undefined, link),
    ...(idHash ? { identity: { idHash } } : {}),
  } as unknown as StoredDoc;
}

/** Stores a document directly (no transaction: the reads are what is tested). */
function seed(store: MemoryDocStore, doc: StoredDoc): void {
  store.raw(BORROWERS).set(doc._id, doc);
}

/** Counts the store calls a read makes. */
function counting(store: DocStore): { store: DocStore; calls: string[] } {
  const calls: string[] = [];
  const wrapped = Object.create(store) as DocStore;
  wrapped.get = (c: string, id: string) => (calls.push('get'), store.get(c, id));
  wrapped.findAny = (c: string, f: DocFilter[], o: FindOptions) => (
    calls.push('findAny'),
    store.findAny(c, f, o)
  );
  return { store: wrapped, calls };
}

describe('the borrower and its links in one read', () => {
  it('answers the borrower and the others linked by device or IP-day from one query', async () => {
    const memory = new MemoryDocStore();
    seed(memory, linkedDoc('u-other'));
    seed(memory, { _id: 'u-self' } as StoredDoc);
    seed(memory, { _id: 'u-unrelated' } as StoredDoc);
    const { store, calls } = counting(memory);
    const { self, others } = await borrowerAndLinked(store, 'u-self', link);
    expect(self?._id).toBe('u-self');
    expect(others.map((b) => b._id)).toEqual(['u-other']);
    expect(calls).toEqual(['findAny']);
  });

  it('reads the borrower by id only when the answer was cut at its limit without it', async () => {
    const memory = new MemoryDocStore();
    for (let i = 0; i < 101; i += 1) seed(memory, linkedDoc(`u-farm-${i}`));
    seed(memory, { _id: 'u-self' } as StoredDoc);
    const { store, calls } = counting(memory);
    const { self, others } = await borrowerAndLinked(store, 'u-self', link);
    expect(self?._id).toBe('u-self');
    expect(others).toHaveLength(101);
    expect(calls).toEqual(['findAny', 'get']);
  });

  it('an unknown borrower is answered as absent', async () => {
    const memory = new MemoryDocStore();
    seed(memory, linkedDoc('u-other'));
    expect((await borrowerAndLinked(memory, 'u-nobody', link)).self).toBeUndefined();
  });

  it('co-holders: the other openids of the same identity only', async () => {
    const memory = new MemoryDocStore();
    seed(memory, linkedDoc('u-a', 'h1'));
    seed(memory, linkedDoc('u-b', 'h1'));
    seed(memory, linkedDoc('u-c', 'h2'));
    expect((await coHolders(memory, 'u-a', 'h1')).map((b) => b._id)).toEqual(['u-b']);
  });
});
