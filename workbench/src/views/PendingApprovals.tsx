import { Button, Card, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { REASON_LABELS, REPAYMENT_REASONS } from '../../../shared/reason-codes';
import { roleMay } from '../../../server/operators/roles';
import { repaymentOps } from '../api';
import { age, beijing, yuan } from '../format';
import type { Me } from '../session';
import type { ReasonRequest } from './ReasonModal';
import { useOpsList } from './use-ops-list';

/** One repayment action awaiting a second operator, as `repaymentPendingApprovals` answers it. */
interface AwaitingRow {
  loanId: string;
  approvalId: string;
  kind: 'waive' | 'offline' | 'writeOff';
  amount: number;
  maker: string;
  requestedAt: number;
  reasonCode: string;
  note: string | null;
  evidence: string | null;
  borrower: { maskedName: string } | null;
}

const KIND_LABELS: Record<AwaitingRow['kind'], string> = {
  waive: '减免罚息',
  offline: '线下还款',
  writeOff: '核销',
};

const PAGE_SIZE = 20;

/**
 * 待复核: repayment actions over the threshold awaiting a second operator, oldest first, as the
 * server lists them. A supervisor other than the maker approves or rejects (with a reason); the
 * maker sees its own requests but cannot check them.
 */
export function PendingApprovals({ me, ask }: { me: Me; ask: (request: ReasonRequest) => void }) {
  const [offset, setOffset] = useState(0);
  const { rows, page, load, act } = useOpsList<AwaitingRow, { nextOffset?: number | null }>(
    'repaymentPendingApprovals',
    { offset, limit: PAGE_SIZE },
    repaymentOps,
  );
  const mayCheck = roleMay(me.role, 'repaymentApprove');
  const check = (row: AwaitingRow) => ({ loanId: row.loanId, approvalId: row.approvalId });
  return (
    <Card title="待复核（还款操作）" extra={<Button onClick={() => void load()}>刷新</Button>}>
      <Table<AwaitingRow>
        id="pending-approvals"
        rowKey="approvalId"
        dataSource={rows}
        pagination={false}
        columns={[
          { title: '借款', dataIndex: 'loanId' },
          { title: '借款人', render: (_: unknown, row) => row.borrower?.maskedName ?? '—' },
          { title: '操作类型', dataIndex: 'kind', render: (kind: AwaitingRow['kind']) => KIND_LABELS[kind] },
          { title: '金额', dataIndex: 'amount', render: (fen: number) => yuan(fen) },
          { title: '发起人', dataIndex: 'maker' },
          {
            title: '发起时间',
            dataIndex: 'requestedAt',
            render: (at: number) => `${beijing(at)}（${age(at)}前）`,
          },
          {
            title: '原因',
            render: (_: unknown, row) => (
              <Space direction="vertical" size={0}>
                <span>
                  {REASON_LABELS[row.reasonCode] ?? row.reasonCode}（{row.reasonCode}）
                </span>
                {row.note && <Typography.Text type="secondary">{row.note}</Typography.Text>}
                {row.evidence && <Typography.Text type="secondary">凭证 {row.evidence}</Typography.Text>}
              </Space>
            ),
          },
          {
            title: '复核',
            render: (_: unknown, row) =>
              row.maker === me.id ? (
                <Tag color="orange">本人发起，须另一位运营人员复核</Tag>
              ) : mayCheck ? (
                <Space>
                  <Button
                    size="small"
                    type="primary"
                    onClick={() => void act('repaymentApprove', check(row))}
                  >
                    复核通过
                  </Button>
                  <Button
                    size="small"
                    danger
                    onClick={() =>
                      ask({
                        title: `驳回 ${KIND_LABELS[row.kind]} ${row.loanId}`,
                        codes: REPAYMENT_REASONS.reject,
                        textField: 'note',
                        submit: (v) =>
                          act('repaymentReject', { ...check(row), reasonCode: v.reasonCode, note: v.note }),
                      })
                    }
                  >
                    驳回
                  </Button>
                </Space>
              ) : (
                <Tag>待主管复核</Tag>
              ),
          },
        ]}
      />
      <Space style={{ marginTop: 12 }}>
        <Button disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}>
          上一页
        </Button>
        <Button
          disabled={page?.nextOffset === null || page?.nextOffset === undefined}
          onClick={() => setOffset(page?.nextOffset ?? offset)}
        >
          下一页
        </Button>
      </Space>
    </Card>
  );
}
