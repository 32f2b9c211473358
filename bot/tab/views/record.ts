/** A record's page: every field, the situation checklist, the timeline, where to report. */
import type { ConsultationFull, Destination, RecordPage, TimelineEntry } from '../api';
import { formatEmployees } from '../format';
import { markup, safeHref, type Html, type Part } from '../html';
import { pick, t, type Lang, type Localized, type TabKey } from '../messages';
import { stateBadge, time, urgencyBadge, type Labels } from './common';

const SITUATION: ReadonlyArray<[keyof ConsultationFull['situation'], TabKey]> = [
  ['whatHappened', 'situation.whatHappened'],
  ['since', 'situation.since'],
  ['ongoing', 'situation.ongoing'],
  ['systems', 'situation.systems'],
  ['dataAtRisk', 'situation.dataAtRisk'],
  ['actionsTaken', 'situation.actionsTaken'],
  ['contacted', 'situation.contacted'],
  ['evidence', 'situation.evidence'],
];

const TRISTATE: Record<string, TabKey> = {
  yes: 'value.yes',
  no: 'value.no',
  unknown: 'value.unknown',
};

/**
 * `backHash` is the list the person came from (its filters and page), so 「一覧に戻る」
 * returns there.
 */
export function recordView(page: RecordPage, labels: Labels, lang: Lang, backHash: string): Html {
  const c = page.consultation;
  return markup`<article class="view record-view" aria-labelledby="view-heading">
    <p class="back"><a href="${backHash}">${t('record.back', lang)}</a></p>
    <header class="record-header">
      <h1 id="view-heading" tabindex="-1">
        <span class="record-number">${t('record.title', lang, { number: c.number })}</span>
        <span class="record-subject">${c.subject}</span>
      </h1>
      <p class="badges">
        ${stateBadge(c.state, labels, lang)} ${urgencyBadge(c.urgency, labels, lang)}
      </p>
      ${teamsLink(page.teamsCardUrl, lang)}
    </header>
    <div class="record-grid">
      <section class="card" aria-labelledby="h-overview">
        <h2 id="h-overview">${t('record.overview', lang)}</h2>
        ${definitionList(overview(c, labels, lang))}
      </section>
      <section class="card" aria-labelledby="h-consulter">
        <h2 id="h-consulter">${t('record.consulter', lang)}</h2>
        ${definitionList(consulter(c, lang))}
      </section>
    </div>
    <section class="card" aria-labelledby="h-details">
      <h2 id="h-details">${t('record.details', lang)}</h2>
      <p class="prose">${c.details || markup`<span class="muted">${t('value.notGiven', lang)}</span>`}</p>
    </section>
    <section class="card" aria-labelledby="h-situation">
      <h2 id="h-situation">${t('record.situation', lang)}</h2>
      ${definitionList(
        SITUATION.map(([field, key]) => {
          const v = c.situation[field];
          const tri = TRISTATE[String(v)];
          const value =
            field === 'ongoing' || field === 'dataAtRisk' ? (tri ? t(tri, lang) : v) : v;
          return [t(key, lang), value ? markup`<span class="prose">${value}</span>` : null];
        }),
        lang,
        'checklist',
      )}
    </section>
    <section class="card" aria-labelledby="h-timeline">
      <h2 id="h-timeline">${t('record.timeline', lang)}</h2>
      ${timeline(page.timeline, lang)}
    </section>
    <section class="card" aria-labelledby="h-destinations">
      <h2 id="h-destinations">${t('record.destinations', lang)}</h2>
      ${destinations(page.destinations, lang)}
    </section>
  </article>`;
}

type Row = [string, Part];

function definitionList(rows: Row[], lang?: Lang, extra = ''): Html {
  return markup`<dl class="fields ${extra}">
    ${rows.map(
      ([term, value]) =>
        markup`<div class="field-row">
          <dt>${term}</dt>
          <dd>
            ${
              value === null || value === undefined || value === ''
                ? markup`<span class="muted">${lang ? t('value.notGiven', lang) : '—'}</span>`
                : value
            }
          </dd>
        </div>`,
    )}
  </dl>`;
}

function overview(c: ConsultationFull, labels: Labels, lang: Lang): Row[] {
  const coordination =
    c.coordinationNeeded === null ? null : t(c.coordinationNeeded ? 'value.yes' : 'value.no', lang);
  const none = markup`<span class="muted">${t('value.unassigned', lang)}</span>`;
  const rows: Row[] = [
    [t('field.number', lang), c.number],
    [t('field.receivedAt', lang), time(c.receivedAt, lang)],
    [t('field.channel', lang), labels.of('channels', c.channel, lang)],
    [t('field.category', lang), labels.of('categories', c.categoryId, lang)],
    [t('field.urgency', lang), labels.of('urgencies', c.urgency, lang)],
    [t('field.state', lang), labels.of('states', c.state, lang)],
    [t('field.firstLine', lang), c.firstLineOwner?.name ?? none],
    [t('field.specialist', lang), c.specialist?.name ?? none],
    [t('field.coordination', lang), coordination ?? markup`<span class="muted">—</span>`],
  ];
  if (c.coordinationReason) rows.push([t('field.coordinationReason', lang), c.coordinationReason]);
  if (c.tags.length) {
    rows.push([
      t('field.tags', lang),
      markup`<span class="tags">${c.tags.map((tag) => markup`<span class="tag">${tag}</span>`)}</span>`,
    ]);
  }
  if (c.createdBy) rows.push([t('field.createdBy', lang), c.createdBy.name]);
  if (c.closedAt) rows.push([t('field.closedAt', lang), time(c.closedAt, lang)]);
  return rows;
}

