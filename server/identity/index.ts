/**
 * The identity domain as other domains (loan, ops) use it. Every helper takes its dependencies
 * first: in a cloud function pass `identityReadDepsFromEnv()`; in tests a MemoryDocStore and test keys.
 */
export {
  ageOn,
  blindIndex,
  getBorrower,
  revealIdentity,
  type IdentityReadDeps,
  type RevealedIdentity,
} from './borrower-access';
export { identityConfigFromEnv, IdentityConfigError, type IdentityConfig } from './config';
export { identityDepsFromEnv, identityReadDepsFromEnv, verifierFor, type IdentityDeps } from './deps';
export { createIdentityOverride, type IdentityOverrideRequest } from './overrides';
export { IDENTITY_COLLECTIONS } from './records';
