import { z } from 'zod';
import { StoreConflictError } from '../storage/doc-store';
import { action } from '../runtime/handler';
import type { Caller } from '../runtime/caller';
import { recordConsent } from './consent';
import { startFaceVerification } from './face-start';
import { MAX_CORRECTION_DETAIL, requestCorrection } from './correction';
import { cancelDeletion, requestDeletion } from './deletion';
import type { IdentityDeps } from './deps';
import { identityError } from './messages';
import { identityProfile } from './profile';
import { identityStatus } from './status';
import { verifyIdentity } from './verify';
import { withdrawConsent } from './withdraw-consent';

/** A conflict that outlasted the retries becomes a refusal the borrower can act on (try again). */
async function tryAgainOnConflict<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof StoreConflictError) throw identityError('TRY_AGAIN');
    throw error;
  }
}

function requireOpenid(caller: Caller): Caller & { openid: string } {
  if (!caller.openid) throw identityError('UNAUTHENTICATED');
  return caller as Caller & { openid: string };
}

/**
 * The `identity` function's actions. Strict schemas: any key not listed (`_id`, `_openid`,
 * `OPENID`, `status`, …) is refused, and identity always comes from the platform context.
 */
export function identityActions(deps: () => IdentityDeps) {
  return {
    status: action({
      input: z.strictObject({}),
      run: async (_input, caller) => identityStatus(deps(), requireOpenid(caller).openid),
    }),
    consent: action({
      input: z.strictObject({
        noticeVersion: z.string().min(1).max(32),
        noticeHash: z.string().regex(/^[0-9a-fA-F]{64}$/),
      }),
      run: async (input, caller) => tryAgainOnConflict(recordConsent(deps(), requireOpenid(caller), input)),
    }),
    startFace: action({
      input: z.strictObject({ name: z.string().max(1024), idNumber: z.string().max(1024) }),
      run: async (input, caller) =>
        tryAgainOnConflict(startFaceVerification(deps(), requireOpenid(caller).openid, input)),
    }),
    verify: action({
      input: z.strictObject({
        name: z.string().max(1024),
        idNumber: z.string().max(1024),
        phoneCode: z.string().min(1).max(128),
        faceVerifyId: z.string().min(1).max(256).optional(),
        idCardFileId: z.string().min(1).max(1024).optional(),
      }),
      run: async (input, caller) =>
        tryAgainOnConflict(verifyIdentity(deps(), requireOpenid(caller).openid, input)),
    }),
    profile: action({
      input: z.strictObject({}),
      run: async (_input, caller) => identityProfile(deps(), requireOpenid(caller).openid),
    }),
    withdrawConsent: action({
      input: z.strictObject({ noticeVersion: z.string().min(1).max(32) }),
      run: async (input, caller) => tryAgainOnConflict(withdrawConsent(deps(), requireOpenid(caller), input)),
    }),
    requestDeletion: action({
      input: z.strictObject({}),
      run: async (_input, caller) => tryAgainOnConflict(requestDeletion(deps(), requireOpenid(caller))),
    }),
    cancelDeletion: action({
      input: z.strictObject({}),
      run: async (_input, caller) => tryAgainOnConflict(cancelDeletion(deps(), requireOpenid(caller))),
    }),
    requestCorrection: action({
      input: z.strictObject({
        field: z.enum(['name', 'idNumber', 'phone']),
        // Four bytes per code point at most; the exact limit is counted by code point in the domain.
        detail: z
          .string()
          .min(1)
          .max(MAX_CORRECTION_DETAIL * 4),
      }),
      run: async (input, caller) =>
        tryAgainOnConflict(requestCorrection(deps(), requireOpenid(caller), input)),
    }),
  };
}
