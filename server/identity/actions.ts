import { z } from 'zod';
import { StoreConflictError } from '../storage/doc-store';
import { action } from '../runtime/handler';
import type { Caller } from '../runtime/caller';
import { recordConsent } from './consent';
import { startFaceVerification } from './face-start';
import type { IdentityDeps } from './deps';
import { identityError } from './messages';
import { identityStatus } from './status';
import { verifyIdentity } from './verify';

/** Base64 of an image under 2 MB (4/3 expansion plus padding). */
const MAX_IMAGE_BASE64 = Math.ceil((2 * 1024 * 1024) / 3) * 4;

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
        idCardImage: z
          .strictObject({
            contentType: z.enum(['image/jpeg', 'image/png']),
            base64: z.base64().max(MAX_IMAGE_BASE64),
          })
          .optional(),
      }),
      run: async (input, caller) =>
        tryAgainOnConflict(verifyIdentity(deps(), requireOpenid(caller).openid, input)),
    }),
  };
}
