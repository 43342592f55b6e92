import { Button, Card, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import type { QueueItem } from '../../../typings/ops';
import { OPS_REASONS } from '../../../shared/reason-codes';
import { useOpsList } from './use-ops-list';
import { age, beijing, yuan } from '../format';
import type { Me } from '../session';
import { Detail } from './Detail';
import { StatusTag } from './labels';
import type { ReasonRequest } from './ReasonModal';

const CHECKERS = ['approver', 'supervisor'];

/**
 * The review queue (manual review, appeals, second approvals) or, with `status="appealed"`, the
 * appeals alone: claim, decide with a reason code, second approval, detail.
 */
export function Queue({
  me,
  status,
  ask,
}: {
  me: Me;
  status?: 'appealed';
  ask: (request: ReasonRequest) => void;
}) {
  const { rows, load, act } = useOpsList<QueueItem>('queue', status ? { status } : {});
  const [open, setOpen] = useState<string | undefined>();
  const decide = (row: QueueItem, decision: 'approve' | 'reject') =>
    ask({
      title: `${decision === 'approve' ? (row.status === 'awaiting_second_approval' ? '复核通过' : '通过') : '拒绝'} ${row.id}`,
      codes: OPS_REASONS[decision],
      textField: 'note',
      submit: (values) =>
        act('decide', {
          applicationId: row.id,
          decision,
          reasonCode: values.reasonCode,
          note: values.note,
          expectedVersion: row.version,
        }),
    });
  return (
    <Card
      title={status === 'appealed' ? '复议申请' : '审核队列'}
      extra={<Button onClick={() => void load()}>刷新</Button>}
    >
      <Table<QueueItem>
        rowKey="id"
        dataSource={rows}
        pagination={false}
        columns={[
          { title: '申请', dataIndex: 'id', render: (id: string) => <a onClick={() => setOpen(id)}>{id}</a> },
          { title: '状态', dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
          { title: '金额', dataIndex: 'amount', render: (fen: number) => yuan(fen) },
          {
            title: '等待',
            dataIndex: 'createdAt',
            render: (ms: number) => <span title={beijing(ms)}>{age(ms)}</span>,
          },
          status === 'appealed'
            ? { title: '复议理由', dataIndex: 'appealReason' }
            : {
                title: '风险原因',
                dataIndex: 'reasons',
                render: (r: string[]) => r.map((x) => <Tag key={x}>{x}</Tag>),
              },
          {
            title: '标记',
            render: (_: unknown, row) => (
              <>
                {row.borrowerFlags.frozen && <Tag color="blue">冻结</Tag>}
                {row.borrowerFlags.blacklisted && <Tag color="red">黑名单</Tag>}
              </>
            ),
          },
          {
            title: '领取人',
            render: (_: unknown, row) =>
              row.claimedBy ?? (row.firstApprovalBy ? `初审 ${row.firstApprovalBy}` : '—'),
          },
          {
            title: '操作',
            render: (_: unknown, row) => {
              const second = row.status === 'awaiting_second_approval';
              const mayDecide = second
                ? CHECKERS.includes(me.role) && row.firstApprovalBy !== me.id
                : row.claimedBy === me.id;
              return (
                <Space>
                  {!second && !row.claimedBy && (
                    <Button
                      size="small"
                      onClick={() =>
                        void act('claim', { applicationId: row.id, expectedVersion: row.version })
                      }
                    >
                      领取
                    </Button>
                  )}
                  {mayDecide && (
                    <>
                      <Button size="small" type="primary" onClick={() => decide(row, 'approve')}>
                        {second ? '复核通过' : '通过'}
                      </Button>
                      <Button size="small" danger onClick={() => decide(row, 'reject')}>
                        拒绝
                      </Button>
                    </>
                  )}
                </Space>
              );
            },
          },
        ]}
      />
      {open && <Detail id={open} me={me} ask={ask} onClose={() => setOpen(undefined)} />}
    </Card>
  );
}
