/**
 * A record's page: every field, the same consulter's other records, the situation
 * checklist, the timeline, where to report. An erased record shows a banner instead of
 * what was erased; a supervisor may erase a closed record's personal data from here, and
 * whoever may correct the record (記録を修正) does so in place of what they correct.
 */
import type {
  ConsultationFull,
  Destination,
  Failure,
  RecordPage,
  RelatedItem,
  SimilarItem,
  TimelineEntry,
} from '../api';
import {
  formatDate,
  formatDateTimeLong,
  formatDay,
  formatEmployees,
  formatNumber,
} from '../format';
import { markup, safeHref, type Html, type Part } from '../html';
import { EMPTY_FILTERS, routeToHash } from '../route';
import { EDIT_FIELDS, type EditField, type EditValues } from '../../../src/consultation/correction';
import { fieldLabel } from '../../../src/consultation/fields';
import { pick, t, type Lang, type Localized, type TabKey } from '../messages';
import { failurePanel, stateBadge, time, urgencyBadge, type Labels } from './common';

/** The erase form of a record's page: open or not, what was typed, how the request went. */
export interface EraseForm {
  open: boolean;
  /** What the person typed; kept when the server refuses it. */
  typed: string;
  step:
    | { kind: 'idle' }
    | { kind: 'working' }
    | { kind: 'failed'; failure: Failure }
    | { kind: 'done' };
}

export const ERASE_CLOSED: Readonly<EraseForm> = { open: false, typed: '', step: { kind: 'idle' } };

/** The correction form of a record's page (記録を修正). */
export interface EditForm {
  open: boolean;
  /** The version of the record the values were filled from; the save sends it. */
  version: number;
  /** What the form holds: the record's values, then what was typed. */
  values: EditValues;
  /** Each field's fingerprint as the record had it when the form was filled. */
  shown: Record<string, string>;
  /** Fields someone else changed differently meanwhile, with their value. */
  cautions: Partial<Record<EditField, string>>;
  /** Left unsaved when the person went elsewhere, and back in the form on their return. */
  restored?: boolean;
  step:
    | { kind: 'idle' }
    | { kind: 'working' }
    | { kind: 'failed'; failure: Failure }
    /** Changed by someone else meanwhile: their changes taken in, to be checked and saved. */
    | { kind: 'merged'; failure: Failure }
    | { kind: 'done'; changed: boolean };
}

export const EDIT_CLOSED: Readonly<EditForm> = {
  open: false,
  version: 0,
  values: {},
  shown: {},
  cautions: {},
  step: { kind: 'idle' },
};

/** The forms of a record's page, as the person left them. */
export interface RecordForms {
  erase?: EraseForm;
  edit?: EditForm;
}

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
export function recordView(
  page: RecordPage,
  labels: Labels,
  lang: Lang,
  backHash: string,
  forms: RecordForms = {},
): Html {
  const c = page.consultation;
  const erase = forms.erase ?? ERASE_CLOSED;
  const edit = forms.edit ?? EDIT_CLOSED;
  const editing = edit.open && page.canEdit && !c.erasure;
  return markup`<article class="view record-view" aria-labelledby="view-heading">
    <p class="back"><a href="${backHash}">${t('record.back', lang)}</a></p>
    <header class="record-header">
      <h1 id="view-heading" tabindex="-1">
        <span class="record-number">${t('record.title', lang, { number: c.number })}</span>
        <span class="record-subject"
          >${c.erasure ? markup`<span class="muted">${t('value.erased', lang)}</span>` : c.subject}</span
        >
      </h1>
      <p class="badges">
        ${stateBadge(c.state, labels, lang)} ${urgencyBadge(c.urgency, labels, lang)}
        ${c.erasure ? markup`<span class="badge erased">${t('erasure.badge', lang)}</span>` : ''}
      </p>
      <div class="record-actions">
        ${teamsLink(page.teamsCardUrl, lang)}
        ${
          page.canEdit && !c.erasure && !editing
            ? markup`<button type="button" class="button" data-action="edit-open">
                ${t('edit.open', lang)}
              </button>`
            : ''
        }
      </div>
      ${
        edit.step.kind === 'done' && !editing
          ? markup`<p class="success" role="status" data-testid="edit-done">
              ${t(edit.step.changed ? 'edit.done' : 'edit.unchanged', lang)}
            </p>`
          : ''
      }
    </header>
    ${
      c.erasure
        ? markup`${erasedBanner(c.erasure, labels, lang, erase.step.kind === 'done')}
          ${overviewCard(c, labels, lang)}`
        : editing
          ? markup`${overviewCard(c, labels, lang)} ${editSection(edit, lang)}`
          : personal(c, labels, lang, relatedSection(page, labels, lang))
    }
    <section class="card" aria-labelledby="h-timeline">
      <h2 id="h-timeline">${t('record.timeline', lang)}</h2>
      ${timeline(page.timeline, lang)}
    </section>
    ${c.erasure ? '' : similarSection(page.similar, lang)}
    <section class="card" aria-labelledby="h-destinations">
      <h2 id="h-destinations">${t('record.destinations', lang)}</h2>
      ${destinations(page.destinations, lang)}
    </section>
    ${page.canErase && !c.erasure ? eraseSection(c, erase, lang) : ''}
  </article>`;
}

