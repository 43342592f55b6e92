import type { ApiResult } from '../../typings/api';
import { backendConfig } from '../config';
import { fromApiError, transportError } from './errors';

/** The body the emulator's client gateway answers, like `wx.cloud.callFunction`'s success result. */
interface GatewayAnswer {
  errMsg?: string;
  result?: unknown;
}

function isApiResult(value: unknown): value is ApiResult<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean';
}

/** `wx.cloud.callFunction` in the CloudBase environment. */
async function viaCloud(name: string, data: Record<string, unknown>): Promise<unknown> {
  if (!wx.cloud) throw transportError('BACKEND_UNAVAILABLE');
  try {
    const answer = await wx.cloud.callFunction({ name, data });
    return answer.result;
  } catch {
    throw transportError('NETWORK_ERROR');
  }
}

/** `POST {localBaseUrl}/client/callFunction` with the developer's openid (DevTools against `npm start`). */
function viaLocalGateway(name: string, data: Record<string, unknown>): Promise<unknown> {
  return new Promise((resolve, reject) => {
    wx.request({
      url: `${backendConfig.localBaseUrl}/client/callFunction`,
      method: 'POST',
      header: { 'content-type': 'application/json', 'x-wx-openid': backendConfig.developerOpenid },
      data: { name, data },
      success: (response) => {
        const body = response.data as GatewayAnswer;
        if (response.statusCode >= 200 && response.statusCode < 300) resolve(body.result);
        else reject(transportError('BACKEND_UNAVAILABLE'));
      },
      fail: () => reject(transportError('NETWORK_ERROR')),
    });
  });
}

/**
 * Calls `action` of cloud function `name` and unwraps its `ApiResult`: resolves with `data`, rejects
 * with a ServiceError carrying the borrower-facing message. The only place that talks to the backend.
 */
export async function callAction<T>(name: string, action: string, input: object = {}): Promise<T> {
  const data = { ...input, action };
  const result =
    backendConfig.mode === 'local' ? await viaLocalGateway(name, data) : await viaCloud(name, data);
  if (!isApiResult(result)) throw transportError('BACKEND_UNAVAILABLE');
  if (!result.ok) throw fromApiError(result.error);
  return result.data as T;
}
