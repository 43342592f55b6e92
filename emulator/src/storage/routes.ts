import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CLIENT_ERRORS, ID_TEXT } from '../functions/client-gateway';
import { loopbackOnly } from '../loopback';
import { STORAGE_CODES, StorageCallError, type CosError, type StorageBucket } from './bucket';

/** Largest body one upload may carry (the hub's multipart limit is the same). */
const MAX_UPLOAD_BYTES = 16 * 1024 * 1024;

/** `errCode`s the mini-program SDK reports for storage refusals (the -5030xx family of TCB_ERR_CODE). */
const CLIENT_STORAGE_ERRCODES: Record<string, number> = {
  STORAGE_FILE_NONEXIST: -503003,
  STORAGE_EXCEED_AUTHORITY: -503002,
  INVALID_PARAM: -501007,
};

const fileListBody = z.object({
  fileList: z
    .array(
      z.union([z.string(), z.object({ fileID: z.string(), maxAge: z.number().int().positive().optional() })]),
    )
    .min(1, 'fileList must not be empty'),
});
const deleteBody = z.object({ fileList: z.array(z.string()).min(1, 'fileList must not be empty') });

/** A COS error answer: the XML body node-sdk parses (Code, Message, RequestId, TraceId). */
function cosError(reply: FastifyReply, resource: string, error: CosError): FastifyReply {
  const requestId = randomBytes(12).toString('base64');
  const xml =
    "<?xml version='1.0' encoding='utf-8' ?>\n<Error>" +
    `<Code>${error.code}</Code><Message>${error.message}</Message><Resource>${resource}</Resource>` +
    `<RequestId>${requestId}</RequestId><TraceId>${requestId}</TraceId></Error>`;
  return reply.code(error.status).type('application/xml').send(xml);
}

/** The signed-in user of a client call, or undefined after answering the refusal. */
function clientUser(request: FastifyRequest, reply: FastifyReply, api: string): string | undefined {
  const raw = request.headers['x-wx-openid'];
  const openid = Array.isArray(raw) ? raw[0] : raw;
  if (!openid) {
    void reply.code(401).send({
      errCode: CLIENT_ERRORS.unauthorised,
      errMsg: `cloud.${api}:fail the x-wx-openid header is required`,
    });
    return undefined;
  }
  if (!ID_TEXT.test(openid)) {
    void reply.code(400).send({
      errCode: CLIENT_ERRORS.invalidParam,
      errMsg: `cloud.${api}:fail x-wx-openid must be 1–128 letters, digits, - or _`,
    });
    return undefined;
  }
  return openid;
}

/** The client SDK's failure answer for a whole-call refusal. */
function clientRefusal(reply: FastifyReply, api: string, error: StorageCallError): FastifyReply {
  const status = error.code === STORAGE_CODES.denied ? 403 : 400;
  return reply.code(status).send({
    errCode: CLIENT_STORAGE_ERRCODES[error.code] ?? CLIENT_ERRORS.invalidParam,
    errMsg: `cloud.${api}:fail ${error.code}. ${error.message}`,
  });
}

/** Per-file entries as the client SDK reports them: `status` 0 or the errCode, `errMsg` ok or the reason. */
function clientEntry<T extends { fileID: string; code: string; message?: string }>(entry: T) {
  const { code, message, ...rest } = entry;
  return code === STORAGE_CODES.ok
    ? { ...rest, status: 0, errMsg: 'ok' }
    : { ...rest, status: CLIENT_STORAGE_ERRCODES[code] ?? -1, errMsg: `${code}. ${message ?? ''}`.trim() };
}

/** Reads `cloudPath` and the file part of a multipart upload (wx.uploadFile's `formData` + `name: 'file'`). */
async function readUpload(request: FastifyRequest): Promise<{ cloudPath?: string; bytes?: Buffer }> {
  const found: { cloudPath?: string; bytes?: Buffer } = {};
  for await (const part of request.parts({ limits: { fileSize: MAX_UPLOAD_BYTES } })) {
    if (part.type === 'file') found.bytes = await part.toBuffer();
    else if (part.fieldname === 'cloudPath') found.cloudPath = String(part.value ?? '');
  }
  return found;
}

/** COS's answer for a bucket this backend does not serve. */
const NO_SUCH_BUCKET: CosError = {
  status: 404,
  code: 'NoSuchBucket',
  message: 'The specified bucket does not exist.',
};

/** The bucket, object path and COS resource name of a `/_storage/:bucket/*` request. */
function objectOf(params: unknown): { name: string; cloudPath: string; resource: string } {
  const { bucket: name, '*': cloudPath } = params as { bucket: string; '*': string };
  return { name, cloudPath, resource: `/${name}/${cloudPath}` };
}

/**
 * The bucket's HTTP surfaces: the COS stand-in (PUT after getUploadMetadata, GET of temp links), the
 * client routes standing in for `wx.cloud.uploadFile` / `getTempFileURL` / `deleteFile` (user in
 * `x-wx-openid`, permission rules applied), and the console's loopback-only file list.
 */