/** An erased record: the overview that is kept, and a banner saying when and why the rest went. */
function erasedBanner(
  erasure: NonNullable<ConsultationFull['erasure']>,
  labels: Labels,
  lang: Lang,
  justNow: boolean,
): Html {
  const reason = labels.of('erasureReasons', erasure.reason, lang);
  return markup`<section class="panel erased-banner" data-testid="erased" aria-labelledby="h-erased">
    ${justNow ? markup`<p class="success" role="status">${t('erasure.done', lang)}</p>` : ''}
    <p id="h-erased" class="erased-title">
      ${t('erasure.banner', lang, { date: formatDay(erasure.at, lang), reason })}
    </p>
    <p class="muted">${t('erasure.bannerKept', lang)}</p>
  </section>`;
}

function overviewCard(c: ConsultationFull, labels: Labels, lang: Lang): Html {
  return markup`<section class="card" aria-labelledby="h-overview">
    <h2 id="h-overview">${t('record.overview', lang)}</h2>
    ${definitionList(overview(c, labels, lang))}
  </section>`;
}

/**
 * What a record says of the consulter and their situation (an erased record has none of
 * it), with the consulter's other records right after who they are.
 */
function personal(c: ConsultationFull, labels: Labels, lang: Lang, related: Html): Html {
  return markup`<div class="record-grid">
      ${overviewCard(c, labels, lang)}
      <section class="card" aria-labelledby="h-consulter">
        <h2 id="h-consulter">${t('record.consulter', lang)}</h2>
        ${definitionList(consulter(c, lang))}
      </section>
    </div>
    ${related}
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
    </section>`;
}

const MATCHED_BY: Record<string, TabKey> = {
  organisation: 'related.organisation',
  email: 'related.email',
  phone: 'related.phone',
};

/**
 * The same consulter's other records, newest first: each a link with its number and
 * subject, when it came, its state and category, and what makes it the same consulter.
 * None is said too, so that first-line staff know it is a first consultation; a record
 * with nothing to find them by says that instead.
 */
function relatedSection(page: RecordPage, labels: Labels, lang: Lang): Html {
  const { items, total } = page.related;
  const p = page.consultation.consulter;
  const more = total - items.length;
  const body = items.length
    ? markup`<ul class="related-list">
          ${items.map((r) => relatedItem(r, labels, lang))}
        </ul>
        <p class="related-more">
          <a href="${routeToHash({ view: 'list', filters: { ...EMPTY_FILTERS, sameAs: page.consultation.id } })}"
            >${more > 0 ? t('related.listMore', lang, { n: formatNumber(more) }) : t('related.list', lang)}</a
          >
        </p>`
    : markup`<p class="muted">
        ${t(p.organisation || p.email || p.phone ? 'related.none' : 'related.noKeys', lang)}
      </p>`;
  return markup`<section
    class="card related${items.length ? ' has-related' : ''}"
    aria-labelledby="h-related"
    data-testid="related"
  >
    <h2 id="h-related">${t('record.related', lang)}</h2>
    ${body}
  </section>`;
}

