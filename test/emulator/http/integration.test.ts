import { answerFromResult, encodeBody, queryParameters } from '../../../emulator/src/http-access/integration';
import { matchRoute } from '../../../emulator/src/http-access/routes-config';

describe('HTTP access integration request/response', () => {
  test('text bodies stay text; binary and non-UTF-8 bodies are base64', () => {
    expect(encodeBody(Buffer.from('{"a":"中"}'), 'application/json')).toEqual({
      body: '{"a":"中"}',
      isBase64Encoded: false,
    });
    const binary = Buffer.from([0x00, 0xff, 0x10, 0x80]);
    expect(encodeBody(binary, 'application/octet-stream')).toEqual({
      body: binary.toString('base64'),
      isBase64Encoded: true,
    });
    expect(encodeBody(Buffer.from([0xc3, 0x28]), 'text/plain').isBase64Encoded).toBe(true);
    expect(encodeBody(Buffer.alloc(0), undefined)).toEqual({ body: '', isBase64Encoded: false });
  });

  test('integration responses, strings and plain values become HTTP answers', () => {
    const custom = answerFromResult({
      statusCode: 204,
      headers: { 'X-A': 'b' },
      body: Buffer.from([1, 2]).toString('base64'),
      isBase64Encoded: true,
    });
    expect(custom.statusCode).toBe(204);
    expect(custom.headers['x-a']).toBe('b');
    expect([...custom.body]).toEqual([1, 2]);
    expect(answerFromResult('hi').headers['content-type']).toMatch(/^text\/plain/);
    const json = answerFromResult({ ok: true });
    expect(json.statusCode).toBe(200);
    expect(JSON.parse(json.body.toString())).toEqual({ ok: true });
  });

  test('query parameters and longest-prefix routes', () => {
    expect(queryParameters('/x?a=1&b=%E4%B8%AD&a=2')).toEqual({ a: '2', b: '中' });
    const routes = [
      { path: '/wxpay', function: 'a' },
      { path: '/wxpay/notify', function: 'b' },
    ];
    expect(matchRoute(routes, '/wxpay/notify/transfer')?.function).toBe('b');
    expect(matchRoute(routes, '/wxpay/other')?.function).toBe('a');
    expect(matchRoute(routes, '/wxpayx')).toBeUndefined();
  });
});
