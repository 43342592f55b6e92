import { App as AntApp } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { ops, refusal, type ActionRoute } from '../api';

/**
 * A workbench list read by one action of `route` (`ops` by default, or `repaymentOps`), reloaded
 * when its input changes, its rows under `key` of the answer; and `act`, which runs another action
 * of the same route, says how it went (done, awaiting a second operator, or the server's refusal)
 * and reloads the list.
 */
export function useOpsList<T, Page extends Record<string, unknown> = Record<string, unknown>>(
  action: string,
  input: Record<string, unknown>,
  route: ActionRoute = ops,
  key = 'items',
) {
  const { message } = AntApp.useApp();
  const [page, setPage] = useState<Page | undefined>();
  const inputKey = JSON.stringify(input);
  const load = useCallback(async () => {
    const answer = await route<Page>(action, JSON.parse(inputKey) as Record<string, unknown>);
    if (answer.ok && answer.data) setPage(answer.data);
    else message.error(refusal(answer));
  }, [action, inputKey, message, route]);
  useEffect(() => void load(), [load]);
  const act = async (name: string, body: Record<string, unknown>): Promise<boolean> => {
    const answer = await route<{ status?: string }>(name, body);
    if (!answer.ok) message.error(refusal(answer));
    else if (answer.data?.status === 'awaiting_second_approval')
      message.info('超过复核线，已提交，等待另一位运营人员复核');
    else message.success('已完成');
    await load();
    return answer.ok;
  };
  const rows = (page?.[key] as T[] | undefined) ?? [];
  return { rows, page, load, act };
}