/**
 * Past cases of the category that read most alike, each a link with its number and
 * subject, when it was closed, how alike it is, and the start of its latest answer: how
 * the desk answered before, for answers of even quality.
 */
function similarSection(items: readonly SimilarItem[], lang: Lang): Html {
  return markup`<section class="card similar" aria-labelledby="h-similar" data-testid="similar">
    <h2 id="h-similar">${t('record.similar', lang)}</h2>
    <p class="hint">${t('similar.hint', lang)}</p>
    ${
      items.length
        ? markup`<ul class="similar-list">
            ${items.map((s) => similarItem(s, lang))}
          </ul>`
        : markup`<p class="muted">${t('similar.none', lang)}</p>`
    }
  </section>`;
}

function similarItem(s: SimilarItem, lang: Lang): Html {
  const href = routeToHash({ view: 'record', id: s.id });
  const answeredBy = t('similar.answeredBy', lang, {
    name: s.answer.author.name,
    line: t(s.answer.line === 'first' ? 'similar.line.first' : 'similar.line.second', lang),
    date: formatDate(s.answer.at),
  });
  return markup`<li class="similar-item">
    <a class="related-link" href="${href}"
      ><span class="related-number">${s.number}</span>
      <span class="related-subject">${s.subject}</span></a
    >
    <p class="related-facts">
      ${s.closedAt ? markup`<span>${t('similar.closed', lang, { date: formatDate(s.closedAt) })}</span>` : ''}
      <span class="chip">${t('similar.likeness', lang, { percent: Math.round(s.likeness * 100) })}</span>
    </p>
    <figure class="similar-answer">
      <blockquote class="prose">${s.answer.excerpt}${s.answer.truncated ? '…' : ''}</blockquote>
      <figcaption class="muted">
        ${answeredBy}
        ${s.answer.truncated ? markup` ・ <a href="${href}">${t('similar.readAll', lang)}</a>` : ''}
      </figcaption>
    </figure>
  </li>`;
}

function relatedItem(r: RelatedItem, labels: Labels, lang: Lang): Html {
  const matched = r.matchedBy.flatMap((k) => (MATCHED_BY[k] ? [MATCHED_BY[k]] : []));
  return markup`<li class="related-item">
    <a class="related-link" href="#/consultations/${r.id}"
      ><span class="related-number">${r.number}</span>
      <span class="related-subject"
        >${r.subject || markup`<span class="muted">${t('value.notGiven', lang)}</span>`}</span
      ></a
    >
    <p class="related-facts">
      <time datetime="${r.receivedAt}" title="${formatDateTimeLong(r.receivedAt, lang)}"
        >${t('related.received', lang, { date: formatDate(r.receivedAt) })}</time
      >
      ${stateBadge(r.state, labels, lang)}
      <span class="related-category">${labels.of('categories', r.categoryId, lang)}</span>
    </p>
    ${
      matched.length
        ? markup`<p class="chips">
            ${matched.map((key) => markup`<span class="chip">${t(key, lang)}</span>`)}
          </p>`
        : ''
    }
  </li>`;
}

const EDIT_GROUPS: ReadonlyArray<[TabKey, readonly EditField[]]> = [
  ['record.consulter', EDIT_FIELDS.filter((f) => f.startsWith('consulter.'))],
  ['edit.consultation', ['subject', 'details']],
  ['record.situation', EDIT_FIELDS.filter((f) => f.startsWith('situation.'))],
];

const LONG_TEXT: ReadonlySet<EditField> = new Set<EditField>([
  'details',
  'situation.whatHappened',
  'situation.systems',
  'situation.actionsTaken',
  'situation.contacted',
  'situation.evidence',
]);

const CHOICE: ReadonlySet<EditField> = new Set<EditField>([
  'situation.ongoing',
  'situation.dataAtRisk',
]);

const INPUT_TYPE: Partial<Record<EditField, string>> = {
  'consulter.email': 'email',
  'consulter.phone': 'tel',
};

