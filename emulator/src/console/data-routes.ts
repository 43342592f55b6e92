import { EJSON } from 'bson';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { AdminError } from '../admin-router';
import type { EmulatorContext, EmulatorService } from '../service';
import type { DatabaseService } from '../database';
import { decodeEjsonObject, type Doc } from '../database/values';
import type { FunctionsApi } from '../functions/api';
import { loopbackOnly } from '../loopback';

/** Body of `POST /_admin/console/collections/:name/find`: an EJSON filter and a page size. */
const findBody = z.object({
  filter: z.record(z.string(), z.unknown()).default({}),
  limit: z.number().int().min(1).max(1000).default(50),
});

/** Body of `PUT /_admin/console/collections/:name/documents/:id`: the whole new document (EJSON). */
const replaceBody = z.object({ document: z.record(z.string(), z.unknown()) });

/** Body of `POST /_admin/console/invoke`: as the console (no openid) or as a mini-program user. */
const invokeBody = z.object({
  name: z.string().min(1),
  event: z.record(z.string(), z.unknown()).default({}),
  openid: z.string().min(1).max(128).optional(),
});

/** Relaxed EJSON as a JSON value, so dates and other BSON types survive a round trip through the page. */
function toJsonValue(doc: Doc): unknown {
  return JSON.parse(EJSON.stringify(doc, { relaxed: true }));
}

/** Answers a database failure with its stable code; anything else is rethrown (a bug). */
async function dbFailure(reply: FastifyReply, error: unknown): Promise<FastifyReply> {
  if (error instanceof AdminError) return reply.code(400).send({ code: error.code, message: error.message });
  throw error;
}

/**
 * The console's own loopback-only endpoints (everything else it shows comes from the services'
 * existing admin routes): collections with counts, an EJSON filter read, replacing a document through
 * the database engine (locks and transactions respected, never raw SQL), and invoking a function as the
 * console (`scf`, no OPENID) or as a chosen OPENID (`wx_client`).
 */
export function registerConsoleDataRoutes(ctx: EmulatorContext): void {
  const app: FastifyInstance = ctx.app;
  const guard = { preHandler: loopbackOnly };
  const engine = () => ctx.service<DatabaseService>('database').engine;
  const functions = () => ctx.service<EmulatorService & FunctionsApi>('functions');

  app.get('/_admin/console/collections', guard, async () => {
    const store = engine().store;
    return { collections: store.collectionNames().map((name) => ({ name, count: store.count(name) })) };
  });

  app.post('/_admin/console/collections/:name/find', guard, async (request, reply) => {
    const parsed = findBody.safeParse(request.body ?? {});
    if (!parsed.success)
      return reply.code(400).send({ code: 'INVALID_BODY', message: z.prettifyError(parsed.error) });
    const { name } = request.params as { name: string };
    try {
      const filter = decodeEjsonObject(parsed.data.filter, 'filter');
      const docs = engine().find(name, filter, { limit: parsed.data.limit });
      return { documents: docs.map(toJsonValue) };
    } catch (error) {
      return dbFailure(reply, error);
    }
  });

  app.put('/_admin/console/collections/:name/documents/:id', guard, async (request, reply) => {
    const parsed = replaceBody.safeParse(request.body ?? {});
    if (!parsed.success)
      return reply.code(400).send({ code: 'INVALID_BODY', message: z.prettifyError(parsed.error) });
    const { name, id } = request.params as { name: string; id: string };
    try {
      const { _id: _ignored, ...content } = decodeEjsonObject(
        parsed.data.document,
        'document',
        ctx.clock.now(),
      );
      const target = { query: { _id: id }, byId: true, multi: false };
      const { updated } = await engine().modify(name, target, { data: content, merge: false }, false);
      const [after] = engine().find(name, { _id: id }, { limit: 1 });
      if (!after) return reply.code(404).send({ code: 'DOCUMENT_NOT_FOUND', message: 'no such document' });
      return { updated, document: toJsonValue(after) };
    } catch (error) {
      return dbFailure(reply, error);
    }
  });

  app.post('/_admin/console/invoke', guard, async (request, reply) => {
    const parsed = invokeBody.safeParse(request.body ?? {});
    if (!parsed.success)
      return reply.code(400).send({ code: 'INVALID_BODY', message: z.prettifyError(parsed.error) });
    const { name, event, openid } = parsed.data;
    await functions().loaded();
    if (!functions().names().includes(name))
      return reply.code(404).send({ code: 'FUNCTION_NOT_FOUND', message: 'no such function' });
    const appid = ctx.config.appId;
    // A chosen OPENID calls the way the mini-program gateway does; otherwise the console is a server caller.
    const result = openid
      ? await functions().invoke({
          name,
          event: { ...event, userInfo: { appId: appid, openId: openid } },
          source: 'wx_client',
          openid,
          appid,
        })
      : await functions().invoke({ name, event, source: 'scf' });
    return result;
  });
}
