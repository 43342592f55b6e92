import { certHashOf } from '../../emulator/src/openapi/face-sessions';
import { certHash, certInfoOf } from '../../server/identity/cert-hash';

/** WeChat's own example (queryVerifyInfo 注意事项): 张三 / 310101199801011234. */
const DOCUMENTED = '3c241f7ff324977aeb91f173bb2a7b06569e6fd784d5573db34a636d8671108b';

test('cert_hash matches the documented example, on our side and on the local WeChat side', () => {
  const cert = certInfoOf('张三', '310101199801011234');
  expect(cert).toEqual({ cert_type: 'IDENTITY_CARD', cert_name: '张三', cert_no: '310101199801011234' });
  expect(certHash(cert)).toBe(DOCUMENTED);
  expect(certHashOf(cert)).toBe(DOCUMENTED);
  expect(certHash(certInfoOf('张四', '310101199801011234'))).not.toBe(DOCUMENTED);
});
