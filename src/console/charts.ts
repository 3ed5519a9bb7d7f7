/**
 * Charts (Chart.js, only the pieces used, bundled). Each chart is a labelled image for screen
 * readers with its numbers in a data table beside it, so nothing is shown only as pixels.
 */
import { BarController, BarElement, CategoryScale, Chart, Filler, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip, type ChartData, type ChartOptions, type ChartType } from 'chart.js';
import { html } from 'htm/preact';
import type { VNode } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip, Filler);
Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
Chart.defaults.color = '#3b4250';
// Charts redraw on every poll: no animation (and nothing moves for people who asked for less motion).
Chart.defaults.animation = false;

/** Okabe-Ito: tells series apart for the common kinds of colour blindness. */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];
const colour = (i: number): string => PALETTE[i % PALETTE.length]!;

export interface ChartViewProps {
  type: 'bar' | 'line';
  /** What the chart shows, read out in place of the picture. */
  label: string;
  labels: string[];
  series: Array<{ label: string; data: number[]; colour?: string }>;
  stacked?: boolean;
  horizontal?: boolean;
  /** Values with decimals (hours); otherwise counts, with whole-number ticks. */
  decimals?: boolean;
  height?: number;
}

function configOf(p: ChartViewProps): { data: ChartData<ChartType>; options: ChartOptions<ChartType> } {
  const data = {
    labels: p.labels,
    datasets: p.series.map((s, i) => ({
      label: s.label, data: s.data, backgroundColor: s.colour ?? colour(i), borderColor: s.colour ?? colour(i),
      ...(p.type === 'line' ? { pointRadius: 0, borderWidth: 2, fill: p.series.length === 1, backgroundColor: `${s.colour ?? colour(i)}33` } : {}),
    })),
  };
  const axis = { stacked: p.stacked ?? false, ticks: { maxRotation: 0, autoSkipPadding: 12 } };
  const values = { ...axis, beginAtZero: true, ticks: { ...axis.ticks, ...(p.decimals ? {} : { precision: 0 }) } };
  const options: ChartOptions<ChartType> = {
    responsive: true,
    maintainAspectRatio: false,
    indexAxis: p.horizontal ? 'y' : 'x',
    interaction: { mode: 'index', intersect: false },
    plugins: { legend: { display: p.series.length > 1, position: 'bottom' } },
    scales: p.horizontal ? { x: values, y: axis } : { x: axis, y: values },
  };
  return { data: data as ChartData<ChartType>, options };
}

export function ChartView(p: ChartViewProps): VNode {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart | null>(null);
  const { data, options } = configOf(p);

  useEffect(() => {
    chart.current = new Chart(canvas.current!, { type: p.type, data, options });
    return () => chart.current?.destroy();
  }, [p.type, p.horizontal, p.stacked]);
  // New numbers (a poll) update the chart in place instead of rebuilding it.
  useEffect(() => {
    if (!chart.current) return;
    chart.current.data = data;
    chart.current.update('none');
  }, [JSON.stringify(p.labels), JSON.stringify(p.series)]);

  const height = p.height ?? Math.max(220, p.horizontal ? p.labels.length * 28 + 60 : 0);
  return html`
    <figure class="chart">
      <div class="chart-box" style=${{ height: `${height}px` }}>
        <canvas ref=${canvas} role="img" aria-label=${p.label}></canvas>
      </div>
      <details class="chart-data">
        <summary>Data: ${p.label}</summary>
        <div class="table-wrap">
          <table>
            <thead><tr><th scope="col"></th>${p.series.map((s) => html`<th scope="col">${s.label}</th>`)}</tr></thead>
            <tbody>
              ${p.labels.map((l, i) => html`<tr><th scope="row">${l}</th>${p.series.map((s) => html`<td class="n">${s.data[i] ?? 0}</td>`)}</tr>`)}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  `;
}
