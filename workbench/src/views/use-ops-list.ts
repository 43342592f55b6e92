import { App as AntApp } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { ops, refusal } from '../api';

/**
 * A workbench list read by one `ops` action (reloaded when its input changes), and `act`, which runs
 * another action, says how it went and reloads the list. Refusals are shown as the server words them.
 */
export function useOpsList<T>(action: string, input: Record<string, unknown>) {
  const { message } = AntApp.useApp();
  const [rows, setRows] = useState<T[]>([]);
  const inputKey = JSON.stringify(input);
  const load = useCallback(async () => {
    const answer = await ops<{ items: T[] }>(action, JSON.parse(inputKey) as Record<string, unknown>);
    if (answer.ok && answer.data) setRows(answer.data.items);
    else message.error(refusal(answer));
  }, [action, inputKey, message]);
  useEffect(() => void load(), [load]);
  const act = async (name: string, body: Record<string, unknown>): Promise<boolean> => {
    const answer = await ops(name, body);
    if (answer.ok) message.success('已完成');
    else message.error(refusal(answer));
    await load();
    return answer.ok;
  };
  return { rows, load, act };
}
