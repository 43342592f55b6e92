import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { FunctionsApi } from '../functions/api';
import { loopbackOnly } from '../loopback';
import type { EmulatorContext, EmulatorService } from '../service';
import {
  answerFromResult,
  encodeBody,
  flattenHeaders,
  queryParameters,
  type HttpIntegrationEvent,
} from './integration';
import { httpRouteSchema, loadHttpRoutes, matchRoute, type HttpRoute } from './routes-config';

/** URL prefix of the HTTP access service: `/http/<route path>` (clashes with no other surface). */
export const HTTP_ACCESS_PREFIX = '/http';

/** Headers the HTTP layer owns; a function cannot set them. */
const HOP_BY_HOP = new Set(['content-length', 'transfer-encoding', 'connection']);

/**
 * CloudBase's HTTP access service: requests under `/http` trigger the function the route names,
 * with SOURCE `wx_http` and the integration event; the raw request bytes reach it unchanged.
 */
export class HttpAccessService implements EmulatorService {
  readonly name = 'http-access';
  private routes: HttpRoute[];
  private readonly configured: HttpRoute[];

  constructor(private readonly ctx: EmulatorContext) {
    this.configured = loadHttpRoutes(path.join(ctx.config.projectRoot, 'cloudbase', 'http-access.json'));
    this.routes = [...this.configured];
    void ctx.app.register(async (scope) => this.registerRoutes(scope));
    ctx.app.get('/_admin/http-access/routes', { preHandler: loopbackOnly }, async () => ({
      prefix: HTTP_ACCESS_PREFIX,
      routes: this.routes,
    }));
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  info(): Record<string, unknown> {
    return { prefix: HTTP_ACCESS_PREFIX, routes: this.routes.length };
  }

  /** Back to the routes of cloudbase/http-access.json. */
  async reset(): Promise<void> {
    this.routes = [...this.configured];
  }

  /** Adds (or replaces) a route at run time, e.g. a test's own function. */
  addRoute(route: HttpRoute): void {
    const parsed = httpRouteSchema.parse(route);
    this.routes = [...this.routes.filter((r) => r.path !== parsed.path), parsed];
  }

  /** The routes being served. */
  list(): HttpRoute[] {
    return [...this.routes];
  }

  private registerRoutes(scope: FastifyInstance): void {
    // Signature checks need the exact bytes: no JSON or multipart parsing in this scope.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    const handler = (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> =>
      this.serve(request, reply);
    scope.all(HTTP_ACCESS_PREFIX, handler);
    scope.all(`${HTTP_ACCESS_PREFIX}/*`, handler);
  }

  private async serve(request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
    const rawPath = request.url.split('?')[0] ?? '';
    let routePath: string;
    try {
      routePath = decodeURI(rawPath.slice(HTTP_ACCESS_PREFIX.length)) || '/';
    } catch {
      return reply
        .code(400)
        .send({ code: 'INVALID_PATH', message: 'the path is not valid percent-encoding' });
    }
    const route = matchRoute(this.routes, routePath);
    if (!route)
      return reply.code(404).send({ code: 'HTTP_PATH_NOT_FOUND', message: `no route for ${routePath}` });
    const bytes = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const requestId = randomUUID();
    const event: HttpIntegrationEvent = {
      path: routePath,
      httpMethod: request.method,
      headers: flattenHeaders(request.headers),
      queryStringParameters: queryParameters(request.url),
      requestContext: {
        envId: this.ctx.config.envId,
        appId: this.ctx.config.appId,
        requestId,
        sourceIp: request.ip,
      },
      ...encodeBody(bytes, request.headers['content-type']),
    };
    const functions = this.ctx.service<EmulatorService & FunctionsApi>('functions');
    const result = await functions.invoke({
      name: route.function,
      event,
      source: 'wx_http',
      clientIp: request.ip,
    });
    if (result.error)
      return reply.code(502).send({ code: result.error.code, message: result.error.message, requestId });
    const answer = answerFromResult(result.result);
    for (const [key, value] of Object.entries(answer.headers))
      if (!HOP_BY_HOP.has(key)) void reply.header(key, value);
    return reply.code(answer.statusCode).send(answer.body);
  }
}

/** Factory for services.ts. */
export function httpAccessService(ctx: EmulatorContext): EmulatorService {
  return new HttpAccessService(ctx);
}
