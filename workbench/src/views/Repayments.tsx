import { Button, Card, Form, Input, Select, Space, Table, Tag } from 'antd';
import { parseYuanInput } from '../../../miniprogram/utils/yuan-input';
import { REPAYMENT_REASONS } from '../../../shared/reason-codes';
import { repaymentOps } from '../api';
import { yuan } from '../format';
import { roleMay } from '../../../server/operators/roles';
import type { Me } from '../session';
import type { ReasonRequest } from './ReasonModal';
import { useOpsList } from './use-ops-list';

/** One overdue loan as `repaymentOverdueList` answers it. */
interface OverdueRow {
  loanId: string;
  daysPastDue: number;
  overdueAmount: number;
  remaining: number;
}

const yuanField = (
  <Form.Item
    name="amountYuan"
    label="金额（元）"
    rules={[
      {
        required: true,
        validator: async (_r, v: string) =>
          parseYuanInput(v ?? '') ? undefined : Promise.reject(new Error('请输入金额，如 12.50')),
      },
    ]}
  >
    <Input id="amount-yuan" inputMode="decimal" />
  </Form.Item>
);

/** Random request id for an offline repayment (one per form submission: a resubmission replays). */
function requestId(): string {
  return `wb-${crypto.getRandomValues(new Uint32Array(2)).join('-')}`;
}

const OVERDUE_PAGE = { limit: 100 };

/**
 * Repayments: overdue loans by days past due; waive penalty, offline repayment, refund, write-off.
 * Requests above the threshold wait for a second operator in the 待复核 tab (PendingApprovals).
 */
export function Repayments({ me, ask }: { me: Me; ask: (request: ReasonRequest) => void }) {
  const may = (action: string) => roleMay(me.role, action);
  const { rows, load, act } = useOpsList<OverdueRow>(
    'repaymentOverdueList',
    OVERDUE_PAGE,
    repaymentOps,
    'loans',
  );
  const amountOf = (values: Record<string, string>) => parseYuanInput(values.amountYuan ?? '');
  return (
    <Card title="还款与逾期" extra={<Button onClick={() => void load()}>刷新</Button>}>
      <Space style={{ marginBottom: 12 }}>
        <Button
          onClick={() =>
            ask({
              title: '退款（多付或结清后支付的金额）',
              codes: REPAYMENT_REASONS.refund,
              extra: (
                <Form.Item
                  name="outTradeNo"
                  label="还款订单号"
                  rules={[{ required: true, pattern: /^RP[0-9a-f]{30}$/ }]}
                >
                  <Input />
                </Form.Item>
              ),
              submit: (v) => act('repaymentRefund', { outTradeNo: v.outTradeNo, reasonCode: v.reasonCode }),
            })
          }
        >
          退款
        </Button>
      </Space>
      <Table<OverdueRow>
        rowKey="loanId"
        dataSource={rows}
        pagination={false}
        columns={[
          { title: '借款', dataIndex: 'loanId' },
          {
            title: '逾期天数',
            dataIndex: 'daysPastDue',
            sorter: (a, b) => a.daysPastDue - b.daysPastDue,
            defaultSortOrder: 'descend',
            render: (d: number) => <Tag color={d > 30 ? 'red' : d > 7 ? 'orange' : 'gold'}>{d} 天</Tag>,
          },
          { title: '逾期应还', dataIndex: 'overdueAmount', render: (fen: number) => yuan(fen) },
          { title: '剩余应还', dataIndex: 'remaining', render: (fen: number) => yuan(fen) },
          {
            title: '操作',
            render: (_: unknown, row) => (
              <Space>
                <Button
                  size="small"
                  onClick={() =>
                    ask({
                      title: `减免罚息 ${row.loanId}`,
                      codes: REPAYMENT_REASONS.waive,
                      textField: 'note',
                      extra: yuanField,
                      submit: (v) =>
                        act('repaymentWaivePenalty', {
                          loanId: row.loanId,
                          amount: amountOf(v),
                          reasonCode: v.reasonCode,
                          note: v.note,
                        }),
                    })
                  }
                >
                  减免罚息
                </Button>
                <Button
                  size="small"
                  onClick={() => {
                    const id = requestId();
                    ask({
                      title: `线下还款 ${row.loanId}`,
                      codes: REPAYMENT_REASONS.offline,
                      extra: (
                        <>
                          {yuanField}
                          <Form.Item
                            name="kind"
                            label="类型"
                            initialValue="overdue"
                            rules={[{ required: true }]}
                          >
                            <Select
                              options={[
                                { value: 'overdue', label: '逾期部分' },
                                { value: 'due', label: '当期应还' },
                                { value: 'payoff', label: '提前结清' },
                              ]}
                            />
                          </Form.Item>
                          <Form.Item
                            name="evidence"
                            label="凭证（流水号 / 回单号）"
                            rules={[{ required: true, min: 4 }]}
                          >
                            <Input id="evidence" maxLength={120} />
                          </Form.Item>
                        </>
                      ),
                      submit: (v) =>
                        act('repaymentOffline', {
                          loanId: row.loanId,
                          amount: amountOf(v),
                          kind: v.kind,
                          evidence: v.evidence,
                          reasonCode: v.reasonCode,
                          requestId: id,
                        }),
                    });
                  }}
                >
                  线下还款
                </Button>
                {may('repaymentWriteOff') && (
                  <Button
                    size="small"
                    danger
                    onClick={() =>
                      ask({
                        title: `核销 ${row.loanId}`,
                        codes: REPAYMENT_REASONS.writeOff,
                        textField: 'note',
                        submit: (v) =>
                          act('repaymentWriteOff', {
                            loanId: row.loanId,
                            reasonCode: v.reasonCode,
                            note: v.note,
                          }),
                      })
                    }
                  >
                    核销
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
    </Card>
  );
}
