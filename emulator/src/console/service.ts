import type { EmulatorService, ServiceFactory } from '../service';
import { registerConsoleDataRoutes } from './data-routes';
import { registerConsolePageRoutes } from './page-routes';

/** The local web console at `GET /`: a static page over the services' loopback-only admin routes. */
export class ConsoleService implements EmulatorService {
  readonly name = 'console';
  /** Routes are registered by the factory; nothing runs in the background. */
  async start(): Promise<void> {}
  /** Nothing to release. */
  async stop(): Promise<void> {}
  /** Where to open it, for `/health`. */
  info(): Record<string, unknown> {
    return { path: '/' };
  }
  /** The console keeps no state. */
  async reset(): Promise<void> {}
}

/** Service factory for emulator/src/services.ts. */
export const consoleService: ServiceFactory = (ctx) => {
  registerConsolePageRoutes(ctx.app);
  registerConsoleDataRoutes(ctx);
  return new ConsoleService();
};
