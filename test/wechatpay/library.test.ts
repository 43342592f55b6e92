import {
  createCipheriv,
  createPrivateKey,
  createSign,
  createVerify,
  generateKeyPairSync,
  privateDecrypt,
  constants,
} from 'node:crypto';
import {
  WechatPayError,
  WechatPayKeyring,
  buildAuthorization,
  decryptResource,
  encryptSensitiveField,
  rawBodyOfHttpEvent,
  requestSigningMessage,
  transferNoticeMismatches,
  verifyTransferNotification,
  verifyWechatpaySignature,
  wechatPayConfigFromEnv,
} from '../../server/wechatpay';

const platform = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pubkey = generateKeyPairSync('rsa', { modulusLength: 2048 });
const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = (key: { export: (o: { type: 'spki'; format: 'pem' }) => string | Buffer }): string =>
  key.export({ type: 'spki', format: 'pem' }).toString();
const PLATFORM_SERIAL = '5157F09EFDC096DE15EBE81A47057A7232F1B8E1';
const PUB_KEY_ID = 'PUB_KEY_ID_0114232134912410000000000000';
const API_V3_KEY = 'abcdefghijklmnopqrstuvwxyz012345';
const keyring = new WechatPayKeyring([
  { serial: PLATFORM_SERIAL, pem: pem(platform.publicKey) },
  { serial: PUB_KEY_ID, pem: pem(pubkey.publicKey) },
]);
const NOW = Date.UTC(2026, 0, 15, 4, 0, 0);

function signed(
  body: string,
  options: { timestamp?: number; serial?: string; key?: typeof platform.privateKey } = {},
) {
  const timestamp = String(options.timestamp ?? Math.floor(NOW / 1000));
  const nonce = 'n0nce';
  const signature = createSign('RSA-SHA256')
    .update(`${timestamp}\n${nonce}\n${body}\n`)
    .sign(options.key ?? pubkey.privateKey, 'base64');
  return {
    'Wechatpay-Timestamp': timestamp,
    'Wechatpay-Nonce': nonce,
    'Wechatpay-Signature': signature,
    'Wechatpay-Serial': options.serial ?? PUB_KEY_ID,
  };
}

function seal(plain: string, nonce = 'abcdefghijkl', aad = 'mch_payment'): string {
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(API_V3_KEY), Buffer.from(nonce));
  cipher.setAAD(Buffer.from(aad));
  return Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]).toString(
    'base64',
  );
}

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof WechatPayError) return error.code;
    throw error;
  }
  return 'NO_ERROR';
}

describe('request signing', () => {
  test('the Authorization header signs METHOD\\nURL\\nTIMESTAMP\\nNONCE\\nBODY\\n', () => {
    const request = {
      method: 'POST',
      urlPath: '/v3/x',
      body: '{"a":1}',
      timestamp: 1_700_000_000,
      nonce: 'ABC',
    };
    const header = buildAuthorization(
      { mchId: '1900000109', serialNo: 'SER', privateKey: merchant.privateKey },
      request,
    );
    expect(header).toMatch(
      /^WECHATPAY2-SHA256-RSA2048 mchid="1900000109",nonce_str="ABC",signature="[^"]+",timestamp="1700000000",serial_no="SER"$/,
    );
    expect(requestSigningMessage(request)).toBe('POST\n/v3/x\n1700000000\nABC\n{"a":1}\n');
    const signature = /signature="([^"]+)"/.exec(header)?.[1] ?? '';
    const verifier = createVerify('RSA-SHA256');
    expect(
      verifier.update(requestSigningMessage(request)).verify(merchant.publicKey, signature, 'base64'),
    ).toBe(true);
  });
});

