import type { DemoResult } from './run';

/** Pads cells into an aligned text table. */
function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, col) => Math.max(...rows.map((r) => [...(r[col] ?? '')].length))) ?? [];
  return rows
    .map((row) => row.map((cell, col) => cell + ' '.repeat((widths[col] ?? 0) - [...cell].length)).join('  '))
    .join('\n');
}

/** Counts of `values`, in first-seen order. */
function countBy(values: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

/** The closing summary: outcomes per final status and per scenario, faults, median time, where to look. */
export function formatReport(result: DemoResult, baseUrl: string): string {
  const { outcomes } = result;
  const byStatus = [...countBy(outcomes.map((o) => o.finalStatus))].map(([status, n]) => [status, String(n)]);
  const scenarios = [...countBy(outcomes.map((o) => o.scenario)).keys()].map((scenario) => {
    const mine = outcomes.filter((o) => o.scenario === scenario);
    const matched = mine.filter((o) => o.finalStatus === o.expected).length;
    return [scenario, String(mine.length), mine[0]?.expected ?? '', `${matched}/${mine.length}`];
  });
  const faults = countBy(result.faults.map((f) => f.label));
  const problems = outcomes.filter((o) => o.finalStatus !== o.expected || o.note);
  return [
    '',
    table([['final status', 'borrowers'], ...byStatus]),
    '',
    table([['scenario', 'borrowers', 'expected', 'reached'], ...scenarios]),
    '',
    `repayments: ${result.repayments.map((r) => `${r.plan} → ${r.finalStatus} (${r.payments} paid)`).join(', ') || 'none'}`,
    `faults injected: ${result.faults.length}${faults.size ? ` (${[...faults].map(([k, n]) => `${k} ×${n}`).join(', ')})` : ''}`,
    `median journey time: ${(result.medianJourneyMs / 1000).toFixed(2)} s (real time, verify → final state)`,
    ...problems.map(
      (o) => `  borrower ${o.index} (${o.scenario}): ${o.finalStatus}${o.note ? ` — ${o.note}` : ''}`,
    ),
    '',
    'where to look:',
    `  console        ${baseUrl}/`,
    `  health         ${baseUrl}/health`,
    `  outbox         ${baseUrl}/_admin/openapi/outbox`,
    `  payout bills   ${baseUrl}/_admin/wechatpay/bills`,
  ].join('\n');
}
