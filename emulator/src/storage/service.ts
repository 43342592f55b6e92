import type { EmulatorContext, EmulatorService } from '../service';
import { readStorageRules } from './acl';
import { registerStorageActions } from './actions';
import { StorageBucket } from './bucket';
import { FileStore } from './file-store';
import { registerStorageRoutes } from './routes';

/**
 * Cloud storage: the environment's bucket in the data folder's SQLite file (durable across restarts,
 * cleared by reset), served to the SDK over `POST /admin` plus the COS stand-in, and to the
 * mini-program through the client routes, with permissions from `cloudbase/storage.json`.
 */
export class StorageService implements EmulatorService {
  readonly name = 'storage';
  readonly bucket: StorageBucket;
  private readonly store: FileStore;

  constructor(ctx: EmulatorContext) {
    this.store = new FileStore(ctx.sqlite);
    const rules = readStorageRules(ctx.config.storageRulesFile);
    this.bucket = new StorageBucket(
      this.store,
      () => rules,
      ctx.config.envId,
      () => ctx.clock.now(),
      () => ctx.baseUrl(),
    );
    registerStorageActions(ctx.admin, () => this.bucket);
    registerStorageRoutes(ctx.app, () => this.bucket);
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  info(): Record<string, unknown> {
    return { bucket: this.bucket.name, files: this.bucket.count() };
  }

  async reset(): Promise<void> {
    this.store.clear();
  }
}

/** Factory for services.ts. */
export function storageService(ctx: EmulatorContext): EmulatorService {
  return new StorageService(ctx);
}