describe('answer and notification signatures', () => {
  const body = '{"hello":"世界"}';

  test('verifies with the key chosen by serial (public key id or platform certificate)', () => {
    expect(verifyWechatpaySignature({ headers: signed(body), body, keyring, nowMs: NOW })).toBe(PUB_KEY_ID);
    const byCert = signed(body, { serial: PLATFORM_SERIAL, key: platform.privateKey });
    expect(verifyWechatpaySignature({ headers: byCert, body: Buffer.from(body), keyring, nowMs: NOW })).toBe(
      PLATFORM_SERIAL,
    );
  });

  test('rejects a key that does not match the serial, an unknown serial, and a tampered body', () => {
    const wrongKey = signed(body, { serial: PLATFORM_SERIAL });
    expect(codeOf(() => verifyWechatpaySignature({ headers: wrongKey, body, keyring, nowMs: NOW }))).toBe(
      'SIGNATURE_INVALID',
    );
    const unknown = signed(body, { serial: 'PUB_KEY_ID_0000' });
    expect(codeOf(() => verifyWechatpaySignature({ headers: unknown, body, keyring, nowMs: NOW }))).toBe(
      'UNKNOWN_SERIAL',
    );
    expect(
      codeOf(() =>
        verifyWechatpaySignature({ headers: signed(body), body: `${body} `, keyring, nowMs: NOW }),
      ),
    ).toBe('SIGNATURE_INVALID');
  });

  test('timestamps ±299 s are accepted and ±301 s rejected, both directions', () => {
    const now = Math.floor(NOW / 1000);
    for (const skew of [-299, 299]) {
      const headers = signed(body, { timestamp: now + skew });
      expect(verifyWechatpaySignature({ headers, body, keyring, nowMs: NOW })).toBe(PUB_KEY_ID);
    }
    for (const skew of [-301, 301]) {
      const headers = signed(body, { timestamp: now + skew });
      expect(codeOf(() => verifyWechatpaySignature({ headers, body, keyring, nowMs: NOW }))).toBe(
        'TIMESTAMP_OUT_OF_WINDOW',
      );
    }
  });

  test('probe signatures and missing headers are rejected', () => {
    const probe = { ...signed(body), 'Wechatpay-Signature': 'WECHATPAY/SIGNTEST/AAAA' };
    expect(codeOf(() => verifyWechatpaySignature({ headers: probe, body, keyring, nowMs: NOW }))).toBe(
      'SIGNATURE_PROBE',
    );
    const { 'Wechatpay-Nonce': _nonce, ...missing } = signed(body);
    expect(codeOf(() => verifyWechatpaySignature({ headers: missing, body, keyring, nowMs: NOW }))).toBe(
      'SIGNATURE_HEADERS_MISSING',
    );
  });
});

describe('notification resource', () => {
  const bill = {
    mch_id: '1900000109',
    out_bill_no: 'PAY1',
    transfer_bill_no: '1330000071100999991182020050700019480001',
    state: 'SUCCESS',
    transfer_amount: 50_000,
    openid: 'o-borrower',
    create_time: '2026-01-15T12:00:00.000+08:00',
    update_time: '2026-01-15T12:01:00.000+08:00',
  };
  const envelope = (ciphertext: string, eventType = 'MCHTRANSFER.BILL.FINISHED'): string =>
    JSON.stringify({
      id: 'EV-1',
      create_time: '2026-01-15T12:01:00+08:00',
      resource_type: 'encrypt-resource',
      event_type: eventType,
      summary: '商家转账单据终态通知',
      resource: {
        algorithm: 'AEAD_AES_256_GCM',
        ciphertext,
        associated_data: 'mch_payment',
        original_type: 'mch_payment',
        nonce: 'abcdefghijkl',
      },
    });

  test('a signed notification verifies and decrypts to the bill', () => {
    const body = envelope(seal(JSON.stringify(bill)));
    const result = verifyTransferNotification({
      headers: signed(body),
      body,
      keyring,
      apiV3Key: API_V3_KEY,
      nowMs: NOW,
    });
    expect(result.bill).toEqual(bill);
    expect(result.envelope.id).toBe('EV-1');
    expect(
      transferNoticeMismatches(result.bill, {
        mchId: '1900000109',
        outBillNo: 'PAY1',
        transferAmount: 50_000,
        openid: 'o-borrower',
      }),
    ).toEqual([]);
    expect(
      transferNoticeMismatches(result.bill, {
        mchId: '1900000109',
        outBillNo: 'PAY1',
        transferAmount: 5_000,
        openid: 'o-other',
      }),
    ).toEqual(['transfer_amount', 'openid']);
  });

  test('one flipped bit in the ciphertext or the tag fails decryption', () => {
    const sealed = Buffer.from(seal(JSON.stringify(bill)), 'base64');
    for (const index of [0, sealed.length - 1]) {
      const flipped = Buffer.from(sealed);
      flipped[index] = (flipped[index] ?? 0) ^ 1;
      const resource = {
        algorithm: 'AEAD_AES_256_GCM',
        ciphertext: flipped.toString('base64'),
        associated_data: 'mch_payment',
        nonce: 'abcdefghijkl',
      };
      expect(codeOf(() => decryptResource(resource, API_V3_KEY))).toBe('RESOURCE_DECRYPT_FAILED');
    }
  });

  test('an unknown event type is refused even when signed', () => {
    const body = envelope(seal(JSON.stringify(bill)), 'TRANSACTION.SUCCESS');
    expect(
      codeOf(() =>
        verifyTransferNotification({
          headers: signed(body),
          body,
          keyring,
          apiV3Key: API_V3_KEY,
          nowMs: NOW,
        }),
      ),
    ).toBe('UNKNOWN_EVENT_TYPE');
  });

  test('a base64 HTTP access event body decodes to the signed bytes', () => {
    const body = envelope(seal(JSON.stringify(bill)));
    const raw = rawBodyOfHttpEvent({ body: Buffer.from(body).toString('base64'), isBase64Encoded: true });
    const result = verifyTransferNotification({
      headers: signed(body),
      body: raw,
      keyring,
      apiV3Key: API_V3_KEY,
      nowMs: NOW,
    });
    expect(result.bill.out_bill_no).toBe('PAY1');
  });
});

