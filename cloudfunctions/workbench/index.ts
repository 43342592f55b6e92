import { instanceLoanDeps, opsActionTable } from '../../server/operators/ops-wiring';
import { handleWorkbench, type WorkbenchEvent } from '../../server/operators/workbench-http';
import type { HttpAccessResponse } from '../../server/payout/notify';
import { piiKeysFromEnv } from '../../server/pii';
import { callerVerdict, HTTP_ENTRY } from '../../server/runtime/caller-table';
import { currentCaller } from '../../server/runtime/cloud';

/** `workbench`: the operators' web app over HTTP access (`/workbench/...`); a verified session names the actor. */
export async function main(event: WorkbenchEvent): Promise<HttpAccessResponse> {
  const caller = currentCaller();
  // The caller table: HTTP access only (never a client's or the console's callFunction).
  if (callerVerdict('workbench', HTTP_ENTRY, caller, event) !== 'allow') {
    return {
      statusCode: 403,
      headers: { 'content-type': 'application/json' },
      body: '{"ok":false,"error":{"code":"FORBIDDEN","message":"HTTP access only"}}',
      isBase64Encoded: false,
    };
  }
  const loan = instanceLoanDeps();
  return handleWorkbench(
    {
      operators: { store: loan.store, clock: loan.clock, keys: piiKeysFromEnv() },
      opsTable: opsActionTable,
      allowedOrigin: process.env.WXLEND_WORKBENCH_ORIGIN,
    },
    event,
    caller,
  );
}
