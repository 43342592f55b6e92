import type { FastifyInstance } from 'fastify';
import { loopbackOnly } from '../loopback';
import type { AccessTokens } from './access-tokens';
import type { FaceSessions } from './face-sessions';

/** What the HTTPS API routes need from the openapi service. */
export interface HttpsApiDeps {
  tokens: AccessTokens;
  face: FaceSessions;
  now(): number;
  /** Records the call in the outbox (api name, errcode, parameters without personal data). */
  record(api: string, errcode: number, payload: Record<string, unknown>): void;
}

function bodyOf(body: unknown): Record<string, unknown> {
  return body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
}

function errcodeOf(answer: Record<string, unknown>): number {
  return typeof answer.errcode === 'number' ? answer.errcode : 0;
}

/**
 * The mini-program server APIs WeChat serves only over HTTPS (no cloud call): `stable_token`
 * (getStableAccessToken) and face verification's getverifyid / queryverifyinfo, each behind the
 * `?access_token=` check. Answers are HTTP 200 with `errcode`, as api.weixin.qq.com answers.
 */
export function registerHttpsApiRoutes(app: FastifyInstance, deps: HttpsApiDeps): void {
  app.post('/cgi-bin/stable_token', async (request) => {
    const body = bodyOf(request.body);
    const answer = deps.tokens.issue(body, deps.now());
    deps.record('getStableAccessToken', errcodeOf(answer), { appid: body.appid });
    return answer;
  });
  const withToken = (
    path: string,
    api: string,
    handle: (body: Record<string, unknown>) => Record<string, unknown>,
    logged: (body: Record<string, unknown>) => Record<string, unknown>,
  ): void => {
    app.post(path, async (request) => {
      const body = bodyOf(request.body);
      const token = (request.query as { access_token?: string }).access_token;
      const answer = deps.tokens.refusal(token, deps.now()) ?? handle(body);
      const errcode = errcodeOf(answer);
      deps.record(api, errcode, logged(body));
      return errcode === 0 ? { errcode: 0, errmsg: 'ok', ...answer } : answer;
    });
  };
  withToken(
    '/cityservice/face/identify/getverifyid',
    'getVerifyId',
    (body) => deps.face.getVerifyId(body, deps.now()),
    (body) => ({ openid: body.openid, out_seq_no: body.out_seq_no }),
  );
  withToken(
    '/cityservice/face/identify/queryverifyinfo',
    'queryVerifyInfo',
    (body) => deps.face.queryVerifyInfo(body),
    (body) => ({ openid: body.openid, out_seq_no: body.out_seq_no }),
  );
  app.post('/_admin/openapi/access-tokens/revoke', { preHandler: loopbackOnly }, async () => ({
    revoked: deps.tokens.revokeAll(),
  }));
}
