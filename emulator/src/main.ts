import { configFromEnv } from './config';
import { EmulatorHub } from './hub';

/** `npm start`: runs the local CloudBase until interrupted. */
async function main(): Promise<void> {
  const hub = new EmulatorHub(configFromEnv());
  await hub.start();
  console.log(`wxlend local CloudBase listening on ${hub.baseUrl}`);
  console.log(`  data folder: ${hub.config.dataDir}`);
  console.log(`  health:      ${hub.baseUrl}/health`);
  console.log(`  SDK env:     npm run env`);
  const shutdown = (): void => {
    void hub.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(`local CloudBase failed to start: ${(error as Error).message}`);
  process.exit(1);
});
