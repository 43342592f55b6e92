import { randomBytes } from 'node:crypto';
import { mayRead, mayWrite, permissionFor, type StorageCaller, type StorageRule } from './acl';
import { bucketOf, cloudPathOf, cloudPathProblem, contentTypeOf, fileIdOf } from './file-id';
import type { FileStore, StoredFile } from './file-store';

/** Per-file and whole-call codes, as CloudBase answers them (the SDKs map them to -5030xx / -501007). */
export const STORAGE_CODES = {
  ok: 'SUCCESS',
  notFound: 'STORAGE_FILE_NONEXIST',
  denied: 'STORAGE_EXCEED_AUTHORITY',
  invalid: 'INVALID_PARAM',
} as const;

/** CloudBase's messages for the per-file codes (the SDKs put them in errMsg). */
export const STORAGE_MESSAGES: Record<string, string> = {
  STORAGE_FILE_NONEXIST: 'storage file not exist',
  STORAGE_EXCEED_AUTHORITY: 'Have no access right to the storage',
};

/** How long an upload ticket from `getUploadMetadata` stays usable (emulator time). */
export const UPLOAD_TICKET_MS = 10 * 60_000;

/** Temp-link lifetime when none is asked for, and the longest one granted: one day. */
export const MAX_LINK_AGE_S = 86_400;

/** Most files one getTempFileURL / deleteFile call may name. */
export const MAX_FILES_PER_CALL = 50;

/** A refusal of the whole call, answered as `{ code, message }`. */
export class StorageCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A COS-side refusal of an upload PUT or a download GET: HTTP status plus the XML error's code. */
export interface CosError {
  status: number;
  code: string;
  message: string;
}

/** One answered entry of getTempFileURL (keys as the SDKs read them). */
export interface TempUrlEntry {
  fileID: string;
  code: string;
  tempFileURL: string;
  maxAge: number;
  message?: string;
}

/** One answered entry of deleteFile. */
export interface DeleteEntry {
  fileID: string;
  code: string;
  message?: string;
}

function token(): string {
  return randomBytes(24).toString('hex');
}

/** The path as a URL path, each segment percent-encoded (HTTP clients refuse raw non-ASCII paths). */
function encodedPath(cloudPath: string): string {
  return cloudPath.split('/').map(encodeURIComponent).join('/');
}

/**
 * The environment's one bucket: uploads (ticket then PUT, or the client's direct upload), temp links on
 * the emulator clock, deletes — each checked against the file's permission for mini-program callers.
 */
export class StorageBucket {
  readonly name: string;

  constructor(
    private readonly store: FileStore,
    private readonly rules: () => StorageRule[],
    private readonly envId: string,
    private readonly now: () => number,
    private readonly baseUrl: () => string,
  ) {
    this.name = bucketOf(envId);
  }

  /** `storage.getUploadMetadata`: a single-use ticket to PUT `cloudPath` (admin uploads). */
  uploadTicket(cloudPath: string): { url: string; token: string; fileId: string; cosFileId: string } {
    const problem = cloudPathProblem(cloudPath);
    if (problem) throw new StorageCallError(STORAGE_CODES.invalid, problem);
    const ticket = token();
    const now = this.now();
    this.store.addLink({ token: ticket, kind: 'upload', cloudPath, expiresAt: now + UPLOAD_TICKET_MS }, now);
    return {
      url: `${this.baseUrl()}/_storage/${this.name}/${encodedPath(cloudPath)}`,
      token: ticket,
      fileId: fileIdOf(this.envId, cloudPath),
      cosFileId: token(),
    };
  }

  /** The PUT that follows a ticket: stores the bytes, or answers the COS error. */
  completeUpload(cloudPath: string, ticket: string | undefined, bytes: Buffer): CosError | undefined {
    const link = ticket ? this.store.link(ticket) : undefined;
    if (!link || link.kind !== 'upload' || link.cloudPath !== cloudPath)
      return { status: 403, code: 'AccessDenied', message: 'Access Denied.' };
    if (link.expiresAt < this.now())
      return { status: 403, code: 'AccessDenied', message: 'Request has expired' };
    this.store.consumeLink(link.token);
    this.write(cloudPath, bytes, link.ownerOpenid);
    return undefined;
  }

  /** `wx.cloud.uploadFile`: the user's own upload, refused where the file's permission forbids it. */
  uploadAsUser(openid: string, cloudPath: string, bytes: Buffer): string {
    const problem = cloudPathProblem(cloudPath);
    if (problem) throw new StorageCallError(STORAGE_CODES.invalid, problem);
    const caller: StorageCaller = { kind: 'user', openid };
    if (!mayWrite(caller, permissionFor(this.rules(), cloudPath), this.store.get(cloudPath)))
      throw new StorageCallError(STORAGE_CODES.denied, STORAGE_MESSAGES.STORAGE_EXCEED_AUTHORITY ?? '');
    this.write(cloudPath, bytes, openid);
    return fileIdOf(this.envId, cloudPath);
  }

