import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { loopbackOnly } from '../loopback';
import type { TimerService } from './service';

const fireBody = z.object({ function: z.string().min(1), trigger: z.string().min(1) });

/** Loopback-only views of the timers: the list with next fire times, and firing one tick now. */
export function registerTimerRoutes(app: FastifyInstance, timers: TimerService): void {
  const guard = { preHandler: loopbackOnly };
  app.get('/_admin/timers', guard, async () => ({ timers: timers.list() }));
  app.post('/_admin/timers/fire', guard, async (request, reply) => {
    const parsed = fireBody.safeParse(request.body ?? {});
    if (!parsed.success)
      return reply.code(400).send({ code: 'INVALID_BODY', message: z.prettifyError(parsed.error) });
    if (!timers.has(parsed.data.function, parsed.data.trigger))
      return reply.code(404).send({ code: 'TIMER_NOT_FOUND', message: 'no such function timer' });
    return { run: await timers.fire(parsed.data.function, parsed.data.trigger) };
  });
}
