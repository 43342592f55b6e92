import type { AdminHandler } from '../admin-router';
import type { FunctionsApi } from './api';

/** CloudBase's code for malformed parameters (the SDK maps it to -501007). */
const INVALID_PARAM = 'INVALID_PARAM';

/**
 * `functions.invokeFunction`, what `cloud.callFunction` sends: `{function_name, request_data}` →
 * `{response_data}` (both JSON strings). The callee inherits the caller's identity, found through the
 * caller's `wxCloudApiToken`, and its SOURCE becomes `<caller source>,scf`; a caller that is no running
 * invocation (a script, the console) yields SOURCE `scf` and no user.
 */
export function invokeFunctionAction(functions: FunctionsApi): AdminHandler {
  return async (request) => {
    const name = request.params.function_name;
    if (typeof name !== 'string' || name === '')
      return { kind: 'error', code: INVALID_PARAM, message: 'function_name is required' };
    const raw = request.params.request_data;
    if (raw !== undefined && typeof raw !== 'string')
      return { kind: 'error', code: INVALID_PARAM, message: 'request_data must be a JSON string' };
    let event: unknown = {};
    if (raw) {
      try {
        event = JSON.parse(raw) as unknown;
      } catch {
        return { kind: 'error', code: INVALID_PARAM, message: 'request_data is not valid JSON' };
      }
    }
    const caller = functions.identify(request.apiToken);
    const result = await functions.invoke({
      name,
      event,
      source: caller ? `${caller.source},scf` : 'scf',
      openid: caller?.openid,
      appid: caller?.appid,
      unionid: caller?.unionid,
      clientIp: caller?.clientIp,
      parentRequestId: caller?.requestId,
    });
    if (result.error) return { kind: 'error', code: result.error.code, message: result.error.message };
    return { kind: 'data', data: { response_data: JSON.stringify(result.result ?? null) } };
  };
}
