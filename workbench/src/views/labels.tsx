import { Tag } from 'antd';
import { STATUS_LABELS } from '../../../server/loan/transitions';
import type { LoanStatus } from '../../../typings/loan';

/** A loan status as a tag: its Chinese label, the code beside it for operators. */
export function StatusTag({ status }: { status: string }) {
  const label = STATUS_LABELS[status as LoanStatus] ?? status;
  const color =
    status === 'awaiting_second_approval' ? 'orange' : status === 'appealed' ? 'purple' : 'default';
  return (
    <Tag color={color} data-status={status}>
      {label}（{status}）
    </Tag>
  );
}
