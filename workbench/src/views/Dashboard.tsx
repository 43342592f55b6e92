import { Alert, App as AntApp, Button, Card, Col, Progress, Row, Statistic } from 'antd';
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Dashboard as Figures } from '../../../typings/ops';
import { ops, refusal } from '../api';
import { beijing, duration, yuan } from '../format';
import { Chart } from './Chart';

const dayLabel = (key: string) => `${key.slice(4, 6)}-${key.slice(6, 8)}`;

/** The dashboard: applications and approval rate per China day, queue age p50/p90, today against the cap. */
export function Dashboard() {
  const { message } = AntApp.useApp();
  const [figures, setFigures] = useState<Figures | undefined>();
  const load = useCallback(async () => {
    const answer = await ops<Figures>('dashboard');
    if (answer.ok) setFigures(answer.data);
    else message.error(refusal(answer));
  }, [message]);
  useEffect(() => void load(), [load]);
  const option = useMemo(
    () =>
      figures && {
        animation: false,
        tooltip: { trigger: 'axis' },
        legend: { data: ['申请数', '通过', '拒绝', '通过率'] },
        xAxis: { type: 'category', data: figures.days.map((d) => dayLabel(d.day)) },
        yAxis: [
          { type: 'value', name: '笔', minInterval: 1 },
          { type: 'value', name: '通过率', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
        ],
        series: [
          { name: '申请数', type: 'bar', data: figures.days.map((d) => d.applications) },
          { name: '通过', type: 'bar', data: figures.days.map((d) => d.approved) },
          { name: '拒绝', type: 'bar', data: figures.days.map((d) => d.rejected) },
          {
            name: '通过率',
            type: 'line',
            yAxisIndex: 1,
            connectNulls: true,
            data: figures.days.map((d) =>
              d.approvalRate === null ? null : Math.round(d.approvalRate * 1000) / 10,
            ),
          },
        ],
      },
    [figures],
  );
  if (!figures) return <Card loading title="看板" />;
  const used = figures.today.capFen === 0 ? 0 : (figures.today.reservedFen / figures.today.capFen) * 100;
  return (
    <Card
      title={`看板（北京时间，截至 ${beijing(figures.at)}）`}
      extra={<Button onClick={() => void load()}>刷新</Button>}
    >
      {figures.truncated && (
        <Alert type="info" message="数据量较大，仅统计了前 1000 笔" style={{ marginBottom: 12 }} />
      )}
      <Row gutter={16}>
        <Col span={6}>
          <Statistic title="待处理" value={figures.queue.waiting} suffix="笔" />
        </Col>
        <Col span={6}>
          <Statistic title="队列等待 p50" value={duration(figures.queue.p50AgeMs)} />
        </Col>
        <Col span={6}>
          <Statistic title="队列等待 p90" value={duration(figures.queue.p90AgeMs)} />
        </Col>
        <Col span={6}>
          <Statistic title="今日放款笔数" value={`${figures.today.bills} / ${figures.today.billCap}`} />
        </Col>
      </Row>
      <div id="disbursed-today" style={{ marginTop: 16 }}>
        今日（{dayLabel(figures.today.day)}）已占用放款额度 {yuan(figures.today.reservedFen)} / 日限额{' '}
        {yuan(figures.today.capFen)}（含在途）
        <Progress percent={Math.round(used * 10) / 10} status={used >= 90 ? 'exception' : 'normal'} />
      </div>
      {option && <Chart id="chart-applications" option={option} />}
    </Card>
  );
}
