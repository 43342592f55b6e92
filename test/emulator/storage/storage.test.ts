import * as cloud from 'wx-server-sdk';
import type { StorageService } from '../../../emulator/src/storage/service';
import { clientFileCall, clientUpload } from '../../../emulator/src/storage/client';
import { useEmulatorEnv, useTestEmulator } from '../../helpers/emulator';

/**
 * Cloud storage through the real, unmodified wx-server-sdk (uploadFile → getUploadMetadata + PUT,
 * getTempFileURL, downloadFile → temp link + GET, deleteFile) and the mini-program's client routes,
 * answering what CloudBase answers: per-file `status` 0 / -503003 STORAGE_FILE_NONEXIST /
 * -503002 STORAGE_EXCEED_AUTHORITY, COS XML errors for expired links.
 */

const emulator = useTestEmulator();

/** The SDK's storage calls, narrowed to what these tests read. */
const sdk = cloud as unknown as {
  uploadFile(o: { cloudPath: string; fileContent: Buffer }): Promise<{ fileID: string; errMsg: string }>;
  getTempFileURL(o: { fileList: unknown[] }): Promise<{
    fileList: Array<{ fileID: string; status: number; errMsg: string; tempFileURL: string; maxAge: number }>;
  }>;
  downloadFile(o: { fileID: string }): Promise<{ fileContent: Buffer; errMsg: string }>;
  deleteFile(o: { fileList: string[] }): Promise<{
    fileList: Array<{ fileID: string; status: number; errMsg: string }>;
  }>;
};

async function rejection(promise: Promise<unknown>): Promise<{ errCode?: number; errMsg?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { errCode?: number; errMsg?: string };
  }
  throw new Error('expected the SDK call to fail');
}

beforeEach(() => {
  useEmulatorEnv(emulator());
  cloud.init({ env: emulator().hub.config.envId });
});

test('upload → temp URL → download → delete, then every call answers STORAGE_FILE_NONEXIST', async () => {
  const env = emulator().hub.config.envId;
  const bytes = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
  const uploaded = await sdk.uploadFile({ cloudPath: 'reports/2030/日报 1.jpg', fileContent: bytes });
  expect(uploaded).toMatchObject({
    fileID: `cloud://${env}.7778-${env}-1250000000/reports/2030/日报 1.jpg`,
    errMsg: 'uploadFile:ok',
  });

  const urls = await sdk.getTempFileURL({ fileList: [{ fileID: uploaded.fileID, maxAge: 120 }] });
  expect(urls.fileList).toEqual([
    { fileID: uploaded.fileID, status: 0, errMsg: 'ok', maxAge: 120, tempFileURL: expect.any(String) },
  ]);
  const served = await fetch(encodeURI(urls.fileList[0]?.tempFileURL ?? ''));
  expect(served.status).toBe(200);
  expect(served.headers.get('content-type')).toBe('image/jpeg');
  expect(Buffer.from(await served.arrayBuffer())).toEqual(bytes);

  const downloaded = await sdk.downloadFile({ fileID: uploaded.fileID });
  expect(downloaded.errMsg).toBe('downloadFile:ok');
  expect(Buffer.from(downloaded.fileContent)).toEqual(bytes);

  const deleted = await sdk.deleteFile({ fileList: [uploaded.fileID] });
  expect(deleted.fileList).toEqual([{ fileID: uploaded.fileID, status: 0, errMsg: 'ok' }]);

  const missing = { fileID: uploaded.fileID, status: -503003, errMsg: 'storage file not exists' };
  expect((await sdk.getTempFileURL({ fileList: [uploaded.fileID] })).fileList).toEqual([
    { ...missing, maxAge: 86_400, tempFileURL: '' },
  ]);
  expect((await sdk.deleteFile({ fileList: [uploaded.fileID] })).fileList).toEqual([missing]);
  expect(await rejection(sdk.downloadFile({ fileID: uploaded.fileID }))).toMatchObject({
    errMsg: 'downloadFile:fail storage file not exist',
  });
  // The link handed out before the delete now finds no object.
  const gone = await fetch(encodeURI(urls.fileList[0]?.tempFileURL ?? ''));
  expect(gone.status).toBe(404);
  expect(await gone.text()).toContain('<Code>NoSuchKey</Code>');
});

test('a temp URL expires on the emulator clock (COS answers AccessDenied, Request has expired)', async () => {
  const { fileID } = await sdk.uploadFile({ cloudPath: 'expiry/a.txt', fileContent: Buffer.from('x') });
  const [entry] = (await sdk.getTempFileURL({ fileList: [{ fileID, maxAge: 60 }] })).fileList;
  const url = encodeURI(entry?.tempFileURL ?? '');
  expect((await fetch(url)).status).toBe(200);
  await emulator().hub.clock.advance(59_000);
  expect((await fetch(url)).status).toBe(200);
  await emulator().hub.clock.advance(2_000);
  const expired = await fetch(url);
  expect(expired.status).toBe(403);
  const xml = await expired.text();
  expect(xml).toContain('<Code>AccessDenied</Code>');
  expect(xml).toContain('<Message>Request has expired</Message>');
  // A forged sign never opens a file.
  expect((await fetch(url.replace(/sign=[0-9a-f]+/, 'sign=00'))).status).toBe(403);
  // maxAge is capped at one day.
  const [capped] = (await sdk.getTempFileURL({ fileList: [{ fileID, maxAge: 999_999 }] })).fileList;
  expect(capped?.maxAge).toBe(86_400);
});

