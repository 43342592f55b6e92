import type { ServiceFactory } from './service';

/**
 * Every local service, in start order. Later services may call earlier ones through
 * `ctx.service(name)` (e.g. the pay callbacks invoke functions).
 */
export const serviceFactories: ServiceFactory[] = [];
