import { serveWorkbench } from '../../server/operators/workbench-entry';
import type { WorkbenchEvent } from '../../server/operators/workbench-http';
import type { HttpAccessResponse } from '../../server/payout/notify';
import { piiKeysFromEnv } from '../../server/pii';
import { repaymentOpsActions } from '../../server/repayment/ops-actions';
import { repaymentDepsFromEnv } from '../../server/repayment/wiring';

/**
 * `workbenchRepayment`: the workbench's repayment actions over HTTP access (`/workbench/repayment/ops`),
 * beside `workbench` so each bundle stays within the size budget; the same session check names the
 * operator and the same role table decides.
 */
export function main(event: WorkbenchEvent): Promise<HttpAccessResponse> {
  return serveWorkbench(
    {
      fn: 'workbenchRepayment',
      deps: () => {
        const deps = repaymentDepsFromEnv();
        return {
          operators: { store: deps.docs, clock: deps.clock, keys: piiKeysFromEnv() },
          opsTable: (authenticate) => repaymentOpsActions(() => deps, authenticate),
          basePath: '/workbench/repayment',
        };
      },
    },
    event,
  );
}
