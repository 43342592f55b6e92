import { reconcilePayouts } from '../../server/payout/reconcile';
import { rateLimitedTransfer } from '../../server/payout/rate-limited-transfer';
import type { PayoutDeps, TransferApi } from '../../server/payout/ports';
import { TokenBucket } from '../../server/wechatpay/token-bucket';
import { countSdkCalls } from '../helpers/sdk-calls';
import { seedOpenPayouts } from './bench-scenarios';
import { startPayoutHarness, type PayoutHarness } from './harness';

/** The transfer API with its query calls counted and their concurrency observed. */
function observed(api: TransferApi): { api: TransferApi; queries: () => number; maxInFlight: () => number } {
  let queries = 0;
  let inFlight = 0;
  let max = 0;
  return {
    api: {
      ...api,
      query: async (no) => {
        queries += 1;
        inFlight += 1;
        max = Math.max(max, inFlight);
        try {
          return await api.query(no);
        } finally {
          inFlight -= 1;
        }
      },
    },
    queries: () => queries,
    maxInFlight: () => max,
  };
}

describe('a reconcile pass at scale: few SDK calls per open bill, WeChat calls paced and bounded', () => {
  let h: PayoutHarness;
  beforeAll(async () => {
    h = await startPayoutHarness();
  });
  afterAll(async () => {
    await h.stop();
  });

  test('each further unchanged open bill costs ≤ 2 SDK calls (here 0: the bill in hand is never re-read, nothing written)', async () => {
    const counter = countSdkCalls(h.emu.hub);
    try {
      await seedOpenPayouts(h, 10);
      await h.steps(2);
      await reconcilePayouts(h.deps); // settles what WeChat already moved (writes on change)
      counter.reset();
      const small = await reconcilePayouts(h.deps);
      const smallCalls = counter.total();

      await seedOpenPayouts(h, 30);
      await h.steps(2);
      await reconcilePayouts(h.deps);
      const watched = observed(h.deps.transfer);
      const deps: PayoutDeps = { ...h.deps, transfer: watched.api };
      counter.reset();
      const large = await reconcilePayouts(deps);
      const largeCalls = counter.total();
      console.log(
        `reconcile SDK calls: ${small.examined} open bills ${smallCalls}, ${large.examined} open bills ${largeCalls} ${JSON.stringify(counter.byAction())}`,
      );
      expect(large.examined - small.examined).toBe(30);
      expect(counter.byAction()['database.startTransaction'] ?? 0).toBe(0);
      expect((largeCalls - smallCalls) / (large.examined - small.examined)).toBeLessThanOrEqual(2);
      expect(largeCalls).toBeLessThanOrEqual(smallCalls + 2 * 30);
      // One WeChat query per open bill, at most WXLEND_RECONCILE_CONCURRENCY (8) at once.
      expect(watched.queries()).toBe(large.examined);
      expect(watched.maxInFlight()).toBeLessThanOrEqual(8);
      expect(watched.maxInFlight()).toBeGreaterThan(1);
    } finally {
      counter.stop();
    }
  });

  test('the pass’s WeChat calls wait for the token bucket (counted on a manual clock, not timed)', async () => {
    let now = 0;
    const waits: number[] = [];
    const bucket = new TokenBucket(
      5,
      5,
      () => now,
      async (ms) => {
        waits.push(ms);
        now += ms;
      },
    );
    const watched = observed(h.deps.transfer);
    const deps: PayoutDeps = { ...h.deps, transfer: rateLimitedTransfer(watched.api, bucket) };
    const report = await reconcilePayouts(deps);
    expect(watched.queries()).toBe(report.examined);
    // 5 tokens at once, then one every 200 ms of the bucket's clock: the rest of the pass waited for them.
    expect(report.examined).toBeGreaterThan(5);
    expect(waits.length).toBeGreaterThanOrEqual(report.examined - 5);
    expect(now).toBeGreaterThanOrEqual(((report.examined - 5) * 1000) / 5 - 1);
  });
});
