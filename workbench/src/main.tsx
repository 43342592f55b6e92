import { App as AntApp, Button, ConfigProvider, Layout, Tabs, Typography } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { useCallback, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { roleMay } from '../../server/operators/roles';
import { call, hasToken, onSessionEnded, ops, refusal, setToken } from './api';
import { alignWithServer, beijing } from './format';
import type { Me } from './session';
import { Dashboard } from './views/Dashboard';
import { PasswordChange } from './views/PasswordChange';
import { Payouts } from './views/Payouts';
import { PendingApprovals } from './views/PendingApprovals';
import { Queue } from './views/Queue';
import { ReasonModal, type ReasonRequest } from './views/ReasonModal';
import { Repayments } from './views/Repayments';
import { RightsRequests } from './views/RightsRequests';
import { SignIn } from './views/SignIn';

const ROLE_LABELS: Record<string, string> = {
  reviewer: '审核员',
  approver: '复核员',
  payout_officer: '放款专员',
  supervisor: '主管',
  auditor: '审计',
};

function Workbench() {
  const [me, setMe] = useState<Me | undefined>();
  const [audit, setAudit] = useState<string | undefined>();
  const [asked, ask] = useState<ReasonRequest | undefined>();
  const [changing, setChanging] = useState(false);
  const refresh = useCallback(async () => {
    if (!hasToken()) return setMe(undefined);
    const answer = await call<Me>('/me');
    if (answer.ok && answer.data) alignWithServer(answer.data.now);
    setMe(answer.ok ? answer.data : undefined);
  }, []);
  useEffect(() => {
    onSessionEnded(() => setMe(undefined));
    void refresh();
  }, [refresh]);
  if (!me) return <SignIn onSignedIn={() => void refresh()} />;
  const tabs = [
    { key: 'dashboard', label: '看板', action: 'dashboard', children: <Dashboard /> },
    { key: 'queue', label: '审核队列', action: 'queue', children: <Queue me={me} ask={ask} /> },
    {
      key: 'appeals',
      label: '复议',
      action: 'queue',
      children: <Queue me={me} ask={ask} status="appealed" />,
    },
    { key: 'payouts', label: '放款', action: 'payoutList', children: <Payouts ask={ask} /> },
    {
      key: 'repayments',
      label: '还款',
      action: 'repaymentOverdueList',
      children: <Repayments me={me} ask={ask} />,
    },
    {
      key: 'pending-approvals',
      label: '待复核',
      action: 'repaymentPendingApprovals',
      children: <PendingApprovals me={me} ask={ask} />,
    },
    {
      key: 'rights',
      label: '权利请求',
      action: 'identityRequests',
      children: <RightsRequests ask={ask} />,
    },
  ].filter((tab) => roleMay(me.role, tab.action));
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 16 }}>
        <Typography.Text style={{ color: '#fff' }} strong>
          wxlend 运营工作台
        </Typography.Text>
        <Typography.Text style={{ color: '#fff' }} id="me">
          {me.displayName}（{ROLE_LABELS[me.role] ?? me.role} · {me.id}）会话至 {beijing(me.expiresAt)}
        </Typography.Text>
        <span style={{ flex: 1 }} />
        {roleMay(me.role, 'verifyAudit') && (
          <Button
            id="verify-audit"
            onClick={async () => {
              const a = await ops<{ ok: boolean; chains?: number; records?: number }>('verifyAudit');
              setAudit(
                a.ok
                  ? a.data?.ok
                    ? `通过（${a.data.chains} 条链，${a.data.records} 条记录）`
                    : JSON.stringify(a.data)
                  : refusal(a),
              );
            }}
          >
            审计校验
          </Button>
        )}
        <Button id="change-password" onClick={() => setChanging(true)}>
          修改密码
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
        <Tabs
          id="views"
          defaultActiveKey={tabs.some((t) => t.key === 'queue') ? 'queue' : tabs[0]?.key}
          items={tabs}
          destroyOnHidden
        />
      </Layout.Content>
      <ReasonModal request={asked} onClose={() => ask(undefined)} />
      <PasswordChange
        open={changing}
        onClose={() => setChanging(false)}
        onChanged={() => {
          setChanging(false);
          setToken(undefined);
          setMe(undefined);
        }}
      />
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
