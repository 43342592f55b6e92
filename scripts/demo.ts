import { connectBackend } from './demo/backend';
import { formatReport } from './demo/report';
import { runDemo } from './demo/run';

/** Default number of synthetic borrowers. */
const DEFAULT_BORROWERS = 20;

/** `--borrowers N` wins over DEMO_BORROWERS, which wins over the default. */
function borrowerCount(argv: string[], env: NodeJS.ProcessEnv): number {
  const flag = argv.indexOf('--borrowers');
  const raw = flag >= 0 ? (argv[flag + 1] ?? '') : env.DEMO_BORROWERS;
  if (raw === undefined) return DEFAULT_BORROWERS;
  const count = Number(raw);
  if (!Number.isInteger(count) || count < 1 || count > 1000) {
    throw new Error('DEMO_BORROWERS_INVALID: --borrowers / DEMO_BORROWERS must be a whole number 1–1000');
  }
  return count;
}

/** `npm run demo`: synthetic borrowers through the whole lending journey on the local backend. */
async function main(): Promise<void> {
  const borrowers = borrowerCount(process.argv.slice(2), process.env);
  const backend = await connectBackend();
  process.stderr.write(
    `${backend.startedHere ? 'started a local backend' : 'using the local backend'} at ${backend.baseUrl}; ${borrowers} borrowers\n`,
  );
  try {
    const result = await runDemo({ baseUrl: backend.baseUrl, borrowers, showProgress: true });
    console.log(formatReport(result, backend.baseUrl));
    if (backend.startedHere)
      console.log('(the backend started for this run stops now; run `npm start` to keep one up)');
    if (result.outcomes.some((o) => o.finalStatus !== o.expected)) process.exitCode = 1;
  } finally {
    await backend.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
