import { createECDH } from 'node:crypto';
import { ROLE_TABLE, WORKBENCH_ROLES, roleMay } from '../../server/operators/roles';
import type { WorkbenchDeps } from '../../server/operators/workbench-http';
import { CALLER_TABLE } from '../../server/runtime/caller-table';
import { amlReports, revealBorrower, setBlacklisted, setFrozen } from '../../server/ops/borrower-controls';
import type { Operator } from '../../server/ops/operator-auth';
import { rightsOpsActions } from '../../server/ops/rights-actions';
import { readPiiKeys } from '../../server/pii';
import { testPiiEnv } from '../identity/pii-keys';
import { memoryDeps } from '../loan/memory-fixtures';
import { consoleCaller, memoryOperatorDeps, register, signInAs, wb } from './fixtures';

/** A browser tab's one-time public key (reveal answers are sealed to it). */
const recipientKey = (() => {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return ecdh.getPublicKey().toString('base64url');
})();

const ACTIONS = Object.keys(ROLE_TABLE).filter((a) => a !== 'secondApproval');

/** A workbench over a stand-in ops table that records which action ran as whom. */
function setup() {
  const operators = memoryOperatorDeps();
  const ran: string[] = [];
  const opsTable: WorkbenchDeps['opsTable'] = (authenticate) =>
    Object.fromEntries(
      ACTIONS.map((name) => [
        name,
        {
          input: { safeParse: (v: unknown) => ({ success: true, data: v }) } as never,
          run: async (_input: unknown, caller: Parameters<typeof authenticate>[0]) => {
            ran.push(`${name}:${(await authenticate(caller, name)).id}`);
            return {};
          },
        },
      ]),
    );
  return { deps: { operators, opsTable } as WorkbenchDeps, ran };
}

test('every action of the role table is a real ops or repaymentOps action', () => {
  const real = [...Object.keys(CALLER_TABLE.ops), ...Object.keys(CALLER_TABLE.repaymentOps)];
  for (const name of ACTIONS) expect(real).toContain(name);
});

test('the role table walked: action × role', async () => {
  const { deps, ran } = setup();
  const tokens = new Map<string, string>();
  for (const role of WORKBENCH_ROLES)
    tokens.set(
      role,
      await signInAs(deps, await register(deps.operators, `op-${role.replace('_', '-')}`, role)),
    );
  for (const name of ACTIONS) {
    for (const role of WORKBENCH_ROLES) {
      ran.length = 0;
      const answer = await wb(
        deps,
        '/workbench/ops',
        { action: name, applicationId: 'app-1', recipientKey },
        { token: tokens.get(role) },
      );
      if (roleMay(role, name)) {
        expect([name, role, answer.body.ok]).toEqual([name, role, true]);
        expect(ran).toEqual([`${name}:wb:op-${role.replace('_', '-')}`]);
      } else {
        expect([name, role, answer.status, answer.body.error?.code]).toEqual([
          name,
          role,
          403,
          'ROLE_FORBIDDEN',
        ]);
        expect(ran).toEqual([]);
      }
    }
  }
});

test('reveal through the workbench needs a one-time recipient key', async () => {
  const { deps, ran } = setup();
  const sup = await signInAs(deps, await register(deps.operators, 'sara', 'supervisor'));
  const answer = await wb(
    deps,
    '/workbench/ops',
    { action: 'reveal', openid: 'o1', reasonCode: 'x' },
    { token: sup },
  );
  expect(answer.body.error?.code).toBe('RECIPIENT_KEY_REQUIRED');
  expect(ran).toEqual([]);
});

describe('the action code asks the role table (no check of its own)', () => {
  const deps = memoryDeps();
  const rights = rightsOpsActions(
    () => ({ store: deps.store, clock: deps.clock, keys: readPiiKeys(testPiiEnv()) }),
    async () => current,
  );
  let current: Operator = { id: 'console', role: 'console' };
  /** Each action whose code checks the role itself, run as `operator`: what it answers. */
  const runs: Record<string, (operator: Operator) => Promise<unknown>> = {
    amlReports: (op) => amlReports(deps, op, { offset: 0, limit: 10 }),
    freeze: (op) => setFrozen(deps, op, 'o-nobody', true, '可疑交易核查'),
    unfreeze: (op) => setFrozen(deps, op, 'o-nobody', false, '调查已排除'),
    blacklist: (op) => setBlacklisted(deps, op, 'o-nobody', true, '确认欺诈'),
    reveal: (op) => revealBorrower(deps, async () => ({}), op, 'o-nobody', '客户投诉核实'),
    identityRequests: () => rights.identityRequests.run({ limit: 5 }, consoleCaller),
    completeDeletion: () =>
      rights.completeDeletion.run(
        { openid: 'o-nobody', reasonCode: 'CUSTOMER_REQUEST', reason: '本人申请注销' },
        consoleCaller,
      ),
  };
  const outcome = async (name: string, operator: Operator): Promise<string> => {
    current = operator;
    try {
      await runs[name]?.(operator);
      return 'ran';
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'ERROR';
      return ['ROLE_FORBIDDEN', 'SUPERVISOR_REQUIRED'].includes(code) ? code : 'ran';
    }
  };

  test('workbench accounts: action × role exactly as the table says', async () => {
    for (const name of Object.keys(runs))
      for (const role of WORKBENCH_ROLES)
        expect([name, role, await outcome(name, { id: `wb:${role}`, role, roleTable: true })]).toEqual([
          name,
          role,
          roleMay(role, name) ? 'ran' : 'ROLE_FORBIDDEN',
        ]);
  });

  test('amlReports is compliance reading: supervisor and auditor, nobody else', async () => {
    expect(WORKBENCH_ROLES.filter((role) => roleMay(role, 'amlReports'))).toEqual(['supervisor', 'auditor']);
    expect(await outcome('amlReports', { id: 'wb:audra', role: 'auditor', roleTable: true })).toBe('ran');
  });

  test('OPENID operators of the ops function: supervisors pass, reviewers SUPERVISOR_REQUIRED; the console passes', async () => {
    for (const name of Object.keys(runs)) {
      expect([name, await outcome(name, { id: 'op-s', role: 'supervisor' })]).toEqual([name, 'ran']);
      expect([name, await outcome(name, { id: 'op-r', role: 'reviewer' })]).toEqual([
        name,
        'SUPERVISOR_REQUIRED',
      ]);
      expect([name, await outcome(name, { id: 'console', role: 'console' })]).toEqual([name, 'ran']);
    }
  });
});
