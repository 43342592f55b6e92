import { rightsOpsActions } from '../../server/ops/rights-actions';
import { rightsDepsFromEnv } from '../../server/ops/rights-wiring';
import { handleWorkbench, type WorkbenchEvent } from '../../server/operators/workbench-http';
import type { HttpAccessResponse } from '../../server/payout/notify';
import { callerVerdict, HTTP_ENTRY } from '../../server/runtime/caller-table';
import { currentCaller } from '../../server/runtime/cloud';

/**
 * `workbenchRights`: borrowers' personal-information rights requests over HTTP access
 * (`/workbench/rights/ops`: identityRequests, resolveCorrection, completeDeletion), its own
 * function so each bundle stays within the size budget; the session is checked before anything
 * else, the named operator acts and the role table decides.
 */
export async function main(event: WorkbenchEvent): Promise<HttpAccessResponse> {
  const caller = currentCaller();
  if (callerVerdict('workbenchRights', HTTP_ENTRY, caller, event) !== 'allow') {
    return {
      statusCode: 403,
      headers: { 'content-type': 'application/json' },
      body: '{"ok":false,"error":{"code":"FORBIDDEN","message":"HTTP access only"}}',
      isBase64Encoded: false,
    };
  }
  const deps = rightsDepsFromEnv();
  return handleWorkbench(
    {
      operators: deps,
      opsTable: (authenticate) => rightsOpsActions(() => deps, authenticate),
      basePath: '/workbench/rights',
      allowedOrigin: process.env.WXLEND_WORKBENCH_ORIGIN,
    },
    event,
    caller,
  );
}