function consulter(c: ConsultationFull, lang: Lang): Row[] {
  const p = c.consulter;
  return [
    [t('field.organisation', lang), p.organisation],
    [t('field.person', lang), p.person],
    [t('field.email', lang), p.email ? markup`<a href="mailto:${p.email}">${p.email}</a>` : null],
    [
      t('field.phone', lang),
      p.phone ? markup`<a href="tel:${p.phone.replace(/[^\d+]/g, '')}">${p.phone}</a>` : null,
    ],
    [t('field.industry', lang), p.industry],
    [t('field.employees', lang), p.employees === null ? null : formatEmployees(p.employees, lang)],
    [t('field.municipality', lang), p.municipality],
  ];
}

const KIND_KEY: Record<TimelineEntry['kind'], TabKey> = {
  history: 'timeline.history',
  note: 'timeline.note',
  answer: 'timeline.answer',
  email: 'timeline.email',
  acknowledgement: 'timeline.acknowledgement',
};

/** Oldest first, as the API sends it: the record's story in order. */
export function timeline(entries: TimelineEntry[], lang: Lang): Html {
  if (entries.length === 0) {
    return markup`<p class="muted">${t('record.timelineEmpty', lang)}</p>`;
  }
  return markup`<ol class="timeline">
    ${entries.map(
      (e) =>
        markup`<li class="entry entry-${e.kind}">
          <div class="entry-head">
            <span class="badge kind kind-${e.kind}"
              >${t(KIND_KEY[e.kind] ?? 'timeline.history', lang)}</span
            >
            ${time(e.at, lang)}
            <span class="who">${e.who ? e.who.name : t('timeline.system', lang)}</span>
          </div>
          <p class="entry-summary">${pick(e.summary, lang)}${delivery(e, lang)}</p>
          ${e.body ? markup`<div class="entry-body prose">${e.body}</div>` : ''}
          ${deliveryError(e, lang)}
        </li>`,
    )}
  </ol>`;
}

const localized = (v: unknown): Localized | null =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as Localized).ja === 'string' &&
  typeof (v as Localized).en === 'string'
    ? (v as Localized)
    : null;

const detail = (e: TimelineEntry, key: string): unknown =>
  typeof e.details === 'object' && e.details !== null
    ? (e.details as Record<string, unknown>)[key]
    : undefined;

/** An answer's delivery (記録のみ, メール送信済, メール未送信, …) as a badge after its summary. */
function delivery(e: TimelineEntry, lang: Lang): Html | '' {
  if (e.kind !== 'answer') return '';
  const label = localized(detail(e, 'deliveryStatusLabel'));
  const status = String(detail(e, 'deliveryStatus') ?? '');
  return label
    ? markup` <span class="badge delivery delivery-${status}">${pick(label, lang)}</span>`
    : '';
}

/** Why an answer's email was not sent, in the words the server gave. */
function deliveryError(e: TimelineEntry, lang: Lang): Html | '' {
  if (e.kind !== 'answer') return '';
  const error = detail(e, 'lastError');
  const message =
    typeof error === 'object' && error !== null
      ? localized((error as { message?: unknown }).message)
      : null;
  return message ? markup`<p class="error-inline">${pick(message, lang)}</p>` : '';
}

function teamsLink(url: string | null, lang: Lang): Html {
  if (!url) return markup`<p class="muted teams-none">${t('record.noTeamsCard', lang)}</p>`;
  // In Teams the page opens it with teams-js (data-teams-link); elsewhere it is a plain link.
  return markup`<p>
    <a
      class="button teams-link"
      href="${safeHref(url)}"
      target="_blank"
      rel="noopener noreferrer"
      data-teams-link
      >${t('record.teamsCard', lang)}</a
    >
  </p>`;
}

function destinations(list: Destination[], lang: Lang): Html {
  if (!list.length) return markup`<p class="muted">${t('record.destinationsNone', lang)}</p>`;
  return markup`<ul class="destinations">
    ${list.map(
      (d) =>
        markup`<li>
          <p class="destination-name">
            ${d.url ? markup`<a href="${safeHref(d.url)}" target="_blank" rel="noopener noreferrer">${pick(d.name, lang)}</a>` : pick(d.name, lang)}
          </p>
          ${d.purpose ? markup`<p class="muted">${pick(d.purpose, lang)}</p>` : ''}
          ${d.tel ? markup`<p>${t('destination.tel', lang)}: <a href="tel:${d.tel.replace(/[^\d+]/g, '')}">${d.tel}</a>${d.hours ? markup` <span class="muted">${t('destination.hoursValue', lang, { hours: pick(d.hours, lang) })}</span>` : ''}</p>` : ''}
          ${d.email ? markup`<p>${t('destination.email', lang)}: <a href="mailto:${d.email}">${d.email}</a></p>` : ''}
        </li>`,
    )}
  </ul>`;
}
