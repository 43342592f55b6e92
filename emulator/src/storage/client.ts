/** A typed client of the storage client routes (`wx.cloud.uploadFile` / `getTempFileURL` / `deleteFile`) as a signed-in user, for tests and the demo. */

/** What a client storage route answered: HTTP status and body. */
export interface ClientAnswer<T> {
  status: number;
  body: T;
}

/** `wx.cloud.uploadFile` as `openid`: multipart `cloudPath` + `file`, as wx.uploadFile sends it. */
export async function clientUpload(
  baseUrl: string,
  openid: string,
  cloudPath: string,
  bytes: Buffer,
): Promise<ClientAnswer<{ fileID?: string; errCode?: number; errMsg: string }>> {
  const form = new FormData();
  form.append('cloudPath', cloudPath);
  form.append('file', new Blob([new Uint8Array(bytes)]), cloudPath.split('/').pop() ?? 'file');
  const response = await fetch(`${baseUrl}/client/uploadFile`, {
    method: 'POST',
    headers: { 'x-wx-openid': openid },
    body: form,
  });
  return { status: response.status, body: (await response.json()) as never };
}

/** `wx.cloud.getTempFileURL` / `deleteFile` as `openid`. */
export async function clientFileCall<T>(
  baseUrl: string,
  openid: string,
  api: 'getTempFileURL' | 'deleteFile',
  fileList: unknown[],
): Promise<ClientAnswer<T>> {
  const response = await fetch(`${baseUrl}/client/${api}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-wx-openid': openid },
    body: JSON.stringify({ fileList }),
  });
  return { status: response.status, body: (await response.json()) as T };
}
