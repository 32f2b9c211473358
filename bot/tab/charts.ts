/**
 * Draws the statistics' charts with chart.js, registering only the pieces used (bars,
 * the two scales, legend, tooltip) so the bundle carries nothing else.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  Tooltip,
} from 'chart.js';
import { formatMinutes } from './format';
import type { Lang } from './messages';
import type { ChartSpec } from './views/stats';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

const drawn: Chart[] = [];

/** Removes the charts drawn before (a new range, a new language, another view). */
export function destroyCharts(): void {
  while (drawn.length) drawn.pop()?.destroy();
}

export function drawCharts(specs: readonly ChartSpec[], lang: Lang): void {
  destroyCharts();
  const style = getComputedStyle(document.documentElement);
  const text = style.getPropertyValue('--text').trim() || '#242424';
  const grid = style.getPropertyValue('--line').trim() || '#d1d1d1';
  const still = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  for (const spec of specs) {
    const canvas = document.getElementById(spec.canvasId);
    if (!(canvas instanceof HTMLCanvasElement)) continue;
    const minutes = (v: number | string) => formatMinutes(Number(v), lang);
    drawn.push(
      new Chart(canvas, {
        type: spec.type,
        data: {
          labels: spec.labels,
          datasets: spec.datasets.map((d) => ({
            label: d.label,
            data: d.data,
            backgroundColor: d.color,
            borderColor: d.color,
            borderWidth: 0,
            maxBarThickness: 56,
          })),
        },
        options: {
          responsive: true,
          maintainAspectRatio: false,
          animation: still ? false : { duration: 300 },
          color: text,
          scales: {
            x: { stacked: spec.stacked, ticks: { color: text }, grid: { color: grid } },
            y: {
              stacked: spec.stacked,
              beginAtZero: true,
              title: { display: true, text: spec.yTitle, color: text },
              ticks: {
                color: text,
                precision: 0,
                ...(spec.minutes ? { callback: (v: number | string) => minutes(v) } : {}),
              },
              grid: { color: grid },
            },
          },
          plugins: {
            legend: { position: 'bottom', labels: { color: text, boxWidth: 14 } },
            tooltip: spec.minutes
              ? {
                  callbacks: {
                    label: (item) => `${item.dataset.label ?? ''}: ${minutes(item.parsed.y ?? 0)}`,
                  },
                }
              : {},
          },
        },
      }),
    );
  }
}
