import fc from 'fast-check';
import { encodeComponent, prefixEnd } from '../../../emulator/src/database/key-encoding';
import { planQuery } from '../../../emulator/src/database/planner';

/** Any UTF-16 text, lone surrogates and NUL included. */
const utf16 = fc
  .array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 8 })
  .map((units) => String.fromCharCode(...units));
const sign = (n: number): number => (n > 0 ? 1 : n < 0 ? -1 : 0);
const byteOrder = (a: unknown, b: unknown): number =>
  sign(Buffer.compare(encodeComponent(a), encodeComponent(b)));

describe('index key encoding', () => {
  test('numbers sort numerically (ints, doubles, negatives, infinities)', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), fc.double({ noNaN: true }), (a, b) => {
        expect(byteOrder(a, b)).toBe(a === b ? 0 : a < b ? -1 : 1);
      }),
    );
  });

  test('strings sort as JavaScript (and so mingo) compares them, shorter prefixes first, NUL included', () => {
    fc.assert(
      fc.property(utf16, utf16, (a, b) => {
        expect(byteOrder(a, b)).toBe(a === b ? 0 : a < b ? -1 : 1);
      }),
    );
    for (const [low, high] of [
      ['a', 'a\u0000'],
      ['a\u0000', 'a\u0001'],
      ['\u{10000}', '\uE000'],
      ['Z', 'a'],
    ])
      expect(byteOrder(low, high)).toBe(-1);
  });

  test('dates sort by time; types sort in MongoDB order (null < numbers < strings < booleans < dates)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -8.64e15, max: 8.64e15 }),
        fc.integer({ min: -8.64e15, max: 8.64e15 }),
        (a, b) => {
          expect(byteOrder(new Date(a), new Date(b))).toBe(sign(a - b));
        },
      ),
    );
    const ordered = [null, -1, 5, '', 'a', false, true, new Date(0)];
    for (let i = 1; i < ordered.length; i++) expect(byteOrder(ordered[i - 1], ordered[i])).toBe(-1);
  });

  test('a compound prefix range contains exactly the keys that start with it', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.double({ noNaN: true }), (a, b, n) => {
        const prefix = encodeComponent(a);
        const key = Buffer.concat([encodeComponent(b), encodeComponent(n)]);
        const inside = Buffer.compare(key, prefix) >= 0 && Buffer.compare(key, prefixEnd(prefix)) < 0;
        expect(inside).toBe(a === b);
      }),
    );
  });
});

describe('query planner', () => {
  const indexes = [
    {
      name: 'status_amount',
      keys: [
        { field: 'status', direction: 1 as const },
        { field: 'amount', direction: -1 as const },
      ],
      unique: false,
    },
  ];

  test('_id equality is a primary-key lookup; the longest usable compound prefix wins', () => {
    expect(planQuery({ _id: 'x', status: 'a' }, indexes)).toEqual({ kind: 'ids', ids: ['x'] });
    expect(planQuery({ status: 'a', amount: { $gt: 3 } }, indexes)).toMatchObject({
      kind: 'index',
      index: 'status_amount',
    });
    expect(planQuery({ amount: 3 }, indexes)).toEqual({ kind: 'scan' });
  });

  test('$or: the union of its branches when every branch has a keyed plan, else a scan', () => {
    expect(planQuery({ $or: [{ status: 'a' }, { _id: 'x' }] }, indexes)).toMatchObject({
      kind: 'union',
      parts: [
        { kind: 'index', index: 'status_amount' },
        { kind: 'ids', ids: ['x'] },
      ],
    });
    expect(planQuery({ $or: [{ status: 'a' }, { amount: 3 }] }, indexes)).toEqual({ kind: 'scan' });
    expect(planQuery({ $or: [] }, indexes)).toEqual({ kind: 'scan' });
    // A usable top-level condition wins over the $or beside it.
    expect(planQuery({ status: 'b', $or: [{ _id: 'x' }, { _id: 'y' }] }, indexes)).toMatchObject({
      kind: 'index',
      index: 'status_amount',
    });
  });
});
