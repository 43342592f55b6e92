import { pagesByCursor } from '../../server/storage/cursor-pages';
import { MemoryDocStore } from '../../server/storage/memory-store';

describe('pagesByCursor', () => {
  async function storeWith(ids: string[]): Promise<MemoryDocStore> {
    const store = new MemoryDocStore();
    await store.transact(async (tx) => {
      for (const id of ids) await tx.put('plans', { _id: id, status: 'repaying', n: Number(id.slice(1)) });
    });
    return store;
  }

  it('walks every match once in _id order, a full last page ending with an empty ask', async () => {
    const store = await storeWith(['p4', 'p1', 'p3', 'p2', 'p6', 'p5']);
    const pages: string[][] = [];
    for await (const page of pagesByCursor(store, 'plans', { status: 'repaying' }, 2)) {
      pages.push(page.map((d) => d._id));
    }
    expect(pages).toEqual([
      ['p1', 'p2'],
      ['p3', 'p4'],
      ['p5', 'p6'],
    ]);
  });

  it('a document leaving the filter while paging shifts nothing (no skip)', async () => {
    const store = await storeWith(['p1', 'p2', 'p3', 'p4', 'p5']);
    const seen: string[] = [];
    for await (const page of pagesByCursor(store, 'plans', { status: 'repaying' }, 2)) {
      seen.push(...page.map((d) => d._id));
      // What the page's work does to the plans it read: they leave the filter.
      for (const doc of page) await store.updateWhere('plans', { _id: doc._id }, { status: 'overdue' });
    }
    expect(seen).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
  });
});
