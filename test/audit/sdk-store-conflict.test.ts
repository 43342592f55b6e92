import { recordAudit } from '../../server/audit/audit-log';
import { verifyAudit as verifyChain } from '../../server/audit/verify';
import type { AuditEntry, AuditRecord } from '../../server/audit/chain';
import { isTransactionConflict, StoreConflictError } from '../../server/storage/doc-store';
import { SdkDocStore, type SdkDatabase } from '../../server/storage/sdk-store';
import { retryingOnConflict } from '../../server/storage/conflict-retry';
import { getDb } from '../../server/runtime/cloud';
import { startTestEmulator, useEmulatorEnv, type TestEmulator } from '../helpers/emulator';

const entry = (n: number): AuditEntry => ({
  at: 1_700_000_000_000 + n,
  actor: `op${n}`,
  actorType: 'operator',
  event: 'test.concurrent',
  // One subject for all: its chain head is the document the concurrent appends fight over.
  subject: 'application:contended',
  outcome: 'success',
  details: { n },
});

/** What wx-server-sdk throws when a transaction's write meets another transaction's lock. */
const sdkLockError = Object.assign(
  new Error(
    'document.set:fail -501001 resource system error. another transaction is writing this document; retry the transaction',
  ),
  { errCode: -501001 },
);

describe('SdkDocStore conflicts', () => {
  it('maps the SDK-rewritten lock error to StoreConflictError, other errors pass through', async () => {
    const failingWith = (error: unknown): SdkDatabase => ({
      collection: () => ({}),
      command: {},
      runTransaction: async () => {
        throw error;
      },
    });
    await expect(new SdkDocStore(failingWith(sdkLockError)).transact(async () => 1)).rejects.toBeInstanceOf(
      StoreConflictError,
    );
    const commitConflict = Object.assign(new Error('commit refused'), {
      code: 'DATABASE_TRANSACTION_CONFLICT',
    });
    await expect(new SdkDocStore(failingWith(commitConflict)).transact(async () => 1)).rejects.toBeInstanceOf(
      StoreConflictError,
    );
    const other = new Error('DATABASE_REQUEST_FAILED duplicate key');
    await expect(new SdkDocStore(failingWith(other)).transact(async () => 1)).rejects.toBe(other);
    expect(isTransactionConflict(sdkLockError)).toBe(true);
    expect(isTransactionConflict(other)).toBe(false);
  });

  describe('against the emulator', () => {
    let emu: TestEmulator;

    beforeAll(async () => {
      emu = await startTestEmulator();
      useEmulatorEnv(emu);
    });

    afterAll(async () => {
      await emu.stop();
    });

    it('a lost lock without retries surfaces as StoreConflictError, never as a raw SDK error', async () => {
      const store = new SdkDocStore(getDb() as unknown as SdkDatabase);
      const outcomes = await Promise.allSettled(
        Array.from({ length: 8 }, (_, i) => recordAudit(store, entry(100 + i))),
      );
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(StoreConflictError);
      }
      expect(outcomes.some((o) => o.status === 'fulfilled')).toBe(true);
      expect((await verifyChain(store)).ok).toBe(true);
    });

    it('concurrent audited writes on one subject all land on its unbroken chain', async () => {
      const store = retryingOnConflict(new SdkDocStore(getDb() as unknown as SdkDatabase));
      const count = 8;
      const records = (await Promise.all(
        Array.from({ length: count }, (_, i) => recordAudit(store, entry(i + 1))),
      )) as AuditRecord[];
      expect(new Set(records.map((r) => r.seq)).size).toBe(count);
      expect((await verifyChain(store)).ok).toBe(true);
    });
  });
});
