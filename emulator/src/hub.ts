import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import Fastify, { type FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import { AdminRouter } from './admin-router';
import { registerAdminRoute } from './admin-route';
import { EmulatorClock } from './clock';
import type { EmulatorConfig } from './config';
import { loopbackOnly } from './loopback';
import { EmulatorScheduler } from './scheduler';
import type { EmulatorContext, EmulatorService, ServiceFactory } from './service';
import { serviceFactories } from './services';
import { sdkEnvironment } from './sdk-env';

/** The running local backend: one HTTP server, one clock, one SQLite file, many services. */
export class EmulatorHub {
  readonly app: FastifyInstance;
  /** Emulator time; its offset is kept in the data folder (`clock.json`) across restarts. */
  readonly clock: EmulatorClock;
  readonly scheduler: EmulatorScheduler;
  readonly admin = new AdminRouter();
  readonly sqlite: Database.Database;
  private readonly services: EmulatorService[] = [];
  private url = '';
  private started = false;
  private markStarted: () => void = () => undefined;
  /** Settles when every service has started (or the hub stopped): requests before that wait for it. */
  private readonly startup = new Promise<void>((resolve) => (this.markStarted = resolve));

  constructor(
    readonly config: EmulatorConfig,
    factories: ServiceFactory[] = serviceFactories,
  ) {
    fs.mkdirSync(config.dataDir, { recursive: true });
    this.clock = new EmulatorClock(path.join(config.dataDir, 'clock.json'));
    this.sqlite = new Database(path.join(config.dataDir, 'local.sqlite'));
    this.sqlite.pragma('journal_mode = WAL');
    this.sqlite.pragma('synchronous = NORMAL');
    this.scheduler = new EmulatorScheduler(this.clock);
    this.app = Fastify({ bodyLimit: 64 * 1024 * 1024, logger: false });
    void this.app.register(multipart, { limits: { fileSize: 16 * 1024 * 1024 } });
    const ctx: EmulatorContext = {
      config,
      clock: this.clock,
      scheduler: this.scheduler,
      sqlite: this.sqlite,
      admin: this.admin,
      app: this.app,
      baseUrl: () => this.url,
      service: <T extends EmulatorService>(name: string) => this.service<T>(name),
    };
    // Only /health answers while services start; every other request waits (no FUNCTION_NOT_FOUND gap).
    this.app.addHook('onRequest', async (request) => {
      if (!this.started && request.url !== '/health') await this.startup;
    });
    registerAdminRoute(this.app, this.admin, () => this.config.sdkLatencyMs);
    this.registerHubRoutes();
    for (const factory of factories) this.services.push(factory(ctx));
  }

  /** Base URL, e.g. `http://127.0.0.1:9670`. */
  get baseUrl(): string {
    return this.url;
  }

  /** The environment a wx-server-sdk process needs to talk to this backend. */
  sdkEnv(): Record<string, string> {
    return sdkEnvironment(this.url, this.config.envId);
  }

  /** A service by name; throws when absent, which is a wiring bug. */
  service<T extends EmulatorService>(name: string): T {
    const found = this.services.find((s) => s.name === name);
    if (!found) throw new Error(`no emulator service named ${name}`);
    return found as T;
  }

  /**
   * Listens, then starts every service in order. Until the last one started, `/health` says `starting`
   * (calls that arrive meanwhile wait for their function to be loaded).
   */
  async start(): Promise<void> {
    await this.app.listen({ host: this.config.host, port: this.config.port });
    const address = this.app.server.address() as AddressInfo;
    this.url = `http://${this.config.host}:${address.port}`;
    for (const service of this.services) await service.start();
    this.started = true;
    this.markStarted();
    if (this.config.autoTick) this.scheduler.startTicking();
  }

  /** Stops services in reverse order, closes HTTP and storage. */
  async stop(): Promise<void> {
    this.started = false;
    this.markStarted();
    this.scheduler.stop();
    for (const service of [...this.services].reverse()) await service.stop();
    await this.app.close();
    this.sqlite.close();
  }

  /** Drops all state of every service and returns the clock to real time. */
  async reset(): Promise<void> {
    this.scheduler.clear();
    this.clock.reset();
    for (const service of this.services) await service.reset();
  }

  /** What `/health` answers. */
  health(): Record<string, unknown> {
    return {
      status: this.started ? 'ok' : 'starting',
      envId: this.config.envId,
      now: new Date(this.clock.now()).toISOString(),
      services: this.services.map((s) => ({ name: s.name, ...s.info() })),
    };
  }

  private registerHubRoutes(): void {
    this.app.get('/health', async () => this.health());
    this.app.post('/_admin/clock', { preHandler: loopbackOnly }, async (request, reply) => {
      const body = (request.body ?? {}) as { set?: unknown; advanceMs?: unknown };
      if (body.set !== undefined) {
        const target = typeof body.set === 'number' ? body.set : Date.parse(String(body.set));
        if (!Number.isFinite(target))
          return reply.code(400).send({ code: 'INVALID_TIME', message: 'set needs epoch ms or ISO time' });
        await this.clock.set(target);
      }
      if (body.advanceMs !== undefined) {
        const ms = Number(body.advanceMs);
        if (!Number.isFinite(ms) || ms < 0)
          return reply.code(400).send({ code: 'INVALID_ADVANCE', message: 'advanceMs must be ≥ 0' });
        await this.clock.advance(ms);
      }
      return {
        now: this.clock.now(),
        iso: new Date(this.clock.now()).toISOString(),
        offsetMs: this.clock.offset(),
      };
    });
    this.app.post('/_admin/reset', { preHandler: loopbackOnly }, async () => {
      await this.reset();
      return { ok: true };
    });
  }
}
