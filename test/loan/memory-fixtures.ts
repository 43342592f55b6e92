import { createHash } from 'node:crypto';
import { signedConsent } from '../helpers/signed-consent';
import { MemoryDocStore } from '../../server/storage/memory-store';
import type { BorrowerDoc } from '../../server/borrowers/borrower-doc';
import { BORROWERS } from '../../server/loan/application-doc';
import { DEFAULT_LOAN_CONFIG } from '../../server/loan/config';
import type { LoanDeps } from '../../server/loan/deps';
import { DEFAULT_LIMITS } from '../../server/limits/policy';
import { DEFAULT_AML_POLICY } from '../../server/risk/aml';
import type { CreditDataSource } from '../../server/risk/credit-data';
import { currentCreditInquiry } from '../../server/loan/credit-consent';
import { TEST_CREDIT_FILES } from '../../emulator/src/bureau/test-files';
import { DEFAULT_RISK_POLICY } from '../../server/risk/policy';
import type { ApplyInput } from '../../server/loan/apply';

/** A stand-in blind index for in-memory tests (the emulator tests use the real keyed one). */
export const testHash = (idNumber: string): string =>
  createHash('sha256').update(`test:${idNumber}`).digest('hex');

/** The fake bureau's test files keyed by the stand-in blind index (the emulator tests use the HTTP bureau). */
export function memoryCreditSource(): CreditDataSource {
  const files = new Map(TEST_CREDIT_FILES.map((file) => [testHash(file.idNumber), file.profile]));
  return {
    lookup: async (subject) => {
      const profile = files.get(subject.idHash);
      return profile ? { status: 'found', profile } : { status: 'none' };
    },
  };
}

/** Documented test identities (see emulator/src/bureau/test-files.ts). */
export const IDS = {
  approve: '110101199003071233',
  review: '310104198506124562',
  reject: '440305199208157893',
  tooOld: '11010519491231002X',
  thin: '320106199502203211',
} as const;

/** A movable clock: 2026-11-28 10:00 Beijing. */
export function testClock(start = Date.UTC(2026, 10, 28, 2, 0, 0)): {
  now: () => number;
  advance: (ms: number) => void;
} {
  let t = start;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

/** Deps over an in-memory store; risk rank by openid suffix like the emulator's fake. */
export function memoryDeps(
  overrides: Partial<LoanDeps> = {},
): LoanDeps & { store: MemoryDocStore; clock: ReturnType<typeof testClock> } {
  return {
    store: new MemoryDocStore(),
    clock: testClock(),
    config: DEFAULT_LOAN_CONFIG,
    limits: DEFAULT_LIMITS,
    risk: DEFAULT_RISK_POLICY,
    aml: DEFAULT_AML_POLICY,
    credit: memoryCreditSource(),
    riskRank: async (openid) => Number(/risk([0-4])$/.exec(openid)?.[1] ?? 0),
    ...overrides,
  } as LoanDeps & { store: MemoryDocStore; clock: ReturnType<typeof testClock> };
}

/** The birth date an ID number encodes. */
function birthDateOf(idNumber: string): string {
  return `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`;
}

/**
 * Writes a verified borrower the way the identity domain would (masked/encrypted placeholders), with
 * the current credit-inquiry authorisation unless `creditInquiry` is false.
 */
export async function seedBorrower(
  store: MemoryDocStore,
  openid: string,
  idNumber: string | null,
  at = 0,
  creditInquiry = true,
): Promise<void> {
  const current = currentCreditInquiry();
  const doc: BorrowerDoc = {
    _id: openid,
    frozen: false,
    activeApplicationId: null,
    version: 1,
    createdAt: at,
    updatedAt: at,
    ...(idNumber
      ? {
          identity: {
            encrypted: { name: 'enc', idNumber: 'enc', phone: 'enc' },
            idHash: testHash(idNumber),
            phoneHash: 'p',
            masked: {
              name: '*三',
              idNumber: `${idNumber[0]}****************${idNumber[17]}`,
              phone: '138****5678',
            },
            birthDate: birthDateOf(idNumber),
            gender: 'male' as const,
            documentType: 'resident' as const,
            verifier: 'ocr_phone' as const,
            verifiedAt: at,
          },
          ...(creditInquiry
            ? { creditInquiry: { version: current.version, textSha256: current.sha256, at, clientIp: null } }
            : {}),
        }
      : {}),
  };
  await store.transact((tx) => tx.put(BORROWERS, { ...doc }));
}

/** A valid apply input. */
export function applyRequest(
  requestId: string,
  amount = 20_000,
  extra: Partial<ApplyInput> = {},
): ApplyInput {
  return {
    requestId,
    amount,
    termMonths: 6,
    method: 'equal_instalment',
    purpose: 'consumption',
    deviceFingerprint: `device-${requestId}`,
    consent: signedConsent(
      Number(extra.amount ?? amount),
      extra.termMonths ?? 6,
      extra.method ?? 'equal_instalment',
      testClock().now(),
    ),
    ...extra,
  };
}
