/**
 * The one place that owns the mini-program globals for page tests: miniprogram-simulate's `Component`
 * and `wx` mock, `getApp`, `getCurrentPages`, and `wx` overrides that play WeChat against the REAL
 * local backend: `wx.cloud.callFunction`, `wx.cloud.uploadFile` and `wx.request` go to the emulator's client
 * routes, and
 * WeChat's own dialogs (subscribe prompt, receipt confirmation, camera, face verification) go to its
 * user-side endpoints. Nothing here answers in the backend's place. `wx.canIUse` answers from the
 * phone's `missingApis`, so a test can play an old WeChat.
 */
import 'miniprogram-simulate';
import { clientUpload } from '../../emulator/src/storage/client';
import { postJson } from './http';
import { backendUrl, phone } from './phone';
import { useScreenRpx } from './screens/capture';

useScreenRpx();

type Callbacks<S> = {
  success?: (result: S) => void;
  fail?: (error: { errMsg: string }) => void;
  complete?: () => void;
};

/** Runs a wx-style callback trio from a promise. */
function settle<S>(options: Callbacks<S>, work: Promise<S>): void {
  work
    .then((result) => options.success?.(result))
    .catch((error: unknown) =>
      options.fail?.({ errMsg: error instanceof Error ? error.message : String(error) }),
    )
    .finally(() => options.complete?.());
}

/** `wx.cloud.callFunction` as the signed-in user, through `POST /client/callFunction`. */
async function callFunction(param: { name: string; data?: Record<string, unknown> }): Promise<unknown> {
  phone.log.callFunction.push({
    name: param.name,
    action: param.data?.action,
    payload: JSON.stringify(param.data ?? {}),
  });
  const answer = await postJson(
    `${backendUrl()}/client/callFunction`,
    { name: param.name, data: param.data ?? {} },
    {
      'x-wx-openid': phone.openid,
    },
  );
  if (answer.status >= 200 && answer.status < 300) return answer.body;
  throw Object.assign(new Error('cloud.callFunction:fail'), answer.body as object);
}

/** An API the phone's base library lacks cannot be called (it is undefined there). */
function absentOnThisPhone(api: string): void {
  if (phone.missingApis.has(api)) throw new TypeError(`wx.${api} is not a function`);
}

/** `wx.cloud.uploadFile` as the signed-in user: the temp file's bytes to `POST /client/uploadFile`. */
async function uploadFile(param: { cloudPath: string; filePath: string }): Promise<unknown> {
  const data = phone.files.get(param.filePath);
  if (data === undefined) throw Object.assign(new Error('cloud.uploadFile:fail file not found'), {});
  const answer = await clientUpload(backendUrl(), phone.openid, param.cloudPath, Buffer.from(data, 'base64'));
  phone.log.uploads.push({ cloudPath: param.cloudPath, fileID: answer.body.fileID });
  if (answer.status !== 200) throw Object.assign(new Error(answer.body.errMsg), answer.body);
  return answer.body;
}

const cloud = {
  init: (): void => undefined,
  callFunction,
  uploadFile,
};

let fileCounter = 0;