describe('sensitive fields and configuration', () => {
  test('user_name is RSA-OAEP encrypted for the WeChat Pay key', () => {
    const ciphertext = encryptSensitiveField('张三·李', pubkey.publicKey);
    const plain = privateDecrypt(
      {
        key: createPrivateKey(pubkey.privateKey.export({ type: 'pkcs8', format: 'pem' })),
        padding: constants.RSA_PKCS1_OAEP_PADDING,
        oaepHash: 'sha1',
      },
      Buffer.from(ciphertext, 'base64'),
    );
    expect(plain.toString('utf8')).toBe('张三·李');
  });

  test('configuration is read from WECHATPAY_* and names what is missing', () => {
    const env = {
      WECHATPAY_MCH_ID: '1900000109',
      WECHATPAY_APP_ID: 'wx0000000000000001',
      WECHATPAY_MCH_SERIAL_NO: 'SER',
      WECHATPAY_MCH_PRIVATE_KEY: merchant.privateKey
        .export({ type: 'pkcs8', format: 'pem' })
        .toString()
        .replace(/\n/g, '\\n'),
      WECHATPAY_APIV3_KEY: API_V3_KEY,
      WECHATPAY_PUBLIC_KEY_ID: PUB_KEY_ID,
      WECHATPAY_PUBLIC_KEY: pem(pubkey.publicKey),
      WECHATPAY_PLATFORM_CERT_SERIAL: PLATFORM_SERIAL,
      WECHATPAY_PLATFORM_CERT: pem(platform.publicKey),
    };
    const config = wechatPayConfigFromEnv(env);
    expect(config.baseUrl).toBe('https://api.mch.weixin.qq.com');
    expect(config.verificationKeys.map((k) => k.serial)).toEqual([PUB_KEY_ID, PLATFORM_SERIAL]);
    expect(config.encryptionKeySerial).toBe(PUB_KEY_ID);
    expect(config.mchPrivateKeyPem).toContain('\n');
    expect(codeOf(() => wechatPayConfigFromEnv({ ...env, WECHATPAY_APIV3_KEY: 'short' }))).toBe(
      'CONFIG_INVALID',
    );
    expect(() => wechatPayConfigFromEnv({ ...env, WECHATPAY_MCH_ID: '' })).toThrow(
      'WECHATPAY_MCH_ID is not set',
    );
  });

  test('outcomeUnknown separates definite refusals from ambiguous answers', () => {
    const api = (httpStatus: number, apiCode: string) =>
      new WechatPayError('API_ERROR', 'x', { httpStatus, apiCode });
    expect(api(400, 'PARAM_ERROR').outcomeUnknown).toBe(false);
    expect(api(400, 'INVALID_REQUEST').outcomeUnknown).toBe(false);
    expect(api(500, 'SYSTEM_ERROR').outcomeUnknown).toBe(true);
    expect(api(429, 'FREQUENCY_LIMITED').outcomeUnknown).toBe(true);
    expect(api(403, 'NOT_ENOUGH').outcomeUnknown).toBe(true);
    expect(api(400, 'SOMETHING_NEW').outcomeUnknown).toBe(true);
    expect(new WechatPayError('TIMEOUT', 'x').outcomeUnknown).toBe(true);
  });
});
