import { blindIndexOf, type PiiKeys } from '../pii';

/** Top-level cloud-storage folder of ID-card photos (declared PRIVATE in cloudbase/storage.json). */
export const ID_CARD_PHOTO_ROOT = 'id-card-photos';

/** ocr.idcard refuses images of 2 MB or more; so do we, before spending a call. */
export const MAX_ID_CARD_PHOTO_BYTES = 2 * 1024 * 1024;

/** A photo's file name inside the folder: a random token and an image extension. */
const PHOTO_NAME = /^[A-Za-z0-9_-]{8,64}\.(jpg|jpeg|png)$/;

/**
 * The caller's own upload folder: a keyed hash of the openid, so nobody else can name (or plant files
 * in) it, and the storage path reveals no identifier.
 */
export function idCardPhotoDir(keys: PiiKeys, openid: string): string {
  return `${ID_CARD_PHOTO_ROOT}/${blindIndexOf(keys, 'photoDir', openid).slice(0, 32)}`;
}

/** Whether `fileId` (`cloud://<env>.<bucket>/<path>`) is a photo in the caller's own folder. */
export function ownsIdCardPhoto(keys: PiiKeys, openid: string, fileId: string): boolean {
  const match = /^cloud:\/\/[^/]+\/(.+)$/.exec(fileId);
  const path = match?.[1];
  const dir = `${idCardPhotoDir(keys, openid)}/`;
  return path !== undefined && path.startsWith(dir) && PHOTO_NAME.test(path.slice(dir.length));
}

/** The image type of downloaded bytes by their signature (JPEG or PNG), or undefined for anything else. */
export function idCardPhotoType(bytes: Buffer): 'image/jpeg' | 'image/png' | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length >= png.length && png.every((b, i) => bytes[i] === b)) return 'image/png';
  return undefined;
}

/** Where uploaded ID-card photos are read and then deleted (cloud storage; a map in domain tests). */
export interface IdCardPhotoStore {
  /** The photo's bytes, or undefined when no such file exists; other failures throw. */
  download(fileId: string): Promise<Buffer | undefined>;
  /** Deletes the photo; a missing file is not an error. */
  remove(fileId: string): Promise<void>;
}