const overrides = {
  cloud,
  request(
    options: Callbacks<{ statusCode: number; data: unknown }> & {
      url: string;
      data?: unknown;
      header?: Record<string, string>;
    },
  ) {
    settle(
      options,
      postJson(options.url, options.data ?? {}, options.header ?? {}).then((a) => ({
        statusCode: a.status,
        data: a.body,
      })),
    );
  },
  /** `wx.uploadFile`: a multipart POST of a camera file (`name` part) plus `formData`, as WeChat sends it. */
  uploadFile(
    options: Callbacks<{ statusCode: number; data: string }> & {
      url: string;
      filePath: string;
      name: string;
      formData?: Record<string, string>;
      header?: Record<string, string>;
    },
  ) {
    settle(
      options,
      (async () => {
        const data = phone.files.get(options.filePath);
        if (data === undefined) throw new Error('uploadFile:fail file not found');
        const form = new FormData();
        for (const [key, value] of Object.entries(options.formData ?? {})) form.append(key, value);
        form.append(options.name, new Blob([new Uint8Array(Buffer.from(data, 'base64'))]), 'upload');
        const response = await fetch(options.url, {
          method: 'POST',
          headers: options.header ?? {},
          body: form,
        });
        return { statusCode: response.status, data: await response.text() };
      })(),
    );
  },
  requestSubscribeMessage(options: Callbacks<unknown> & { tmplIds: string[] }) {
    phone.log.subscribe.push([...options.tmplIds]);
    const body = {
      openid: phone.openid,
      tmplIds: options.tmplIds,
      ...(phone.acceptTemplates ? { accepted: phone.acceptTemplates } : {}),
    };
    settle(
      options,
      postJson(`${backendUrl()}/_user/subscribe`, body).then((a) => {
        if (a.status !== 200) throw new Error('requestSubscribeMessage:fail');
        return a.body;
      }),
    );
  },
  requestMerchantTransfer(
    options: Callbacks<{ errMsg: string }> & {
      mchId: string;
      appId?: string;
      package: string;
      openId?: string;
    },
  ) {
    absentOnThisPhone('requestMerchantTransfer');
    const body = {
      mchId: options.mchId,
      appId: options.appId,
      package: options.package,
      openId: options.openId,
      action: phone.transferAction,
    };
    settle(
      options,
      postJson(`${backendUrl()}/_user/wechatpay/merchant-transfer`, body).then((a) => {
        const errMsg = String((a.body as { errMsg?: string } | null)?.errMsg ?? '');
        phone.log.transfers.push({ package: options.package, status: a.status, errMsg });
        if (a.status !== 200 || !errMsg.endsWith(':ok'))
          throw new Error(errMsg || 'requestMerchantTransfer:fail');
        return { errMsg };
      }),
    );
  },
  requestPayment(options: Callbacks<{ errMsg: string }> & { package: string }) {
    settle(
      options,
      postJson(`${backendUrl()}/_user/pay`, { openid: phone.openid, package: options.package }).then((a) => {
        const errMsg = String((a.body as { errMsg?: string } | null)?.errMsg ?? '');
        if (a.status !== 200 || !errMsg.endsWith(':ok')) throw new Error(errMsg || 'requestPayment:fail');
        return { errMsg };
      }),
    );
  },
  chooseMedia(options: Callbacks<{ tempFiles: Array<{ tempFilePath: string; size: number }> }>) {
    settle(
      options,
      (async () => {
        if (!phone.idCard) throw new Error('chooseMedia:fail cancel');
        const answer = await postJson(`${backendUrl()}/_user/ocr-image`, { side: 'Front', ...phone.idCard });
        const image = answer.body as { imageBase64: string };
        fileCounter += 1;
        const tempFilePath = `wxfile://tmp/idcard-${fileCounter}.jpg`;
        phone.files.set(tempFilePath, image.imageBase64);
        return { tempFiles: [{ tempFilePath, size: image.imageBase64.length }] };
      })(),
    );
  },
  requestFacialVerify(options: Callbacks<{ errMsg: string }> & { verifyId: string }) {
    absentOnThisPhone('requestFacialVerify');
    phone.log.faceVerifications.push(options.verifyId);
    const body = { openid: phone.openid, verifyId: options.verifyId, verifyRet: phone.faceVerifyRet };
    settle(
      options,
      postJson(`${backendUrl()}/_user/face-verify`, body).then((a) => {
        const errMsg = String((a.body as { errMsg?: string } | null)?.errMsg ?? '');
        if (a.status !== 200) throw new Error(errMsg || 'requestFacialVerify:fail');
        return { errMsg };
      }),
    );
  },
  onNeedPrivacyAuthorization(listener: NonNullable<typeof phone.privacyListener>): void {
    absentOnThisPhone('onNeedPrivacyAuthorization');
    phone.privacyListener = listener;
  },
  /** The base library's answer: every API above exists unless the test removed it from this phone. */
  canIUse(schema: string): boolean {
    return !phone.missingApis.has(schema.split('.')[0] ?? schema);
  },
  navigateTo(options: Callbacks<unknown> & { url: string }) {
    phone.log.navigations.push(options.url);
    settle(options, Promise.resolve({}));
  },
  redirectTo(options: Callbacks<unknown> & { url: string }) {
    phone.log.navigations.push(options.url);
    settle(options, Promise.resolve({}));
  },
  switchTab(options: Callbacks<unknown> & { url: string }) {
    phone.log.navigations.push(options.url);
    settle(options, Promise.resolve({}));
  },
  navigateBack(): void {
    phone.log.navigations.push('back');
  },
  showToast(options: { title: string }): void {
    phone.log.toasts.push(options.title);
  },
  getStorageSync(key: string): unknown {
    return phone.storage.get(key) ?? '';
  },
  setStorageSync(key: string, value: unknown): void {
    phone.storage.set(key, value);
  },
};

Object.assign((globalThis as unknown as { wx: object }).wx, overrides);
Object.assign(globalThis, {
  getApp: () => ({ globalData: {} }),
  getCurrentPages: () => phone.pages,
  App: (): void => undefined,
});
