import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { loopbackOnly } from '../loopback';
import type { FunctionRuntime } from './runtime';

/** Query of `GET /_admin/functions/invocations`. */
const invocationQuery = z.object({
  name: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
});

/**
 * Loopback-only views for the console and tests: `GET /_admin/functions` (functions, configs, instances,
 * totals, bundling failures) and `GET /_admin/functions/invocations?name=&limit=` (recent invocations
 * with their logs, newest first).
 */
export function registerFunctionsAdminRoutes(
  app: FastifyInstance,
  runtime: FunctionRuntime,
  overview: () => Record<string, unknown>,
): void {
  app.get('/_admin/functions', { preHandler: loopbackOnly }, async () => overview());
  app.get('/_admin/functions/invocations', { preHandler: loopbackOnly }, async (request, reply) => {
    const parsed = invocationQuery.safeParse(request.query);
    if (!parsed.success)
      return reply.code(400).send({ code: 'INVALID_QUERY', message: 'name must be text; limit 1–1000' });
    return { invocations: runtime.invocations(parsed.data) };
  });
}
