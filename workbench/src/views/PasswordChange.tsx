import { App as AntApp, Form, Input, Modal } from 'antd';
import { call, refusal } from '../api';

/** Password change: old password + a fresh TOTP code; every session ends, so the operator signs in again. */
export function PasswordChange({
  open,
  onClose,
  onChanged,
}: {
  open: boolean;
  onClose: () => void;
  onChanged: () => void;
}) {
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ oldPassword: string; code: string; newPassword: string; repeat: string }>();
  return (
    <Modal
      open={open}
      title="修改密码"
      okText="修改"
      cancelText="取消"
      destroyOnHidden
      okButtonProps={{ id: 'password-ok' }}
      onCancel={onClose}
      onOk={async () => {
        const { oldPassword, code, newPassword } = await form.validateFields();
        const answer = await call<{ sessionsEnded: number }>('/changePassword', {
          oldPassword,
          code,
          newPassword,
        });
        if (!answer.ok) return void message.error(refusal(answer));
        message.success(`密码已修改，已结束 ${answer.data?.sessionsEnded ?? 0} 个会话，请重新登录`);
        onChanged();
      }}
    >
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="oldPassword" label="旧密码" rules={[{ required: true }]}>
          <Input.Password id="old-password" autoComplete="current-password" />
        </Form.Item>
        <Form.Item name="code" label="动态验证码" rules={[{ required: true, len: 6 }]}>
          <Input id="password-code" inputMode="numeric" maxLength={6} />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label="新密码（至少 12 位，不含账号名）"
          rules={[{ required: true, min: 12 }]}
        >
          <Input.Password id="new-password" autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="repeat"
          label="再次输入新密码"
          dependencies={['newPassword']}
          rules={[
            { required: true },
            ({ getFieldValue }) => ({
              validator: async (_r, v: string) =>
                v === getFieldValue('newPassword') ? undefined : Promise.reject(new Error('两次输入不一致')),
            }),
          ]}
        >
          <Input.Password id="repeat-password" autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
