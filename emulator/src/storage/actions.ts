import { z } from 'zod';
import { AdminError, type AdminRouter } from '../admin-router';
import { StorageCallError, type StorageBucket } from './bucket';

const uploadParams = z.object({ path: z.string({ error: 'path must be a string' }) });
const downloadParams = z.object({
  file_list: z.array(
    z.object({
      fileid: z.string({ error: 'fileid must be a string' }),
      max_age: z.number().int().positive().optional(),
    }),
    { error: 'file_list must be an array' },
  ),
});
const deleteParams = z.object({
  fileid_list: z.array(z.string({ error: 'fileid_list entries must be strings' }), {
    error: 'fileid_list must be an array',
  }),
});

/** Parses an action's params, refusing with INVALID_PARAM as CloudBase does. */
function parse<T>(schema: z.ZodType<T>, params: unknown): T {
  const parsed = schema.safeParse(params);
  if (!parsed.success)
    throw new AdminError('INVALID_PARAM', parsed.error.issues[0]?.message ?? 'invalid param');
  return parsed.data;
}

/** Runs a bucket operation, turning a whole-call refusal into the `{code, message}` answer. */
function answering<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof StorageCallError) throw new AdminError(error.code, error.message);
    throw error;
  }
}

/**
 * The SDK's storage actions over `POST /admin` (node-sdk `src/storage`): `getUploadMetadata` (then a PUT
 * to the answered URL), `batchGetDownloadUrl` (getTempFileURL, and downloadFile before its GET) and
 * `batchDeleteFile`. Server callers are admins: the permission rules bind only the mini-program.
 */
export function registerStorageActions(admin: AdminRouter, bucket: () => StorageBucket): void {
  admin.register('storage.getUploadMetadata', (request) => {
    const { path } = parse(uploadParams, request.params);
    const ticket = answering(() => bucket().uploadTicket(path));
    return {
      kind: 'data',
      data: {
        url: ticket.url,
        token: ticket.cosFileId,
        authorization: ticket.token,
        fileId: ticket.fileId,
        cosFileId: ticket.cosFileId,
      },
    };
  });
  admin.register('storage.batchGetDownloadUrl', (request) => {
    const { file_list } = parse(downloadParams, request.params);
    const asked = file_list.map((f) => ({
      fileId: f.fileid,
      ...(f.max_age !== undefined && { maxAge: f.max_age }),
    }));
    const entries = answering(() => bucket().tempUrls({ kind: 'admin' }, asked));
    return { kind: 'data', data: { download_list: entries } };
  });
  admin.register('storage.batchDeleteFile', (request) => {
    const { fileid_list } = parse(deleteParams, request.params);
    const entries = answering(() => bucket().remove({ kind: 'admin' }, fileid_list));
    return { kind: 'data', data: { delete_list: entries } };
  });
}
