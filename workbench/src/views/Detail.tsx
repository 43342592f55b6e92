import { Alert, Descriptions, Drawer, Tag, Timeline, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { ApplicationDetail } from '../../../typings/ops';
import { REASON_LABELS } from '../../../shared/reason-codes';
import { purposeLabel } from '../../../shared/loan-purposes';
import { ops, refusal } from '../api';
import { beijing, yuan } from '../format';
import type { Me } from '../session';
import { StatusTag } from './labels';
import type { ReasonRequest } from './ReasonModal';
import { RevealPanel } from './Reveal';

const coded = (code?: string) => (code ? `${REASON_LABELS[code] ?? code}（${code}）` : '—');

/** Application detail: masked personal data, decision record with reason codes, fraud links, timeline. */
export function Detail({
  id,
  me,
  ask,
  onClose,
}: {
  id: string;
  me: Me;
  ask: (request: ReasonRequest) => void;
  onClose: () => void;
}) {
  const [detail, setDetail] = useState<ApplicationDetail | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    void ops<ApplicationDetail>('application', { applicationId: id }).then((a) =>
      a.ok ? setDetail(a.data) : setError(refusal(a)),
    );
  }, [id]);
  const d = detail;
  return (
    <Drawer open title={`申请 ${id}`} size="large" onClose={onClose}>
      {error && <Alert type="error" message={error} />}
      {d && (
        <>
          <Descriptions column={2} bordered size="small" title="申请">
            <Descriptions.Item label="状态">
              <StatusTag status={d.status} />
            </Descriptions.Item>
            <Descriptions.Item label="金额">{yuan(d.amount)}</Descriptions.Item>
            <Descriptions.Item label="期限">{d.termMonths} 个月</Descriptions.Item>
            <Descriptions.Item label="年化利率">{(d.aprBps / 100).toFixed(2)}%</Descriptions.Item>
            <Descriptions.Item label="用途">{purposeLabel(d.purpose)}</Descriptions.Item>
            <Descriptions.Item label="申请时间">{beijing(d.createdAt)}</Descriptions.Item>
            <Descriptions.Item label="评分">
              {d.score ?? '—'} {d.band ? `（${d.band}）` : ''}
            </Descriptions.Item>
            <Descriptions.Item label="策略版本">{d.policyVersion ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="风险原因" span={2}>
              {d.reasons.map((r) => (
                <Tag key={r}>{r}</Tag>
              ))}
              {d.rulesHit.map((r) => (
                <Tag key={r} color="volcano">
                  {r}
                </Tag>
              ))}
            </Descriptions.Item>
            {d.appealReason && (
              <Descriptions.Item label="复议理由" span={2}>
                {d.appealReason}
              </Descriptions.Item>
            )}
            <Descriptions.Item label="领取人">{d.claimedBy ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="放款">
              {d.payout ? `${d.payout.status}（第 ${d.payout.attempts} 次）${d.payout.reason ?? ''}` : '—'}
            </Descriptions.Item>
          </Descriptions>
          <Descriptions column={2} bordered size="small" title="借款人（已脱敏）" style={{ marginTop: 16 }}>
            <Descriptions.Item label="姓名">{d.borrower?.name ?? '未实名'}</Descriptions.Item>
            <Descriptions.Item label="手机">{d.borrower?.phone ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="证件号" span={2}>
              {d.borrower?.idNumber ?? '—'}
            </Descriptions.Item>
            <Descriptions.Item label="标记" span={2}>
              {d.borrowerFlags.frozen && <Tag color="blue">冻结</Tag>}
              {d.borrowerFlags.blacklisted && <Tag color="red">黑名单</Tag>}
              {!d.borrowerFlags.frozen && !d.borrowerFlags.blacklisted && '无'}
            </Descriptions.Item>
            <Descriptions.Item label="关联（欺诈信号）" span={2}>
              同设备账号 {d.fraudLinks.deviceOpenids} · 同设备身份 {d.fraudLinks.deviceIdentities} · 同 IP
              当日账号 {d.fraudLinks.ipOpenidsPerDay}
            </Descriptions.Item>
          </Descriptions>
          {me.role === 'supervisor' && (
            <div style={{ marginTop: 12 }}>
              <RevealPanel openid={d.openid} ask={ask} onError={setError} />
            </div>
          )}
          <Descriptions column={1} bordered size="small" title="决定记录" style={{ marginTop: 16 }}>
            <Descriptions.Item label="初审（maker）">
              {d.firstApproval
                ? `${d.firstApproval.operator} · ${beijing(d.firstApproval.at)} · ${coded(d.firstApproval.reasonCode)} · ${d.firstApproval.note}`
                : '—'}
            </Descriptions.Item>
            <Descriptions.Item label="人工决定">
              {d.manualDecision
                ? `${d.manualDecision.outcome === 'approved' ? '通过' : '拒绝'} · ${d.manualDecision.operator}${d.manualDecision.checker ? ` / 复核 ${d.manualDecision.checker}` : ''} · ${beijing(d.manualDecision.at)} · ${coded(d.manualDecision.reasonCode)} · ${d.manualDecision.note}`
                : '—'}
            </Descriptions.Item>
          </Descriptions>
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            时间线（北京时间）
          </Typography.Title>
          <Timeline
            items={d.timeline.map((t) => ({
              children: (
                <span>
                  {beijing(t.at)} <StatusTag status={t.status} /> {t.note}
                </span>
              ),
            }))}
          />
        </>
      )}
    </Drawer>
  );
}
