import { ObjectId } from 'bson';
import { userAction } from '../../helpers/emulator';
import {
  sdkError,
  startDatabaseFixture,
  type DatabaseFixture,
  type SdkTransaction as Txn,
} from './sdk-setup';

/** The parts of @cloudbase/node-sdk's database these tests use (wx-server-sdk has neither). */
interface NodeSdkDb {
  ObjectId(options: { id: string }): unknown;
  collection(name: string): {
    add(data: object): Promise<{ id?: string; code?: string }>;
    where(query: object): {
      get(): Promise<{ data: Array<Record<string, unknown>> }>;
      count(): Promise<{ total: number }>;
      updateAndReturn(data: object): Promise<{ updated: number; doc: Record<string, unknown> }>;
    };
  };
}

/**
 * The official node SDK, loaded untyped: its own typings chain breaks this project's mapping of
 * mingo's subpath typings (typings/mingo-subpaths.d.ts) under `moduleResolution: node`.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const tcb = require('@cloudbase/node-sdk') as { init(options: { env: string }): { database(): unknown } };

describe('database fidelity of writes and transactions through the real wx-server-sdk', () => {
  let fx: DatabaseFixture;
  let nodeDb: NodeSdkDb;
  beforeAll(async () => {
    fx = await startDatabaseFixture();
    nodeDb = tcb.init({ env: fx.emu.hub.config.envId }).database() as unknown as NodeSdkDb;
  });
  afterAll(async () => {
    await fx.emu.stop();
  });
  beforeEach(async () => {
    await fx.emu.hub.reset();
    await fx.db.createCollection('items');
  });
  const items = () => fx.db.collection('items');

  test('ObjectId values are stored and returned faithfully, as _id and in fields (official node SDK)', async () => {
    const oid = '5f1d7f0e8b3c4a2d9e6f0a1b';
    const ref = '64b7c1d2e3f4a5b6c7d8e9f0';
    const added = await nodeDb.collection('items').add({
      _id: nodeDb.ObjectId({ id: oid }),
      ref: nodeDb.ObjectId({ id: ref }),
      n: 1,
    });
    expect(added.id).toBe(oid);
    const byRef = nodeDb.collection('items').where({ ref: nodeDb.ObjectId({ id: ref }) });
    expect((await byRef.count()).total).toBe(1);
    // the wire answer carries both as EJSON ObjectIds
    const wire = await userAction<{ data: { list: string[] } }>(fx.emu, '/admin', {
      action: 'database.getDocument',
      collectionName: 'items',
      queryType: 'WHERE',
      query: '{}',
      limit: 10,
    });
    expect(JSON.parse(wire.data.list[0] as string)).toEqual({
      _id: { $oid: oid },
      ref: { $oid: ref },
      n: { $numberInt: '1' },
    });
    const returned = await byRef.updateAndReturn({ n: 2 });
    expect(String(returned.doc._id)).toBe(oid);
    expect(returned.doc.ref).toBeInstanceOf(Object);
    expect(String(returned.doc.ref)).toBe(ref);
    expect(ObjectId.isValid(String(returned.doc._id))).toBe(true);
  });

  test('field names starting with $ are refused with DATABASE_REQUEST_FAILED (add, set, update)', async () => {
    const add = await sdkError(items().add({ data: { $_key: 1 } }));
    expect(add.errCode).toBe(-502001);
    expect(add.errMsg).toMatch(/\$_key/);
    const nested = await sdkError(items().add({ data: { a: { $bad: 1 } } }));
    expect(nested.errCode).toBe(-502001);
    await items().add({ data: { _id: 'x', a: 1 } });
    const set = await sdkError(
      items()
        .doc('x')
        .set({ data: { $_key: 1 } }),
    );
    expect(set.errCode).toBe(-502001);
    const update = await sdkError(
      items()
        .doc('x')
        .update({ data: { $_key: 1 } }),
    );
    expect(update.errCode).toBe(-502001);
    expect((await items().doc('x').get()).data).toEqual({ _id: 'x', a: 1 });
  });

  test('updated counts: identical set() is 0 whatever the key order; updateAndReturn counts the match', async () => {
    await items().add({ data: { _id: 'x', a: 1, b: { c: 2, d: 3 } } });
    const same = await items()
      .doc('x')
      .set({ data: { b: { d: 3, c: 2 }, a: 1 } });
    expect(same.stats.updated).toBe(0);
    const changed = await items()
      .doc('x')
      .set({ data: { a: 2, b: { c: 2, d: 3 } } });
    expect(changed.stats.updated).toBe(1);
    const unchanged = await items()
      .doc('x')
      .update({ data: { a: 2 } });
    expect(unchanged.stats.updated).toBe(0);
    const returned = await nodeDb.collection('items').where({ _id: 'x' }).updateAndReturn({ a: 2 });
    expect(returned.updated).toBe(1);
    expect(returned.doc).toEqual({ _id: 'x', a: 2, b: { c: 2, d: 3 } });
  });

  test('reusing a committed transaction answers DATABASE_TRANSACTION_FAIL', async () => {
    await items().add({ data: { _id: 'x', n: 1 } });
    const tx = await fx.db.startTransaction();
    await tx
      .collection('items')
      .doc('x')
      .update({ data: { n: 2 } });
    await tx.commit();
    const reuse = await sdkError(
      tx
        .collection('items')
        .doc('x')
        .update({ data: { n: 3 } }),
    );
    // wx-server-sdk maps codes it does not know to -501001 and keeps the server's message
    expect(reuse.errCode).toBe(-501001);
    expect(reuse.errMsg).toMatch(/does not exist on the server.*within 30 s/);
    const recommit = await sdkError(tx.commit());
    expect(recommit.code).toBe('DATABASE_TRANSACTION_FAIL');
    expect((await items().doc('x').get()).data).toEqual({ _id: 'x', n: 2 });
  });

  test('a transactional write to a document changed after the snapshot is refused at the write, holding no lock', async () => {
    await items().add({ data: { _id: 'x', n: 1 } });
    const tx: Txn = await fx.db.startTransaction();
    await tx.collection('items').doc('x').get();
    await items()
      .doc('x')
      .update({ data: { n: 2 } });
    const write = await sdkError(
      tx
        .collection('items')
        .doc('x')
        .update({ data: { n: 5 } }),
    );
    expect(write.errMsg).toMatch(/document x was changed by another write after this transaction started/);
    // the refused transaction is over: a plain remove runs at once, with no 30 s lock wait
    expect(fx.service.info().openTransactions).toBe(0);
    const removed = await Promise.race([
      items()
        .doc('x')
        .remove()
        .then((r) => r.stats.removed),
      new Promise((resolve) => setTimeout(() => resolve('stalled'), 2_000)),
    ]);
    expect(removed).toBe(1);
    expect((await sdkError(tx.commit())).code).toBe('DATABASE_TRANSACTION_FAIL');
  });
});
