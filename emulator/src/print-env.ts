import { configFromEnv } from './config';
import { sdkEnvironment } from './sdk-env';

/** `npm run env`: prints `export` lines that point any wx-server-sdk process at the local backend. */
function printEnvironment(): void {
  const config = configFromEnv();
  const url = `http://${config.host}:${config.port}`;
  for (const [key, value] of Object.entries(sdkEnvironment(url, config.envId))) {
    console.log(`export ${key}='${value.replace(/'/g, `'\\''`)}'`);
  }
}

printEnvironment();
