import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { loopbackOnly } from '../loopback';
import type { BillEngine } from './bill-engine';
import { faultSpecSchema } from './fault-plan';
import type { SigningKind } from './sandbox-signing';

/** What the user-side and admin routes need from the sandbox. */
export interface SideRouteDeps {
  engine: BillEngine;
  addFault: (spec: z.input<typeof faultSpecSchema>) => unknown;
  clearFaults: () => void;
  pendingFaults: () => unknown;
  listBills: () => unknown;
  setSigningKind: (kind: SigningKind) => void;
}

const userActionSchema = z.object({
  mchId: z.string().min(1),
  appId: z.string().min(1),
  package: z.string().min(1),
  openId: z.string().min(1),
  action: z.enum(['confirm', 'close']),
});

const faultsBodySchema = z.union([z.object({ clear: z.literal(true) }), faultSpecSchema]);

/** `/_user/wechatpay/merchant-transfer` (the borrower's client) and the loopback-only admin routes. */
export function registerSideRoutes(app: FastifyInstance, deps: SideRouteDeps): void {
  app.post('/_user/wechatpay/merchant-transfer', async (request, reply) => {
    const parsed = userActionSchema.safeParse(request.body);
    if (!parsed.success)
      return reply.code(400).send({
        errMsg: 'requestMerchantTransfer:fail invalid parameters',
        code: 'INVALID_PARAMETERS',
      });
    const result = deps.engine.userAction(parsed.data);
    return reply.code(result.status).send(result.body);
  });

  app.post('/_admin/wechatpay/faults', { preHandler: loopbackOnly }, async (request, reply) => {
    const parsed = faultsBodySchema.safeParse(request.body);
    if (!parsed.success)
      return reply
        .code(400)
        .send({ code: 'INVALID_FAULT', message: parsed.error.issues[0]?.message ?? 'invalid' });
    if ('clear' in parsed.data) deps.clearFaults();
    else deps.addFault(parsed.data);
    return { faults: deps.pendingFaults() };
  });

  app.get('/_admin/wechatpay/bills', { preHandler: loopbackOnly }, async () => ({ bills: deps.listBills() }));

  app.post('/_admin/wechatpay/signing', { preHandler: loopbackOnly }, async (request, reply) => {
    const parsed = z.object({ with: z.enum(['public_key', 'platform_cert']) }).safeParse(request.body);
    if (!parsed.success)
      return reply
        .code(400)
        .send({ code: 'INVALID_SIGNING', message: 'with must be public_key or platform_cert' });
    deps.setSigningKind(parsed.data.with);
    return { signWith: parsed.data.with };
  });
}
