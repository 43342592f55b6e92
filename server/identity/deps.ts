import { SdkDocStore, type SdkDatabase } from '../storage/sdk-store';
import type { DocStore } from '../storage/doc-store';
import { systemClock, type Clock } from '../clock';
import { piiKeysFromEnv, type PiiKeys } from '../pii';
import { getCloud, getDb } from '../runtime/cloud';
import { identityConfigFromEnv, type IdentityConfig } from './config';
import { retryingOnConflict } from '../storage/conflict-retry';
import { faceVerifier } from './face-verifier';
import type { FaceVerifyApi } from './face-api';
import { httpsFaceVerifyApi } from './https-face-api';
import { WechatApiClient } from '../wechat-api/client';
import { wechatApiConfigFromEnv } from '../wechat-api/config';
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

/** What the verifiers are built from; `face` only for the face verifier. */
export interface VerifierWiring {
  openApi: IdentityOpenApi;
  /** The caller's uploaded ID-card photos (verifier `ocr_phone`). */
  photos: IdCardPhotoStore;
  /** Lazily made: only a face-verifying lender needs the WeChat API credentials. */
  face: () => FaceVerifyApi;
  store: DocStore;
  clock: Clock;
}

/** The verifier the configuration names. */
export function verifierFor(kind: IdentityVerifierKind, wiring: VerifierWiring): IdentityVerifier {
  if (kind !== 'face') return ocrPhoneVerifier(wiring.openApi, wiring.photos);
  return faceVerifier({
    openApi: wiring.openApi,
    face: wiring.face(),
    store: wiring.store,
    clock: wiring.clock,
  });
}

/**
 * Production wiring from the function's environment; throws a clear configuration error when keys
 * or settings are missing, so a misconfigured function fails loudly instead of storing plaintext.
 */
export function identityDepsFromEnv(env: NodeJS.ProcessEnv = process.env): IdentityDeps {
  const config = identityConfigFromEnv(env);
  const store = retryingOnConflict(new SdkDocStore(getDb() as unknown as SdkDatabase));
  const photos = sdkIdCardPhotoStore(getCloud());
  return {
    store,
    keys: piiKeysFromEnv(env),
    clock: systemClock,
    config,
    verifier: verifierFor(config.verifier, {
      openApi: sdkIdentityOpenApi(getCloud()),
      photos,
      face: () => httpsFaceVerifyApi(new WechatApiClient(wechatApiConfigFromEnv(env), systemClock)),
      store,
      clock: systemClock,
    }),
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
