import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AdminReply, AdminRequest, AdminRouter } from './admin-router';

/** Decodes a JSON or multipart `POST /admin` body into an AdminRequest. */
async function decodeAdminRequest(request: FastifyRequest): Promise<AdminRequest> {
  const params: Record<string, unknown> = {};
  const fields: Record<string, Buffer> = {};
  if (request.isMultipart()) {
    for await (const part of request.parts()) {
      const bytes =
        part.type === 'file' ? await part.toBuffer() : Buffer.from(String(part.value ?? ''), 'utf8');
      fields[part.fieldname] = bytes;
      params[part.fieldname] = bytes.toString('utf8');
    }
  } else if (request.body && typeof request.body === 'object') {
    Object.assign(params, request.body);
  }
  const query = request.query as Record<string, string | undefined>;
  return {
    params,
    fields,
    apiToken: typeof params.wxCloudApiToken === 'string' ? params.wxCloudApiToken : undefined,
    env: query.env,
    headers: request.headers,
  };
}

/**
 * Serves the SDK wire protocol at `POST /admin`: every action goes through the router. `latencyMs()`
 * (read per call) delays each call before it is served, standing in for the network round trip.
 */
export function registerAdminRoute(app: FastifyInstance, router: AdminRouter, latencyMs: () => number): void {
  app.post('/admin', async (request, reply) => {
    const decoded = await decodeAdminRequest(request);
    const delay = latencyMs();
    if (delay > 0) await sleep(delay);
    const answer: AdminReply = await router.dispatch(decoded);
    const requestId = randomUUID();
    if (answer.kind === 'raw') {
      return reply
        .code(answer.status ?? 200)
        .type(answer.contentType)
        .send(answer.body);
    }
    if (answer.kind === 'error') return reply.send({ requestId, code: answer.code, message: answer.message });
    return reply.send({ requestId, ...(answer.extra ?? {}), data: answer.data ?? {} });
  });
}
