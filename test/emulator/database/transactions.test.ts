import {
  sdkError,
  startDatabaseFixture,
  type DatabaseFixture,
  type Row,
  type SdkTransaction as Txn,
} from './sdk-setup';

describe('database transactions through the real wx-server-sdk', () => {
  let fx: DatabaseFixture;
  beforeAll(async () => {
    fx = await startDatabaseFixture();
  });
  afterAll(async () => {
    await fx.emu.stop();
  });
  beforeEach(async () => {
    await fx.emu.hub.reset();
    await fx.db.createCollection('accounts');
    await fx.db.collection('accounts').add({ data: { _id: 'a', balance: 100 } });
    await fx.db.collection('accounts').add({ data: { _id: 'b', balance: 0 } });
  });

  const balance = async (id: string): Promise<unknown> =>
    ((await fx.db.collection('accounts').doc(id).get()).data as Row & { balance: number }).balance;

  test('commit applies every write; the callback result is returned', async () => {
    const result = await fx.db.runTransaction(async (t: Txn) => {
      const a = (await t.collection('accounts').doc('a').get()).data as Row & { balance: number };
      await t
        .collection('accounts')
        .doc('a')
        .update({ data: { balance: a.balance - 30 } });
      await t
        .collection('accounts')
        .doc('b')
        .update({ data: { balance: fx.db.command.inc(30) } });
      const added = await t.collection('accounts').add({ data: { _id: 'log1', moved: 30 } });
      return added._id;
    });
    expect(result).toBe('log1');
    expect(await balance('a')).toBe(70);
    expect(await balance('b')).toBe(30);
    expect((await fx.db.collection('accounts').doc('log1').get()).data).toEqual({ _id: 'log1', moved: 30 });
  });

  test('reads inside a transaction see its own writes but nothing outside sees them before commit', async () => {
    const tx = await fx.db.startTransaction();
    await tx
      .collection('accounts')
      .doc('a')
      .update({ data: { balance: 1 } });
    expect((await tx.collection('accounts').doc('a').get()).data).toEqual({ _id: 'a', balance: 1 });
    expect(await balance('a')).toBe(100);
    await tx.commit();
    expect(await balance('a')).toBe(1);
  });

  test('snapshot isolation: a transaction keeps reading the state as of its start', async () => {
    const tx = await fx.db.startTransaction();
    expect((await tx.collection('accounts').doc('a').get()).data).toEqual({ _id: 'a', balance: 100 });
    await fx.db
      .collection('accounts')
      .doc('a')
      .update({ data: { balance: 5 } });
    await fx.db.collection('accounts').doc('b').remove();
    expect((await tx.collection('accounts').doc('a').get()).data).toEqual({ _id: 'a', balance: 100 });
    expect((await tx.collection('accounts').doc('b').get()).data).toEqual({ _id: 'b', balance: 0 });
    await tx.rollback();
  });

  test('a throw in the callback rolls back and rethrows', async () => {
    await expect(
      fx.db.runTransaction(async (t: Txn) => {
        await t
          .collection('accounts')
          .doc('a')
          .update({ data: { balance: 0 } });
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await balance('a')).toBe(100);
    expect(fx.service.info().openTransactions).toBe(0);
  });

  test('transaction.rollback(reason) discards writes and rejects with the reason', async () => {
    await expect(
      fx.db.runTransaction(async (t: Txn) => {
        await t
          .collection('accounts')
          .doc('a')
          .update({ data: { balance: 0 } });
        await t.rollback('insufficient');
      }),
    ).rejects.toBe('insufficient');
    expect(await balance('a')).toBe(100);
  });

  test('a write to a document someone committed after the snapshot is refused at once; nothing of the attempt lands', async () => {
    let attempts = 0;
    const error = await sdkError(
      fx.db.runTransaction(async (t: Txn) => {
        attempts += 1;
        await t
          .collection('accounts')
          .doc('b')
          .update({ data: { balance: 5 } });
        await t.collection('accounts').doc('a').get();
        // Someone else commits a change to the same document after our snapshot.
        await fx.db
          .collection('accounts')
          .doc('a')
          .update({ data: { balance: 90 } });
        await t
          .collection('accounts')
          .doc('a')
          .update({ data: { balance: 0 } });
      }),
    );
    // wx-server-sdk turns the write's DATABASE_TRANSACTION_CONFLICT into -501001 and does not retry it
    expect(attempts).toBe(1);
    expect(error.errCode).toBe(-501001);
    expect(error.errMsg).toMatch(/transaction conflict: document a was changed by another write/);
    expect(await balance('a')).toBe(90);
    expect(await balance('b')).toBe(0);
    // the refused transaction was aborted: it holds no lock on b
    expect(fx.service.info().openTransactions).toBe(0);
    await fx.db
      .collection('accounts')
      .doc('b')
      .update({ data: { balance: 1 } });
    expect(await balance('b')).toBe(1);
  });

  test("another transaction's write to a locked document fails at once", async () => {
    const first = await fx.db.startTransaction();
    const second = await fx.db.startTransaction();
    await first
      .collection('accounts')
      .doc('a')
      .update({ data: { balance: 1 } });
    const error = await sdkError(
      second
        .collection('accounts')
        .doc('a')
        .update({ data: { balance: 2 } }),
    );
    expect(error.errMsg).toMatch(/another transaction is writing this document/);
    await second.rollback();
    await first.commit();
    expect(await balance('a')).toBe(1);
  });

  test('a plain write to a locked document waits for the commit and applies after it', async () => {
    const tx = await fx.db.startTransaction();
    await tx
      .collection('accounts')
      .doc('a')
      .update({ data: { balance: 50 } });
    let plainDone = false;
    const plain = fx.db
      .collection('accounts')
      .doc('a')
      .update({ data: { balance: fx.db.command.inc(1) } })
      .then(() => {
        plainDone = true;
      });
    await fx.db.collection('accounts').doc('b').get(); // a full round trip: the plain write is still waiting
    expect(plainDone).toBe(false);
    await tx.commit();
    await plain;
    expect(await balance('a')).toBe(51);
  });

  test('where().get() inside a transaction is rejected', async () => {
    const error = await sdkError(
      fx.db.runTransaction(async (t: Txn) => {
        await t.collection('accounts').where({ balance: 100 }).get();
      }),
    );
    expect(error.errCode).toBe(-502001);
    expect(error.errMsg).toMatch(/not supported inside a transaction/);
  });

  test('an abandoned transaction expires after 30 s of emulator time and releases its lock', async () => {
    const tx = await fx.db.startTransaction();
    await tx
      .collection('accounts')
      .doc('a')
      .update({ data: { balance: 7 } });
    await fx.emu.hub.clock.advance(31_000);
    expect(fx.service.info().openTransactions).toBe(0);
    await fx.db
      .collection('accounts')
      .doc('a')
      .update({ data: { balance: 8 } });
    const error = await sdkError(tx.commit());
    expect(error.code).toBe('DATABASE_TRANSACTION_FAIL');
    expect(await balance('a')).toBe(8);
  });

  test('set() and remove() inside a transaction', async () => {
    await fx.db.runTransaction(async (t: Txn) => {
      await t
        .collection('accounts')
        .doc('c')
        .set({ data: { balance: 5 } });
      await t.collection('accounts').doc('b').remove();
    });
    expect(await balance('c')).toBe(5);
    expect((await fx.db.collection('accounts').count()).total).toBe(2);
  });
});
