import fs from 'node:fs';
import path from 'node:path';
import { operatorAdminActions } from '../../server/operators/console-admin';
import { opsActionTable } from '../../server/operators/ops-wiring';
import { rightsOpsActions, type RightsOpsDeps } from '../../server/ops/rights-actions';
import { repaymentOpsActions } from '../../server/repayment/ops-actions';
import type { RepaymentDeps } from '../../server/repayment/deps';

/** Every console JSON recipe in docs/operators.md is accepted by the input schema of its action. */

const DOC = path.join(__dirname, '..', '..', 'docs', 'operators.md');
const SAMPLE_ID = '0123456789abcdef0123456789abcdef';

function recipes(): Array<Record<string, unknown>> {
  const text = fs.readFileSync(DOC, 'utf8');
  return [...text.matchAll(/```json\n([\s\S]*?)```/g)].map(
    (m) =>
      JSON.parse((m[1] ?? '').replace(/"<[^">]+>"/g, JSON.stringify(SAMPLE_ID))) as Record<string, unknown>,
  );
}

test('the documented console recipes parse against their actions', () => {
  const noDeps = () => {
    throw new Error('not called: only the input schemas are read');
  };
  const tables: Record<string, { input: { safeParse(v: unknown): { success: boolean; error?: unknown } } }> =
    {
      ...opsActionTable(async () => ({ id: 'console', role: 'console' })),
      ...rightsOpsActions(noDeps as () => RightsOpsDeps, async () => ({ id: 'console', role: 'console' })),
      ...operatorAdminActions(noDeps),
      ...repaymentOpsActions(noDeps as () => RepaymentDeps, async () => ({ id: 'console', role: 'console' })),
    };
  const all = recipes();
  expect(all.length).toBeGreaterThanOrEqual(8);
  for (const { action, ...input } of all) {
    const entry = tables[String(action)];
    expect([action, entry !== undefined]).toEqual([action, true]);
    const parsed = entry?.input.safeParse(input);
    expect([action, parsed?.success, parsed?.error]).toEqual([action, true, undefined]);
  }
});
