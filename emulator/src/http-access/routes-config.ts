import fs from 'node:fs';
import { z } from 'zod';

/** One HTTP access route: requests under `path` trigger `function`. */
export const httpRouteSchema = z.object({
  /** Path the route serves, starting with `/`; sub-paths match too (longest prefix wins). */
  path: z
    .string()
    .regex(/^\/[A-Za-z0-9\-._~/]*$/, 'a path starting with / (letters, digits, -._~/)')
    .transform((p) => (p.length > 1 ? p.replace(/\/+$/, '') : p)),
  /** Cloud function (folder name) the route triggers. */
  function: z.string().min(1),
});

/** One HTTP access route. */
export type HttpRoute = z.infer<typeof httpRouteSchema>;

const fileSchema = z.object({ $comment: z.string().optional(), routes: z.array(httpRouteSchema) });

/** Reads cloudbase/http-access.json; a missing file means no routes, a malformed one is an error. */
export function loadHttpRoutes(file: string): HttpRoute[] {
  if (!fs.existsSync(file)) return [];
  const parsed = fileSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
  if (!parsed.success) throw new Error(`${file}: ${z.prettifyError(parsed.error)}`);
  return parsed.data.routes;
}

/** The route serving `path`: the longest route path equal to it or a parent of it. */
export function matchRoute(routes: HttpRoute[], path: string): HttpRoute | undefined {
  let best: HttpRoute | undefined;
  for (const route of routes) {
    const matches = route.path === '/' || path === route.path || path.startsWith(`${route.path}/`);
    if (matches && (!best || route.path.length > best.path.length)) best = route;
  }
  return best;
}
