import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleFunctions, type BundleReport } from '../../emulator/src/functions/bundle';
import { readDeclarations } from '../../emulator/src/functions/declarations';
import { CLOUDBASERC, cloudbasercText, generateCloudbaserc } from '../../scripts/platform/cloudbaserc';
import { deployPlan } from '../../scripts/deploy';
import { assertEnvBudgets, ENV_LIMIT_BYTES, envBudgets } from '../../scripts/platform/env-budget';

const ROOT = path.join(__dirname, '..', '..');

describe('deploy declarations', () => {
  test('the committed cloudbaserc.json is exactly what the declarations generate', () => {
    expect(fs.readFileSync(path.join(ROOT, CLOUDBASERC), 'utf8')).toBe(cloudbasercText(ROOT));
  });

  test('cloudbaserc.json: every function on Nodejs20.19 within the CLI ranges, variables as names only', () => {
    const rc = generateCloudbaserc(ROOT) as {
      functions: Array<{
        name: string;
        runtime: string;
        timeout: number;
        memorySize: number;
        envVariables: Record<string, string>;
      }>;
    };
    expect(rc.functions.map((fn) => fn.name).sort()).toEqual(
      fs.readdirSync(path.join(ROOT, 'cloudfunctions')).sort(),
    );
    for (const fn of rc.functions) {
      expect(fn.runtime).toBe('Nodejs20.19');
      expect(fn.timeout).toBeGreaterThanOrEqual(1);
      expect(fn.timeout).toBeLessThanOrEqual(60);
      expect([128, 256, 512, 1024, 2048]).toContain(fn.memorySize);
      for (const [name, value] of Object.entries(fn.envVariables)) expect(value).toBe(`{{env.${name}}}`);
    }
  });

  test('config.json of each function keeps only permissions and triggers', () => {
    for (const name of fs.readdirSync(path.join(ROOT, 'cloudfunctions'))) {
      const config = JSON.parse(
        fs.readFileSync(path.join(ROOT, 'cloudfunctions', name, 'config.json'), 'utf8'),
      ) as object;
      for (const key of Object.keys(config)) expect(['permissions', 'triggers']).toContain(key);
    }
  });

  test('identity never receives WeChat Pay keys; only the payout functions and their callers do', () => {
    const declarations = readDeclarations(ROOT)!;
    const holders = Object.entries(declarations.functions)
      .filter(([, fn]) => fn.env.includes('WECHATPAY_MCH_PRIVATE_KEY'))
      .map(([name]) => name)
      .sort();
    expect(holders).not.toContain('identity');
    expect(holders).not.toContain('notify');
  });

  test('npm run deploy -- --dry-run prints the plan offline and changes nothing', () => {
    const out = execFileSync(
      path.join(ROOT, 'node_modules', '.bin', 'tsx'),
      ['scripts/deploy.ts', '--env', 'wxlend-prod-1a2b', '--dry-run'],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '' },
      },
    );
    expect(out).toContain('deploy plan for wxlend-prod-1a2b');
    expect(out).toContain('$ tcb fn deploy payout --force -e wxlend-prod-1a2b');
    expect(out).toContain('$ tcb service create -p /payNotify -f payNotify -e wxlend-prod-1a2b');
    // The workbench's two HTTP access routes and their functions.
    expect(out).toContain('$ tcb fn deploy workbench --force -e wxlend-prod-1a2b');
    expect(out).toContain('$ tcb service create -p /workbench -f workbench -e wxlend-prod-1a2b');
    expect(out).toContain('$ tcb fn deploy workbenchRepayment --force -e wxlend-prod-1a2b');
    expect(out).toContain(
      '$ tcb service create -p /workbench/repayment -f workbenchRepayment -e wxlend-prod-1a2b',
    );
    expect(out).toContain('$ tcb fn deploy workbenchRights --force -e wxlend-prod-1a2b');
    expect(out).toContain('$ tcb service create -p /workbench/rights -f workbenchRights -e wxlend-prod-1a2b');
    expect(out).toMatch(/collection loanApplications: permission ADMINONLY/);
    expect(deployPlan(ROOT, 'e').filter((step) => step.command).length).toBeGreaterThan(8);
  });
});

describe('each function is declared with exactly the catalogued variables its bundle reads', () => {
  let outDir: string;
  let report: BundleReport;
  beforeAll(async () => {
    outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxlend-decl-'));
    report = await bundleFunctions({
      functionsDir: path.join(ROOT, 'cloudfunctions'),
      outDir,
      projectRoot: ROOT,
    });
  }, 120_000);
  afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

  test('every bundle is at most 300 KB without wx-server-sdk (minified, zod with its English locale only)', () => {
    expect(report.failed).toEqual([]);
    for (const fn of report.built)
      expect({ fn: fn.name, under: fn.bytes <= 300 * 1024 }).toEqual({ fn: fn.name, under: true });
  });

  test('no function reads a catalogued variable it is not given', () => {
    const declarations = readDeclarations(ROOT)!;
    const catalogued = Object.keys(declarations.variables);
    expect(report.failed).toEqual([]);
    for (const fn of report.built) {
      const code = fs.readFileSync(path.join(fn.dir, 'index.js'), 'utf8');
      const read = catalogued.filter((name) => code.includes(`"${name}"`) || code.includes(`.${name}`));
      const declared = declarations.functions[fn.name]!.env;
      const undeclared = read.filter(
        (name) => !declared.includes(name) && !name.startsWith('WECHATPAY_PLATFORM_CERT'),
      );
      expect({ fn: fn.name, undeclared }).toEqual({ fn: fn.name, undeclared: [] });
    }
  });
});

describe('environment budget', () => {
  test('a function over 4 KB with room for one rotation is named in a clear message', () => {
    const declarations = readDeclarations(ROOT)!;
    const budgets = envBudgets(declarations);
    const identity = budgets.find((b) => b.name === 'identity')!;
    expect(identity.peakBytes).toBeLessThan(ENV_LIMIT_BYTES);
    const heavy = {
      ...identity,
      name: 'heavy',
      bytes: 4000,
      rotationBytes: 200,
      rotating: 'WXLEND_PII_KEYS',
      peakBytes: 4200,
    };
    expect(() => assertEnvBudgets([identity, heavy])).toThrow(
      /heavy: 4200 bytes \(4000 \+ 200 while rotating WXLEND_PII_KEYS\) > 4096/,
    );
    expect(() => assertEnvBudgets([identity])).not.toThrow();
  });

  test('every declared function fits with room for one rotation (the build fails otherwise)', () => {
    const budgets = envBudgets(readDeclarations(ROOT)!);
    expect(() => assertEnvBudgets(budgets)).not.toThrow();
    for (const b of budgets)
      expect({ fn: b.name, over: b.peakBytes > ENV_LIMIT_BYTES }).toEqual({ fn: b.name, over: false });
  });

  test('only payout, payNotify and reconcile hold the merchant key, certificates and payout settings', () => {
    const declarations = readDeclarations(ROOT)!;
    const holders = Object.entries(declarations.functions)
      .filter(([, fn]) =>
        fn.env.some((v) =>
          ['WECHATPAY_MCH_PRIVATE_KEY', 'WECHATPAY_APIV3_KEY', 'WECHATPAY_PUBLIC_KEY'].includes(v),
        ),
      )
      .map(([name]) => name)
      .sort();
    expect(holders).toEqual(['payNotify', 'payout', 'reconcile']);
    for (const name of ['loan', 'review', 'ops', 'workbench'])
      expect(declarations.functions[name]!.env.filter((v) => v.startsWith('WECHATPAY_'))).toEqual([]);
  });
});
