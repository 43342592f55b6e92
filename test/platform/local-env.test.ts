import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FunctionConfig } from '../../emulator/src/functions/api';
import { applyDeclarations } from '../../emulator/src/functions/declared-config';
import { invocationEnvironment } from '../../emulator/src/functions/environment';

const ROOT = path.join(__dirname, '..', '..');
const BASE_CONFIG: FunctionConfig = { timeout: 3, envVariables: {}, openapi: [], triggers: [] };

/** A throw-away project root holding the real declarations and, optionally, a local override file. */
function projectWith(local?: unknown): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'wxlend-localenv-'));
  fs.mkdirSync(path.join(root, 'cloudbase'));
  fs.mkdirSync(path.join(root, 'cloudfunctions', 'identity'), { recursive: true });
  for (const file of ['functions.json', 'env-variables.json'])
    fs.copyFileSync(path.join(ROOT, 'cloudbase', file), path.join(root, 'cloudbase', file));
  if (local !== undefined)
    fs.writeFileSync(path.join(root, 'cloudbase', 'functions.local.json'), JSON.stringify(local));
  return root;
}

function identityConfig(root: string): FunctionConfig {
  const dir = path.join(root, 'cloudfunctions', 'identity');
  return applyDeclarations(root, { name: 'identity', dir, entry: path.join(dir, 'index.ts') }, BASE_CONFIG);
}

describe('local function configuration', () => {
  test('a declared function gets its declared timeout and local values', () => {
    const config = identityConfig(projectWith());
    expect(config.timeout).toBe(20);
    expect(config.envVariables).toMatchObject({
      WXLEND_IDENTITY_VERIFIER: 'ocr_phone',
      WXLEND_IDENTITY_MAX_AGE: '60',
    });
  });

  test('the git-ignored cloudbase/functions.local.json overrides them (trying the face verifier)', () => {
    const config = identityConfig(projectWith({ identity: { WXLEND_IDENTITY_VERIFIER: 'face' } }));
    expect(config.envVariables.WXLEND_IDENTITY_VERIFIER).toBe('face');
  });

  test('a local value for a variable the function does not declare is refused, naming it', () => {
    expect(() => identityConfig(projectWith({ identity: { WECHATPAY_MCH_PRIVATE_KEY: 'x' } }))).toThrow(
      /identity does not declare WECHATPAY_MCH_PRIVATE_KEY/,
    );
  });

  test('keys another service contributes reach only the functions that declare them', () => {
    const config = identityConfig(projectWith());
    const env = invocationEnvironment({
      base: {},
      config,
      contributed: [
        { WECHATPAY_MCH_PRIVATE_KEY: 'pem', WXLEND_PII_KEYS: '{}', WECHATPAY_BASE_URL: 'http://x' },
      ],
      sdk: {},
      trigger: { name: 'identity', event: {}, source: 'scf' },
      apiToken: 't',
      clockOffsetMs: 0,
    });
    expect(env.WECHATPAY_MCH_PRIVATE_KEY).toBeUndefined();
    expect(env.WXLEND_PII_KEYS).toBe('{}');
  });
});
