import cloud from 'wx-server-sdk';
import type { DatabaseService } from '../../emulator/src/database';
import type { FunctionsService } from '../../emulator/src/functions';
import type { OpenapiService } from '../../emulator/src/openapi/service';
import type { ApiResult } from '../../typings/api';
import { startTestEmulator, userAction, useEmulatorEnv, type TestEmulator } from '../helpers/emulator';
import { photographIdCard } from '../helpers/id-card-photo';

/** The backend with every function of the project, and this process's SDK pointed at it (console calls). */
export async function startLendingEmulator(): Promise<TestEmulator> {
  const emu = await startTestEmulator();
  const functions = emu.hub.service<FunctionsService>('functions');
  const failures = functions
    .bundleFailures()
    .filter((f) => ['loan', 'review', 'ops', 'notify', 'identity'].includes(f.name));
  if (failures.length) throw new Error(`bundle failures: ${JSON.stringify(failures)}`);
  // A low maker-checker amount so the end-to-end path needs two operators.
  functions.contributeEnv(() => ({
    WXLEND_IDENTITY_VERIFIER: 'ocr_phone',
    WXLEND_LOAN_CONFIG: JSON.stringify({ makerCheckerAboveFen: 10_000 }),
  }));
  useEmulatorEnv(emu);
  cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV as unknown as string });
  return emu;
}

/** Calls a function as the mini-program user `openid` (SOURCE wx_client). */
export async function callAs<T = Record<string, unknown>>(
  emu: TestEmulator,
  openid: string,
  name: string,
  data: Record<string, unknown>,
): Promise<ApiResult<T>> {
  const response = await fetch(`${emu.baseUrl}/client/callFunction`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-wx-openid': openid, 'x-wx-clientip': '203.0.113.9' },
    body: JSON.stringify({ name, data }),
  });
  const body = (await response.json()) as { result?: ApiResult<T>; errMsg?: string };
  if (!response.ok || !body.result)
    throw new Error(`callFunction ${name} failed: ${response.status} ${body.errMsg ?? ''}`);
  return body.result;
}

/** Calls a function from this process as the console / another server (no OPENID). */
export async function callAsConsole<T = Record<string, unknown>>(
  name: string,
  data: Record<string, unknown>,
): Promise<ApiResult<T>> {
  const answer = (await cloud.callFunction({ name, data })) as unknown as { result: ApiResult<T> };
  return answer.result;
}

export { userAction };

/** Decoded documents of one collection. */
export function docs<T = Record<string, unknown>>(emu: TestEmulator, collection: string): T[] {
  const store = emu.hub.service<DatabaseService>('database').engine.store;
  return store.collectionNames().includes(collection) ? ([...store.scan(collection)] as T[]) : [];
}

/** What the openapi fakes delivered (subscribe messages, SMS). */
export function openapiOutbox(emu: TestEmulator, kind: string): Array<{ payload: Record<string, unknown> }> {
  return emu.hub.service<OpenapiService>('openapi').outbox({ kind }) as unknown as Array<{
    payload: Record<string, unknown>;
  }>;
}

/** Gives the credit-inquiry authorisation `quote` serves, through the real loan function. */
export async function authoriseCreditInquiry(emu: TestEmulator, openid: string): Promise<void> {
  const quote = await callAs(emu, openid, 'loan', { action: 'quote' });
  if (!quote.ok) throw new Error(quote.error.code);
  const served = quote.data.creditInquiry as { version: string; sha256: string };
  const given = await callAs(emu, openid, 'loan', {
    action: 'authoriseCreditInquiry',
    version: served.version,
    textSha256: served.sha256,
  });
  if (!given.ok) throw new Error(`authoriseCreditInquiry ${given.error.code}`);
}

/**
 * Verifies a borrower's identity through the real identity function (ocr_phone verifier), then gives
 * the credit-inquiry authorisation the apply page asks for (unless `creditInquiry` is false).
 */
export async function verifyBorrower(
  emu: TestEmulator,
  openid: string,
  person: { name: string; idNumber: string; phone: string },
  options: { creditInquiry?: boolean } = {},
): Promise<void> {
  const status = await callAs(emu, openid, 'identity', { action: 'status' });
  if (!status.ok) throw new Error(status.error.code);
  const notice = status.data.notice as { version: string; sha256: string };
  const consent = await callAs(emu, openid, 'identity', {
    action: 'consent',
    noticeVersion: notice.version,
    noticeHash: notice.sha256,
  });
  if (!consent.ok) throw new Error(consent.error.code);
  const { code } = await userAction<{ code: string }>(emu, '/_user/phone-code', {
    openid,
    phone: person.phone,
  });
  const photo = await photographIdCard(emu.baseUrl, openid, status.data.idCardPhotoDir as string, {
    name: person.name,
    id: person.idNumber,
  });
  const verified = await callAs(emu, openid, 'identity', {
    action: 'verify',
    name: person.name,
    idNumber: person.idNumber,
    phoneCode: code,
    idCardFileId: photo.fileId,
  });
  if (!verified.ok) throw new Error(`verify ${verified.error.code}`);
  if (options.creditInquiry !== false) await authoriseCreditInquiry(emu, openid);
}

/** Every log line and error the lending functions printed. */
export function lendingLogs(emu: TestEmulator): string {
  const functions = emu.hub.service<FunctionsService>('functions');
  return JSON.stringify(
    ['loan', 'review', 'ops', 'notify'].map((name) =>
      functions.invocations({ name, limit: 500 }).map((r) => [r.logs, r.error]),
    ),
  );
}
