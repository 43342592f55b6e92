import { configFromEnv } from '../../../emulator/src/config';
import type { FunctionsApi } from '../../../emulator/src/functions/api';
import { EmulatorHub } from '../../../emulator/src/hub';
import { loopbackOnly } from '../../../emulator/src/loopback';
import type { SecretsService } from '../../../emulator/src/secrets';
import type { EmulatorService } from '../../../emulator/src/service';
import type { WechatPaySandbox } from '../../../emulator/src/wechatpay';

/**
 * The local backend as its own process, for tests that kill it (SIGKILL) and restart it on the same
 * data folder. Besides `npm start`'s surfaces it serves two loopback test routes: the environment a
 * function (or a test process acting as one) gets, and extra variables for every invocation
 * (crash injection such as `WXLEND_CRASH_AT` + `WXLEND_CRASH_MODE=kill`).
 */
async function main(): Promise<void> {
  const hub = new EmulatorHub(configFromEnv());
  let extra: Record<string, string> = {};
  hub.service<EmulatorService & FunctionsApi>('functions').contributeEnv(() => ({ ...extra }));
  hub.app.post('/_test/function-env', { preHandler: loopbackOnly }, async (request) => {
    extra = { ...(request.body as Record<string, string>) };
    return { ok: true };
  });
  hub.app.get('/_test/env', { preHandler: loopbackOnly }, async () => ({
    ...hub.service<SecretsService>('secrets').env(),
    ...hub.service<WechatPaySandbox>('wechatpay').functionEnv(),
    ...hub.sdkEnv(),
  }));
  await hub.start();
  console.log(`child hub ${process.pid} listening on ${hub.baseUrl}`);
}

main().catch((error: unknown) => {
  console.error(`child hub failed: ${(error as Error).message}`);
  process.exit(1);
});
