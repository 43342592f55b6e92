import type { FunctionsApi } from '../functions/api';
import type { EmulatorContext, EmulatorService } from '../service';
import { keysAsEnv, loadOrCreateKeys, type LocalPiiKeys } from './key-file';

/**
 * Local secrets: generates the personal-data keys in the data folder on first start and hands them
 * to every function invocation as environment variables, as the console's function configuration
 * does in CloudBase. It looks the functions service up at start, when every service exists.
 */
export class SecretsService implements EmulatorService {
  readonly name = 'secrets';
  private keys: LocalPiiKeys | undefined;
  private contributed = false;

  constructor(private readonly ctx: EmulatorContext) {}

  async start(): Promise<void> {
    this.keys = loadOrCreateKeys(this.ctx.config.dataDir);
    const functions = this.functionsService();
    if (functions) {
      functions.contributeEnv(() => (this.keys ? keysAsEnv(this.keys) : {}));
      this.contributed = true;
    }
  }

  async stop(): Promise<void> {}

  /** Never reports key material: only which key is active and whether functions receive them. */
  info(): Record<string, unknown> {
    return { activeKid: this.keys?.activeKid, contributedToFunctions: this.contributed };
  }

  /** Keys are not state: resetting the data keeps them, so envelopes written before stay readable. */
  async reset(): Promise<void> {}

  /** The variables functions receive (tests use them to decrypt what a function stored). */
  env(): Record<string, string> {
    if (!this.keys) throw new Error('secrets service not started');
    return keysAsEnv(this.keys);
  }

  private functionsService(): FunctionsApi | undefined {
    try {
      return this.ctx.service<EmulatorService & FunctionsApi>('functions');
    } catch {
      return undefined;
    }
  }
}

/** Factory for services.ts. */
export function secretsService(ctx: EmulatorContext): EmulatorService {
  return new SecretsService(ctx);
}
