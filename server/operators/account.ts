import { z } from 'zod';
import type { DocStore, StoredDoc, TxDocs } from '../storage/doc-store';
import type { Clock } from '../clock';
import type { PiiKeys } from '../pii';
import { OPERATORS } from '../ops/operator-auth';
import { WORKBENCH_ROLES } from './roles';

/** Workbench accounts live in `operators` under `wb:<login>` (a colon no openid contains). */
export const ACCOUNT_PREFIX = 'wb:';

/** A sign-in name: lower-case letters, digits, dot, dash, underscore. */
export const loginSchema = z.string().regex(/^[a-z][a-z0-9._-]{2,31}$/);

/** The operator id (audit actor) of a login. */
export function accountId(login: string): string {
  return `${ACCOUNT_PREFIX}${login}`;
}

/** A workbench operator account, validated whenever it is read. */
export const accountSchema = z.object({
  _id: z.string().startsWith(ACCOUNT_PREFIX),
  login: loginSchema,
  displayName: z.string().min(1).max(40),
  role: z.enum(WORKBENCH_ROLES),
  active: z.boolean(),
  credentials: z.object({
    passwordHash: z.string().startsWith('scrypt$'),
    /** The TOTP secret, encrypted like personal data (purpose `operator.totp`). */
    totpSecret: z.unknown(),
    /** Last TOTP time step accepted: a code is used once. */
    lastTotpStep: z.number().int(),
  }),
  failedAttempts: z.number().int().min(0),
  lockedUntil: z.number().int().nullable(),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  version: z.number().int().positive(),
});

/** A workbench operator account. */
export type OperatorAccount = z.infer<typeof accountSchema>;

/** What the operator functions need. */
export interface OperatorDeps {
  store: DocStore;
  clock: Clock;
  keys: PiiKeys;
}

/** Parses a stored account; anything malformed counts as no account. */
export function parseAccount(doc: StoredDoc | undefined): OperatorAccount | undefined {
  if (!doc) return undefined;
  const parsed = accountSchema.safeParse(doc);
  return parsed.success ? parsed.data : undefined;
}

/** Reads an account outside a transaction. */
export async function readAccount(store: DocStore, id: string): Promise<OperatorAccount | undefined> {
  return parseAccount(await store.get(OPERATORS, id));
}

/** Reads an account inside a transaction. */
export async function readAccountTx(tx: TxDocs, id: string): Promise<OperatorAccount | undefined> {
  return parseAccount(await tx.get(OPERATORS, id));
}

/** Writes an account with its version bumped. */
export async function writeAccount(
  tx: TxDocs,
  account: OperatorAccount,
  now: number,
): Promise<OperatorAccount> {
  const next = { ...account, updatedAt: now, version: account.version + 1 };
  await tx.put(OPERATORS, next);
  return next;
}
