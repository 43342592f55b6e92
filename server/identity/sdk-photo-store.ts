import type { getCloud } from '../runtime/cloud';
import type { IdCardPhotoStore } from './id-card-photo';

/** The storage calls used, as the SDK answers them. */
interface StorageSdk {
  downloadFile(o: { fileID: string }): Promise<{ fileContent: Buffer }>;
  deleteFile(o: { fileList: string[] }): Promise<{ fileList: Array<{ status: number }> }>;
}

/** CloudBase's per-file code for a missing file (node-sdk keeps it on the error as `code`). */
const FILE_MISSING = 'STORAGE_FILE_NONEXIST';
/** The same, as the SDKs' numeric status. */
const FILE_MISSING_STATUS = -503003;

/** ID-card photos in the environment's cloud storage, through `cloud.downloadFile` / `deleteFile`. */
export function sdkIdCardPhotoStore(cloud: ReturnType<typeof getCloud>): IdCardPhotoStore {
  const sdk = cloud as unknown as StorageSdk;
  return {
    async download(fileId) {
      try {
        return Buffer.from((await sdk.downloadFile({ fileID: fileId })).fileContent);
      } catch (error) {
        if ((error as { code?: unknown } | null)?.code === FILE_MISSING) return undefined;
        throw error;
      }
    },
    async remove(fileId) {
      const answer = await sdk.deleteFile({ fileList: [fileId] });
      const status = answer.fileList[0]?.status ?? 0;
      if (status !== 0 && status !== FILE_MISSING_STATUS)
        throw new Error(`deleteFile answered status ${status}`);
    },
  };
}
