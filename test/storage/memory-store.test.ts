import { MemoryDocStore } from '../../server/storage/memory-store';

test('the memory store orders by a dotted field as the database does (documents without it match no range)', async () => {
  const store = new MemoryDocStore();
  await store.transact(async (tx) => {
    await tx.put('plans', { _id: 'a', pendingApproval: { at: 30 } });
    await tx.put('plans', { _id: 'b', pendingApproval: null });
    await tx.put('plans', { _id: 'c', pendingApproval: { at: 10 } });
    await tx.put('plans', { _id: 'd' });
    await tx.put('plans', { _id: 'e', pendingApproval: { at: 20 } });
  });
  const ids = async (direction: 'asc' | 'desc', skip = 0) =>
    (
      await store.find(
        'plans',
        { 'pendingApproval.at': { $gte: 0 } },
        { orderBy: { field: 'pendingApproval.at', direction }, limit: 10, skip },
      )
    ).map((d) => d._id);
  expect(await ids('asc')).toEqual(['c', 'e', 'a']);
  expect(await ids('desc')).toEqual(['a', 'e', 'c']);
  expect(await ids('asc', 1)).toEqual(['e', 'a']);
});
