import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sdkError, startDatabaseFixture, type DatabaseFixture, type Row } from './sdk-setup';

/** The SDK's aggregate builder with the stages these tests use. */
interface Pipeline {
  geoNear(stage: object): Pipeline;
  match(stage: object): Pipeline;
  project(stage: object): Pipeline;
  sort(stage: object): Pipeline;
  end(): Promise<{ list: Row[] }>;
}

const ids = (rows: Row[]): string[] => rows.map((r) => r._id);

describe('database fidelity: CloudBase (MongoDB) answers through the real wx-server-sdk', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxlend-db-fidelity-'));
  const collectionsFile = path.join(dataDir, 'collections.json');
  let fx: DatabaseFixture;
  beforeAll(async () => {
    fs.writeFileSync(
      collectionsFile,
      JSON.stringify({
        collections: [
          {
            name: 'places',
            permission: 'ADMINONLY',
            indexes: [{ name: 'location_geo', keys: [{ field: 'location', direction: '2dsphere' }] }],
          },
        ],
      }),
    );
    fx = await startDatabaseFixture({ dataDir, collectionsFile });
  });
  afterAll(async () => {
    await fx.emu.stop();
  });
  beforeEach(async () => {
    await fx.emu.hub.reset();
    await fx.db.createCollection('items');
  });
  const items = () => fx.db.collection('items');
  const aggregate = (name: string) => fx.db.collection(name).aggregate() as unknown as Pipeline;

  test('get() and aggregate() without orderBy answer in insertion (natural) order, also after updates', async () => {
    const order = ['m', 'c', 'x', 'a', 'q'];
    for (const [n, id] of order.entries()) await items().add({ data: { _id: id, n, kind: 'k' } });
    await items()
      .doc('c')
      .update({ data: { n: 99 } });
    expect(ids((await items().get()).data)).toEqual(order);
    expect(ids((await items().where({ kind: 'k' }).get()).data)).toEqual(order);
    expect(ids((await aggregate('items').match({ kind: 'k' }).end()).list)).toEqual(order);
    // generated ids are random: their order still is the order they were added in
    const added: string[] = [];
    for (let i = 0; i < 5; i += 1) added.push((await items().add({ data: { gen: i } }))._id);
    expect(
      ids(
        (
          await items()
            .where({ gen: fx.db.command.exists(true) })
            .get()
        ).data,
      ),
    ).toEqual(added);
  });

  test('$elemMatch with field conditions never matches an array of plain values (MongoDB semantics)', async () => {
    const _ = fx.db.command;
    await items().add({ data: { _id: 'plain', values: [1, 2, 3, 4, 8] } });
    await items().add({ data: { _id: 'docs', values: [{ value: 7 }, { other: 1 }] } });
    await items().add({ data: { _id: 'none', values: [] } });
    await items().add({ data: { _id: 'nested', values: [[1, 2]] } });
    const match = async (criteria: object) =>
      ids(
        (
          await items()
            .where({ values: _.elemMatch(criteria) })
            .get()
        ).data,
      );
    expect(await match({ value: _.exists(true) })).toEqual(['docs']);
    expect(await match({ value: _.gt(5) })).toEqual(['docs']);
    expect(await match({ value: _.mod(7, 0) })).toEqual(['docs']);
    // value form: the elements themselves are compared
    expect(await match(_.gt(5))).toEqual(['plain']);
    expect(await match(_.mod(4, 0))).toEqual(['plain']);
  });

  test('$jsonSchema in where() selects by schema, with MongoDB bsonType', async () => {
    await items().add({ data: { _id: 'ok', name: 'a', amount: 5 } });
    await items().add({ data: { _id: 'str', name: 'b', amount: '5' } });
    await items().add({ data: { _id: 'missing', name: 'c' } });
    const schema = {
      required: ['name', 'amount'],
      properties: { amount: { bsonType: 'int', minimum: 1 }, name: { type: 'string' } },
    };
    const { data } = await items().where({ $jsonSchema: schema }).get();
    expect(ids(data)).toEqual(['ok']);
  });

  test('geo: $nearSphere sorts nearest first within $maxDistance, $geoWithin, and $geoNear with distances', async () => {
    const _ = fx.db.command as unknown as Record<'geoNear' | 'geoWithin', (options: object) => unknown>;
    const Geo = (
      fx.db as unknown as {
        Geo: {
          Point: new (lng: number, lat: number) => unknown;
          Polygon: new (l: unknown[]) => unknown;
          LineString: new (p: unknown[]) => unknown;
        };
      }
    ).Geo;
    const places = fx.db.collection('places');
    // Shanghai People's Square, the Bund (~1.5 km), Lujiazui (~3 km), Hangzhou (~165 km)
    await places.add({ data: { _id: 'hangzhou', location: new Geo.Point(120.1551, 30.2741) } });
    await places.add({ data: { _id: 'lujiazui', location: new Geo.Point(121.5055, 31.2397) } });
    await places.add({ data: { _id: 'bund', location: new Geo.Point(121.4903, 31.24) } });
    const center = new Geo.Point(121.4737, 31.2304);
    const near = await places.where({ location: _.geoNear({ geometry: center, maxDistance: 10_000 }) }).get();
    expect(ids(near.data)).toEqual(['bund', 'lujiazui']);
    const box = new Geo.Polygon([
      new Geo.LineString([
        new Geo.Point(121.4, 31.2),
        new Geo.Point(121.5, 31.2),
        new Geo.Point(121.5, 31.3),
        new Geo.Point(121.4, 31.3),
        new Geo.Point(121.4, 31.2),
      ]),
    ]);
    const within = await places.where({ location: _.geoWithin({ geometry: box }) }).get();
    expect(ids(within.data)).toEqual(['bund']);
    const sphere = await places
      .where({ location: _.geoWithin({ centerSphere: [center, 200_000 / 6_378_100] }) })
      .get();
    expect(ids(sphere.data).sort()).toEqual(['bund', 'hangzhou', 'lujiazui']);
    const { list } = await aggregate('places')
      .geoNear({ near: center, distanceField: 'distance', spherical: true, maxDistance: 200_000 })
      .end();
    expect(ids(list)).toEqual(['bund', 'lujiazui', 'hangzhou']);
    const distances = list.map((r) => r.distance as number);
    expect(distances[0]).toBeGreaterThan(1_500);
    expect(distances[0]).toBeLessThan(2_000);
    expect(distances[2]).toBeGreaterThan(160_000);
    expect(distances[2]).toBeLessThan(170_000);
    // without a 2dsphere index CloudBase refuses a near search
    await items().add({ data: { location: new Geo.Point(121.4, 31.2) } });
    const error = await sdkError(
      items()
        .where({ location: _.geoNear({ geometry: center }) })
        .get(),
    );
    expect(error.errCode).toBe(-502001);
    expect(error.errMsg).toMatch(/unable to find index for \$geoNear/);
  });

  test('$indexOfCP, $substr/$substrBytes with length -1 and $week as MongoDB answers them', async () => {
    await items().add({ data: { _id: 'd', s: 'héllo wörld', day: new Date('2019-05-14T08:00:00Z') } });
    const $ = fx.db.command.aggregate as unknown as Record<string, (...args: unknown[]) => unknown>;
    const { list } = await aggregate('items')
      .project({
        at: $.indexOfCP!(['$s', 'wö']),
        missing: $.indexOfCP!(['$s', 'z']),
        tail: $.substr!(['$s', 7, -1]),
        all: $.substrBytes!(['$s', 0, -1]),
        week: $.week!('$day'),
        firstSaturday: $.week!(new Date('2019-01-05T00:00:00Z')),
        firstSunday: $.week!(new Date('2019-01-06T00:00:00Z')),
      })
      .end();
    expect(list[0]).toEqual({
      _id: 'd',
      at: 6,
      missing: -1,
      tail: 'wörld',
      all: 'héllo wörld',
      week: 19,
      firstSaturday: 0,
      firstSunday: 1,
    });
  });
});
