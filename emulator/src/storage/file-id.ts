/**
 * CloudBase file identifiers: `cloud://<env>.<bucket>/<cloudPath>`, where the bucket is named after the
 * environment (hex of its first two characters, the env id, the account's app number), e.g.
 * `cloud://wxlend-local.7778-wxlend-local-1250000000/id-card-photos/…/front.jpg`.
 */

/** The local account's app number (part of every bucket name). */
const LOCAL_APP_NUMBER = '1250000000';

/** Longest object key COS accepts, in UTF-8 bytes. */
const MAX_PATH_BYTES = 850;

/** Characters the SDK documents for `cloudPath`: letters, digits, `/ ! - _ . *`, space and Chinese. */
const PATH_CHARS = /^[0-9A-Za-z/!\-_.* \u4e00-\u9fff]+$/;

/** The bucket of an environment, as CloudBase names it. */
export function bucketOf(envId: string): string {
  const hex = Buffer.from(envId.slice(0, 2), 'utf8').toString('hex');
  return `${hex}-${envId}-${LOCAL_APP_NUMBER}`;
}

/** The fileID of `cloudPath` in the environment. */
export function fileIdOf(envId: string, cloudPath: string): string {
  return `cloud://${envId}.${bucketOf(envId)}/${cloudPath}`;
}

/** The cloud path a fileID names in this environment, or undefined when it names another bucket or none. */
export function cloudPathOf(envId: string, fileId: string): string | undefined {
  const prefix = `cloud://${envId}.${bucketOf(envId)}/`;
  if (!fileId.startsWith(prefix)) return undefined;
  const path = fileId.slice(prefix.length);
  return cloudPathProblem(path) ? undefined : path;
}

/** Why `cloudPath` is not a valid object key, or undefined when it is. */
export function cloudPathProblem(cloudPath: string): string | undefined {
  if (cloudPath === '') return 'cloudPath must not be empty';
  if (Buffer.byteLength(cloudPath, 'utf8') > MAX_PATH_BYTES)
    return `cloudPath must be at most ${MAX_PATH_BYTES} bytes`;
  if (!PATH_CHARS.test(cloudPath))
    return 'cloudPath may contain only letters, digits, Chinese, space and / ! - _ . *';
  if (cloudPath.startsWith('/') || cloudPath.endsWith('/') || cloudPath.includes('//'))
    return 'cloudPath must name a file: no leading, trailing or doubled /';
  if (cloudPath.split('/').some((part) => part === '.' || part === '..'))
    return 'cloudPath must not contain . or .. segments';
  return undefined;
}

/** Content type served for a stored file, from its extension (uploads through the SDK carry none). */
export function contentTypeOf(cloudPath: string): string {
  const ext = cloudPath.slice(cloudPath.lastIndexOf('.') + 1).toLowerCase();
  const known: Record<string, string> = {
    jpg: 'image/jpeg',
    jpeg: 'image/jpeg',
    png: 'image/png',
    gif: 'image/gif',
    webp: 'image/webp',
    pdf: 'application/pdf',
    json: 'application/json',
    txt: 'text/plain; charset=utf-8',
  };
  return known[ext] ?? 'application/octet-stream';
}
