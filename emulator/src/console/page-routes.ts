import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { loopbackOnly } from '../loopback';

/** The console's static files: name served under `/_admin/console/static/` → content type. */
const STATIC_FILES: Record<string, string> = {
  'console.js': 'text/javascript; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
};

/** Reads one file of ./static (read per request: small, and edits show up without a restart). */
function readStatic(name: string): string {
  return fs.readFileSync(path.join(__dirname, 'static', name), 'utf8');
}

/** `GET /` (the console page) and its script and stylesheet, loopback only. */
export function registerConsolePageRoutes(app: FastifyInstance): void {
  const guard = { preHandler: loopbackOnly };
  app.get('/', guard, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(readStatic('index.html')),
  );
  app.get('/_admin/console/static/:file', guard, async (request, reply) => {
    const { file } = request.params as { file: string };
    const type = STATIC_FILES[file];
    if (!type) return reply.code(404).send({ code: 'NOT_FOUND', message: 'no such console file' });
    return reply.type(type).header('cache-control', 'no-store').send(readStatic(file));
  });
}