export function registerStorageRoutes(app: FastifyInstance, bucket: () => StorageBucket): void {
  void app.register(async (scope) => {
    // SDK uploads carry no usable content type: every body is taken as raw bytes.
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES }, (_r, body, done) =>
      done(null, body),
    );
    scope.put('/_storage/:bucket/*', async (request, reply) => {
      const { name, cloudPath, resource } = objectOf(request.params);
      if (name !== bucket().name) return cosError(reply, resource, NO_SUCH_BUCKET);
      const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const auth = request.headers.authorization;
      const refused = bucket().completeUpload(cloudPath, Array.isArray(auth) ? auth[0] : auth, body);
      if (refused) return cosError(reply, resource, refused);
      return reply
        .code(200)
        .header('etag', `"${randomBytes(16).toString('hex')}"`)
        .send('');
    });
  });
  app.get('/_storage/:bucket/*', async (request, reply) => {
    const { name, cloudPath, resource } = objectOf(request.params);
    if (name !== bucket().name) return cosError(reply, resource, NO_SUCH_BUCKET);
    const served = bucket().serve(cloudPath, (request.query as { sign?: string }).sign);
    if ('status' in served) return cosError(reply, resource, served);
    return reply.type(served.file.contentType).send(served.bytes);
  });

  void app.register(async (scope) => {
    scope.addHook('onRequest', async (_request, reply) => {
      reply.header('access-control-allow-origin', '*');
      reply.header('access-control-allow-methods', 'POST, OPTIONS');
      reply.header('access-control-allow-headers', 'content-type, x-wx-openid');
    });
    for (const path of ['/client/uploadFile', '/client/getTempFileURL', '/client/deleteFile'])
      scope.options(path, async (_request, reply) => reply.code(204).send());
    scope.post('/client/uploadFile', async (request, reply) => {
      const openid = clientUser(request, reply, 'uploadFile');
      if (!openid) return reply;
      if (!request.isMultipart())
        return clientRefusal(
          reply,
          'uploadFile',
          new StorageCallError('INVALID_PARAM', 'send multipart/form-data with cloudPath and file'),
        );
      const { cloudPath, bytes } = await readUpload(request);
      if (cloudPath === undefined || !bytes)
        return clientRefusal(
          reply,
          'uploadFile',
          new StorageCallError('INVALID_PARAM', 'cloudPath and file are required'),
        );
      try {
        const fileID = bucket().uploadAsUser(openid, cloudPath, bytes);
        return { fileID, statusCode: 204, errMsg: 'cloud.uploadFile:ok' };
      } catch (error) {
        if (error instanceof StorageCallError) return clientRefusal(reply, 'uploadFile', error);
        throw error;
      }
    });
    /** A JSON client route: the caller from the gateway, the body by `schema`, storage refusals as the SDK's. */
    const clientJsonRoute = <T>(
      api: 'getTempFileURL' | 'deleteFile',
      schema: z.ZodType<T>,
      run: (openid: string, body: T) => unknown,
    ) =>
      scope.post(`/client/${api}`, async (request, reply) => {
        const openid = clientUser(request, reply, api);
        if (!openid) return reply;
        const parsed = schema.safeParse(request.body ?? {});
        if (!parsed.success)
          return clientRefusal(
            reply,
            api,
            new StorageCallError('INVALID_PARAM', parsed.error.issues[0]?.message ?? ''),
          );
        try {
          return run(openid, parsed.data);
        } catch (error) {
          if (error instanceof StorageCallError) return clientRefusal(reply, api, error);
          throw error;
        }
      });
    clientJsonRoute('getTempFileURL', fileListBody, (openid, body) => {
      const asked = body.fileList.map((f) =>
        typeof f === 'string'
          ? { fileId: f }
          : { fileId: f.fileID, ...(f.maxAge !== undefined && { maxAge: f.maxAge }) },
      );
      const entries = bucket().tempUrls({ kind: 'user', openid }, asked);
      return { fileList: entries.map(clientEntry), errMsg: 'cloud.getTempFileURL:ok' };
    });
    clientJsonRoute('deleteFile', deleteBody, (openid, body) => {
      const entries = bucket().remove({ kind: 'user', openid }, body.fileList);
      return { fileList: entries.map(clientEntry), errMsg: 'cloud.deleteFile:ok' };
    });
  });

  app.get('/_admin/storage/files', { preHandler: loopbackOnly }, async () => ({ files: bucket().files() }));
  app.post('/_admin/storage/link', { preHandler: loopbackOnly }, async (request, reply) => {
    const parsed = z.object({ fileId: z.string().min(1) }).safeParse(request.body ?? {});
    if (!parsed.success)
      return reply.code(400).send({ code: 'INVALID_BODY', message: 'send {"fileId": "cloud://…"}' });
    const [entry] = bucket().tempUrls({ kind: 'admin' }, [{ fileId: parsed.data.fileId, maxAge: 600 }]);
    return entry;
  });
}
