import { rightsOpsActions } from '../../server/ops/rights-actions';
import { rightsDepsFromEnv } from '../../server/ops/rights-wiring';
import { serveWorkbench } from '../../server/operators/workbench-entry';
import type { WorkbenchEvent } from '../../server/operators/workbench-http';
import type { HttpAccessResponse } from '../../server/payout/notify';

/**
 * `workbenchRights`: borrowers' personal-information rights requests over HTTP access
 * (`/workbench/rights/ops`: identityRequests, resolveCorrection, completeDeletion), its own
 * function so each bundle stays within the size budget; the session is checked before anything
 * else, the named operator acts and the role table decides.
 */
export function main(event: WorkbenchEvent): Promise<HttpAccessResponse> {
  return serveWorkbench(
    {
      fn: 'workbenchRights',
      deps: () => {
        const deps = rightsDepsFromEnv();
        return {
          operators: deps,
          opsTable: (authenticate) => rightsOpsActions(() => deps, authenticate),
          basePath: '/workbench/rights',
        };
      },
    },
    event,
  );
}
