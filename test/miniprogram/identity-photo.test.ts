import type { FunctionsService } from '../../emulator/src/functions';
import { backendConfig } from '../../miniprogram/config';
import { uploadToCloud } from '../../miniprogram/services/storage';
import type { StorageService } from '../../emulator/src/storage/service';
import { startPageBackend, type PageBackend } from './backend';
import { closeAllPages, grantPhoneNumber, openPage, tap, type, untilText } from './borrower';
import { until } from './page-loader';
import { phone, resetPhone } from './phone';

/**
 * The identity page on the ocr_phone path uploads the ID photo to cloud storage (wx.cloud.uploadFile)
 * and sends only its fileID: no image bytes in any callFunction payload nor in any invocation record.
 */

const LI_MING = { name: '李明', id: '110101199003071233', mobile: '13800138000' };

let backend: PageBackend;
beforeAll(async () => {
  backend = await startPageBackend();
});
afterAll(async () => {
  closeAllPages();
  await backend.stop();
});

/** Every file in the backend's cloud storage. */
function storedFiles() {
  return backend.emu.hub.service<StorageService>('storage').bucket.files();
}

test('the photo travels by upload; the call carries its fileID; the function deletes it after each attempt', async () => {
  resetPhone(backend.emu.baseUrl, 'o-mp-photo');
  const page = openPage('packages/borrow/identity/index');
  await untilText(page, '敏感个人信息处理单独告知', '获取手机号');
  type(page, '#name-input', LI_MING.name);
  type(page, '#id-input', LI_MING.id);
  await grantPhoneNumber(page, backend, LI_MING.mobile);
  // First the camera sees someone else's card: OCR refuses, and that photo is deleted too.
  phone.idCard = { name: '王五', id: LI_MING.id };
  tap(page, '#photo-button');
  await untilText(page, '已拍摄身份证人像面');
  tap(page, '#notice-agree');
  tap(page, '#submit-button');
  await untilText(page, '身份证照片上的姓名或号码与填写的不一致');
  expect(phone.log.uploads).toHaveLength(1);
  expect(storedFiles()).toEqual([]);

  phone.idCard = { name: LI_MING.name, id: LI_MING.id };
  tap(page, '#photo-button');
  await until(() => expect(phone.files.size).toBe(2));
  await grantPhoneNumber(page, backend, LI_MING.mobile);
  tap(page, '#submit-button');
  await untilText(page, '已完成实名认证');

  const uploads = phone.log.uploads;
  expect(uploads).toHaveLength(2);
  for (const upload of uploads) {
    expect(upload.cloudPath).toMatch(/^id-card-photos\/[0-9a-f]{32}\/[0-9a-z]{24}\.jpg$/);
    expect(upload.fileID).toMatch(/^cloud:\/\/.+\/id-card-photos\//);
  }
  const verifies = phone.log.callFunction.filter((c) => c.name === 'identity' && c.action === 'verify');
  expect(verifies.map((c) => JSON.parse(c.payload).idCardFileId)).toEqual(uploads.map((u) => u.fileID));
  expect(storedFiles()).toEqual([]);

  // No image bytes anywhere a call's data goes: the page's payloads and the invocation records.
  const images = [...phone.files.values()];
  expect(images).toHaveLength(2);
  const records = JSON.stringify(
    backend.emu.hub.service<FunctionsService>('functions').invocations({ name: 'identity', limit: 100 }),
  );
  const payloads = JSON.stringify(phone.log.callFunction);
  for (const image of images) {
    const raw = Buffer.from(image, 'base64');
    for (const text of [image, raw.toString('latin1'), raw.toString('hex')]) {
      expect(payloads.includes(text)).toBe(false);
      expect(records.includes(text)).toBe(false);
    }
  }
  expect(payloads).not.toMatch(/idCardImage|base64/);
});

test('in local mode (DevTools against npm start) the photo goes over wx.uploadFile as the developer openid', async () => {
  resetPhone(backend.emu.baseUrl, 'o-mp-unused');
  phone.files.set('wxfile://tmp/local.jpg', Buffer.from([0xff, 0xd8, 0xff, 0xd9]).toString('base64'));
  const saved = { ...backendConfig };
  Object.assign(backendConfig, {
    mode: 'local',
    localBaseUrl: backend.emu.baseUrl,
    developerOpenid: 'o-mp-developer',
  });
  try {
    const fileId = await uploadToCloud('id-card-photos/dir-local/p.jpg', 'wxfile://tmp/local.jpg');
    expect(storedFiles()).toEqual([
      expect.objectContaining({ fileId, ownerOpenid: 'o-mp-developer', size: 4 }),
    ]);
    await expect(uploadToCloud('/bad path', 'wxfile://tmp/local.jpg')).rejects.toMatchObject({
      code: 'UPLOAD_FAILED',
      message: '照片上传失败，请检查网络后重试',
    });
  } finally {
    Object.assign(backendConfig, saved);
    await backend.emu.hub.service<StorageService>('storage').reset();
  }
});
