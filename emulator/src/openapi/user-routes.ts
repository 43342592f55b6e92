import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { loopbackOnly } from '../loopback';
import type { OpenapiService } from './service';

const openid = z.string().min(1).max(128);

const subscribeBody = z.object({
  openid,
  tmplIds: z.array(z.string().min(1)).min(1),
  /** Templates the user ticked; all of them when absent. */
  accepted: z.array(z.string().min(1)).optional(),
});
const phoneCodeBody = z.object({ openid, phone: z.string().regex(/^1\d{10}$/, 'a mainland mobile number') });
const faceVerifyBody = z.object({
  openid,
  /** From the server's getVerifyId. */
  verifyId: z.string().min(1).max(256),
  /** What queryVerifyInfo will report: 10000 = the face matched; e.g. 90002 cancelled, 10004 not the same person. */
  verifyRet: z.number().int().default(10000),
});
const ocrImageBody = z.object({
  side: z.enum(['Front', 'Back']).default('Front'),
  name: z.string().max(64).optional(),
  id: z.string().max(32).optional(),
  addr: z.string().max(256).optional(),
  gender: z.string().max(8).optional(),
  nationality: z.string().max(16).optional(),
  validDate: z.string().max(32).optional(),
});
const visitBody = z.object({ openid });

/** Parses a body with a schema, answering 400 `{code:'INVALID_BODY'}` when it does not fit. */
function parse<T>(schema: z.ZodType<T>, body: unknown, reply: FastifyReply): T | undefined {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  void reply.code(400).send({ code: 'INVALID_BODY', message: z.prettifyError(result.error) });
  return undefined;
}

/**
 * Loopback-only endpoints standing in for what the mini-program does on the device
 * (subscribe taps, the phone-number button, face verification, photographing an ID card), plus
 * the outbox of every openapi call.
 */
export function registerOpenapiRoutes(app: FastifyInstance, service: OpenapiService): void {
  const guard = { preHandler: loopbackOnly };
  app.post('/_user/subscribe', guard, async (request, reply) => {
    const body = parse(subscribeBody, request.body, reply);
    if (!body) return reply;
    try {
      const answer = service.grantSubscriptions(body.openid, body.tmplIds, body.accepted ?? body.tmplIds);
      return { errMsg: 'requestSubscribeMessage:ok', ...answer };
    } catch (error) {
      return reply.code(400).send({ code: 'TOO_MANY_TEMPLATES', message: (error as Error).message });
    }
  });
  app.post('/_user/phone-code', guard, async (request, reply) => {
    const body = parse(phoneCodeBody, request.body, reply);
    if (!body) return reply;
    return service.issuePhoneCode(body.openid, body.phone);
  });
  app.post('/_user/face-verify', guard, async (request, reply) => {
    const body = parse(faceVerifyBody, request.body, reply);
    if (!body) return reply;
    const failure = service.runFacialVerify(body);
    if (failure) return reply.code(400).send({ errMsg: failure, errCode: 1 });
    return { errMsg: 'requestFacialVerify:ok', errCode: 0 };
  });
  app.post('/_user/ocr-image', guard, async (request, reply) => {
    const body = parse(ocrImageBody, request.body, reply);
    if (!body) return reply;
    return service.registerIdCardImage(body);
  });
  app.get('/_user/ocr-image/:file', guard, async (request, reply) => {
    const bytes = service.idCardImageBytes((request.params as { file: string }).file);
    if (!bytes) return reply.code(404).send({ code: 'NOT_FOUND', message: 'no such image' });
    return reply.type('image/jpeg').send(bytes);
  });
  app.post('/_user/visit', guard, async (request, reply) => {
    const body = parse(visitBody, request.body, reply);
    if (!body) return reply;
    service.markVisit(body.openid);
    return { ok: true };
  });
  app.get('/_admin/openapi/outbox', guard, async (request) => {
    const query = request.query as { kind?: string; api?: string };
    return { entries: service.outbox({ kind: query.kind, api: query.api }) };
  });
}
