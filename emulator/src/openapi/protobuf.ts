import protobuf from 'protobufjs';

/**
 * The messages wx-server-sdk 4.0.2 exchanges with the `wx.openApi` / `wx.wxPayApi` actions, copied
 * field for field from its bundled `./src/protobuf/openapi.js` (field numbers and types must match).
 */
const root = protobuf.Root.fromJSON({
  nested: {
    KeyValuePair: {
      fields: {
        key: { type: 'string', id: 1 },
        value: { type: 'bytes', id: 2 },
        contenttype: { type: 'string', id: 3 },
        filename: { type: 'string', id: 4 },
      },
    },
    OpenApiData: { fields: { pairs: { rule: 'repeated', type: 'KeyValuePair', id: 1 } } },
    TokenApiData: {
      fields: { resourceAppid: { type: 'string', id: 1 }, resourceEnv: { type: 'string', id: 2 } },
    },
    CommApiData: {
      fields: {
        apiType: { type: 'int32', id: 1 },
        openapiData: { type: 'OpenApiData', id: 2 },
        tokenData: { type: 'TokenApiData', id: 5 },
        appid: { type: 'string', id: 6 },
      },
    },
    HttpHeader: { fields: { key: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
    CommOpenApiResp: {
      fields: {
        respData: { type: 'bytes', id: 1 },
        contentType: { type: 'string', id: 2 },
        errorCode: { type: 'int32', id: 3 },
        httpCode: { type: 'uint32', id: 4 },
        headers: { rule: 'repeated', type: 'HttpHeader', id: 5 },
        svrkitErrorCode: { type: 'int32', id: 6 },
      },
    },
    ApiOptions: { fields: { appid: { type: 'string', id: 1 } } },
  },
});

const commApiData = root.lookupType('CommApiData');
const commOpenApiResp = root.lookupType('CommOpenApiResp');
const apiOptions = root.lookupType('ApiOptions');

/** `CommApiData.apiType` value the generic `cloud.openapi.*` proxy sends. */
export const OPEN_API_TYPE = 0;

/** One parameter of an openapi call: JSON bytes, or a media file (`contenttype` + `filename`). */
export interface OpenApiPair {
  value: Buffer;
  contentType: string;
  filename: string;
}

/** A decoded `requestData` of `wx.openApi`. */
export interface DecodedOpenApiRequest {
  apiType: number;
  appid: string;
  pairs: Map<string, OpenApiPair>;
}

interface RawPair {
  key?: string;
  value?: Uint8Array;
  contenttype?: string;
  filename?: string;
}

/** Decodes protobuf `CommApiData`; throws on bytes that are not one. */
export function decodeCommApiData(bytes: Buffer): DecodedOpenApiRequest {
  const message = commApiData.toObject(commApiData.decode(bytes), { defaults: true }) as {
    apiType: number;
    appid: string;
    openapiData?: { pairs?: RawPair[] };
  };
  const pairs = new Map<string, OpenApiPair>();
  for (const pair of message.openapiData?.pairs ?? []) {
    if (!pair.key) continue;
    pairs.set(pair.key, {
      value: Buffer.from(pair.value ?? new Uint8Array()),
      contentType: pair.contenttype ?? '',
      filename: pair.filename ?? '',
    });
  }
  return { apiType: message.apiType, appid: message.appid, pairs };
}

/** Encodes a `CommApiData` the way the SDK does (tests use it to speak the wire without the SDK). */
export function encodeCommApiData(appid: string, params: Record<string, unknown>): Buffer {
  const pairs = Object.entries(params).map(([key, value]) => ({
    key,
    value: Buffer.from(JSON.stringify(value)),
  }));
  return Buffer.from(
    commApiData
      .encode(commApiData.fromObject({ apiType: OPEN_API_TYPE, openapiData: { pairs }, appid }))
      .finish(),
  );
}

/** What the emulator answers an openapi call with. */
export interface OpenApiReply {
  /** The WeChat API's JSON body. */
  respData: Buffer;
  /** Its content type; the SDK parses JSON only when it matches `application/json` or `text/plain`. */
  contentType: string;
  /** Non-zero for platform errors (e.g. -604101 no permission): the SDK throws with this code. */
  errorCode: number;
}

/** Encodes protobuf `CommOpenApiResp`. */
export function encodeCommOpenApiResp(reply: OpenApiReply): Buffer {
  const message = commOpenApiResp.fromObject({
    respData: reply.respData,
    contentType: reply.contentType,
    errorCode: reply.errorCode,
    httpCode: 200,
    headers: [],
    svrkitErrorCode: 0,
  });
  return Buffer.from(commOpenApiResp.encode(message).finish());
}

/** Decodes protobuf `CommOpenApiResp` (tests). */
export function decodeCommOpenApiResp(bytes: Buffer): OpenApiReply {
  const message = commOpenApiResp.toObject(commOpenApiResp.decode(bytes), { defaults: true }) as {
    respData: Uint8Array;
    contentType: string;
    errorCode: number;
  };
  return {
    respData: Buffer.from(message.respData),
    contentType: message.contentType,
    errorCode: message.errorCode,
  };
}

/** Decodes the `apiOptions` field of `wx.wxPayApi` (protobuf `ApiOptions {1 appid}`); empty on bad bytes. */
export function decodeApiOptions(bytes: Buffer | undefined): { appid: string } {
  if (!bytes || bytes.length === 0) return { appid: '' };
  try {
    const message = apiOptions.toObject(apiOptions.decode(bytes), { defaults: true }) as { appid: string };
    return { appid: message.appid };
  } catch {
    return { appid: '' };
  }
}
