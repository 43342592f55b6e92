import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as cloud from 'wx-server-sdk';
import { clientFileCall, clientUpload } from '../../../emulator/src/storage/client';
import { useEmulatorEnv, useTestEmulator } from '../../helpers/emulator';

/**
 * CloudBase's four basic storage permissions, declared by path prefix, as they bind the mini-program
 * (creator `oOwner`, another user `oOther`); cloud functions (the SDK here) are never bound.
 */

const rulesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxlend-storage-rules-'));
const storageRulesFile = path.join(rulesDir, 'storage.json');
fs.writeFileSync(
  storageRulesFile,
  JSON.stringify({
    rules: [
      { prefix: 'public/', permission: 'READONLY' },
      { prefix: 'public/inner/', permission: 'PRIVATE' },
      { prefix: 'shared/', permission: 'ADMINWRITE' },
      { prefix: 'locked/', permission: 'ADMINONLY' },
    ],
  }),
);
const emulator = useTestEmulator({ storageRulesFile });
afterAll(() => fs.rmSync(rulesDir, { recursive: true, force: true }));

const sdk = cloud as unknown as {
  uploadFile(o: { cloudPath: string; fileContent: Buffer }): Promise<{ fileID: string }>;
};
type Entries = { fileList: Array<{ status: number }> };

/** The status a user gets reading (temp URL) and then deleting `fileId`. */
async function readStatus(openid: string, fileId: string): Promise<number | undefined> {
  const base = emulator().baseUrl;
  return (await clientFileCall<Entries>(base, openid, 'getTempFileURL', [fileId])).body.fileList[0]?.status;
}
async function deleteStatus(openid: string, fileId: string): Promise<number | undefined> {
  const base = emulator().baseUrl;
  return (await clientFileCall<Entries>(base, openid, 'deleteFile', [fileId])).body.fileList[0]?.status;
}

beforeEach(() => {
  useEmulatorEnv(emulator());
  cloud.init({ env: emulator().hub.config.envId });
});

test('READONLY: everyone reads, only the creator overwrites or deletes; the longest prefix wins', async () => {
  const base = emulator().baseUrl;
  const up = await clientUpload(base, 'oOwner', 'public/a.txt', Buffer.from('a'));
  const fileId = up.body.fileID ?? '';
  expect(await readStatus('oOther', fileId)).toBe(0);
  expect((await clientUpload(base, 'oOther', 'public/a.txt', Buffer.from('x'))).status).toBe(403);
  expect(await deleteStatus('oOther', fileId)).toBe(-503002);
  expect((await clientUpload(base, 'oOwner', 'public/a.txt', Buffer.from('b'))).status).toBe(200);
  const inner = await clientUpload(base, 'oOwner', 'public/inner/b.txt', Buffer.from('b'));
  expect(await readStatus('oOther', inner.body.fileID ?? '')).toBe(-503002);
  expect(await deleteStatus('oOwner', fileId)).toBe(0);
});

test('ADMINWRITE: everyone reads what an admin wrote; no user writes', async () => {
  const { fileID } = await sdk.uploadFile({ cloudPath: 'shared/notice.txt', fileContent: Buffer.from('n') });
  expect(await readStatus('oOther', fileID)).toBe(0);
  expect(await deleteStatus('oOther', fileID)).toBe(-503002);
  expect((await clientUpload(emulator().baseUrl, 'oOwner', 'shared/new.txt', Buffer.from('x'))).body).toEqual(
    {
      errCode: -503002,
      errMsg: 'cloud.uploadFile:fail STORAGE_EXCEED_AUTHORITY. Have no access right to the storage',
    },
  );
});

test('ADMINONLY: no user reads or writes; admins do', async () => {
  const { fileID } = await sdk.uploadFile({ cloudPath: 'locked/key.txt', fileContent: Buffer.from('k') });
  expect(await readStatus('oOwner', fileID)).toBe(-503002);
  expect(await deleteStatus('oOwner', fileID)).toBe(-503002);
  expect((await clientUpload(emulator().baseUrl, 'oOwner', 'locked/mine.txt', Buffer.from('x'))).status).toBe(
    403,
  );
  const listed = (await (await fetch(`${emulator().baseUrl}/_admin/storage/files`)).json()) as {
    files: Array<{ cloudPath: string; permission: string; ownerOpenid?: string }>;
  };
  expect(listed.files).toEqual([
    expect.objectContaining({ cloudPath: 'locked/key.txt', permission: 'ADMINONLY' }),
  ]);
  expect(listed.files[0]?.ownerOpenid).toBeUndefined();
});
