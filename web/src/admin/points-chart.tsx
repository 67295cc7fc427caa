import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { AnalyticsDay } from '../api/types';
import { formatDay, formatNumber } from '../format';

/** Points awarded and redeemed per UTC day (uPlot), with the same numbers as a table for screen readers and copying. */
export function PointsChart({ days }: { days: AnalyticsDay[] }) {
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const data: uPlot.AlignedData = [
      days.map((d) => Date.parse(`${d.date}T00:00:00Z`) / 1000),
      days.map((d) => d.pointsAwarded),
      days.map((d) => d.pointsRedeemed),
    ];
    const plot = new uPlot(
      {
        width: el.clientWidth || 320,
        height: 220,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
        legend: { live: false },
        scales: { y: { range: (_u, _min, max) => [0, Math.max(10, max)] } },
        axes: [{}, { values: (_u, ticks) => ticks.map((t) => formatNumber(t)), size: 56 }],
        series: [
          {},
          { label: 'Awarded', stroke: '#2563eb', fill: 'rgba(37, 99, 235, 0.12)', width: 2, value: (_u, v) => (v == null ? '' : formatNumber(v)) },
          { label: 'Redeemed', stroke: '#c2410c', width: 2, value: (_u, v) => (v == null ? '' : formatNumber(v)) },
        ],
      },
      data,
      el,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: el.clientWidth, height: 220 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [days]);

  return (
    <>
      <div ref={box} class="chart" role="img" aria-label="Line chart of points awarded and redeemed per day; the table below has the numbers." />
      <details>
        <summary>Show the numbers</summary>
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Day (UTC)</th>
                <th scope="col" class="num">
                  Awarded
                </th>
                <th scope="col" class="num">
                  Redeemed
                </th>
              </tr>
            </thead>
            <tbody>
              {days.map((d) => (
                <tr key={d.date}>
                  <td>{formatDay(d.date)}</td>
                  <td class="num">{formatNumber(d.pointsAwarded)}</td>
                  <td class="num">{formatNumber(d.pointsRedeemed)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </>
  );
}
