import { Query } from 'mingo';
import { bulkInsertDocuments } from '../../../emulator/src/database';
import { startDatabaseFixture, type DatabaseFixture, type Row } from './sdk-setup';

const TOTAL = 100_000;
const STATUSES = ['draft', 'submitted', 'approved', 'disbursed', 'repaid'];
const START = Date.parse('2030-01-01T00:00:00Z');

describe('indexes on 100,000 documents: indexed reads examine only their candidates', () => {
  let fx: DatabaseFixture;
  const examinedBy = async (read: () => Promise<unknown>): Promise<number> => {
    const before = fx.service.engine.store.documentsExamined;
    await read();
    return fx.service.engine.store.documentsExamined - before;
  };

  beforeAll(async () => {
    fx = await startDatabaseFixture();
    fx.service.createCollection('loans', [
      {
        name: 'status_amount',
        keys: [
          { field: 'status', direction: 1 },
          { field: 'amount', direction: -1 },
        ],
        unique: false,
      },
      { name: 'applicant_openid', keys: [{ field: 'applicant.openid', direction: 1 }], unique: true },
      { name: 'created_at', keys: [{ field: 'createdAt', direction: 1 }], unique: false },
    ]);
    const docs = Array.from({ length: TOTAL }, (_v, i) => ({
      _id: `loan${String(i).padStart(6, '0')}`,
      status: STATUSES[i % STATUSES.length],
      amount: i,
      applicant: { openid: `openid-${i}` },
      createdAt: new Date(START + i * 60_000),
      note: `n${i % 7}`,
    }));
    bulkInsertDocuments(fx.emu.hub, 'loans', docs);
  }, 120_000);
  afterAll(async () => {
    await fx.emu.stop();
  });

  test('equality on a nested indexed field examines one document', async () => {
    let found: unknown;
    const examined = await examinedBy(async () => {
      found = (
        await fx.db
          .collection('loans')
          .where({ applicant: { openid: 'openid-4242' } })
          .get()
      ).data;
    });
    expect(found).toEqual([expect.objectContaining({ _id: 'loan004242', amount: 4242 })]);
    expect(examined).toBe(1);
  });

  test('a range on an indexed date examines exactly the matches', async () => {
    const _ = fx.db.command;
    const from = new Date(START + 500 * 60_000);
    const to = new Date(START + 550 * 60_000);
    let found: Array<Row & { amount: number }> = [];
    const examined = await examinedBy(async () => {
      found = (
        await fx.db
          .collection('loans')
          .where({ createdAt: _.gte(from).and(_.lt(to)) })
          .orderBy('createdAt', 'desc')
          .get()
      ).data as Array<Row & { amount: number }>;
    });
    expect(found).toHaveLength(50);
    expect(found[0]?.amount).toBe(549);
    expect(examined).toBe(50);
  });

  test('a compound prefix (equality then range) examines exactly the matches', async () => {
    const _ = fx.db.command;
    let total = 0;
    const examined = await examinedBy(async () => {
      total = (
        await fx.db
          .collection('loans')
          .where({ status: 'approved', amount: _.gt(99_000) })
          .count()
      ).total;
    });
    expect(total).toBe(200);
    expect(examined).toBe(200);
    const query = { status: 'approved', amount: { $lte: 100 } };
    expect(fx.service.explain('loans', query)).toMatchObject({
      plan: 'index',
      index: 'status_amount',
      examined: 20,
    });
  });

  test('$in on an indexed field uses the index', async () => {
    const _ = fx.db.command;
    const examined = await examinedBy(async () => {
      const res = await fx.db
        .collection('loans')
        .where({ 'applicant.openid': _.in(['openid-1', 'openid-2', 'nobody']) })
        .get();
      expect(res.data).toHaveLength(2);
    });
    expect(examined).toBe(2);
  });

  test('extra non-indexed conditions are filtered by mingo among the candidates', async () => {
    expect(fx.service.explain('loans', { status: 'draft', amount: { $lt: 1000 }, note: 'n3' })).toMatchObject(
      {
        plan: 'index',
        examined: 200,
        matched: 29,
      },
    );
  });

  test('the unique index rejects a duplicate and the index follows updates', async () => {
    const loans = fx.db.collection('loans');
    await expect(loans.add({ data: { applicant: { openid: 'openid-7' } } })).rejects.toMatchObject({
      errCode: -502001,
    });
    await loans.doc('loan000007').update({ data: { 'applicant.openid': 'moved-7', status: 'repaid' } });
    expect(fx.service.explain('loans', { 'applicant.openid': 'openid-7' })).toMatchObject({ examined: 0 });
    expect(fx.service.explain('loans', { 'applicant.openid': 'moved-7' })).toMatchObject({
      examined: 1,
      matched: 1,
    });
    await loans.add({ data: { _id: 'new7', applicant: { openid: 'openid-7' } } });
    await loans.doc('new7').remove();
    expect(fx.service.explain('loans', { 'applicant.openid': 'openid-7' })).toMatchObject({ examined: 0 });
  });
});

