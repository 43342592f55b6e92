import {
  App as AntApp,
  Button,
  Card,
  ConfigProvider,
  Descriptions,
  Drawer,
  Form,
  Input,
  Layout,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { useCallback, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { call, hasToken, ops, setToken } from './api';
import { age, beijing, yuan } from './format';

/** One queued application as `ops.queue` answers it. */
interface QueueRow {
  id: string;
  status: string;
  version: number;
  amount: number;
  createdAt: number;
  claimedBy: string | null;
  reasons: string[];
  firstApprovalBy: string | null;
  borrowerFlags?: { frozen: boolean; blacklisted: boolean };
}

interface Me {
  id: string;
  displayName: string;
  role: string;
  expiresAt: number;
}

function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const { message } = AntApp.useApp();
  const [busy, setBusy] = useState(false);
  const submit = async (values: { login: string; password: string; code: string }) => {
    setBusy(true);
    const answer = await call<{ token: string }>('/signIn', values);
    setBusy(false);
    if (!answer.ok || !answer.data) return void message.error(answer.error?.message ?? '登录失败');
    setToken(answer.data.token);
    onSignedIn();
  };
  return (
    <Card title="运营工作台登录" style={{ maxWidth: 400, margin: '80px auto' }}>
      <Form layout="vertical" onFinish={submit}>
        <Form.Item name="login" label="账号" rules={[{ required: true }]}>
          <Input id="login" autoComplete="username" />
        </Form.Item>
        <Form.Item name="password" label="密码" rules={[{ required: true }]}>
          <Input.Password id="password" autoComplete="current-password" />
        </Form.Item>
        <Form.Item name="code" label="动态验证码" rules={[{ required: true, len: 6 }]}>
          <Input id="code" inputMode="numeric" maxLength={6} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} block id="sign-in">
          登录
        </Button>
      </Form>
    </Card>
  );
}

function Detail({ id, onClose }: { id: string; onClose: () => void }) {
  const [detail, setDetail] = useState<Record<string, unknown> | undefined>();
  useEffect(() => {
    void ops<Record<string, unknown>>('application', { applicationId: id }).then((a) => setDetail(a.data));
  }, [id]);
  const primitive = Object.entries(detail ?? {}).filter(([, v]) => v === null || typeof v !== 'object');
  return (
    <Drawer open title={`申请 ${id}`} width={640} onClose={onClose}>
      <Descriptions column={1} bordered size="small">
        {primitive.map(([k, v]) => (
          <Descriptions.Item key={k} label={k}>
            {k === 'amount' && typeof v === 'number'
              ? yuan(v)
              : /At$/.test(k) && typeof v === 'number'
                ? beijing(v)
                : String(v)}
          </Descriptions.Item>
        ))}
      </Descriptions>
    </Drawer>
  );
}

function Queue({ me }: { me: Me }) {
  const { message } = AntApp.useApp();
  const [rows, setRows] = useState<QueueRow[]>([]);
  const [open, setOpen] = useState<string | undefined>();
  const load = useCallback(async () => {
    const answer = await ops<{ items: QueueRow[] }>('queue');
    if (answer.ok && answer.data) setRows(answer.data.items);
    else message.error(answer.error?.message ?? '加载失败');
  }, [message]);
  useEffect(() => void load(), [load]);
  const act = async (action: string, input: Record<string, unknown>) => {
    const answer = await ops(action, input);
    if (answer.ok) message.success('已完成');
    else message.error(`${answer.error?.code}：${answer.error?.message}`);
    await load();
  };
  return (
    <Card title="审核队列" extra={<Button onClick={() => void load()}>刷新</Button>}>
      <Table<QueueRow>
        rowKey="id"
        dataSource={rows}
        pagination={false}
        columns={[
          { title: '申请', dataIndex: 'id', render: (id: string) => <a onClick={() => setOpen(id)}>{id}</a> },
          { title: '状态', dataIndex: 'status' },
          { title: '金额', dataIndex: 'amount', render: (fen: number) => yuan(fen) },
          {
            title: '等待',
            dataIndex: 'createdAt',
            render: (ms: number) => <span title={beijing(ms)}>{age(ms)}</span>,
          },
          {
            title: '风险原因',
            dataIndex: 'reasons',
            render: (r: string[]) => r.map((x) => <Tag key={x}>{x}</Tag>),
          },
          {
            title: '标记',
            render: (_: unknown, row) => (
              <>
                {row.borrowerFlags?.frozen && <Tag color="blue">冻结</Tag>}
                {row.borrowerFlags?.blacklisted && <Tag color="red">黑名单</Tag>}
              </>
            ),
          },
          { title: '领取人', dataIndex: 'claimedBy', render: (c: string | null) => c ?? '—' },
          {
            title: '操作',
            render: (_: unknown, row) => (
              <Space>
                {row.status !== 'awaiting_second_approval' && !row.claimedBy && (
                  <Button size="small" onClick={() => void act('claim', { applicationId: row.id })}>
                    领取
                  </Button>
                )}
                {(row.claimedBy === me.id || row.status === 'awaiting_second_approval') && (
                  <>
                    <Button
                      size="small"
                      type="primary"
                      onClick={() =>
                        void act('decide', {
                          applicationId: row.id,
                          decision: 'approve',
                          note: '工作台审核通过',
                        })
                      }
                    >
                      {row.status === 'awaiting_second_approval' ? '复核通过' : '通过'}
                    </Button>
                    <Button
                      size="small"
                      danger
                      onClick={() =>
                        void act('decide', {
                          applicationId: row.id,
                          decision: 'reject',
                          note: '工作台审核拒绝',
                        })
                      }
                    >
                      拒绝
                    </Button>
                  </>
                )}
              </Space>
            ),
          },
        ]}
      />
      {open && <Detail id={open} onClose={() => setOpen(undefined)} />}
    </Card>
  );
}

function Workbench() {
  const [me, setMe] = useState<Me | undefined>();
  const [audit, setAudit] = useState<string | undefined>();
  const refresh = useCallback(async () => {
    if (!hasToken()) return setMe(undefined);
    const answer = await call<Me>('/me');
    setMe(answer.ok ? answer.data : undefined);
  }, []);
  useEffect(() => void refresh(), [refresh]);
  if (!me) return <SignIn onSignedIn={() => void refresh()} />;
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 16 }}>
        <Typography.Text style={{ color: '#fff' }} strong>
          wxlend 运营工作台
        </Typography.Text>
        <Typography.Text style={{ color: '#fff' }} id="me">
          {me.displayName}（{me.role}）会话至 {beijing(me.expiresAt)}
        </Typography.Text>
        <Button
          onClick={async () => {
            const a = await ops<{ ok: boolean }>('verifyAudit');
            setAudit(a.ok ? JSON.stringify(a.data) : a.error?.code);
          }}
        >
          审计校验
        </Button>
        <Button
          onClick={async () => {
            await call('/signOut');
            setToken(undefined);
            setMe(undefined);
          }}
        >
          退出
        </Button>
      </Layout.Header>
      <Layout.Content style={{ padding: 24 }}>
        {audit && <Typography.Paragraph id="audit">审计校验：{audit}</Typography.Paragraph>}
        <Queue me={me} />
      </Layout.Content>
    </Layout>
  );
}

createRoot(document.getElementById('root') as HTMLElement).render(
  <ConfigProvider locale={zhCN} button={{ autoInsertSpace: false }}>
    <AntApp>
      <Workbench />
    </AntApp>
  </ConfigProvider>,
);
