import { SdkDocStore, type SdkDatabase } from '../storage/sdk-store';
import type { DocStore } from '../storage/doc-store';
import { systemClock, type Clock } from '../clock';
import { piiKeysFromEnv, type PiiKeys } from '../pii';
import { getCloud, getDb } from '../runtime/cloud';
import { identityConfigFromEnv, type IdentityConfig } from './config';
import { retryingOnConflict } from '../storage/conflict-retry';
import { faceVerifier } from './face-verifier';
import { ocrPhoneVerifier } from './ocr-phone-verifier';
import type { IdCardPhotoStore } from './id-card-photo';
import type { IdentityOpenApi } from './openapi-port';
import { sdkIdentityOpenApi } from './sdk-openapi';
import { sdkIdCardPhotoStore } from './sdk-photo-store';
import type { IdentityVerifier } from './verifier';
import type { IdentityReadDeps } from './borrower-access';
import type { IdentityVerifierKind } from '../../typings/identity';

/** Everything the identity use cases need; tests pass their own. */
export interface IdentityDeps {
  store: DocStore;
  keys: PiiKeys;
  clock: Clock;
  config: IdentityConfig;
  verifier: IdentityVerifier;
  /** Where the caller's uploaded ID-card photos are read and deleted. */
  photos: IdCardPhotoStore;
}

/** The verifier the configuration names. */
export function verifierFor(
  kind: IdentityVerifierKind,
  api: IdentityOpenApi,
  photos: IdCardPhotoStore,
): IdentityVerifier {
  return kind === 'face' ? faceVerifier(api) : ocrPhoneVerifier(api, photos);
}

/**
 * Production wiring from the function's environment; throws a clear configuration error when keys
 * or settings are missing, so a misconfigured function fails loudly instead of storing plaintext.
 */
export function identityDepsFromEnv(env: NodeJS.ProcessEnv = process.env): IdentityDeps {
  const config = identityConfigFromEnv(env);
  const photos = sdkIdCardPhotoStore(getCloud());
  return {
    store: retryingOnConflict(new SdkDocStore(getDb() as unknown as SdkDatabase)),
    keys: piiKeysFromEnv(env),
    clock: systemClock,
    config,
    verifier: verifierFor(config.verifier, sdkIdentityOpenApi(getCloud()), photos),
    photos,
  };
}

/** Wiring for the loan and ops sides (getBorrower, revealIdentity, createIdentityOverride): store and keys only. */
export function identityReadDepsFromEnv(env: NodeJS.ProcessEnv = process.env): IdentityReadDeps {
  return {
    store: retryingOnConflict(new SdkDocStore(getDb() as unknown as SdkDatabase)),
    keys: piiKeysFromEnv(env),
  };
}
