/** 一覧: the filters, and one page of consultations, newest first. */
import type { Failure, ListItem, ListPage } from '../api';
import { formatCount, formatNumber } from '../format';
import { markup, type Html } from '../html';
import { t, type Lang } from '../messages';
import { hasFilters, routeToHash, type Filters } from '../route';
import {
  failurePanel,
  loading,
  options,
  stateBadge,
  time,
  urgencyBadge,
  type Labels,
} from './common';

export const PAGE_SIZE = 50;

export type ListStatus =
  { kind: 'loading' } | { kind: 'failed'; failure: Failure } | { kind: 'loaded'; page: ListPage };

/** The whole list view: heading, the filter form and the results area. */
export function listView(filters: Filters, labels: Labels, lang: Lang): Html {
  return markup`<section class="view list-view" aria-labelledby="view-heading">
    <h1 id="view-heading" tabindex="-1">${t('list.heading', lang)}</h1>
    ${filterForm(filters, labels, lang)}
    <div id="results" class="results"></div>
  </section>`;
}

export function filterForm(f: Filters, labels: Labels, lang: Lang): Html {
  const choices = (kind: 'channels' | 'categories' | 'urgencies') =>
    labels.list(kind).map((l) => ({ value: l.id, text: labels.of(kind, l.id, lang) }));
  const people = labels.meta.people.map((p) => ({ value: p.id, text: p.name }));
  return markup`<form
    class="filters"
    role="search"
    data-form="filters"
    aria-label="${t('filter.heading', lang)}"
    novalidate
  >
    <div class="field field-q">
      <label for="f-q">${t('filter.q', lang)}</label>
      <input
        type="search"
        id="f-q"
        name="q"
        value="${f.q}"
        maxlength="200"
        autocomplete="off"
        aria-describedby="f-q-hint"
      />
      <p id="f-q-hint" class="hint">${t('filter.qHint', lang)}</p>
    </div>
    <fieldset class="field field-states">
      <legend>${t('filter.state', lang)}</legend>
      <div class="checks">
        ${labels.list('states').map(
          (s) =>
            markup`<label class="check"
                ><input
                  type="checkbox"
                  name="state"
                  value="${s.id}"
                  ${f.states.includes(s.id as never) ? markup` checked` : ''}
                />
                ${labels.of('states', s.id, lang)}</label
              >`,
        )}
      </div>
    </fieldset>
    <div class="field">
      <label for="f-channel">${t('filter.channel', lang)}</label>
      <select id="f-channel" name="channel">
        ${options(choices('channels'), f.channel, lang)}
      </select>
    </div>
    <div class="field">
      <label for="f-category">${t('filter.category', lang)}</label>
      <select id="f-category" name="category">
        ${options(choices('categories'), f.category, lang)}
      </select>
    </div>
    <div class="field">
      <label for="f-urgency">${t('filter.urgency', lang)}</label>
      <select id="f-urgency" name="urgency">
        ${options(choices('urgencies'), f.urgency, lang)}
      </select>
    </div>
    <div class="field">
      <label for="f-person">${t('filter.person', lang)}</label>
      <select id="f-person" name="person">
        ${options(people, f.person, lang)}
      </select>
    </div>
    <div class="field">
      <label for="f-from">${t('filter.from', lang)}</label>
      <input type="date" id="f-from" name="from" value="${f.from}" />
    </div>
    <div class="field">
      <label for="f-to">${t('filter.to', lang)}</label>
      <input type="date" id="f-to" name="to" value="${f.to}" />
    </div>
    ${f.sameAs ? markup`<input type="hidden" name="sameAs" value="${f.sameAs}" />` : ''}
    <div class="actions">
      <button type="submit" class="button primary">${t('filter.apply', lang)}</button>
      <button
        type="button"
        class="button"
        data-action="clear-filters"
        ${hasFilters(f) ? '' : markup` disabled`}
      >
        ${t('filter.clear', lang)}
      </button>
    </div>
  </form>`;
}

/** The results area: loading, an error with a retry, nothing found, or the table and pager. */
export function listResults(
  status: ListStatus,
  filters: Filters,
  labels: Labels,
  lang: Lang,
): Html {
  if (status.kind === 'loading') return loading(lang);
  if (status.kind === 'failed') return failurePanel(status.failure, lang);
  const { page } = status;
  return markup`${sameConsulter(page, filters, lang)}${pageOf(page, filters, labels, lang)}`;
}

/** Which consulter the list is of (the `sameAs` filter), and a way to drop that condition. */
function sameConsulter(page: ListPage, filters: Filters, lang: Lang): Html {
  const of = page.sameConsulter;
  if (!of) return markup``;
  const who = [of.organisation, of.person].filter(Boolean).join(' ');
  return markup`<div class="same-consulter" data-testid="same-consulter">
    <p>
      <strong>${t('filter.sameConsulter', lang)}</strong>
      <a href="${routeToHash({ view: 'record', id: of.id })}">${of.number}</a>
      ${who || markup`<span class="muted">${t('filter.sameConsulterUnnamed', lang)}</span>`}
    </p>
    <p class="hint">${t('filter.sameConsulterHint', lang)}</p>
    <a
      class="button small"
      href="${routeToHash({ view: 'list', filters: { ...filters, sameAs: null, page: 1 } })}"
      >${t('filter.sameConsulterRemove', lang)}</a
    >
  </div>`;
}

