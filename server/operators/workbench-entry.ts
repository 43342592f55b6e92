import type { HttpAccessResponse } from '../payout/notify';
import { callerRefusal, callerVerdict, HTTP_ENTRY } from '../runtime/caller-table';
import { currentCaller } from '../runtime/cloud';
import { handleWorkbench, type WorkbenchDeps, type WorkbenchEvent } from './workbench-http';

/** The workbench functions: each serves one HTTP access route with the same session check. */
export type WorkbenchFunction = 'workbench' | 'workbenchRepayment' | 'workbenchRights';

/**
 * The `main` of a workbench function: the caller table first (HTTP access only, never a client's
 * or the console's callFunction), then the session-checked handler over the function's own deps,
 * allowing the deployed workbench's origin (`WXLEND_WORKBENCH_ORIGIN`) across origins.
 */
export async function serveWorkbench(
  route: { fn: WorkbenchFunction; deps: () => Omit<WorkbenchDeps, 'allowedOrigin'> },
  event: WorkbenchEvent,
): Promise<HttpAccessResponse> {
  const caller = currentCaller();
  if (callerVerdict(route.fn, HTTP_ENTRY, caller, event) !== 'allow') {
    const { code, message } = callerRefusal(route.fn);
    return {
      statusCode: 403,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ok: false, error: { code, message } }),
      isBase64Encoded: false,
    };
  }
  return handleWorkbench(
    { ...route.deps(), allowedOrigin: process.env.WXLEND_WORKBENCH_ORIGIN },
    event,
    caller,
  );
}
