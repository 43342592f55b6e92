import cloud from 'wx-server-sdk';
import { bulkInsertDocuments, databaseService, type DatabaseService } from '../emulator/src/database';
import { callFunctionAsClient, functionsServiceWith, type FunctionsService } from '../emulator/src/functions';
import type { SdkDatabase } from '../test/emulator/database/sdk-setup';
import { fixtureFunctionsDir, startBenchHub } from './fresh-hub';
import { formatTable, measureLatency, measureThroughput, type BenchRow } from './lib/stats';

/** Documents in the indexed-read collection. */
const DOCUMENTS = 100_000;
/** Warm instances the function is pinned to. */
const WORKERS = 4;
const SUITE = 'emulator';

/** One client-gateway call of the echoContext fixture; throws when the gateway refuses it. */
async function echo(baseUrl: string, index: number): Promise<void> {
  const outcome = await callFunctionAsClient(baseUrl, { name: 'echoContext', openid: `bench-user-${index}` });
  if (!outcome.ok) throw new Error(`callFunction failed: ${outcome.errCode} ${outcome.errMsg}`);
}

/** Gateway round trip and invocations per second against 4 prewarmed instances of echoContext. */
async function functionRows(): Promise<BenchRow[]> {
  const functionsDir = fixtureFunctionsDir(['echoContext']);
  const bench = await startBenchHub(
    [databaseService, functionsServiceWith({ maxWorkersPerFunction: WORKERS, echoLogs: false })],
    { functionsDir },
    [functionsDir],
  );
  try {
    const functions = bench.hub.service<FunctionsService>('functions');
    await functions.prewarm('echoContext', WORKERS);
    const baseUrl = bench.hub.baseUrl;
    const latency = await measureLatency(SUITE, 'callFunction warm round trip (gateway)', 300, (i) =>
      echo(baseUrl, i),
    );
    const throughput = await measureThroughput(
      SUITE,
      `invocations/s, ${WORKERS} warm workers (${WORKERS} in flight)`,
      600,
      WORKERS,
      (i) => echo(baseUrl, i),
    );
    return [latency, throughput];
  } finally {
    await bench.stop();
  }
}

/** Indexed where().get() over 100,000 documents and a one-document transaction, through wx-server-sdk. */
async function databaseRows(): Promise<BenchRow[]> {
  const bench = await startBenchHub([databaseService]);
  try {
    Object.assign(process.env, bench.hub.sdkEnv());
    cloud.init({ env: bench.hub.config.envId });
    const db = cloud.database() as unknown as SdkDatabase;
    const database = bench.hub.service<DatabaseService>('database');
    database.createCollection('benchLoans', [
      { name: 'applicant_openid', keys: [{ field: 'applicant.openid', direction: 1 }], unique: true },
    ]);
    bulkInsertDocuments(
      bench.hub,
      'benchLoans',
      Array.from({ length: DOCUMENTS }, (_v, i) => ({
        _id: `loan${String(i).padStart(6, '0')}`,
        amount: i,
        applicant: { openid: `openid-${i}` },
      })),
    );
    const read = await measureLatency(
      SUITE,
      `indexed where().get() on ${DOCUMENTS.toLocaleString('en-US')} docs`,
      300,
      async (i) => {
        const wanted = Math.abs(i * 7919) % DOCUMENTS;
        const { data } = await db
          .collection('benchLoans')
          .where({ applicant: { openid: `openid-${wanted}` } })
          .get();
        if (data.length !== 1) throw new Error(`expected one match, got ${data.length}`);
      },
    );
    const byId = await measureLatency(
      SUITE,
      `doc(id).get() on ${DOCUMENTS.toLocaleString('en-US')} docs`,
      300,
      async (i) => {
        const wanted = Math.abs(i * 7919) % DOCUMENTS;
        const { data } = await db
          .collection('benchLoans')
          .doc(`loan${String(wanted).padStart(6, '0')}`)
          .get();
        if (!data) throw new Error('expected the document');
      },
    );
    database.createCollection('benchAccounts');
    bulkInsertDocuments(bench.hub, 'benchAccounts', [{ _id: 'acct', balance: 0 }]);
    const transaction = await measureLatency(SUITE, 'runTransaction (read + update one doc)', 200, () =>
      db.runTransaction(async (t) => {
        const doc = await t.collection('benchAccounts').doc('acct').get();
        const balance = (doc.data as { balance: number } | null)?.balance ?? 0;
        await t
          .collection('benchAccounts')
          .doc('acct')
          .update({ data: { balance: balance + 1 } });
      }),
    );
    return [read, byId, transaction];
  } finally {
    await bench.stop();
  }
}

/** Every emulator figure, each part on a fresh data folder. */
export async function runEmulatorBench(): Promise<BenchRow[]> {
  return [...(await functionRows()), ...(await databaseRows())];
}

if (require.main === module) {
  runEmulatorBench()
    .then((rows) => console.log(formatTable(rows)))
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
