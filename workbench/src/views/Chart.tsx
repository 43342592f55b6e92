import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

/** One ECharts chart (bundled, tree-shaken to bar + line with the SVG renderer), redrawn when `option` changes. */
export function Chart({
  option,
  id,
  height = 260,
}: {
  option: echarts.EChartsCoreOption;
  id: string;
  height?: number;
}) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!host.current) return;
    const chart = echarts.init(host.current, undefined, { renderer: 'svg' });
    chart.setOption(option);
    return () => chart.dispose();
  }, [option]);
  return <div id={id} ref={host} style={{ width: '100%', height }} />;
}
