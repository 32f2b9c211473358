/**
 * 統計: per month, counts by channel, category, where the case was handled (completed at
 * first line, dispatched, open) and state, and the median times to first claim, dispatch
 * and answer. Each chart has a table with the same numbers beside it, which is what
 * screen readers and copy-paste use. Chart configurations are plain data built here;
 * `charts.ts` hands them to chart.js.
 */
import type { Failure, MonthStats, Stats } from '../api';
import { formatMinutes, formatMonth, formatNumber } from '../format';
import { markup, type Html } from '../html';
import { t, type Lang, type TabKey } from '../messages';
import { failurePanel, loading, type LabelKind, type Labels } from './common';

export type StatsStatus =
  { kind: 'loading' } | { kind: 'failed'; failure: Failure } | { kind: 'loaded'; stats: Stats };

export type CountGroup = 'byChannel' | 'byCategory' | 'byHandling' | 'byState';

export const COUNT_GROUPS: ReadonlyArray<{ group: CountGroup; kind: LabelKind; title: TabKey }> = [
  { group: 'byChannel', kind: 'channels', title: 'stats.byChannel' },
  { group: 'byCategory', kind: 'categories', title: 'stats.byCategory' },
  { group: 'byHandling', kind: 'handlings', title: 'stats.byHandling' },
  { group: 'byState', kind: 'states', title: 'stats.byState' },
];

export const MEDIANS: ReadonlyArray<{ key: keyof MonthStats['median']; title: TabKey }> = [
  { key: 'toClaimMinutes', title: 'stats.toClaim' },
  { key: 'toDispatchMinutes', title: 'stats.toDispatch' },
  { key: 'toAnswerMinutes', title: 'stats.toAnswer' },
];

export function statsView(from: string, to: string, lang: Lang): Html {
  return markup`<section class="view stats-view" aria-labelledby="view-heading">
    <h1 id="view-heading" tabindex="-1">${t('stats.heading', lang)}</h1>
    <form class="filters stats-range" data-form="stats" novalidate>
      <div class="field">
        <label for="s-from">${t('stats.from', lang)}</label>
        <input
          type="month"
          id="s-from"
          name="from"
          value="${from}"
          required
          placeholder="2026-01"
          pattern="\\d{4}-\\d{2}"
        />
      </div>
      <div class="field">
        <label for="s-to">${t('stats.to', lang)}</label>
        <input
          type="month"
          id="s-to"
          name="to"
          value="${to}"
          required
          placeholder="2026-12"
          pattern="\\d{4}-\\d{2}"
        />
      </div>
      <div class="actions">
        <button type="submit" class="button primary">${t('stats.show', lang)}</button>
      </div>
      <p class="hint">${t('stats.rangeHint', lang)}</p>
    </form>
    <div id="stats-body"></div>
  </section>`;
}

/** The ids that occur in a group: the server's labels first (in its order), then any others. */
export function groupKeys(
  stats: Stats,
  group: CountGroup,
  kind: LabelKind,
  labels: Labels,
): string[] {
  const known = labels.list(kind).map((l) => l.id);
  const seen = new Set<string>();
  for (const m of stats.months)
    for (const [k, n] of Object.entries(m[group] ?? {})) if (n) seen.add(k);
  // Channels, handlings and states are few and fixed: show all of them; categories only
  // those used.
  const base = group === 'byCategory' ? known.filter((k) => seen.has(k)) : known;
  return [...base, ...[...seen].filter((k) => !known.includes(k))];
}

export function statsBody(status: StatsStatus, labels: Labels, lang: Lang): Html {
  if (status.kind === 'loading') return loading(lang);
  if (status.kind === 'failed') return failurePanel(status.failure, lang);
  const { stats } = status;
  if (stats.months.length === 0 || stats.months.every((m) => m.total === 0)) {
    return markup`<div class="panel empty" role="status">
        <p class="empty-title">${t('stats.empty', lang)}</p>
      </div>
      ${totalsTable(stats, lang)}`;
  }
  return markup`${COUNT_GROUPS.map(({ group, kind, title }) =>
    countSection(stats, group, kind, title, labels, lang),
  )}
  ${mediansSection(stats, lang)}`;
}

function range(stats: Stats, lang: Lang): { from: string; to: string } {
  const first = stats.months[0]?.month ?? '';
  const last = stats.months[stats.months.length - 1]?.month ?? '';
  return { from: formatMonth(first, lang), to: formatMonth(last, lang) };
}

