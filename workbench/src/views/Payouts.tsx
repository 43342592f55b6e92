import { App as AntApp, Button, Card, Modal, Segmented, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import type { PayoutHistoryView, PayoutListItem } from '../../../typings/ops';
import { OPS_REASONS } from '../../../shared/reason-codes';
import { ops, refusal } from '../api';
import { useOpsList } from './use-ops-list';
import { age, beijing, yuan } from '../format';
import type { ReasonRequest } from './ReasonModal';

type Kind = 'stuck' | 'failed' | 'manual';
const KINDS: Array<{ value: Kind; label: string }> = [
  { value: 'stuck', label: '在途超时' },
  { value: 'failed', label: '失败' },
  { value: 'manual', label: '人工处理' },
];

/** Payouts: stuck, failed and held lists; retry, cancel, hold with reason codes; bill history. */
export function Payouts({ ask }: { ask: (request: ReasonRequest) => void }) {
  const { message } = AntApp.useApp();
  const [kind, setKind] = useState<Kind>('failed');
  const { rows, load, act } = useOpsList<PayoutListItem>('payoutList', { kind });
  const [history, setHistory] = useState<PayoutHistoryView | undefined>();
  const reasoned = (row: PayoutListItem, action: 'payoutCancel' | 'payoutHold') =>
    ask({
      title: `${action === 'payoutCancel' ? '取消转账' : '挂起放款'} ${row.loanId}`,
      codes: OPS_REASONS[action === 'payoutCancel' ? 'cancel' : 'hold'],
      textField: 'reason',
      submit: (values) => act(action, { loanId: row.loanId, ...values }),
    });
  return (
    <Card
      title="放款"
      extra={
        <Space>
          <Segmented<Kind> id="payout-kind" options={KINDS} value={kind} onChange={setKind} />
          <Button onClick={() => void load()}>刷新</Button>
        </Space>
      }
    >
      <Table<PayoutListItem>
        rowKey="loanId"
        dataSource={rows}
        pagination={false}
        columns={[
          { title: '借款', dataIndex: 'loanId' },
          { title: '状态', dataIndex: 'status', render: (s: string) => <Tag>{s}</Tag> },
          { title: '金额', dataIndex: 'amount', render: (fen: number) => yuan(fen) },
          { title: '转账单状态', dataIndex: 'phase' },
          { title: '尝试', dataIndex: 'attempts' },
          { title: '原因', render: (_: unknown, r) => r.reason ?? r.failReason ?? '—' },
          {
            title: '开始',
            dataIndex: 'createdAt',
            render: (ms: number) => <span title={beijing(ms)}>{age(ms)}前</span>,
          },
          {
            title: '操作',
            render: (_: unknown, row) => (
              <Space>
                <Button size="small" onClick={() => void act('payoutRetry', { loanId: row.loanId })}>
                  重试
                </Button>
                <Button size="small" onClick={() => reasoned(row, 'payoutCancel')}>
                  取消
                </Button>
                <Button size="small" onClick={() => reasoned(row, 'payoutHold')}>
                  挂起
                </Button>
                <Button
                  size="small"
                  onClick={async () => {
                    const a = await ops<PayoutHistoryView>('payoutHistory', { loanId: row.loanId });
                    if (a.ok) setHistory(a.data);
                    else message.error(refusal(a));
                  }}
                >
                  历史
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={history !== undefined}
        title={`放款历史 ${history?.loanId ?? ''}`}
        footer={null}
        width={760}
        onCancel={() => setHistory(undefined)}
      >
        {history?.bills.map((bill) => (
          <Card
            key={bill.outBillNo}
            size="small"
            title={`第 ${bill.attempt} 次 · ${bill.outBillNo} · ${yuan(bill.amount)} · ${bill.phase}`}
            style={{ marginBottom: 8 }}
          >
            {bill.history.map((h, i) => (
              <div key={i}>
                {beijing(h.at)} {h.from} → {h.to}（{h.source}）
              </div>
            ))}
          </Card>
        ))}
      </Modal>
    </Card>
  );
}
