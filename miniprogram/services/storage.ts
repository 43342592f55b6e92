import { backendConfig } from '../config';
import { ServiceError } from './errors';

/** The refusal shown when a photo could not be uploaded (network, storage refused it). */
function uploadFailed(): ServiceError {
  return new ServiceError('UPLOAD_FAILED', '照片上传失败，请检查网络后重试');
}

/** `wx.cloud.uploadFile` in the CloudBase environment. */
async function viaCloud(cloudPath: string, filePath: string): Promise<string> {
  if (!wx.cloud) throw uploadFailed();
  try {
    return (await wx.cloud.uploadFile({ cloudPath, filePath })).fileID;
  } catch {
    throw uploadFailed();
  }
}

/** `wx.uploadFile` to the local backend's `POST /client/uploadFile` as the developer's openid. */
function viaLocalGateway(cloudPath: string, filePath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    wx.uploadFile({
      url: `${backendConfig.localBaseUrl}/client/uploadFile`,
      filePath,
      name: 'file',
      formData: { cloudPath },
      header: { 'x-wx-openid': backendConfig.developerOpenid },
      success: (response) => {
        let fileID: unknown;
        try {
          fileID = (JSON.parse(response.data) as { fileID?: unknown }).fileID;
        } catch {
          fileID = undefined;
        }
        if (response.statusCode === 200 && typeof fileID === 'string') resolve(fileID);
        else reject(uploadFailed());
      },
      fail: () => reject(uploadFailed()),
    });
  });
}

/**
 * Uploads a local file (a chosen photo's temp path) to cloud storage at `cloudPath` and resolves its
 * fileID: the only way files reach the backend, so no file bytes ever travel inside a function call.
 */
export function uploadToCloud(cloudPath: string, filePath: string): Promise<string> {
  return backendConfig.mode === 'local'
    ? viaLocalGateway(cloudPath, filePath)
    : viaCloud(cloudPath, filePath);
}
