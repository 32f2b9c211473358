/** Pieces every view uses: the server's labels, badges, loading and error panels. */
import type { Failure, LedgerMeta, Labelled } from '../api';
import { formatDateTime, formatDateTimeLong } from '../format';
import { markup, type Html } from '../html';
import { pick, t, type Lang, type TabKey } from '../messages';

export type LabelKind =
  'states' | 'channels' | 'urgencies' | 'categories' | 'erasureReasons' | 'handlings';

/** The names of states, channels, urgencies, categories and the like, as the server gave them. */
export class Labels {
  private readonly byKind: Record<LabelKind, Map<string, Labelled>>;

  constructor(readonly meta: LedgerMeta) {
    const index = (list: Labelled[] | undefined) => new Map((list ?? []).map((l) => [l.id, l]));
    this.byKind = {
      states: index(meta.labels.states),
      channels: index(meta.labels.channels),
      urgencies: index(meta.labels.urgencies),
      categories: index(meta.labels.categories),
      erasureReasons: index(meta.labels.erasureReasons),
      handlings: index(meta.labels.handlings),
    };
  }

  of(kind: LabelKind, id: string, lang: Lang): string {
    return pick(this.byKind[kind].get(id)?.label, lang, id);
  }

  list(kind: LabelKind): Labelled[] {
    return [...this.byKind[kind].values()];
  }
}

/** Urgency as a coloured badge that also says it in words (colour is never the only sign). */
export function urgencyBadge(urgency: string, labels: Labels, lang: Lang): Html {
  return markup`<span class="badge urgency urgency-${urgency}"
    >${labels.of('urgencies', urgency, lang)}</span
  >`;
}

export function stateBadge(state: string, labels: Labels, lang: Lang): Html {
  return markup`<span class="badge state state-${state}">${labels.of('states', state, lang)}</span>`;
}

/** A Tokyo date and time that screen readers and tooltips get in full. */
export function time(iso: string, lang: Lang): Html {
  return markup`<time datetime="${iso}" title="${formatDateTimeLong(iso, lang)}"
    >${formatDateTime(iso)}</time
  >`;
}

export function loading(lang: Lang): Html {
  return markup`<div class="panel loading" role="status" aria-live="polite">
    <span class="spinner" aria-hidden="true"></span>${t('state.loading', lang)}
  </div>`;
}

const FAILURE_TEXT: Record<Failure['kind'], TabKey> = {
  network: 'error.network',
  signedOut: 'error.signedOut',
  forbidden: 'error.forbidden',
  notFound: 'error.notFound',
  validation: 'error.validation',
  conflict: 'error.conflict',
  unavailable: 'error.unavailable',
  server: 'error.server',
};

/**
 * What went wrong, in the user's language, with the way out: try again, or sign in again.
 * A validation error lists the server's message for each field.
 */
export function failurePanel(failure: Failure, lang: Lang): Html {
  const own = t(FAILURE_TEXT[failure.kind], lang);
  const server = failure.message && failure.kind !== 'network' ? pick(failure.message, lang) : '';
  const fields = Object.entries(failure.fields ?? {});
  const action =
    failure.kind === 'signedOut'
      ? markup`<button type="button" class="button primary" data-action="sign-in">
          ${t('error.signIn', lang)}
        </button>`
      : failure.kind === 'forbidden'
        ? ''
        : markup`<button type="button" class="button primary" data-action="retry">
            ${t('error.retry', lang)}
          </button>`;
  return markup`<div class="panel error" role="alert" data-failure="${failure.kind}">
    <p class="error-title">${own}</p>
    ${server && server !== own ? markup`<p>${server}</p>` : ''}
    ${
      fields.length
        ? markup`<ul class="field-errors">
            ${fields.map(([, m]) => markup`<li>${pick(m, lang)}</li>`)}
          </ul>`
        : ''
    }
    ${failure.requestId ? markup`<p class="muted">${t('error.reference', lang, { id: failure.requestId })}</p>` : ''}
    ${action}
  </div>`;
}

/** `<option>`s for a select whose first choice is 「すべて」. */
export function options(
  choices: ReadonlyArray<{ value: string; text: string }>,
  selected: string,
  lang: Lang,
): Html {
  return markup`<option value="">${t('filter.all', lang)}</option>
    ${choices.map(
      (c) =>
        markup`<option value="${c.value}" ${c.value === selected ? markup` selected` : ''}>
          ${c.text}
        </option>`,
    )}`;
}
