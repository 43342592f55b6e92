import fs from 'node:fs';
import path from 'node:path';
import type { EmulatorService, ServiceFactory } from '../service';
import { bundleWorkbench, workbenchRoot } from './bundle';

/** URL prefix of the operators' workbench web app. */
export const WORKBENCH_PREFIX = '/ops';

/**
 * Serves the workbench web app at `/ops/`, as CloudBase static hosting would: the page and one
 * bundled script, built on first request (so backends started by tests pay nothing). It calls the
 * HTTP access route `/http/workbench`.
 */
export class WorkbenchService implements EmulatorService {
  readonly name = 'workbench';
  private bundle: Promise<string> | undefined;

  constructor(private readonly projectRoot: string) {}

  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async reset(): Promise<void> {}
  info(): Record<string, unknown> {
    return { path: `${WORKBENCH_PREFIX}/`, built: this.bundle !== undefined };
  }

  /** The page. */
  page(): string {
    return fs.readFileSync(path.join(workbenchRoot(this.projectRoot), 'index.html'), 'utf8');
  }

  /** The bundled script, built once per process. */
  script(): Promise<string> {
    this.bundle ??= bundleWorkbench(this.projectRoot).catch((error: unknown) => {
      this.bundle = undefined;
      throw error;
    });
    return this.bundle;
  }
}

/** Service factory for emulator/src/services.ts. */
export const workbenchService: ServiceFactory = (ctx) => {
  const service = new WorkbenchService(ctx.config.projectRoot);
  ctx.app.get(WORKBENCH_PREFIX, async (_request, reply) => reply.redirect(`${WORKBENCH_PREFIX}/`));
  ctx.app.get(`${WORKBENCH_PREFIX}/`, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(service.page()),
  );
  ctx.app.get(`${WORKBENCH_PREFIX}/app.js`, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').send(await service.script()),
  );
  return service;
};
