import type Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import type { AdminRouter } from './admin-router';
import type { EmulatorClock } from './clock';
import type { EmulatorConfig } from './config';
import type { EmulatorScheduler } from './scheduler';

/** One local service (database, functions, WeChat Pay sandbox, …): the lifecycle the hub drives. */
export interface EmulatorService {
  /** Stable name shown by `/health` and the console. */
  readonly name: string;
  /** Starts background work (workers, schedules); routes are registered at construction. */
  start(): Promise<void>;
  /** Releases everything the service holds. */
  stop(): Promise<void>;
  /** What `/health` reports for this service. */
  info(): Record<string, unknown>;
  /** Drops all state (tests call this between cases). */
  reset(): Promise<void>;
}

/** What every service is given: configuration, the one clock, storage, and the HTTP surfaces. */
export interface EmulatorContext {
  config: EmulatorConfig;
  clock: EmulatorClock;
  scheduler: EmulatorScheduler;
  /** The emulator's single SQLite connection (each service owns its own tables). */
  sqlite: Database.Database;
  /** Dispatch table for `POST /admin` actions (the SDK wire protocol). */
  admin: AdminRouter;
  /** The HTTP app, for services with routes of their own. */
  app: FastifyInstance;
  /** Base URL the backend answers on, known once it listens. */
  baseUrl(): string;
  /** Other services by name, for cross-service calls (e.g. pay callbacks invoking functions). */
  service<T extends EmulatorService>(name: string): T;
}

/** Builds a service from the shared context. */
export type ServiceFactory = (ctx: EmulatorContext) => EmulatorService;
