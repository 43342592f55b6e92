import { Alert, Button } from 'antd';
import { useEffect, useState } from 'react';
import { OPS_REASONS } from '../../../shared/reason-codes';
import { ops, refusal } from '../api';
import { oneTimeRecipient, type Sealed } from '../reveal';
import type { ReasonRequest } from './ReasonModal';

/** How long revealed data stays on screen. */
export const REVEAL_SECONDS = 60;

interface Revealed {
  name: string;
  idNumber: string;
  phone: string;
}

/**
 * Reveal with a reason from the catalogue: sealed to this tab's one-time key, opened here, shown
 * for REVEAL_SECONDS and then dropped from memory.
 */
export function RevealPanel({
  openid,
  ask,
  onError,
}: {
  openid: string;
  ask: (request: ReasonRequest) => void;
  onError: (text: string) => void;
}) {
  const [shown, setShown] = useState<{ value: Revealed; left: number } | undefined>();
  useEffect(() => {
    if (!shown) return;
    const timer = setTimeout(
      () => setShown(shown.left <= 1 ? undefined : { ...shown, left: shown.left - 1 }),
      1000,
    );
    return () => clearTimeout(timer);
  }, [shown]);
  const start = () =>
    ask({
      title: '查看完整身份信息（将记录审计）',
      codes: OPS_REASONS.reveal,
      textField: 'reason',
      submit: async (values) => {
        const recipient = await oneTimeRecipient();
        const answer = await ops<{ sealed: Sealed }>('reveal', {
          openid,
          reasonCode: values.reasonCode,
          reason: values.reason,
          recipientKey: recipient.publicKey,
        });
        if (!answer.ok || !answer.data) {
          onError(refusal(answer));
          return false;
        }
        setShown({ value: (await recipient.open(answer.data.sealed)) as Revealed, left: REVEAL_SECONDS });
        return true;
      },
    });
  if (!shown)
    return (
      <Button id="reveal" danger onClick={start}>
        查看完整身份（需填写原因）
      </Button>
    );
  return (
    <Alert
      id="revealed"
      type="warning"
      showIcon
      message={`完整身份信息（${shown.left} 秒后隐藏）`}
      description={`姓名 ${shown.value.name} · 证件号 ${shown.value.idNumber} · 手机 ${shown.value.phone}`}
      action={
        <Button size="small" onClick={() => setShown(undefined)}>
          立即隐藏
        </Button>
      }
    />
  );
}
