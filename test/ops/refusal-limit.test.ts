import { AUDIT_REFUSALS } from '../../server/audit/audit-log';
import { MemoryDocStore } from '../../server/storage/memory-store';
import { RefusalLimiter } from '../../server/audit/refusal-limit';
import { authenticateOperator } from '../../server/ops/operator-auth';
import type { Caller } from '../../server/runtime/caller';

const intruder = { openid: 'o-intruder', source: 'wx_client' } as unknown as Caller;

test('past its allowance a refused caller is answered from memory: no read, one record per spell', async () => {
  const store = new MemoryDocStore();
  let reads = 0;
  const counted = Object.assign(Object.create(store) as MemoryDocStore, {
    get: async (c: string, id: string) => {
      reads += 1;
      return store.get(c, id);
    },
  });
  let now = 1_000_000;
  const clock = { now: () => now };
  const limiter = new RefusalLimiter({ burst: 3, perSecond: 1 });
  for (let i = 0; i < 10; i += 1) {
    await expect(authenticateOperator(counted, clock, intruder, 'queue', limiter)).rejects.toMatchObject({
      code: 'OPERATOR_REQUIRED',
    });
  }
  expect(reads).toBe(3);
  const codes = [...store.raw(AUDIT_REFUSALS).values()].map(
    (r) => (r as unknown as { entry: { details: { code: string } } }).entry.details.code,
  );
  expect(codes).toEqual(['OPERATOR_REQUIRED', 'OPERATOR_REQUIRED', 'OPERATOR_REQUIRED', 'RATE_LIMITED']);
  // A second later one more refusal is read and recorded again.
  now += 1_000;
  await expect(authenticateOperator(counted, clock, intruder, 'queue', limiter)).rejects.toMatchObject({
    code: 'OPERATOR_REQUIRED',
  });
  expect(reads).toBe(4);
});