function totalsTable(stats: Stats, lang: Lang): Html {
  if (!stats.months.length) return markup``;
  return markup`<div class="table-wrap">
    <table class="stats-table" data-table="totals">
      <caption>
        ${t('stats.tableCaption', lang, { title: t('stats.total', lang), ...range(stats, lang) })}
      </caption>
      <thead>
        <tr>
          <th scope="col">${t('stats.month', lang)}</th>
          <th scope="col">${t('stats.total', lang)}</th>
        </tr>
      </thead>
      <tbody>
        ${stats.months.map(
          (m) =>
            markup`<tr>
              <th scope="row">${formatMonth(m.month, lang)}</th>
              <td class="num">${formatNumber(m.total)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

function countSection(
  stats: Stats,
  group: CountGroup,
  kind: LabelKind,
  title: TabKey,
  labels: Labels,
  lang: Lang,
): Html {
  const keys = groupKeys(stats, group, kind, labels);
  return chartSection(stats, group, title, lang, {
    heads: [...keys.map((k) => labels.of(kind, k, lang)), t('stats.total', lang)],
    cells: (m) => [
      ...keys.map((k) => markup`<td class="num">${formatNumber(m[group]?.[k] ?? 0)}</td>`),
      markup`<td class="num total">${formatNumber(m.total)}</td>`,
    ],
  });
}

function mediansSection(stats: Stats, lang: Lang): Html {
  return chartSection(stats, 'medians', 'stats.medians', lang, {
    heads: MEDIANS.map((m) => t(m.title, lang)),
    cells: (m) =>
      MEDIANS.map(
        ({ key }) => markup`<td class="num">${formatMinutes(m.median?.[key] ?? null, lang)}</td>`,
      ),
  });
}

/** One statistic: its chart's canvas, then a table of the same numbers, a row a month. */
function chartSection(
  stats: Stats,
  name: string,
  title: TabKey,
  lang: Lang,
  columns: { heads: string[]; cells: (month: Stats['months'][number]) => Html[] },
): Html {
  return markup`<section class="card stats-section" aria-labelledby="h-${name}">
    <h2 id="h-${name}">${t(title, lang)}</h2>
    <div class="chart-box">
      <canvas
        id="chart-${name}"
        role="img"
        aria-label="${t(title, lang)}. ${t('stats.chartAlt', lang)}"
      ></canvas>
    </div>
    <div class="table-wrap">
      <table class="stats-table" data-table="${name}">
        <caption>
          ${t('stats.tableCaption', lang, { title: t(title, lang), ...range(stats, lang) })}
        </caption>
        <thead>
          <tr>
            <th scope="col">${t('stats.month', lang)}</th>
            ${columns.heads.map((h) => markup`<th scope="col">${h}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${stats.months.map(
            (m) =>
              markup`<tr>
                <th scope="row">${formatMonth(m.month, lang)}</th>
                ${columns.cells(m)}
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
  </section>`;
}

/** Colours that stay apart for common colour blindness (Okabe–Ito), in a fixed order. */
export const PALETTE = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#56B4E9',
  '#D55E00',
  '#F0E442',
  '#000000',
  '#999999',
  '#7F3C8D',
  '#11A579',
  '#3969AC',
];

export interface ChartSpec {
  canvasId: string;
  type: 'bar';
  labels: string[];
  datasets: { label: string; data: (number | null)[]; color: string }[];
  stacked: boolean;
  /** Values are minutes: the axis and tooltips say them as durations. */
  minutes: boolean;
  yTitle: string;
}

/** What each chart draws: the same numbers as the tables. */
export function chartSpecs(stats: Stats, labels: Labels, lang: Lang): ChartSpec[] {
  const months = stats.months.map((m) => formatMonth(m.month, lang));
  const counts = COUNT_GROUPS.map(({ group, kind }): ChartSpec => {
    const keys = groupKeys(stats, group, kind, labels);
    return {
      canvasId: `chart-${group}`,
      type: 'bar',
      labels: months,
      stacked: true,
      minutes: false,
      yTitle: t('stats.countAxis', lang),
      datasets: keys.map((k, i) => ({
        label: labels.of(kind, k, lang),
        data: stats.months.map((m) => m[group]?.[k] ?? 0),
        color: PALETTE[i % PALETTE.length]!,
      })),
    };
  });
  // Bars side by side: a month without a dispatch simply has no bar, and few months read well.
  const medians: ChartSpec = {
    canvasId: 'chart-medians',
    type: 'bar',
    labels: months,
    stacked: false,
    minutes: true,
    yTitle: t('stats.minutesAxis', lang),
    datasets: MEDIANS.map(({ key, title }, i) => ({
      label: t(title, lang),
      data: stats.months.map((m) => m.median?.[key] ?? null),
      color: PALETTE[i]!,
    })),
  };
  return [...counts, medians];
}