function pageOf(page: ListPage, filters: Filters, labels: Labels, lang: Lang): Html {
  if (page.items.length === 0) {
    const filtered = hasFilters(filters) || filters.page > 1;
    return markup`<div class="panel empty" role="status">
      <p class="empty-title">${t(filtered ? 'list.empty' : 'list.emptyLedger', lang)}</p>
      ${
        filtered
          ? markup`<p>${t('list.emptyHint', lang)}</p>
              <button type="button" class="button" data-action="clear-filters">
                ${t('filter.clear', lang)}
              </button>`
          : ''
      }
    </div>`;
  }
  const first = (page.page - 1) * page.pageSize + 1;
  const last = first + page.items.length - 1;
  return markup`<p class="count" id="results-count" tabindex="-1" role="status">
      <strong data-testid="total">${formatCount(page.total, page.totalIsLowerBound, lang)}</strong>
      <span class="muted"
        >${t('list.showing', lang, { first: formatNumber(first), last: formatNumber(last) })}</span
      >
    </p>
    ${table(page.items, labels, lang)} ${pager(page, filters, lang)}`;
}

function owners(item: ListItem, lang: Lang): Html {
  if (!item.firstLineOwner && !item.specialist) {
    return markup`<span class="muted">${t('value.unassigned', lang)}</span>`;
  }
  // One element per cell: on narrow screens each cell is a two-column grid (label, value).
  return markup`<span class="owner-list">${item.firstLineOwner ? markup`<span class="owner">${item.firstLineOwner.name}</span>` : ''}${
    item.specialist
      ? markup`<span class="owner specialist"><span class="visually-hidden">${t('field.specialist', lang)}: </span><span aria-hidden="true">→ </span>${item.specialist.name}</span>`
      : ''
  }</span>`;
}

function table(items: ListItem[], labels: Labels, lang: Lang): Html {
  const col = (key: Parameters<typeof t>[0]) => t(key, lang);
  return markup`<div class="table-wrap">
    <table class="ledger-table">
      <caption class="visually-hidden">
        ${t('list.caption', lang)}
      </caption>
      <thead>
        <tr>
          <th scope="col">${col('col.number')}</th>
          <th scope="col">${col('col.receivedAt')}</th>
          <th scope="col">${col('col.urgency')}</th>
          <th scope="col">${col('col.state')}</th>
          <th scope="col">${col('col.subject')}</th>
          <th scope="col">${col('col.organisation')}</th>
          <th scope="col">${col('col.category')}</th>
          <th scope="col">${col('col.channel')}</th>
          <th scope="col">${col('col.owner')}</th>
        </tr>
      </thead>
      <tbody>
        ${items.map(
          (c) =>
            markup`<tr
              class="row urgency-row-${c.urgency}${c.erased ? ' erased' : ''}"
              data-id="${c.id}"
            >
              <td data-label="${col('col.number')}" class="number">${c.number}</td>
              <td data-label="${col('col.receivedAt')}">${time(c.receivedAt, lang)}</td>
              <td data-label="${col('col.urgency')}">${urgencyBadge(c.urgency, labels, lang)}</td>
              <td data-label="${col('col.state')}">${stateBadge(c.state, labels, lang)}</td>
              <th scope="row" data-label="${col('col.subject')}" class="subject">
                <a href="${routeToHash({ view: 'record', id: c.id })}"
                  >${c.erased ? markup`<span class="erased-subject">${t('value.erased', lang)}</span>` : c.subject}</a
                >
              </th>
              <td data-label="${col('col.organisation')}">
                ${
                  c.organisation ??
                  markup`<span class="muted"
                    >${t(c.erased ? 'value.erased' : 'value.notGiven', lang)}</span
                  >`
                }
              </td>
              <td data-label="${col('col.category')}">
                ${labels.of('categories', c.categoryId, lang)}
              </td>
              <td data-label="${col('col.channel')}">${labels.of('channels', c.channel, lang)}</td>
              <td data-label="${col('col.owner')}" class="owners">${owners(c, lang)}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

function pager(page: ListPage, filters: Filters, lang: Lang): Html {
  const pages = page.totalIsLowerBound ? null : Math.max(1, Math.ceil(page.total / page.pageSize));
  const hasPrev = page.page > 1;
  const hasNext = pages === null ? page.items.length === page.pageSize : page.page < pages;
  if (!hasPrev && !hasNext) return markup``;
  const link = (n: number, key: 'list.prev' | 'list.next', on: boolean, rel: string) =>
    on
      ? markup`<a
          class="button"
          rel="${rel}"
          href="${routeToHash({ view: 'list', filters: { ...filters, page: n } })}"
          aria-label="${t('list.pageOpen', lang, { page: n })}"
          >${t(key, lang)}</a
        >`
      : markup`<span class="button" aria-disabled="true">${t(key, lang)}</span>`;
  return markup`<nav class="pager" aria-label="${t('list.pager', lang)}">
    ${link(page.page - 1, 'list.prev', hasPrev, 'prev')}
    <span class="page-of" aria-current="page"
      >${pages === null ? t('list.pageOpen', lang, { page: page.page }) : t('list.page', lang, { page: page.page, pages })}</span
    >
    ${link(page.page + 1, 'list.next', hasNext, 'next')}
  </nav>`;
}
