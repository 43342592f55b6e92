import { randomBytes } from 'node:crypto';
import { clientUpload } from '../../emulator/src/storage/client';

/**
 * What the borrower's phone does for the `ocr_phone` verifier: photographs an ID card the backend's OCR
 * knows (`POST /_user/ocr-image`) and uploads it with `wx.cloud.uploadFile` as `openid` into `dir` (the
 * `idCardPhotoDir` from `identity.status`). Answers the fileID and the image bytes.
 */
export async function photographIdCard(
  baseUrl: string,
  openid: string,
  dir: string,
  card: { name: string; id: string; side?: 'Front' | 'Back' },
): Promise<{ fileId: string; bytes: Buffer }> {
  const registered = await fetch(`${baseUrl}/_user/ocr-image`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ side: 'Front', ...card }),
  });
  const { imageBase64 } = (await registered.json()) as { imageBase64: string };
  const bytes = Buffer.from(imageBase64, 'base64');
  const uploaded = await clientUpload(baseUrl, openid, `${dir}/${randomBytes(8).toString('hex')}.jpg`, bytes);
  if (!uploaded.body.fileID) throw new Error(`upload refused: ${uploaded.body.errMsg}`);
  return { fileId: uploaded.body.fileID, bytes };
}
