import * as OTPAuth from 'otpauth';
import { newTotpSecret, totpCode, totpStep, totpUri } from '../../server/operators/totp';

test('codes, secrets and URIs agree with the otpauth library (RFC 6238)', () => {
  for (let i = 0; i < 20; i += 1) {
    const secret = newTotpSecret();
    const reference = new OTPAuth.TOTP({
      secret: OTPAuth.Secret.fromBase32(secret),
      digits: 6,
      period: 30,
      algorithm: 'SHA1',
    });
    const at = Date.UTC(2026, 11, 1) + i * 7_919_000;
    expect(totpCode(secret, at)).toBe(reference.generate({ timestamp: at }));
    expect(totpStep(secret, reference.generate({ timestamp: at - 30_000 }), at)).toBe(
      Math.floor(at / 30_000) - 1,
    );
    expect(totpStep(secret, reference.generate({ timestamp: at - 90_000 }), at)).toBeUndefined();
    const parsed = OTPAuth.URI.parse(totpUri(secret, 'alice')) as OTPAuth.TOTP;
    expect(parsed.secret.base32).toBe(secret);
  }
  // RFC 6238 appendix B, SHA1, T = 59 s: 94287082 → last six digits.
  expect(totpCode('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 59_000)).toBe('287082');
});
