import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { loopbackOnly } from '../loopback';
import type { CloudPayService } from './service';

const payBody = z
  .object({
    openid: z.string().min(1),
    /** `prepay_id` from unifiedOrder, or the `package` string (`prepay_id=…`) the page received. */
    prepayId: z.string().optional(),
    package: z.string().optional(),
    /** `success` pays; `cancel` is the payer closing the sheet (nothing changes). */
    outcome: z.enum(['success', 'cancel']).default('success'),
  })
  .refine((b) => b.prepayId || b.package, 'prepayId or package is required');

/** Loopback-only: the payer completing `wx.requestPayment`, and views of orders and callbacks. */
export function registerPayerRoutes(app: FastifyInstance, service: CloudPayService): void {
  const guard = { preHandler: loopbackOnly };
  app.post('/_user/pay', guard, async (request, reply) => {
    const parsed = payBody.safeParse(request.body ?? {});
    if (!parsed.success)
      return reply.code(400).send({ code: 'INVALID_BODY', message: z.prettifyError(parsed.error) });
    const body = parsed.data;
    const prepayId = body.prepayId ?? (body.package ?? '').replace(/^prepay_id=/, '');
    const outcome = service.completePayment(prepayId, body.openid, body.outcome);
    if (!outcome.ok) return reply.code(outcome.status).send({ code: outcome.code, message: outcome.message });
    return outcome.answer;
  });
  app.get('/_admin/cloudpay/orders', guard, async () => ({ orders: service.orders() }));
  app.get('/_admin/cloudpay/callbacks', guard, async () => ({ callbacks: service.callbacks() }));
}
