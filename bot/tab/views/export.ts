/**
 * 出力 (supervisors): a CSV of a date range, and the 事例集 — closed cases chosen, their
 * anonymised text reviewed and corrected in editable fields, then exported as Markdown.
 * The API enforces who may export; this view is only offered when meta.canExport says so.
 */
import type { CasebookCase, CaseText, ExportEntry, Failure, ListItem } from '../api';
import { markup, type Html } from '../html';
import { formatMonth } from '../format';
import { pick, t, type Lang, type Localized, type TabKey } from '../messages';
import { failurePanel, loading, time, type Labels } from './common';

export type Step<T> =
  | { kind: 'idle' }
  | { kind: 'working' }
  | { kind: 'failed'; failure: Failure }
  | { kind: 'done'; value: T };

export interface ExportState {
  csv: { from: string; to: string; step: Step<string> };
  /** The exports so far, as the API keeps them. */
  history: Step<ExportEntry[]>;
  casebook: {
    q: string;
    from: string;
    to: string;
    found: Step<ListItem[]>;
    chosen: number[];
    /** The cases under review, as edited so far; nothing typed is lost on a refusal. */
    review: CasebookCase[];
    preview: Step<null>;
    exported: Step<string>;
  };
}

/** The editable text fields of a case under review, in the order shown. */
export const CASE_FIELDS: ReadonlyArray<{
  field: keyof CaseText;
  label: TabKey;
  multiline: boolean;
}> = [
  { field: 'title', label: 'casebook.title', multiline: false },
  { field: 'industry', label: 'casebook.industry', multiline: false },
  { field: 'situation', label: 'casebook.situation', multiline: true },
  { field: 'answer', label: 'casebook.answer', multiline: true },
];

export function exportView(state: ExportState, labels: Labels, lang: Lang): Html {
  return markup`<section class="view export-view" aria-labelledby="view-heading">
    <h1 id="view-heading" tabindex="-1">${t('export.heading', lang)}</h1>
    <p class="hint">${t('export.supervisorsOnly', lang)}</p>
    <section class="card" aria-labelledby="h-csv">
      <h2 id="h-csv">${t('csv.heading', lang)}</h2>
      <p>${t('csv.intro', lang)}</p>
      <form class="filters" data-form="csv" novalidate>
        <div class="field">
          <label for="csv-from">${t('csv.from', lang)}</label>
          <input type="date" id="csv-from" name="from" value="${state.csv.from}" required />
        </div>
        <div class="field">
          <label for="csv-to">${t('csv.to', lang)}</label>
          <input type="date" id="csv-to" name="to" value="${state.csv.to}" required />
        </div>
        <div class="actions">
          <button
            type="submit"
            class="button primary"
            ${state.csv.step.kind === 'working' ? markup` disabled` : ''}
          >
            ${t('csv.download', lang)}
          </button>
        </div>
      </form>
      <div class="step" aria-live="polite">
        ${step(state.csv.step, lang, (file) => t('csv.done', lang, { file }), 'csv.downloading')}
      </div>
    </section>
    <section class="card" aria-labelledby="h-casebook">
      <h2 id="h-casebook">${t('casebook.heading', lang)}</h2>
      <p>${t('casebook.intro', lang)}</p>
      ${casebook(state.casebook, labels, lang)}
    </section>
    <section class="card" aria-labelledby="h-history">
      <h2 id="h-history">${t('history.heading', lang)}</h2>
      <p class="hint">${t('history.intro', lang)}</p>
      ${history(state.history, lang)}
    </section>
  </section>`;
}

