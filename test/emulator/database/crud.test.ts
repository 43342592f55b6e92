import { sdkError, startDatabaseFixture, type DatabaseFixture, type Row } from './sdk-setup';

describe('database contract: CRUD through the real wx-server-sdk', () => {
  let fx: DatabaseFixture;
  beforeAll(async () => {
    fx = await startDatabaseFixture();
  });
  afterAll(async () => {
    await fx.emu.stop();
  });
  beforeEach(async () => {
    await fx.emu.hub.reset();
    await fx.db.createCollection('loans');
  });

  test('add answers a server-generated 32-char lowercase hex _id; doc().get() reads it back', async () => {
    const added = await fx.db.collection('loans').add({ data: { amount: 500, rate: 0.125, note: 'x' } });
    expect(added._id).toMatch(/^[0-9a-f]{32}$/);
    const got = await fx.db.collection('loans').doc(added._id).get();
    expect(got.data).toEqual({ _id: added._id, amount: 500, rate: 0.125, note: 'x' });
  });

  test('caller-supplied _id is kept; a duplicate _id fails with -502001', async () => {
    const added = await fx.db.collection('loans').add({ data: { _id: 'loan-1', amount: 1 } });
    expect(added._id).toBe('loan-1');
    const error = await sdkError(fx.db.collection('loans').add({ data: { _id: 'loan-1', amount: 2 } }));
    expect(error.errCode).toBe(-502001);
    expect(error.errMsg).toMatch(/duplicate _id loan-1/);
  });

  test('a missing collection fails with -502005 until created', async () => {
    const error = await sdkError(fx.db.collection('nothing').get());
    expect(error.errCode).toBe(-502005);
    await fx.db.createCollection('nothing');
    expect((await fx.db.collection('nothing').get()).data).toEqual([]);
  });

  test('doc().get() of a missing document fails as in CloudBase (document.get:fail)', async () => {
    const error = await sdkError(fx.db.collection('loans').doc('absent').get());
    expect(error.errMsg).toMatch(/document\.get:fail/);
  });

  test('where with comparison operators, orderBy on several keys, skip and limit', async () => {
    const loans = fx.db.collection('loans');
    const _ = fx.db.command;
    for (const [i, status] of ['a', 'b', 'a', 'b', 'a', 'c'].entries())
      await loans.add({ data: { _id: `l${i}`, status, amount: 100 * (i % 3), n: i } });
    const byTwoKeys = await loans
      .where({ n: _.gte(0) })
      .orderBy('amount', 'desc')
      .orderBy('n', 'asc')
      .get();
    expect(byTwoKeys.data.map((d: { _id: string }) => d._id)).toEqual(['l2', 'l5', 'l1', 'l4', 'l0', 'l3']);
    const paged = await loans.where({ status: 'a' }).orderBy('n', 'asc').skip(1).limit(1).get();
    expect(paged.data.map((d: { _id: string }) => d._id)).toEqual(['l2']);
    const ranged = await loans.where({ amount: _.gt(0).and(_.lt(200)), status: _.neq('c') }).get();
    expect(ranged.data.map((d: { _id: string }) => d._id).sort()).toEqual(['l1', 'l4']);
    const inNin = await loans.where({ status: _.in(['a', 'c']), n: _.nin([0, 5]) }).get();
    expect(inNin.data.map((d: { _id: string }) => d._id).sort()).toEqual(['l2', 'l4']);
    const ored = await loans.where(_.or([{ status: 'c' }, { n: _.lte(0) }])).get();
    expect(ored.data.map((d: { _id: string }) => d._id).sort()).toEqual(['l0', 'l5']);
    const anded = await loans.where(_.and([{ status: 'a' }, { n: _.gt(1) }])).get();
    expect(anded.data.map((d: { _id: string }) => d._id).sort()).toEqual(['l2', 'l4']);
  });

  test('limit(5000) is served as 1000 and no limit as 100', async () => {
    fx.service.bulkInsert(
      'loans',
      Array.from({ length: 1200 }, (_v, i) => ({ n: i })),
    );
    expect((await fx.db.collection('loans').limit(5000).get()).data).toHaveLength(1000);
    expect((await fx.db.collection('loans').get()).data).toHaveLength(100);
    expect((await fx.db.collection('loans').count()).total).toBe(1200);
    expect(
      (
        await fx.db
          .collection('loans')
          .where({ n: fx.db.command.lt(10) })
          .count()
      ).total,
    ).toBe(10);
  });

  test('field() projection on where().get() and doc().get()', async () => {
    await fx.db.collection('loans').add({ data: { _id: 'p', a: 1, b: { c: 2, d: 3 }, e: 4 } });
    const included = await fx.db.collection('loans').where({ a: 1 }).field({ a: true, 'b.c': true }).get();
    expect(included.data).toEqual([{ _id: 'p', a: 1, b: { c: 2 } }]);
    const excluded = await fx.db.collection('loans').doc('p').field({ b: false }).get();
    expect(excluded.data).toEqual({ _id: 'p', a: 1, e: 4 });
  });

  test('nested objects in where() match dotted fields; nested updates flatten to dotted $set', async () => {
    const loans = fx.db.collection('loans');
    await loans.add({
      data: { _id: 'n', applicant: { name: 'Li', city: 'SH' }, list: [{ k: 1 }, { k: 2 }] },
    });
    expect((await loans.where({ applicant: { name: 'Li' } }).get()).data).toHaveLength(1);
    expect((await loans.where({ 'applicant.city': 'SH' }).get()).data).toHaveLength(1);
    await loans.doc('n').update({ data: { applicant: { name: 'Wang' }, 'list.1.k': 20 } });
    const got = await loans.doc('n').get();
    expect(got.data).toEqual({
      _id: 'n',
      applicant: { name: 'Wang', city: 'SH' },
      list: [{ k: 1 }, { k: 20 }],
    });
    expect((await loans.where({ list: fx.db.command.elemMatch({ k: 20 }) }).get()).data).toHaveLength(1);
  });

  test('update operators: set, remove, inc, mul, min, max, push/each/position, pop, shift, unshift, addToSet, pull, rename', async () => {
    const loans = fx.db.collection('loans');
    const _ = fx.db.command;
    await loans.add({
      data: {
        _id: 'u',
        n: 10,
        m: 3,
        lo: 5,
        hi: 5,
        gone: 1,
        old: 'o',
        obj: { a: 1, b: 2 },
        tags: ['a', 'b', 'c'],
      },
    });
    const result = await loans.doc('u').update({
      data: {
        n: _.inc(5),
        m: _.mul(4),
        lo: _.min(2),
        hi: _.max(9),
        gone: _.remove(),
        old: _.rename('renamed'),
        obj: _.set({ only: true }),
      },
    });
    expect(result.stats.updated).toBe(1);
    await loans.doc('u').update({ data: { tags: _.push({ each: ['x', 'y'], position: 1 }) } });
    await loans.doc('u').update({ data: { tags: _.pop() } });
    await loans.doc('u').update({ data: { tags: _.shift() } });
    await loans.doc('u').update({ data: { tags: _.unshift(['first']) } });
    await loans.doc('u').update({ data: { tags: _.addToSet('b') } });
    await loans.doc('u').update({ data: { tags: _.addToSet('z') } });
    await loans.doc('u').update({ data: { tags: _.pull('y') } });
    const got = await loans.doc('u').get();
    expect(got.data).toEqual({
      _id: 'u',
      n: 15,
      m: 12,
      lo: 2,
      hi: 9,
      renamed: 'o',
      obj: { only: true },
      tags: ['first', 'x', 'b', 'z'],
    });
    expect((await loans.where({ gone: _.exists(false), renamed: _.exists(true) }).count()).total).toBe(1);
  });

  test('updated counts only documents actually modified; where().update() is multi', async () => {
    const loans = fx.db.collection('loans');
    await loans.add({
      data: [
        { s: 'x', v: 1 },
        { s: 'x', v: 2 },
        { s: 'y', v: 2 },
      ],
    });
    expect((await loans.where({ s: 'x' }).update({ data: { v: 2 } })).stats.updated).toBe(1);
    expect((await loans.where({ v: 2 }).update({ data: { v: 2 } })).stats.updated).toBe(0);
    expect((await loans.where({ v: 2 }).update({ data: { flag: true } })).stats.updated).toBe(3);
  });

  test('set() replaces the whole document, and upserts with created:1', async () => {
    const loans = fx.db.collection('loans');
    const created = await loans.doc('s').set({ data: { a: 1, b: 2 } });
    expect(created.stats).toEqual({ updated: 0, created: 1 });
    const replaced = await loans.doc('s').set({ data: { c: 3 } });
    expect(replaced.stats).toEqual({ updated: 1, created: 0 });
    expect((await loans.doc('s').get()).data).toEqual({ _id: 's', c: 3 });
    const same = await loans.doc('s').set({ data: { c: 3 } });
    expect(same.stats).toEqual({ updated: 0, created: 0 });
  });

  test('remove: doc().remove() and where().remove()', async () => {
    const loans = fx.db.collection('loans');
    await loans.add({
      data: [
        { _id: 'r1', k: 1 },
        { _id: 'r2', k: 1 },
        { _id: 'r3', k: 2 },
      ],
    });
    expect((await loans.doc('r3').remove()).stats.removed).toBe(1);
    expect((await loans.doc('r3').remove()).stats.removed).toBe(0);
    expect((await loans.where({ k: 1 }).remove()).stats.removed).toBe(2);
    expect((await loans.count()).total).toBe(0);
  });

  test('db.RegExp and JS RegExp queries', async () => {
    const loans = fx.db.collection('loans');
    await loans.add({ data: [{ name: 'Alpha' }, { name: 'beta' }, { name: 'alphabet' }] });
    const ci = await loans.where({ name: fx.db.RegExp({ regexp: '^alpha', options: 'i' }) }).count();
    expect(ci.total).toBe(2);
    expect((await loans.where({ name: /^b/ }).count()).total).toBe(1);
  });

  test('serverDate resolves to the emulator clock, also after moving it', async () => {
    const loans = fx.db.collection('loans');
    await fx.emu.hub.clock.set(Date.parse('2030-01-01T00:00:00Z'));
    await loans.add({
      data: { _id: 'd', at: fx.db.serverDate(), later: fx.db.serverDate({ offset: 60_000 }) },
    });
    const got = (await loans.doc('d').get()).data as Row & { at: Date; later: Date };
    expect(got.at).toBeInstanceOf(Date);
    expect(got.at.getTime() - Date.parse('2030-01-01T00:00:00Z')).toBeGreaterThanOrEqual(0);
    expect(got.at.getTime() - Date.parse('2030-01-01T00:00:00Z')).toBeLessThan(60_000);
    expect(got.later.getTime() - got.at.getTime()).toBe(60_000);
    await fx.emu.hub.clock.advance(86_400_000);
    await loans.doc('d').update({ data: { at: fx.db.serverDate() } });
    const moved = (await loans.doc('d').get()).data as Row & { at: Date };
    expect(moved.at.getTime() - got.at.getTime()).toBeGreaterThanOrEqual(86_400_000);
    const _ = fx.db.command;
    expect((await loans.where({ at: _.gt(new Date('2030-01-01T12:00:00Z')) }).count()).total).toBe(1);
  });

  test('dates and fractional numbers survive storage with their types', async () => {
    const at = new Date('2031-05-06T07:08:09.123Z');
    await fx.db.collection('loans').add({ data: { _id: 't', at, rate: 0.035, big: 2 ** 40, neg: -7 } });
    const got = (await fx.db.collection('loans').doc('t').get()).data;
    expect(got).toEqual({ _id: 't', at, rate: 0.035, big: 2 ** 40, neg: -7 });
  });

  test('aggregate with $match, $group and $sort', async () => {
    const loans = fx.db.collection('loans');
    await loans.add({
      data: [
        { s: 'a', amount: 1 },
        { s: 'a', amount: 2 },
        { s: 'b', amount: 10 },
        { s: 'c', amount: 100 },
      ],
    });
    const $ = fx.db.command.aggregate;
    const result = await loans
      .aggregate()
      .match({ amount: fx.db.command.lt(50) })
      .group({ _id: '$s', total: $.sum('$amount'), count: $.sum(1) })
      .sort({ total: -1 })
      .end();
    expect(result.list).toEqual([
      { _id: 'b', total: 10, count: 1 },
      { _id: 'a', total: 3, count: 2 },
    ]);
  });

  test('invalid operators fail with DATABASE_INVALID_OPERRATOR; server-side JavaScript is refused', async () => {
    const loans = fx.db.collection('loans');
    await loans.add({ data: { _id: 'x', a: 1 } });
    const badWhere = await sdkError(loans.where({ a: { $bogus: 1 } }).get());
    expect(badWhere.errCode).toBe(-502002);
    const badUpdate = await sdkError(loans.where({ a: 1 }).update({ data: { $bogus: { a: 1 } } }));
    expect(badUpdate.errCode).toBe(-502002);
    // aggregate().end() surfaces the raw code with errCode -1: that is the SDK's own mapping.
    const badAggregate = await sdkError(
      loans
        .aggregate()
        .match({ a: { $bogus: 1 } })
        .end(),
    );
    expect(badAggregate.code).toBe('DATABASE_INVALID_OPERRATOR');
    const where = await sdkError(loans.aggregate().match({ $where: 'this.a == 1' }).end());
    expect(where.code).toBe('DATABASE_INVALID_OPERRATOR');
    expect(where.errMsg).toMatch(/\$where is not allowed/);
    const fn = await sdkError(
      loans
        .aggregate()
        .project({ x: { $function: { body: 'function () { return 1 }', args: [], lang: 'js' } } })
        .end(),
    );
    expect(fn.code).toBe('DATABASE_INVALID_OPERRATOR');
  });
});
