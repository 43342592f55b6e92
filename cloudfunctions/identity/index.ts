import { identityActions } from '../../server/identity/actions';
import { identityDepsFromEnv, type IdentityDeps } from '../../server/identity/deps';
import { currentCaller } from '../../server/runtime/cloud';
import { dispatchActions } from '../../server/runtime/handler';

let deps: IdentityDeps | undefined;

/** Wired on first use per instance; a missing or malformed key fails the call with a logged configuration error. */
function identityDeps(): IdentityDeps {
  deps ??= identityDepsFromEnv();
  return deps;
}

/**
 * Borrower identity: `status`, `consent` (sensitive-information notice), `verify`; 我的: `profile`,
 * `withdrawConsent`, `requestDeletion`, `cancelDeletion`, `requestCorrection`.
 */
export const main = dispatchActions(identityActions(identityDeps), currentCaller, {}, { fn: 'identity' });
