import { Button, Card, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { CORRECTABLE_FIELD_LABELS } from '../../../shared/personal-rights';
import { OPS_REASONS } from '../../../shared/reason-codes';
import { rightsOps } from '../api';
import { age, beijing } from '../format';
import type { ReasonRequest } from './ReasonModal';
import { useOpsList } from './use-ops-list';

/** One open rights request as `identityRequests` answers it (masked only). */
interface RequestRow {
  requestId: string;
  openid: string;
  kind: 'deletion' | 'correction';
  field?: keyof typeof CORRECTABLE_FIELD_LABELS;
  requestedAt: number;
  borrower: { maskedName: string; maskedIdNumber: string } | null;
  proposed?: string;
  canComplete?: boolean;
}

/** Where the next page starts (the server's oldest-first cursor). */
type Cursor = { requestedAt: number; seen: string[] };

const PAGE_SIZE = 20;

/**
 * 权利请求: borrowers' open correction and deletion requests (PIPL arts. 46–47), oldest first with
 * their age; a correction is approved or rejected with a catalogue reason, a deletion completed.
 * Access requests never queue: the borrower's own profile answers them at once.
 */
export function RightsRequests({ ask }: { ask: (request: ReasonRequest) => void }) {
  // The cursors of the pages before this one (the first page has none).
  const [cursors, setCursors] = useState<Cursor[]>([]);
  const cursor = cursors.at(-1);
  const { rows, page, load, act } = useOpsList<RequestRow, { next?: Cursor | null }>(
    'identityRequests',
    cursor ? { limit: PAGE_SIZE, cursor } : { limit: PAGE_SIZE },
    rightsOps,
  );
  const who = (row: RequestRow) => row.borrower?.maskedName ?? row.openid;
  const resolve = (row: RequestRow, decision: 'approve' | 'reject') =>
    ask({
      title: `${decision === 'approve' ? '同意更正' : '驳回更正'} ${who(row)} 的${CORRECTABLE_FIELD_LABELS[row.field ?? 'name']}`,
      codes: decision === 'approve' ? OPS_REASONS.correctionApprove : OPS_REASONS.correctionReject,
      textField: 'reason',
      submit: (v) =>
        act('resolveCorrection', {
          openid: row.openid,
          field: row.field,
          decision,
          reasonCode: v.reasonCode,
          reason: v.reason,
        }),
    });
  return (
    <Card title="权利请求（更正 / 注销）" extra={<Button onClick={() => void load()}>刷新</Button>}>
      <Table<RequestRow>
        id="rights-requests"
        rowKey="requestId"
        dataSource={rows}
        pagination={false}
        columns={[
          {
            title: '类型',
            render: (_: unknown, row) =>
              row.kind === 'deletion' ? (
                <Tag color="red">注销账户</Tag>
              ) : (
                <Tag color="blue">更正{CORRECTABLE_FIELD_LABELS[row.field ?? 'name']}</Tag>
              ),
          },
          {
            title: '借款人',
            render: (_: unknown, row) =>
              row.borrower ? `${row.borrower.maskedName} ${row.borrower.maskedIdNumber}` : '未实名',
          },
          { title: '申请更正为', render: (_: unknown, row) => row.proposed ?? '—' },
          { title: '状态', render: () => <Tag color="gold">待处理</Tag> },
          {
            title: '提交时间',
            dataIndex: 'requestedAt',
            render: (at: number) => `${beijing(at)}（${age(at)}前）`,
          },
          {
            title: '操作',
            render: (_: unknown, row) =>
              row.kind === 'correction' ? (
                <Space>
                  <Button size="small" type="primary" onClick={() => resolve(row, 'approve')}>
                    同意更正
                  </Button>
                  <Button size="small" danger onClick={() => resolve(row, 'reject')}>
                    驳回
                  </Button>
                </Space>
              ) : (
                <Space>
                  <Button
                    size="small"
                    danger
                    onClick={() =>
                      ask({
                        title: `完成注销 ${who(row)}`,
                        codes: OPS_REASONS.deletion,
                        textField: 'reason',
                        submit: (v) =>
                          act('completeDeletion', {
                            openid: row.openid,
                            reasonCode: v.reasonCode,
                            reason: v.reason,
                          }),
                      })
                    }
                  >
                    完成注销
                  </Button>
                  {row.canComplete === false && (
                    <Typography.Text type="warning">有进行中的申请或未结清借款</Typography.Text>
                  )}
                </Space>
              ),
          },
        ]}
      />
      <Space style={{ marginTop: 12 }}>
        <Button disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>
          上一页
        </Button>
        <Button disabled={!page?.next} onClick={() => page?.next && setCursors([...cursors, page.next])}>
          下一页
        </Button>
      </Space>
    </Card>
  );
}
