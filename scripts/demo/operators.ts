import cloud from 'wx-server-sdk';
import type { ApiResult } from '../../typings/api';
import { callAs, DemoHttpError, retryConflicts, unwrap } from './http';

/** The two demo operators: a reviewer who decides first and a supervisor who checks. */
export const OPERATORS = { reviewer: 'o-demo-op-reviewer', supervisor: 'o-demo-op-supervisor' } as const;

/** Writes the demo operators into `operators` as the console would (wx-server-sdk, no OPENID). */
export async function seedOperators(): Promise<void> {
  const db = cloud.database();
  await db
    .collection('operators')
    .doc(OPERATORS.reviewer)
    .set({ data: { role: 'reviewer', active: true } });
  await db
    .collection('operators')
    .doc(OPERATORS.supervisor)
    .set({ data: { role: 'supervisor', active: true } });
}

/** Invokes a function from this process as the console (no OPENID), like `cloud.callFunction` on a server. */
export async function callAsConsole<T>(name: string, data: Record<string, unknown>): Promise<ApiResult<T>> {
  return retryConflicts(async () => {
    const answer = (await cloud.callFunction({ name, data })) as unknown as { result: ApiResult<T> };
    return answer.result;
  });
}

/** A queue item as `ops.decide` answers it. */
interface QueueItem {
  status: string;
}

/**
 * The reviewer claims the application and decides; when the approval needs a second operator
 * (maker-checker, `awaiting_second_approval`) the supervisor confirms it. Returns the final status.
 */
export async function operatorDecide(
  baseUrl: string,
  applicationId: string,
  decision: 'approve' | 'reject',
): Promise<string> {
  unwrap('ops.claim', await callAs(baseUrl, OPERATORS.reviewer, 'ops', { action: 'claim', applicationId }));
  const note = decision === 'approve' ? '收入材料齐全，同意放款' : '资料不足，暂不放款';
  const first = unwrap(
    'ops.decide',
    await callAs<QueueItem>(baseUrl, OPERATORS.reviewer, 'ops', {
      action: 'decide',
      applicationId,
      decision,
      note,
    }),
  );
  if (first.status !== 'awaiting_second_approval') return first.status;
  const second = unwrap(
    'ops.decide (second operator)',
    await callAs<QueueItem>(baseUrl, OPERATORS.supervisor, 'ops', {
      action: 'decide',
      applicationId,
      decision,
      note: '复核通过',
    }),
  );
  if (!second.status) throw new DemoHttpError('ops.decide answered no status');
  return second.status;
}