const ITEMS = [
  { _id: 'i1', tags: ['vip', 'audit'], kind: 'a', size: 1, lines: [{ sku: 'x' }, { sku: 'y' }] },
  { _id: 'i2', tags: [], kind: 'a', size: 2.5, lines: [{ sku: 'y' }, { qty: 1 }] },
  { _id: 'i3', tags: ['plain'], kind: 'a', lines: [] },
  { _id: 'i4', tags: 'vip', kind: 'b', size: 'big' },
  { _id: 'i5', kind: 'b', size: -3, createdAt: new Date(5) },
];

describe('index edge cases on a small collection', () => {
  let fx: DatabaseFixture;
  beforeAll(async () => {
    fx = await startDatabaseFixture();
    fx.service.createCollection('items', [
      { name: 'tags', keys: [{ field: 'tags', direction: 1 }], unique: false },
      {
        name: 'kind_size',
        keys: [
          { field: 'kind', direction: 1 },
          { field: 'size', direction: 1 },
        ],
        unique: false,
      },
      { name: 'lines_sku', keys: [{ field: 'lines.sku', direction: 1 }], unique: false },
    ]);
    bulkInsertDocuments(fx.emu.hub, 'items', ITEMS);
  });
  afterAll(async () => {
    await fx.emu.stop();
  });

  const ids = async (query: object): Promise<string[]> =>
    ((await fx.db.collection('items').where(query).get()).data as Array<{ _id: string }>)
      .map((d) => d._id)
      .sort();

  test('multikey: array elements, scalars, empty arrays and arrays of sub-documents', async () => {
    expect(await ids({ tags: 'vip' })).toEqual(['i1', 'i4']);
    expect(fx.service.explain('items', { tags: 'vip' })).toMatchObject({ plan: 'index', examined: 2 });
    expect(await ids({ tags: fx.db.command.size(0) })).toEqual(['i2']);
    expect(await ids({ 'lines.sku': 'y' })).toEqual(['i1', 'i2']);
    expect(fx.service.explain('items', { 'lines.sku': 'y' })).toMatchObject({ plan: 'index', examined: 2 });
    // Whatever mingo decides null means on arrays, the index must not lose a match a scan finds.
    const scanned = ITEMS.filter((doc) => new Query({ 'lines.sku': null }).test(doc)).map((d) => d._id);
    expect(await ids({ 'lines.sku': null })).toEqual(scanned.sort());
    expect(scanned).toContain('i5');
  });

  test('missing fields index as null; ranges stay within their type as in MongoDB', async () => {
    expect(await ids({ kind: 'a', size: null })).toEqual(['i3']);
    expect(await ids({ kind: 'a', size: fx.db.command.gte(1) })).toEqual(['i1', 'i2']);
    expect(await ids({ kind: 'b', size: fx.db.command.lt(0) })).toEqual(['i5']);
    expect(await ids({ kind: 'b', size: fx.db.command.gt('a') })).toEqual(['i4']);
    expect(fx.service.explain('items', { kind: 'b', size: { $lt: 0 } })).toMatchObject({
      plan: 'index',
      examined: 1,
    });
  });

  test('$or and unindexed fields scan, and still answer correctly', async () => {
    const _ = fx.db.command;
    expect(await ids(_.or([{ kind: 'b' }, { size: 1 }]))).toEqual(['i1', 'i4', 'i5']);
    expect(fx.service.explain('items', { $or: [{ kind: 'b' }, { size: 1 }] })).toMatchObject({
      plan: 'scan',
      examined: 5,
    });
  });

  test('$or whose every branch has an index reads the union of their keys (no scan), same answer', async () => {
    const _ = fx.db.command;
    expect(await ids(_.or([{ tags: 'vip' }, { 'lines.sku': 'y' }]))).toEqual(['i1', 'i2', 'i4']);
    expect(fx.service.explain('items', { $or: [{ tags: 'vip' }, { 'lines.sku': 'y' }] })).toMatchObject({
      plan: 'union',
      index: 'tags,lines_sku',
      // i1 matches both branches and is examined once.
      examined: 3,
      matched: 3,
    });
    expect(await ids(_.or([{ _id: 'i5' }, { kind: 'a', size: 1 }]))).toEqual(['i1', 'i5']);
    expect(fx.service.explain('items', { $or: [{ _id: 'i5' }, { kind: 'a', size: 1 }] })).toMatchObject({
      plan: 'union',
      examined: 2,
    });
  });
});