/** The id of a field's input (`edit-consulter-email`). */
export const editInputId = (f: EditField): string => `edit-${f.replace('.', '-')}`;

/**
 * The form to correct what was recorded, in place of what it corrects: every field as
 * the record has it (or as typed), the errors and the other person's corrections under
 * their fields, and whatever else went wrong below.
 */
function editSection(edit: EditForm, lang: Lang): Html {
  const failure =
    edit.step.kind === 'failed' || edit.step.kind === 'merged' ? edit.step.failure : null;
  const fieldErrors = edit.step.kind === 'failed' ? (failure?.fields ?? {}) : {};
  const named = EDIT_FIELDS.filter((f) => fieldErrors[f]);
  const working = edit.step.kind === 'working';
  const notice =
    edit.restored && edit.step.kind === 'idle'
      ? // No space around the text: a caution keeps its line breaks (pre-wrap).
        markup`<p class="caution" role="status" data-testid="edit-restored">${t('edit.restored', lang)}</p>`
      : edit.step.kind === 'merged'
        ? markup`<div class="panel caution-panel" role="alert">
          <p>${t('edit.merged', lang)}</p>
          ${failure?.message ? markup`<p class="muted">${pick(failure.message, lang)}</p>` : ''}
        </div>`
        : named.length
          ? markup`<p class="error-inline" role="alert">${t('edit.invalid', lang)}</p>`
          : '';
  return markup`<section class="card edit" aria-labelledby="h-edit" data-testid="edit">
    <h2 id="h-edit" tabindex="-1">${t('edit.heading', lang)}</h2>
    <p class="hint">${t('edit.intro', lang)}</p>
    ${notice}
    <form data-form="edit" novalidate>
      ${EDIT_GROUPS.map(
        ([legend, fields]) => markup`<fieldset class="edit-group">
          <legend>${t(legend, lang)}</legend>
          ${fields.map((f) => editField(f, edit, fieldErrors[f], lang))}
        </fieldset>`,
      )}
      <div class="actions">
        <button type="submit" class="button primary" ${working ? markup` disabled` : ''}>
          ${t('edit.save', lang)}
        </button>
        <button type="button" class="button" data-action="edit-cancel">
          ${t('edit.cancel', lang)}
        </button>
      </div>
      <div aria-live="polite">
        ${working ? markup`<p class="muted" role="status">${t('edit.working', lang)}</p>` : ''}
        ${failure && edit.step.kind === 'failed' && !named.length ? failurePanel(failure, lang) : ''}
      </div>
    </form>
  </section>`;
}

function editField(f: EditField, edit: EditForm, error: Localized | undefined, lang: Lang): Html {
  const id = editInputId(f);
  const value = edit.values[f] ?? '';
  const caution = edit.cautions[f];
  const notes = [error ? `${id}-error` : '', caution !== undefined ? `${id}-caution` : '']
    .filter(Boolean)
    .join(' ');
  const described = notes ? markup` aria-describedby="${notes}"` : '';
  const invalid = error ? markup` aria-invalid="true"` : '';
  const input = CHOICE.has(f)
    ? markup`<select id="${id}" name="${f}"${invalid}${described}>
        ${(['unknown', 'yes', 'no'] as const).map(
          (v) =>
            markup`<option value="${v}"${value === v || (!value && v === 'unknown') ? markup` selected` : ''}>${t(TRISTATE[v]!, lang)}</option>`,
        )}
      </select>`
    : LONG_TEXT.has(f)
      ? markup`<textarea id="${id}" name="${f}" rows="${f === 'details' ? 8 : 3}"${invalid}${described}>${value}</textarea>`
      : markup`<input
          type="${INPUT_TYPE[f] ?? 'text'}"
          id="${id}"
          name="${f}"
          value="${value}"
          ${f === 'consulter.employees' ? markup`inputmode="numeric"` : ''}
          autocomplete="off"${invalid}${described}
        />`;
  const wide = LONG_TEXT.has(f) || f === 'subject';
  return markup`<div class="field${wide ? ' field-wide' : ''}">
    <label for="${id}">${pick(fieldLabel(f), lang)}</label>
    ${input}
    ${error ? markup`<p class="error-inline" id="${id}-error">${pick(error, lang)}</p>` : ''}
    ${
      caution !== undefined
        ? markup`<p class="caution" id="${id}-caution">${
            caution ? t('edit.theirs', lang, { value: caution }) : t('edit.theirsEmpty', lang)
          }</p>`
        : ''
    }
  </div>`;
}

