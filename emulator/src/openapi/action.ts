import type { AdminReply, AdminRequest } from '../admin-router';
import type { FunctionsApi } from '../functions/api';
import type { OpenApiCall } from './call';
import { openApiHandlers } from './handlers';
import { decodeCommApiData, encodeCommOpenApiResp, type OpenApiPair } from './protobuf';
import type { OpenapiState } from './state';
import { PLATFORM_ERRORS, WxApiError } from './wx-error';

/** What the `wx.openApi` action needs from its surroundings. */
export interface OpenApiActionDeps {
  state: OpenapiState;
  now(): number;
  appId: string;
  /** The functions runtime, or undefined when the emulator runs without one. */
  functions(): FunctionsApi | undefined;
}

/** The raw reply the SDK expects: protobuf bytes under a content type it will not JSON-parse. */
function protobufReply(respData: Record<string, unknown> | null, errorCode: number): AdminReply {
  return {
    kind: 'raw',
    contentType: 'application/octet-stream',
    body: encodeCommOpenApiResp({
      respData: Buffer.from(respData ? JSON.stringify(respData) : ''),
      contentType: 'application/json',
      errorCode,
    }),
  };
}

/** Splits the decoded pairs into JSON parameters and media files. */
function splitPairs(pairs: Map<string, OpenApiPair>): {
  params: Record<string, unknown>;
  media: Map<string, OpenApiPair>;
} {
  const params: Record<string, unknown> = {};
  const media = new Map<string, OpenApiPair>();
  for (const [key, pair] of pairs) {
    // SDK 4.0.2 sets `contentType` on media pairs but the message field is `contenttype`, so only
    // `filename` actually arrives: either marks a file.
    if (pair.filename || pair.contentType) {
      media.set(key, pair);
      continue;
    }
    const text = pair.value.toString('utf8');
    try {
      params[key] = JSON.parse(text) as unknown;
    } catch {
      params[key] = text;
    }
  }
  return { params, media };
}

/**
 * Serves `wx.openApi`: decodes `CommApiData`, checks the calling function's `permissions.openapi`,
 * runs the fake API, records the call in the outbox and answers `CommOpenApiResp`.
 */
export function handleOpenApiAction(deps: OpenApiActionDeps, request: AdminRequest): AdminReply {
  const api = String(request.params.apiName ?? '');
  const bytes = request.fields.requestData;
  if (!bytes) return { kind: 'error', code: 'INVALID_PARAM', message: 'requestData is required' };
  let decoded: ReturnType<typeof decodeCommApiData>;
  try {
    decoded = decodeCommApiData(bytes);
  } catch {
    return { kind: 'error', code: 'INVALID_PARAM', message: 'requestData is not a CommApiData message' };
  }
  const functions = deps.functions();
  const caller = functions?.identify(request.apiToken);
  const now = deps.now();
  const { params, media } = splitPairs(decoded.pairs);
  const record = (errcode: number): void => {
    deps.state.record({ at: now, kind: 'call', api, caller: caller?.name, errcode, payload: params });
  };
  const allowed = caller ? (functions?.config(caller.name)?.openapi ?? []) : [];
  if (!allowed.includes(api)) {
    record(PLATFORM_ERRORS.noPermission);
    return protobufReply(null, PLATFORM_ERRORS.noPermission);
  }
  const handler = openApiHandlers[api];
  if (!handler) {
    record(PLATFORM_ERRORS.apiNotFound);
    return protobufReply(null, PLATFORM_ERRORS.apiNotFound);
  }
  if (caller?.openid) deps.state.lastSeen.set(caller.openid, now);
  const call: OpenApiCall = { api, params, media, caller, now, appId: deps.appId, state: deps.state };
  try {
    const body = handler(call);
    record(0);
    return protobufReply({ errcode: 0, errmsg: 'ok', ...body }, 0);
  } catch (error) {
    if (!(error instanceof WxApiError)) throw error;
    record(error.errcode);
    return protobufReply({ errcode: error.errcode, errmsg: error.errmsg }, 0);
  }
}
