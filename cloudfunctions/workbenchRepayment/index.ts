import { handleWorkbench, type WorkbenchEvent } from '../../server/operators/workbench-http';
import type { HttpAccessResponse } from '../../server/payout/notify';
import { piiKeysFromEnv } from '../../server/pii';
import { repaymentOpsActions } from '../../server/repayment/ops-actions';
import { repaymentDepsFromEnv } from '../../server/repayment/wiring';
import { callerVerdict, HTTP_ENTRY } from '../../server/runtime/caller-table';
import { currentCaller } from '../../server/runtime/cloud';

/**
 * `workbenchRepayment`: the workbench's repayment actions over HTTP access (`/workbench/repayment/ops`),
 * beside `workbench` so each bundle stays within the size budget; the same session check names the
 * operator and the same role table decides.
 */
export async function main(event: WorkbenchEvent): Promise<HttpAccessResponse> {
  const caller = currentCaller();
  if (callerVerdict('workbenchRepayment', HTTP_ENTRY, caller, event) !== 'allow') {
    return {
      statusCode: 403,
      headers: { 'content-type': 'application/json' },
      body: '{"ok":false,"error":{"code":"FORBIDDEN","message":"HTTP access only"}}',
      isBase64Encoded: false,
    };
  }
  const deps = repaymentDepsFromEnv();
  return handleWorkbench(
    {
      operators: { store: deps.docs, clock: deps.clock, keys: piiKeysFromEnv() },
      opsTable: (authenticate) => repaymentOpsActions(() => deps, authenticate),
      basePath: '/workbench/repayment',
      allowedOrigin: process.env.WXLEND_WORKBENCH_ORIGIN,
    },
    event,
    caller,
  );
}
