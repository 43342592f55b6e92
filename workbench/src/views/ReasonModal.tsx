import { Form, Input, Modal, Select } from 'antd';
import type { ReactNode } from 'react';
import { REASON_LABELS } from '../../../shared/reason-codes';

/** What a reasoned action asks for: a code from its catalogue, the free text, and any extra fields. */
export interface ReasonRequest {
  title: string;
  codes: readonly string[];
  /** Name of the free-text field the action takes (`reason`, `note`); none when the action has none. */
  textField?: 'reason' | 'note';
  extra?: ReactNode;
  /** Called with the form's values; answers true when the action succeeded (the modal closes). */
  submit: (values: Record<string, string>) => Promise<boolean>;
}

/** The reason-code picker every decision and sensitive action goes through. */
export function ReasonModal({
  request,
  onClose,
}: {
  request: ReasonRequest | undefined;
  onClose: () => void;
}) {
  const [form] = Form.useForm<Record<string, string>>();
  return (
    <Modal
      open={request !== undefined}
      title={request?.title}
      okText="确认"
      cancelText="取消"
      destroyOnHidden
      okButtonProps={{ id: 'reason-ok' }}
      onCancel={onClose}
      onOk={async () => {
        const values = await form.validateFields();
        if (request && (await request.submit(values))) {
          form.resetFields();
          onClose();
        }
      }}
    >
      <Form form={form} layout="vertical" preserve={false}>
        <Form.Item name="reasonCode" label="原因代码" rules={[{ required: true, message: '请选择原因代码' }]}>
          <Select
            id="reason-code"
            options={(request?.codes ?? []).map((code) => ({
              value: code,
              label: `${REASON_LABELS[code] ?? code}（${code}）`,
            }))}
          />
        </Form.Item>
        {request?.textField && (
          <Form.Item
            name={request.textField}
            label="说明"
            rules={[{ required: true, min: 4, message: '请填写至少 4 个字的说明' }]}
          >
            <Input.TextArea id="reason-text" rows={2} maxLength={200} />
          </Form.Item>
        )}
        {request?.extra}
      </Form>
    </Modal>
  );
}
