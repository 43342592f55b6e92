import { createECDH } from 'node:crypto';
import { ROLE_TABLE, WORKBENCH_ROLES, roleMay } from '../../server/operators/roles';
import type { WorkbenchDeps } from '../../server/operators/workbench-http';
import { CALLER_TABLE } from '../../server/runtime/caller-table';
import { memoryOperatorDeps, register, signInAs, wb } from './fixtures';

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
