import { App as AntApp, Button, Card, Form, Input } from 'antd';
import { useState } from 'react';
import { call, setToken } from '../api';

/** Sign-in with password and TOTP code. */
export function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
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
