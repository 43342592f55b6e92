import { systemClock } from '../clock';
import { piiKeysFromEnv } from '../pii';
import { getDb } from '../runtime/cloud';
import { retryingOnConflict } from '../storage/conflict-retry';
import { SdkDocStore, type SdkDatabase } from '../storage/sdk-store';
import type { RightsOpsDeps } from './rights-actions';

let deps: RightsOpsDeps | undefined;

/** The rights actions' deps of this instance (database, clock, personal-data keys), wired once. */
export function rightsDepsFromEnv(): RightsOpsDeps {
  deps ??= {
    store: retryingOnConflict(new SdkDocStore(getDb() as unknown as SdkDatabase)),
    clock: systemClock,
    keys: piiKeysFromEnv(),
  };
  return deps;
}