test('refusals: bad cloud paths, empty and oversized lists, foreign fileIDs', async () => {
  for (const cloudPath of ['/lead.jpg', 'a//b.jpg', 'a/../b.jpg', 'bad?.jpg', ''])
    expect(await rejection(sdk.uploadFile({ cloudPath, fileContent: Buffer.from('x') }))).toMatchObject({
      errMsg: expect.stringMatching(/^uploadFile:fail/),
    });
  expect(await rejection(sdk.getTempFileURL({ fileList: [] }))).toMatchObject({
    errMsg: 'getTempFileURL:fail fileList must not be empty',
  });
  const many = Array.from({ length: 51 }, (_, i) => `cloud://x/${i}`);
  expect(await rejection(sdk.deleteFile({ fileList: many }))).toMatchObject({
    errMsg: 'deleteFile:fail at most 50 files per call',
  });
  const foreign = ['cloud://other-env.6f74-other-env-1250000000/a.jpg', 'not-a-file-id'];
  expect((await sdk.getTempFileURL({ fileList: foreign })).fileList.map((f) => f.status)).toEqual([
    -503003, -503003,
  ]);
});

test('mini-program uploads are private to their creator unless declared; admins always have access', async () => {
  const base = emulator().baseUrl;
  const bytes = Buffer.from('front side');
  const up = await clientUpload(base, 'oAlice', 'id-card-photos/dir-a/front.jpg', bytes);
  expect(up).toEqual({
    status: 200,
    body: {
      fileID: expect.stringMatching(/\/id-card-photos\/dir-a\/front\.jpg$/),
      statusCode: 204,
      errMsg: 'cloud.uploadFile:ok',
    },
  });
  const fileID = up.body.fileID ?? '';

  type Entries = {
    fileList: Array<{ fileID: string; status: number; errMsg: string; tempFileURL?: string }>;
  };
  const own = await clientFileCall<Entries>(base, 'oAlice', 'getTempFileURL', [fileID]);
  expect(own.body.fileList[0]).toMatchObject({ status: 0, errMsg: 'ok' });
  const denied = { status: -503002, errMsg: 'STORAGE_EXCEED_AUTHORITY. Have no access right to the storage' };
  expect(
    (await clientFileCall<Entries>(base, 'oMallory', 'getTempFileURL', [fileID])).body.fileList[0],
  ).toMatchObject({
    ...denied,
    tempFileURL: '',
  });
  expect(
    (await clientFileCall<Entries>(base, 'oMallory', 'deleteFile', [fileID])).body.fileList[0],
  ).toMatchObject(denied);
  const overwrite = await clientUpload(
    base,
    'oMallory',
    'id-card-photos/dir-a/front.jpg',
    Buffer.from('forged'),
  );
  expect(overwrite).toEqual({
    status: 403,
    body: {
      errCode: -503002,
      errMsg: 'cloud.uploadFile:fail STORAGE_EXCEED_AUTHORITY. Have no access right to the storage',
    },
  });
  // Undeclared paths are private too (CloudBase's default).
  const other = await clientUpload(base, 'oAlice', 'misc/note.txt', Buffer.from('n'));
  expect(
    (await clientFileCall<Entries>(base, 'oMallory', 'getTempFileURL', [other.body.fileID])).body.fileList[0]
      ?.status,
  ).toBe(-503002);
  // A cloud function (admin) reads it regardless, and sees the creator's bytes untouched.
  expect(Buffer.from((await sdk.downloadFile({ fileID })).fileContent)).toEqual(bytes);

  const listed = (await (await fetch(`${base}/_admin/storage/files`)).json()) as { files: unknown[] };
  expect(listed.files).toEqual(
    expect.arrayContaining([
      expect.objectContaining({
        fileId: fileID,
        ownerOpenid: 'oAlice',
        permission: 'PRIVATE',
        size: bytes.length,
      }),
    ]),
  );
  expect(
    (await clientFileCall<Entries>(base, 'oAlice', 'deleteFile', [fileID])).body.fileList[0],
  ).toMatchObject({
    status: 0,
  });
  expect(await clientUpload(base, '', 'a.jpg', bytes)).toMatchObject({
    status: 401,
    body: { errCode: -401001 },
  });
});

test('reset drops every file', async () => {
  await sdk.uploadFile({ cloudPath: 'reset/a.txt', fileContent: Buffer.from('a') });
  const storage = emulator().hub.service<StorageService>('storage');
  expect(storage.info()).toMatchObject({ files: 1 });
  await emulator().reset();
  expect(storage.info()).toMatchObject({ files: 0 });
});
