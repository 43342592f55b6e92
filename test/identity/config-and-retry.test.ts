import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isTransactionConflict, StoreConflictError, type DocStore } from '../../server/storage/doc-store';
import { MemoryDocStore } from '../../server/storage/memory-store';
import { identityConfigFromEnv, IdentityConfigError } from '../../server/identity';
import { retryingOnConflict } from '../../server/storage/conflict-retry';
import { readPiiKeys } from '../../server/pii';
import { keyFilePath, keysAsEnv, loadOrCreateKeys } from '../../emulator/src/secrets/key-file';

describe('identity configuration', () => {
  it('has documented defaults', () => {
    expect(identityConfigFromEnv({})).toEqual({
      verifier: 'ocr_phone',
      policy: { minAge: 18, maxAge: 60, acceptResidencePermits: false },
      dailyAttempts: 5,
    });
  });

  it('reads every setting', () => {
    expect(
      identityConfigFromEnv({
        WXLEND_IDENTITY_VERIFIER: 'face',
        WXLEND_IDENTITY_MIN_AGE: '20',
        WXLEND_IDENTITY_MAX_AGE: '55',
        WXLEND_IDENTITY_ACCEPT_PERMITS: '1',
        WXLEND_IDENTITY_DAILY_ATTEMPTS: '3',
      }),
    ).toEqual({
      verifier: 'face',
      policy: { minAge: 20, maxAge: 55, acceptResidencePermits: true },
      dailyAttempts: 3,
    });
  });

  it.each([
    [{ WXLEND_IDENTITY_VERIFIER: 'sms' }, /face or ocr_phone/],
    [{ WXLEND_IDENTITY_MIN_AGE: '17.5' }, /WXLEND_IDENTITY_MIN_AGE must be a whole number/],
    [{ WXLEND_IDENTITY_MIN_AGE: '40', WXLEND_IDENTITY_MAX_AGE: '30' }, /must not exceed/],
    [{ WXLEND_IDENTITY_ACCEPT_PERMITS: 'yes' }, /1 or 0/],
    [{ WXLEND_IDENTITY_DAILY_ATTEMPTS: '0' }, /from 1 to 100/],
  ])('%j is refused clearly', (env, message) => {
    expect(() => identityConfigFromEnv(env)).toThrow(IdentityConfigError);
    expect(() => identityConfigFromEnv(env)).toThrow(message);
  });
});

describe('transactions retried on lost locks', () => {
  const sdkLockError = Object.assign(
    new Error(
      'document.set:fail -501001 resource system error. another transaction is writing this document; retry the transaction',
    ),
    { errCode: -501001 },
  );

  function flaky(failures: number, error: unknown): { store: DocStore; runs: () => number } {
    const inner = new MemoryDocStore();
    let runs = 0;
    const store: DocStore = {
      get: (c, id) => inner.get(c, id),
      find: (c, f, o) => inner.find(c, f, o),
      findAny: (c, f, o) => inner.findAny(c, f, o),
      updateWhere: (c, f, x) => inner.updateWhere(c, f, x),
      transact: async (work) => {
        runs += 1;
        if (runs <= failures) throw error;
        return inner.transact(work);
      },
    };
    return { store, runs: () => runs };
  }

  it('recognises the SDK-rewritten lock error and commit conflicts, nothing else', () => {
    expect(isTransactionConflict(sdkLockError)).toBe(true);
    expect(isTransactionConflict(new StoreConflictError())).toBe(true);
    expect(isTransactionConflict(new Error('DATABASE_REQUEST_FAILED duplicate key'))).toBe(false);
  });

  it('runs the work again until it commits', async () => {
    const { store, runs } = flaky(3, sdkLockError);
    const retrying = retryingOnConflict(store, async () => undefined);
    await expect(retrying.transact(async (tx) => tx.put('c', { _id: 'a', n: 1 }))).resolves.toBeUndefined();
    expect(runs()).toBe(4);
    expect(await retrying.get('c', 'a')).toEqual({ _id: 'a', n: 1 });
  });

  it('gives up with StoreConflictError after 8 attempts, and never retries other errors', async () => {
    const always = flaky(100, sdkLockError);
    await expect(
      retryingOnConflict(always.store, async () => undefined).transact(async () => 1),
    ).rejects.toBeInstanceOf(StoreConflictError);
    expect(always.runs()).toBe(8);
    const other = flaky(1, new Error('boom'));
    await expect(
      retryingOnConflict(other.store, async () => undefined).transact(async () => 1),
    ).rejects.toThrow('boom');
    expect(other.runs()).toBe(1);
  });
});

describe('emulator secrets: local PII keys', () => {
  it('are generated once in the data folder (0600), reused after a restart, and usable by server/pii', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxlend-secrets-'));
    try {
      const first = loadOrCreateKeys(dataDir);
      const file = keyFilePath(dataDir);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(loadOrCreateKeys(dataDir)).toEqual(first);
      const keys = readPiiKeys(keysAsEnv(first));
      expect(keys.activeKid).toBe('local-1');
      expect(keys.blindIndexKey).toHaveLength(32);
      fs.writeFileSync(file, '{"nope":1}');
      expect(() => loadOrCreateKeys(dataDir)).toThrow(/not a valid key file/);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