/**
 * A supervisor's way to erase a closed record's personal data: a button, then what goes
 * and what stays, and the record's number to type. A wrong number is said next to the
 * field, with what was typed kept.
 */
function eraseSection(c: ConsultationFull, erase: EraseForm, lang: Lang): Html {
  const intro = markup`<h2 id="h-erase">${t('erasure.heading', lang)}</h2>
    <p>${t('erasure.intro', lang)}</p>`;
  if (!erase.open) {
    return markup`<section class="card erase" aria-labelledby="h-erase">
      ${intro}
      <button type="button" class="button danger" data-action="erase-open">
        ${t('erasure.open', lang)}
      </button>
    </section>`;
  }
  const failure = erase.step.kind === 'failed' ? erase.step.failure : null;
  const fieldError = failure?.fields?.confirmNumber;
  const working = erase.step.kind === 'working';
  return markup`<section class="card erase open" aria-labelledby="h-erase">
    ${intro}
    <dl class="erase-scope">
      <dt>${t('erasure.erasedList', lang)}</dt>
      <dd>${t('erasure.erased', lang)}</dd>
      <dt>${t('erasure.keptList', lang)}</dt>
      <dd>${t('erasure.kept', lang)}</dd>
    </dl>
    <form data-form="erase" novalidate>
      <div class="field">
        <label for="erase-number">${t('erasure.confirmLabel', lang, { number: c.number })}</label>
        ${fieldError ? markup`<p class="error-inline" id="erase-number-error">${pick(fieldError, lang)}</p>` : ''}
        <input
          type="text"
          id="erase-number"
          name="confirmNumber"
          value="${erase.typed}"
          autocomplete="off"
          spellcheck="false"
          required
          ${fieldError ? markup` aria-invalid="true" aria-describedby="erase-number-error"` : ''}
        />
      </div>
      <div class="actions">
        <button type="submit" class="button danger" ${working ? markup` disabled` : ''}>
          ${t('erasure.submit', lang)}
        </button>
        <button type="button" class="button" data-action="erase-cancel">
          ${t('erasure.cancel', lang)}
        </button>
      </div>
      <div aria-live="polite">
        ${working ? markup`<p class="muted" role="status">${t('erasure.working', lang)}</p>` : ''}
        ${failure && !fieldError ? failurePanel(failure, lang) : ''}
      </div>
    </form>
  </section>`;
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
  if (c.erasure) {
    rows.push([t('erasure.at', lang), time(c.erasure.at, lang)]);
    rows.push([t('erasure.reason', lang), labels.of('erasureReasons', c.erasure.reason, lang)]);
  }
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
          ${changes(e, lang)}
          ${detail(e, 'contentErased') === true ? markup`<p class="muted entry-erased">${t('timeline.contentErased', lang)}</p>` : ''}
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

/** A correction's fields, each as it was and as it is now. */
function changes(e: TimelineEntry, lang: Lang): Html | '' {
  const list = detail(e, 'changes');
  if (!Array.isArray(list) || list.length === 0) return '';
  const rows = list.flatMap((c: { label?: unknown; before?: unknown; after?: unknown }) => {
    const [label, before, after] = [localized(c.label), localized(c.before), localized(c.after)];
    return label && before && after ? [{ label, before, after }] : [];
  });
  return markup`<dl class="entry-changes">
    ${rows.map(
      (r) =>
        markup`<dt>${pick(r.label, lang)}</dt>
          <dd><span class="was">${pick(r.before, lang)}</span> → <span class="now">${pick(r.after, lang)}</span></dd>`,
    )}
  </dl>`;
}

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
