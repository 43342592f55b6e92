import { createHash, randomBytes } from 'node:crypto';
import type { HttpAccessService } from '../../../emulator/src/http-access/service';
import { loadHttpRoutes } from '../../../emulator/src/http-access/routes-config';
import { startWithFixtures, type FixtureEmulator } from '../openapi/fixture-emulator';

/** What the echo fixture reports about the request it received. */
interface Seen {
  source: string;
  path: string;
  method: string;
  query: Record<string, string>;
  contentType: string | null;
  isBase64Encoded: boolean;
  bodySha256: string;
  bodyLength: number;
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe('HTTP access service (/http/<path> → function with SOURCE wx_http)', () => {
  let emu: FixtureEmulator;

  beforeAll(async () => {
    emu = await startWithFixtures(['extHttpEcho']);
    emu.hub
      .service<HttpAccessService>('http-access')
      .addRoute({ path: '/fixture/echo', function: 'extHttpEcho' });
  });
  afterAll(async () => {
    await emu.stop();
  });

  test('a binary body arrives base64-encoded and byte-exact; the custom status and headers come back', async () => {
    const bytes = Buffer.concat([Buffer.from([0x00, 0xff, 0xfe, 0x80]), randomBytes(64)]);
    const res = await fetch(`${emu.baseUrl}/http/fixture/echo/sub?x=1&y=%E4%B8%AD`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    expect(res.status).toBe(202);
    expect(res.headers.get('x-fixture')).toBe('extHttpEcho');
    const seen = (await res.json()) as Seen;
    expect(seen).toMatchObject({
      source: 'wx_http',
      path: '/fixture/echo/sub',
      method: 'POST',
      query: { x: '1', y: '中' },
      isBase64Encoded: true,
      bodyLength: bytes.length,
      bodySha256: sha256(bytes),
    });
  });

  test('a JSON body reaches the function as the exact raw text (no re-serialisation)', async () => {
    const raw = Buffer.from('{ "resource" :{"ciphertext":"YWJj"},  "id":"中文"\n}');
    const res = await fetch(`${emu.baseUrl}/http/fixture/echo?plain=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: raw,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const seen = (await res.json()) as Seen;
    expect(seen).toMatchObject({
      isBase64Encoded: false,
      bodySha256: sha256(raw),
      contentType: 'application/json',
    });
  });

  test('GET without body, unknown paths and the project route file', async () => {
    const res = await fetch(`${emu.baseUrl}/http/fixture/echo?plain=1`);
    expect(((await res.json()) as Seen).bodyLength).toBe(0);
    expect((await fetch(`${emu.baseUrl}/http/nowhere`)).status).toBe(404);
    expect(Array.isArray(loadHttpRoutes(`${emu.hub.config.projectRoot}/cloudbase/http-access.json`))).toBe(
      true,
    );
    const listed = await emu.get<{ prefix: string; routes: unknown[] }>('/_admin/http-access/routes');
    expect(listed.prefix).toBe('/http');
    expect(listed.routes).toContainEqual({ path: '/fixture/echo', function: 'extHttpEcho' });
  });
});
