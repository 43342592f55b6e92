/** The event CloudBase's HTTP access service hands a function (its "integration request"). */
export interface HttpIntegrationEvent {
  path: string;
  httpMethod: string;
  headers: Record<string, string>;
  queryStringParameters: Record<string, string>;
  requestContext: { envId: string; appId: string; requestId: string; sourceIp: string };
  /** The raw body: UTF-8 text when it is text, otherwise base64 (`isBase64Encoded`). */
  body: string;
  isBase64Encoded: boolean;
}

/** What goes back over HTTP. */
export interface HttpAnswer {
  statusCode: number;
  headers: Record<string, string>;
  body: Buffer;
}

const TEXT_TYPES = /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded)|[^;]*\+(json|xml))/i;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The body as the function sees it: text when the type is textual and the bytes are valid UTF-8. */
export function encodeBody(
  bytes: Buffer,
  contentType: string | undefined,
): { body: string; isBase64Encoded: boolean } {
  if (bytes.length === 0) return { body: '', isBase64Encoded: false };
  if (contentType && TEXT_TYPES.test(contentType.trim())) {
    try {
      return { body: utf8.decode(bytes), isBase64Encoded: false };
    } catch {
      // Not valid UTF-8: only base64 carries the bytes unchanged.
    }
  }
  return { body: bytes.toString('base64'), isBase64Encoded: true };
}

/** Headers flattened to strings (repeated ones joined with `, `). */
export function flattenHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    flat[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

/** Query parameters of a raw URL (a repeated key keeps its last value, as CloudBase does). */
export function queryParameters(rawUrl: string): Record<string, string> {
  const query = rawUrl.includes('?') ? rawUrl.slice(rawUrl.indexOf('?') + 1) : '';
  const params: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(query)) params[key] = value;
  return params;
}

/** True for a function answer in the integration-response shape. */
function isIntegrationResponse(value: unknown): value is {
  statusCode: number;
  headers?: Record<string, unknown>;
  body?: unknown;
  isBase64Encoded?: boolean;
} {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { statusCode?: unknown }).statusCode === 'number'
  );
}

/**
 * Turns a function's return value into the HTTP answer: `{statusCode, headers, body, isBase64Encoded}`
 * is used as given; a string is sent as text; anything else as JSON.
 */
export function answerFromResult(result: unknown): HttpAnswer {
  if (isIntegrationResponse(result)) {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(result.headers ?? {})) headers[k.toLowerCase()] = String(v);
    const raw = result.body;
    let body: Buffer;
    if (raw === undefined || raw === null) body = Buffer.alloc(0);
    else if (typeof raw === 'string') body = Buffer.from(raw, result.isBase64Encoded ? 'base64' : 'utf8');
    else {
      body = Buffer.from(JSON.stringify(raw));
      headers['content-type'] ??= 'application/json; charset=utf-8';
    }
    headers['content-type'] ??= 'text/plain; charset=utf-8';
    return { statusCode: result.statusCode, headers, body };
  }
  if (result === undefined) return { statusCode: 200, headers: {}, body: Buffer.alloc(0) };
  if (typeof result === 'string')
    return {
      statusCode: 200,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body: Buffer.from(result),
    };
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: Buffer.from(JSON.stringify(result)),
  };
}