function history(s: Step<ExportEntry[]>, lang: Lang): Html {
  if (s.kind === 'idle' || s.kind === 'working') return loading(lang);
  if (s.kind === 'failed') return failurePanel(s.failure, lang);
  if (s.value.length === 0) return markup`<p class="muted">${t('history.none', lang)}</p>`;
  return markup`<div class="table-wrap">
    <table class="history-table">
      <thead>
        <tr>
          <th scope="col">${t('history.at', lang)}</th>
          <th scope="col">${t('history.by', lang)}</th>
          <th scope="col">${t('history.what', lang)}</th>
          <th scope="col" class="num">${t('history.count', lang)}</th>
          <th scope="col">${t('history.outcome', lang)}</th>
        </tr>
      </thead>
      <tbody>
        ${s.value.map(
          (e) => markup`<tr>
            <td>${time(e.at, lang)}</td>
            <td>${e.by.name}</td>
            <td>
              ${
                e.kind === 'csv' && e.range
                  ? t('history.csv', lang, { from: e.range.from, to: e.range.to })
                  : t('history.casebook', lang)
              }
            </td>
            <td class="num">${e.count.toLocaleString(lang === 'ja' ? 'ja-JP' : 'en-GB')}</td>
            <td>${t(e.outcome === 'broken' ? 'history.broken' : 'history.complete', lang)}</td>
          </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

function step<T>(
  s: Step<T>,
  lang: Lang,
  done: (value: T) => string,
  workingKey: TabKey = 'state.loading',
): Html {
  switch (s.kind) {
    case 'idle':
      return markup``;
    case 'working':
      return markup`<p class="muted" role="status">${t(workingKey, lang)}</p>`;
    case 'failed':
      return failurePanel(s.failure, lang);
    case 'done':
      return markup`<p class="success" role="status">${done(s.value)}</p>`;
  }
}

function casebook(cb: ExportState['casebook'], labels: Labels, lang: Lang): Html {
  return markup`<form class="filters" data-form="casebook-find" novalidate>
      <div class="field field-q">
        <label for="cb-q">${t('filter.q', lang)}</label>
        <input
          type="search"
          id="cb-q"
          name="q"
          value="${cb.q}"
          maxlength="200"
          autocomplete="off"
        />
      </div>
      <div class="field">
        <label for="cb-from">${t('filter.from', lang)}</label>
        <input type="date" id="cb-from" name="from" value="${cb.from}" />
      </div>
      <div class="field">
        <label for="cb-to">${t('filter.to', lang)}</label>
        <input type="date" id="cb-to" name="to" value="${cb.to}" />
      </div>
      <div class="actions">
        <button type="submit" class="button">${t('casebook.findButton', lang)}</button>
      </div>
    </form>
    <div class="casebook-found">${found(cb, labels, lang)}</div>
    ${review(cb, lang)}`;
}

function found(cb: ExportState['casebook'], labels: Labels, lang: Lang): Html {
  if (cb.found.kind === 'idle') return markup``;
  if (cb.found.kind === 'working') return loading(lang);
  if (cb.found.kind === 'failed') return failurePanel(cb.found.failure, lang);
  const items = cb.found.value;
  if (!items.length) return markup`<p class="muted" role="status">${t('casebook.none', lang)}</p>`;
  return markup`<form data-form="casebook-preview" novalidate>
    <fieldset class="choose">
      <legend>${t('casebook.choose', lang)}</legend>
      <ul class="choices">
        ${items.map(
          (c) =>
            markup`<li>
              <label class="check">
                <input
                  type="checkbox"
                  name="case"
                  value="${c.id}"
                  ${cb.chosen.includes(c.id) ? markup` checked` : ''}
                  aria-label="${t('casebook.select', lang, { number: c.number })}"
                />
                <span class="number">${c.number}</span> ${time(c.receivedAt, lang)}
                <span class="badge">${labels.of('categories', c.categoryId, lang)}</span>
                <span class="subject">${c.subject}</span>
              </label>
            </li>`,
        )}
      </ul>
    </fieldset>
    <div class="actions">
      <button
        type="submit"
        class="button primary"
        ${cb.preview.kind === 'working' ? markup` disabled` : ''}
      >
        ${t('casebook.preview', lang)}
      </button>
      <span class="muted" data-testid="chosen"
        >${t('casebook.selected', lang, { n: cb.chosen.length })}</span
      >
    </div>
    <div aria-live="polite">${step(cb.preview, lang, () => '')}</div>
  </form>`;
}

/**
 * What the export's refusal says is still identifying, per case (by its index in the
 * review) and field: `details.fields` is keyed `cases.<index>.<field>`.
 */
export function refusedFields(failure: Failure | null): Map<string, Localized> {
  const out = new Map<string, Localized>();
  for (const [key, message] of Object.entries(failure?.fields ?? {})) {
    const m = /^cases\.(\d+)\.(\w+)$/.exec(key);
    if (m) out.set(`${m[1]}.${m[2]}`, message);
  }
  return out;
}

function review(cb: ExportState['casebook'], lang: Lang): Html {
  if (!cb.review.length) return markup``;
  const refusal = cb.exported.kind === 'failed' ? cb.exported.failure : null;
  const refused = refusedFields(refusal);
  return markup`<form
    class="review"
    data-form="casebook-export"
    novalidate
    aria-labelledby="h-review"
  >
    <h3 id="h-review">${t('casebook.review', lang)}</h3>
    <p class="hint">${t('casebook.reviewHint', lang)}</p>
    ${cb.review.map((c, i) => {
      const problem = CASE_FIELDS.some(({ field }) => refused.has(`${i}.${field}`));
      return markup`<fieldset class="case${problem ? ' refused' : ''}" data-case="${c.id}">
        <legend>${t('casebook.case', lang, { n: i + 1, number: c.number })}</legend>
        <dl class="fields case-facts">
          <div class="field-row">
            <dt>${t('casebook.category', lang)}</dt>
            <dd>${pick(c.category.label, lang, c.category.id)}</dd>
          </div>
          <div class="field-row">
            <dt>${t('casebook.sizeBand', lang)}</dt>
            <dd>${pick(c.sizeBand, lang)}</dd>
          </div>
          <div class="field-row">
            <dt>${t('casebook.area', lang)}</dt>
            <dd>
              ${c.municipalityArea ? pick(c.municipalityArea, lang) : markup`<span class="muted">${t('value.notGiven', lang)}</span>`}
            </dd>
          </div>
          <div class="field-row">
            <dt>${t('casebook.month', lang)}</dt>
            <dd>${formatMonth(c.month, lang)}</dd>
          </div>
        </dl>
        ${CASE_FIELDS.map(({ field, label, multiline }) => {
          const id = `case-${c.id}-${field}`;
          const problemText = refused.get(`${i}.${field}`);
          const describedBy = problemText ? `${id}-problem` : '';
          return markup`<div class="field${multiline || field === 'title' ? ' field-wide' : ''}">
            <label for="${id}">${t(label, lang)}</label>
            ${problemText ? markup`<p class="error-inline" id="${describedBy}">${pick(problemText, lang)}</p>` : ''}
            ${
              multiline
                ? markup`<textarea
                    id="${id}"
                    data-case-id="${c.id}"
                    data-case-field="${field}"
                    rows="7"
                    ${problemText ? markup` aria-invalid="true" aria-describedby="${describedBy}"` : ''}
>${c[field]}</textarea>`
                : markup`<input
                    type="text"
                    id="${id}"
                    data-case-id="${c.id}"
                    data-case-field="${field}"
                    value="${c[field]}"
                    ${problemText ? markup` aria-invalid="true" aria-describedby="${describedBy}"` : ''}
                  />`
            }
          </div>`;
        })}
      </fieldset>`;
    })}
    <div class="actions">
      <button
        type="submit"
        class="button primary"
        ${cb.exported.kind === 'working' ? markup` disabled` : ''}
      >
        ${t('casebook.export', lang)}
      </button>
    </div>
    <div aria-live="polite">
      ${
        refusal && refused.size
          ? markup`<div class="panel error" role="alert">
              <p class="error-title">
                ${refusal.message ? pick(refusal.message, lang) : t('casebook.refused', lang)}
              </p>
            </div>`
          : step(cb.exported, lang, (file) => t('casebook.exported', lang, { file }))
      }
    </div>
  </form>`;
}
