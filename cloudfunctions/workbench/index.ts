import { instanceLoanDeps, opsActionTable } from '../../server/operators/ops-wiring';
import { serveWorkbench } from '../../server/operators/workbench-entry';
import type { WorkbenchEvent } from '../../server/operators/workbench-http';
import type { HttpAccessResponse } from '../../server/payout/notify';
import { piiKeysFromEnv } from '../../server/pii';

/** `workbench`: the operators' web app over HTTP access (`/workbench/...`); a verified session names the actor. */
export function main(event: WorkbenchEvent): Promise<HttpAccessResponse> {
  return serveWorkbench(
    {
      fn: 'workbench',
      deps: () => {
        const loan = instanceLoanDeps();
        return {
          operators: { store: loan.store, clock: loan.clock, keys: piiKeysFromEnv() },
          opsTable: opsActionTable,
        };
      },
    },
    event,
  );
}
