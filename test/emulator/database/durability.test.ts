import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sdkError, startDatabaseFixture, type DatabaseFixture } from './sdk-setup';

describe('database durability and the collections file', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxlend-db-durable-'));
  const collectionsFile = path.join(dataDir, 'collections.json');
  let fx: DatabaseFixture | undefined;

  beforeAll(() => {
    fs.writeFileSync(
      collectionsFile,
      JSON.stringify({
        collections: [
          {
            name: 'borrowers',
            permission: 'ADMINONLY',
            indexes: [{ name: 'openid_unique', keys: [{ field: 'openid', direction: 1 }], unique: true }],
          },
          { name: 'loans', permission: 'ADMINONLY', indexes: [] },
        ],
      }),
    );
  });
  afterEach(async () => {
    await fx?.emu.stop({ keepData: true });
    fx = undefined;
  });
  afterAll(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  test('declared collections exist at start and a unique index rejects duplicates', async () => {
    fx = await startDatabaseFixture({ dataDir, collectionsFile });
    expect(fx.service.info().collections).toBe(2);
    const borrowers = fx.db.collection('borrowers');
    await borrowers.add({ data: { _id: 'b1', openid: 'o-1', createdAt: new Date('2030-02-03T04:05:06Z') } });
    const error = await sdkError(borrowers.add({ data: { _id: 'b2', openid: 'o-1' } }));
    expect(error.errCode).toBe(-502001);
    expect(error.errMsg).toMatch(/unique index openid_unique of borrowers/);
    const clash = await sdkError(borrowers.doc('b3').set({ data: { openid: 'o-1' } }));
    expect(clash.errCode).toBe(-502001);
    await fx.db.collection('loans').add({ data: { _id: 'l1', amount: 12.5, n: 3 } });
  });

  test('data written before a stop is read back by a new hub on the same data folder', async () => {
    fx = await startDatabaseFixture({ dataDir, collectionsFile });
    const borrower = await fx.db.collection('borrowers').doc('b1').get();
    expect(borrower.data).toEqual({ _id: 'b1', openid: 'o-1', createdAt: new Date('2030-02-03T04:05:06Z') });
    expect((await fx.db.collection('loans').doc('l1').get()).data).toEqual({ _id: 'l1', amount: 12.5, n: 3 });
    expect((await fx.db.collection('borrowers').count()).total).toBe(1);
    const error = await sdkError(fx.db.collection('borrowers').add({ data: { openid: 'o-1' } }));
    expect(error.errCode).toBe(-502001);
    await fx.db.createCollection('extra');
  });

  test('collections created at run time survive too; reset() keeps only the declared ones, empty', async () => {
    fx = await startDatabaseFixture({ dataDir, collectionsFile });
    expect(fx.service.info().collections).toBe(3);
    await fx.emu.hub.reset();
    expect(fx.service.info()).toMatchObject({ collections: 2, documents: 0 });
    expect((await sdkError(fx.db.collection('extra').get())).errCode).toBe(-502005);
    await fx.db.collection('borrowers').add({ data: { openid: 'o-1' } });
    expect((await sdkError(fx.db.collection('borrowers').add({ data: { openid: 'o-1' } }))).errCode).toBe(
      -502001,
    );
  });

  test('an invalid collections file stops the start with a clear message', async () => {
    const bad = path.join(dataDir, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ collections: [{ name: 'x', permission: 'READONLY' }] }));
    await expect(
      startDatabaseFixture({ dataDir: path.join(dataDir, 'other'), collectionsFile: bad }),
    ).rejects.toThrow(/bad\.json is invalid/);
  });
});
