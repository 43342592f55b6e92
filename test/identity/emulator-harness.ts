import type { FunctionsService } from '../../emulator/src/functions';
import type { DatabaseService } from '../../emulator/src/database';
import type { TestEmulator } from '../helpers/emulator';

/** What the identity function answers (ApiResult). */
export type Answer =
  { ok: true; data: Record<string, unknown> } | { ok: false; error: { code: string; message: string } };

/** Calls `identity` through the client gateway as the mini-program would, for `openid`. */
export async function callIdentity(
  emu: TestEmulator,
  openid: string,
  data: Record<string, unknown>,
): Promise<Answer> {
  const response = await fetch(`${emu.baseUrl}/client/callFunction`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-wx-openid': openid, 'x-wx-clientip': '203.0.113.7' },
    body: JSON.stringify({ name: 'identity', data }),
  });
  const body = (await response.json()) as { result?: Answer; errMsg?: string };
  if (!response.ok || !body.result)
    throw new Error(`callFunction failed: ${response.status} ${body.errMsg ?? ''}`);
  return body.result;
}

export { userAction } from '../helpers/emulator';

/** Every row of every SQLite table as text (BLOBs as UTF-8), plus every decoded document. */
export function databaseDump(emu: TestEmulator): string {
  const tables = emu.hub.sqlite
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
    .all() as Array<{ name: string }>;
  const rows = tables.flatMap(({ name }) => emu.hub.sqlite.prepare(`SELECT * FROM "${name}"`).all());
  const raw = JSON.stringify(rows, (_key, value: unknown) =>
    value && typeof value === 'object' && (value as { type?: string }).type === 'Buffer'
      ? Buffer.from((value as { data: number[] }).data).toString('utf8')
      : value,
  );
  return raw + JSON.stringify(documents(emu));
}

/** Decoded documents by collection. */
export function documents(emu: TestEmulator): Record<string, unknown[]> {
  const store = emu.hub.service<DatabaseService>('database').engine.store;
  return Object.fromEntries(store.collectionNames().map((name) => [name, [...store.scan(name)]]));
}

/** Every log line the identity function printed. */
export function identityLogs(emu: TestEmulator): string {
  const functions = emu.hub.service<FunctionsService>('functions');
  return JSON.stringify(
    functions.invocations({ name: 'identity', limit: 500 }).map((r) => [r.logs, r.error]),
  );
}
