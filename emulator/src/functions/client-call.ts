import { CLIENT_CALL_PATH } from './client-gateway';

/** A mini-program user's call through the local gateway. */
export interface ClientCall {
  name: string;
  data?: Record<string, unknown>;
  openid: string;
  appid?: string;
  unionid?: string;
  clientIp?: string;
}

/** What the gateway answered: `ok` with `result`, or the `{errCode, errMsg}` wx.cloud.callFunction rejects with. */
export type ClientCallOutcome =
  | { ok: true; status: number; result: unknown; requestID: string }
  | { ok: false; status: number; errCode: number; errMsg: string; requestID?: string };

/**
 * Calls a function the way the mini-program does (`wx.cloud.callFunction`), through
 * `POST /client/callFunction` of the emulator at `baseUrl`. Used by tests and benchmarks.
 */
export async function callFunctionAsClient(baseUrl: string, call: ClientCall): Promise<ClientCallOutcome> {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-wx-openid': call.openid };
  if (call.appid) headers['x-wx-appid'] = call.appid;
  if (call.unionid) headers['x-wx-unionid'] = call.unionid;
  if (call.clientIp) headers['x-wx-clientip'] = call.clientIp;
  const response = await fetch(`${baseUrl}${CLIENT_CALL_PATH}`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ name: call.name, data: call.data ?? {} }),
  });
  const body = (await response.json()) as Record<string, unknown>;
  if (response.ok)
    return { ok: true, status: response.status, result: body.result, requestID: String(body.requestID) };
  return {
    ok: false,
    status: response.status,
    errCode: Number(body.errCode),
    errMsg: String(body.errMsg),
    requestID: typeof body.requestID === 'string' ? body.requestID : undefined,
  };
}
