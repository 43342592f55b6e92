import { isIP } from 'node:net';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { FunctionsApi } from './api';
import { clientErrMsg, kindOfCode, notFoundMessage, FUNCTION_ERRORS, MAX_RESPONSE_BYTES } from './errors';

/** Path of the gateway standing in for `wx.cloud.callFunction`. */
export const CLIENT_CALL_PATH = '/client/callFunction';

/** Headers a mini-program's request may carry here (sent by wx.request from DevTools). */
const ALLOWED_HEADERS = 'content-type, x-wx-openid, x-wx-appid, x-wx-unionid, x-wx-clientip';

/** `errCode`s of the mini-program SDK for bad calls: -401001 no permission, -401002 bad parameter. */
export const CLIENT_ERRORS = { unauthorised: -401001, invalidParam: -401002, invalidType: -401003 } as const;

/** Openid / unionid / appid shapes the gateway accepts (real ones are 28-char base64url-ish). */
export const ID_TEXT = /^[A-Za-z0-9_-]{1,128}$/;

/** The body `wx.cloud.callFunction` sends: the function name and its data. */
const callSchema = z
  .object({
    name: z.string({ error: 'name must be the function name (a string)' }).min(1, 'name must not be empty'),
    data: z.record(z.string(), z.unknown(), { error: 'data must be an object' }).optional(),
  })
  .loose();

/** The error object `wx.cloud.callFunction` rejects with, sent with a non-2xx status. */
function refuse(reply: FastifyReply, status: number, errCode: number, detail: string): FastifyReply {
  return reply.code(status).send({ errCode, errMsg: `cloud.callFunction:fail ${detail}` });
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text === '' ? undefined : text;
}

/** Maps Fastify's own body errors (bad JSON, wrong content type, too large) to the SDK's error shape. */
function bodyErrorHandler(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const status =
    error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
  if (status === 500) console.error(`[functions] client gateway failed: ${error.message}`);
  const detail =
    error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError
      ? 'the body is not valid JSON; send {"name": "<function>", "data": {…}}'
      : error.message;
  return refuse(
    reply,
    status,
    status === 500 ? FUNCTION_ERRORS.executeFail.clientErrCode : CLIENT_ERRORS.invalidParam,
    detail,
  );
}

/**
 * Serves `POST /client/callFunction`: what `wx.cloud.callFunction` does for a signed-in user. The caller
 * names the user in `x-wx-openid` (required) and optionally `x-wx-appid` (default: the configured appid),
 * `x-wx-unionid`, `x-wx-clientip`; the function sees SOURCE `wx_client` and an event with `userInfo`
 * added, as in CloudBase. Answers `{errMsg: "cloud.callFunction:ok", result, requestID}` or a non-2xx
 * status with `{errCode, errMsg}`. CORS is open so DevTools' wx.request can reach it.
 */
export function registerClientGateway(
  app: FastifyInstance,
  functions: FunctionsApi,
  defaultAppId: string,
): void {
  void app.register(async (scope) => {
    scope.addHook('onRequest', async (_request, reply) => {
      reply.header('access-control-allow-origin', '*');
      reply.header('access-control-allow-methods', 'POST, OPTIONS');
      reply.header('access-control-allow-headers', ALLOWED_HEADERS);
      reply.header('access-control-max-age', '600');
    });
    scope.setErrorHandler(bodyErrorHandler);
    scope.options(CLIENT_CALL_PATH, async (_request, reply) => reply.code(204).send());
    scope.post(CLIENT_CALL_PATH, { bodyLimit: MAX_RESPONSE_BYTES }, async (request, reply) => {
      const openid = header(request, 'x-wx-openid');
      if (!openid)
        return refuse(reply, 401, CLIENT_ERRORS.unauthorised, 'the x-wx-openid header is required');
      const appid = header(request, 'x-wx-appid') ?? defaultAppId;
      const unionid = header(request, 'x-wx-unionid');
      const clientIp = header(request, 'x-wx-clientip');
      for (const [label, value] of [
        ['x-wx-openid', openid],
        ['x-wx-appid', appid],
        ['x-wx-unionid', unionid],
      ] as const) {
        if (value !== undefined && !ID_TEXT.test(value))
          return refuse(
            reply,
            400,
            CLIENT_ERRORS.invalidParam,
            `${label} must be 1–128 letters, digits, - or _`,
          );
      }
      if (clientIp !== undefined && isIP(clientIp) === 0)
        return refuse(reply, 400, CLIENT_ERRORS.invalidParam, 'x-wx-clientip must be an IP address');
      if (request.body === undefined || request.body === null || typeof request.body !== 'object')
        return refuse(
          reply,
          400,
          CLIENT_ERRORS.invalidParam,
          'send a JSON body {"name": "<function>", "data": {…}}',
        );
      const parsed = callSchema.safeParse(request.body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return refuse(reply, 400, CLIENT_ERRORS.invalidType, issue?.message ?? 'invalid call');
      }
      const { name, data } = parsed.data;
      await functions.loaded();
      if (!functions.config(name)) {
        const error = { code: FUNCTION_ERRORS.notFound.code, message: notFoundMessage(name) };
        return reply
          .code(FUNCTION_ERRORS.notFound.httpStatus)
          .send({ errCode: -501000, errMsg: clientErrMsg(error) });
      }
      const result = await functions.invoke({
        name,
        event: { ...(data ?? {}), userInfo: { appId: appid, openId: openid } },
        source: 'wx_client',
        openid,
        appid,
        unionid,
        clientIp,
      });
      if (result.error) {
        const kind = kindOfCode(result.error.code);
        return reply.code(kind.httpStatus).send({
          errCode: kind.clientErrCode,
          errMsg: clientErrMsg(result.error),
          requestID: result.requestId,
        });
      }
      return { errMsg: 'cloud.callFunction:ok', result: result.result ?? null, requestID: result.requestId };
    });
  });
}