  /** getTempFileURL: one entry per asked file, in order; `maxAge` in seconds (default and cap one day). */
  tempUrls(caller: StorageCaller, asked: Array<{ fileId: string; maxAge?: number }>): TempUrlEntry[] {
    this.checkCount(asked.length);
    const now = this.now();
    return asked.map(({ fileId, maxAge }) => {
      const age = Math.min(maxAge ?? MAX_LINK_AGE_S, MAX_LINK_AGE_S);
      const found = this.resolve(caller, fileId, 'read');
      if (typeof found === 'string')
        return {
          fileID: fileId,
          code: found,
          tempFileURL: '',
          maxAge: age,
          message: STORAGE_MESSAGES[found],
        };
      const sign = token();
      const expiresAt = now + age * 1000;
      this.store.addLink({ token: sign, kind: 'download', cloudPath: found.cloudPath, expiresAt }, now);
      const tempFileURL =
        `${this.baseUrl()}/_storage/${this.name}/${found.cloudPath}` +
        `?sign=${sign}&t=${Math.floor(expiresAt / 1000)}`;
      return { fileID: fileId, code: STORAGE_CODES.ok, tempFileURL, maxAge: age };
    });
  }

  /** A GET of a temp link: the bytes, or the COS error (expired, unknown sign, deleted file). */
  serve(cloudPath: string, sign: string | undefined): { bytes: Buffer; file: StoredFile } | CosError {
    const link = sign ? this.store.link(sign) : undefined;
    if (!link || link.kind !== 'download' || link.cloudPath !== cloudPath)
      return { status: 403, code: 'AccessDenied', message: 'Access Denied.' };
    if (link.expiresAt < this.now())
      return { status: 403, code: 'AccessDenied', message: 'Request has expired' };
    const file = this.store.get(cloudPath);
    const bytes = this.store.bytes(cloudPath);
    if (!file || !bytes)
      return { status: 404, code: 'NoSuchKey', message: 'The specified key does not exist.' };
    return { bytes, file };
  }

  /** deleteFile: one entry per asked file, in order. */
  remove(caller: StorageCaller, fileIds: string[]): DeleteEntry[] {
    this.checkCount(fileIds.length);
    return fileIds.map((fileId) => {
      const found = this.resolve(caller, fileId, 'write');
      if (typeof found === 'string') return { fileID: fileId, code: found, message: STORAGE_MESSAGES[found] };
      this.store.remove(found.cloudPath);
      return { fileID: fileId, code: STORAGE_CODES.ok };
    });
  }

  /** Every stored file, newest first, with its fileID (console). */
  files(limit = 500): Array<StoredFile & { fileId: string }> {
    return this.store.list(limit).map((file) => ({ ...file, fileId: fileIdOf(this.envId, file.cloudPath) }));
  }

  /** Number of stored files. */
  count(): number {
    return this.store.count();
  }

  private write(cloudPath: string, bytes: Buffer, ownerOpenid: string | undefined): void {
    const existing = this.store.get(cloudPath);
    this.store.put(
      {
        cloudPath,
        size: bytes.length,
        contentType: contentTypeOf(cloudPath),
        ...(ownerOpenid !== undefined && { ownerOpenid }),
        // An overwrite keeps the permission the file was created with.
        permission: existing?.permission ?? permissionFor(this.rules(), cloudPath),
        uploadedAt: this.now(),
      },
      bytes,
    );
  }

  private checkCount(count: number): void {
    if (count === 0) throw new StorageCallError(STORAGE_CODES.invalid, 'fileList must not be empty');
    if (count > MAX_FILES_PER_CALL)
      throw new StorageCallError(STORAGE_CODES.invalid, `at most ${MAX_FILES_PER_CALL} files per call`);
  }

  /** The stored file a fileID names, or the per-file code refusing it. */
  private resolve(caller: StorageCaller, fileId: string, access: 'read' | 'write'): StoredFile | string {
    const cloudPath = cloudPathOf(this.envId, fileId);
    const file = cloudPath === undefined ? undefined : this.store.get(cloudPath);
    if (!file) return STORAGE_CODES.notFound;
    const allowed = access === 'read' ? mayRead(caller, file) : mayWrite(caller, file.permission, file);
    return allowed ? file : STORAGE_CODES.denied;
  }
}
