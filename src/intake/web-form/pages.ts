/**
 * The web form's pages, as pure functions from a model to an HTML string. Every value
 * goes through `markup` (escaped); the pages work without JavaScript, at 320 px, with a
 * keyboard and a screen reader (labels, fieldsets with legends, hints and errors tied to
 * their fields, an error summary that takes focus).
 */
import { CATEGORIES, destinationById } from '../../knowledge/knowledge';
import { URGENCIES } from '../../consultation/types';
import {
  CATEGORY_UNKNOWN,
  FIELDS,
  HONEYPOT_FIELD,
  LABELS,
  MAX_LENGTH,
  type Field,
  type FieldErrors,
  type FormValues,
} from './form';
import { markup, raw, type Html } from './html';
import { errorCount, pageTitle, URGENCY_CHOICES, W, type Lang, type Localized } from './messages';
import {
  MUNICIPALITIES,
  MUNICIPALITY_KINDS,
  OUTSIDE_TOKYO,
  type MunicipalityKind,
} from './municipalities';
import { APP_PRIVACY, APP_TERMS, type Notice } from './app-notices';
import { PRIVACY_INTRO, PRIVACY_SECTIONS } from './privacy';

/** Where the pages live. */
export const PATHS = {
  form: '/consult',
  privacy: '/consult/privacy',
  received: '/consult/received',
  /** The Teams app's privacy statement and terms of use (its package names them). */
  appPrivacy: '/privacy',
  appTerms: '/terms',
} as const;

/** What every page needs besides its own content. */
export interface PageFrame {
  lang: Lang;
  /** The stylesheet's address (versioned so a cached copy is never stale). */
  stylesheet: string;
}

/** A path in the given language (Japanese is the default and needs no parameter). */
export function inLang(path: string, lang: Lang, params: Record<string, string> = {}): string {
  const query = new URLSearchParams({ ...params, ...(lang === 'en' ? { lang: 'en' } : {}) });
  const q = query.toString();
  return q ? `${path}?${q}` : path;
}

const other = (lang: Lang): Lang => (lang === 'ja' ? 'en' : 'ja');

function layout(
  frame: PageFrame,
  opts: {
    title: Localized;
    hasErrors?: boolean;
    /** The same page in the other language. */
    switchHref: string;
    main: Html;
  },
): string {
  const { lang } = frame;
  return markup`<!DOCTYPE html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${pageTitle(opts.title, lang, opts.hasErrors)}</title>
<link rel="stylesheet" href="${frame.stylesheet}">
</head>
<body>
<a class="skip-link" href="#main">${W.skipToContent[lang]}</a>
<header class="site-header">
  <div class="container header-row">
    <p class="desk-name">${W.deskName[lang]}</p>
    <a class="lang-switch" href="${opts.switchHref}" lang="${other(lang)}" hreflang="${other(lang)}">${W.switchLanguage[lang]}</a>
  </div>
</header>
<main id="main" class="container" tabindex="-1">
${opts.main}
</main>
<footer class="site-footer">
  <div class="container">
    <a href="${inLang(PATHS.privacy, lang)}">${W.privacyLink[lang]}</a>
  </div>
</footer>
</body>
</html>
`.value;
}

// ---- the form ---------------------------------------------------------------------

export interface FormPageModel {
  values: FormValues;
  errors: FieldErrors;
  /** A message about the whole submission (the database is down, too many sends, …). */
  notice?: Localized | null;
  csrfToken: string;
  formId: string;
}

/** The consultation form, empty or as the consulter filled it in, with any errors. */
export function formPage(frame: PageFrame, model: FormPageModel): string {
  const { lang } = frame;
  const errorFields = FIELDS.filter((f) => model.errors[f]);
  const hasErrors = errorFields.length > 0 || !!model.notice;
  const field = new FieldWriter(lang, model.values, model.errors);

  const main = markup`
<h1>${W.formTitle[lang]}</h1>
${alertBox(lang, errorFields, model.errors, model.notice ?? null)}
<p>${W.formIntro[lang]}</p>
<p class="hint">${W.formRequiredNote[lang]}</p>
<form method="post" action="${inLang(PATHS.form, lang)}" novalidate accept-charset="utf-8">
<input type="hidden" name="csrf" value="${model.csrfToken}">
<input type="hidden" name="formId" value="${model.formId}">
<input type="hidden" name="lang" value="${lang}">
<div class="hp" aria-hidden="true">
  <label for="f-${HONEYPOT_FIELD}">${W.honeypot[lang]}</label>
  <input type="text" id="f-${HONEYPOT_FIELD}" name="${HONEYPOT_FIELD}" value="" tabindex="-1" autocomplete="off">
</div>

<fieldset class="section">
<legend><h2>${W.sectionConsulter[lang]}</h2></legend>
${field.text('organisation', { autocomplete: 'organization', hint: W.organisationHint })}
${field.text('person', { autocomplete: 'name', required: true })}
${field.text('email', { type: 'email', autocomplete: 'email', hint: W.emailHint, spellcheck: false })}
${field.text('phone', { type: 'tel', autocomplete: 'tel', hint: W.phoneHint })}
${field.text('industry', { hint: W.industryHint })}
${field.text('employees', { inputmode: 'numeric', hint: W.employeesHint, narrow: true })}
${field.select('municipality', municipalityOptions(lang, model.values.municipality))}
</fieldset>

<fieldset class="section">
<legend><h2>${W.sectionConsultation[lang]}</h2></legend>
${field.select('category', categoryOptions(lang, model.values.category), W.categoryHint)}
${field.radios(
  'urgency',
  URGENCIES.map((u) => ({ value: u, label: URGENCY_CHOICES[u] })),
)}
${field.textarea('details', { rows: 8, required: true, hint: W.detailsHint })}
</fieldset>

<fieldset class="section">
<legend><h2>${W.sectionSituation[lang]}</h2></legend>
<p class="hint">${W.sectionSituationHint[lang]}</p>
${field.textarea('whatHappened', { rows: 3 })}
${field.text('since')}
${field.radios('ongoing', TRISTATE_CHOICES)}
${field.textarea('systems', { rows: 3 })}
${field.radios('dataAtRisk', TRISTATE_CHOICES)}
${field.textarea('actionsTaken', { rows: 3 })}
${field.textarea('contacted', { rows: 3 })}
${field.textarea('evidence', { rows: 3 })}
</fieldset>

<fieldset class="section">
<legend><h2>${W.sectionConsent[lang]}</h2></legend>
<p><a href="${inLang(PATHS.privacy, lang)}" target="_blank" rel="noopener">${W.privacyLink[lang]}${W.opensInNewTab[lang]}</a></p>
${field.checkbox('consent')}
</fieldset>

<button type="submit" class="button">${W.submit[lang]}</button>
</form>`;

  return layout(frame, {
    title: W.formTitle,
    hasErrors,
    switchHref: inLang(PATHS.form, other(lang)),
    main,
  });
}

const TRISTATE_CHOICES = [
  { value: 'yes', label: W.yes },
  { value: 'no', label: W.no },
  { value: 'unknown', label: W.unknown },
];

/**
 * The box at the top: the list of fields to fix (each a link to its field), or a message
 * about the whole submission. It takes focus when the page loads, so a screen reader
 * reads it first and a keyboard starts from it.
 */
function alertBox(
  lang: Lang,
  fields: readonly Field[],
  errors: FieldErrors,
  notice: Localized | null,
): Html | null {
  if (fields.length === 0 && !notice) return null;
  return markup`<div class="alert" role="alert" aria-labelledby="alert-title" tabindex="-1" autofocus>
<h2 id="alert-title">${fields.length > 0 ? `${W.summaryTitle[lang]}${errorCount(fields.length, lang)}` : W.summaryTitle[lang]}</h2>
${notice ? markup`<p>${notice[lang]}</p>` : null}
${
  fields.length > 0
    ? markup`<ul>${fields.map((f) => markup`<li><a href="#f-${f}">${errors[f]![lang]}</a></li>`)}</ul>`
    : null
}
</div>`;
}

interface Choice {
  value: string;
  label: Localized;
}

interface TextOptions {
  type?: 'text' | 'email' | 'tel';
  autocomplete?: string;
  inputmode?: 'numeric';
  hint?: Localized;
  required?: boolean;
  spellcheck?: boolean;
  /** A short input (a number). */
  narrow?: boolean;
}

/** Writes one field: label, hint, error and control, tied together by ids. */
class FieldWriter {
  constructor(
    private readonly lang: Lang,
    private readonly values: FormValues,
    private readonly errors: FieldErrors,
  ) {}

  text(f: Field, o: TextOptions = {}): Html {
    const a = this.aria(f, o.hint);
    return this.group(
      f,
      markup`${this.label(f, o.required)}${this.hint(f, o.hint)}${this.error(f)}
<input class="input${o.narrow ? ' narrow' : ''}${a.invalid ? ' invalid' : ''}" type="${o.type ?? 'text'}" id="f-${f}" name="${f}" value="${this.values[f]}" maxlength="${MAX_LENGTH[f]}"${o.autocomplete ? markup` autocomplete="${o.autocomplete}"` : null}${o.inputmode ? markup` inputmode="${o.inputmode}"` : null}${o.spellcheck === false ? raw(' spellcheck="false"') : null}${o.required ? raw(' required aria-required="true"') : null}${a.attributes}>`,
    );
  }

  textarea(f: Field, o: { rows: number; required?: boolean; hint?: Localized }): Html {
    const a = this.aria(f, o.hint);
    // The parser drops one newline straight after <textarea>: writing one keeps a value
    // that itself starts with a newline intact.
    return this.group(
      f,
      markup`${this.label(f, o.required)}${this.hint(f, o.hint)}${this.error(f)}
<textarea class="input${a.invalid ? ' invalid' : ''}" id="f-${f}" name="${f}" rows="${o.rows}" maxlength="${MAX_LENGTH[f]}"${o.required ? raw(' required aria-required="true"') : null}${a.attributes}>
${this.values[f]}</textarea>`,
    );
  }

  select(f: Field, options: Html, hint?: Localized): Html {
    const a = this.aria(f, hint);
    return this.group(
      f,
      markup`${this.label(f)}${this.hint(f, hint)}${this.error(f)}
<select class="input${a.invalid ? ' invalid' : ''}" id="f-${f}" name="${f}"${a.attributes}>${options}</select>`,
    );
  }

  /** A group of radio buttons: a fieldset whose legend is the question. */
  radios(f: Field, choices: readonly Choice[]): Html {
    const error = this.errors[f];
    const lang = this.lang;
    const current = this.values[f];
    return markup`<div class="field${error ? ' has-error' : ''}">
<fieldset class="radios"${error ? markup` aria-describedby="f-${f}-error"` : null}>
<legend>${LABELS[f][lang]}</legend>
${this.error(f)}
${choices.map(
  (c, i) => markup`<div class="radio">
<input type="radio" id="${i === 0 ? `f-${f}` : `f-${f}-${c.value}`}" name="${f}" value="${c.value}"${c.value === current ? raw(' checked') : null}>
<label for="${i === 0 ? `f-${f}` : `f-${f}-${c.value}`}">${c.label[lang]}</label>
</div>`,
)}
</fieldset>
</div>`;
  }

  checkbox(f: Field): Html {
    const a = this.aria(f);
    return this.group(
      f,
      markup`${this.error(f)}<div class="checkbox">
<input type="checkbox" id="f-${f}" name="${f}" value="yes"${this.values[f] === 'yes' ? raw(' checked') : null} required aria-required="true"${a.attributes}>
<label for="f-${f}">${LABELS[f][this.lang]} <span class="tag required">${W.required[this.lang]}</span></label>
</div>`,
    );
  }

  private group(f: Field, inner: Html): Html {
    return markup`<div class="field${this.errors[f] ? ' has-error' : ''}">
${inner}
</div>`;
  }

  private label(f: Field, required = false): Html {
    const lang = this.lang;
    return markup`<label class="label" for="f-${f}">${LABELS[f][lang]}${required ? markup` <span class="tag required">${W.required[lang]}</span>` : null}</label>`;
  }

  private hint(f: Field, hint?: Localized): Html | null {
    return hint ? markup`<p class="hint" id="f-${f}-hint">${hint[this.lang]}</p>` : null;
  }

  private error(f: Field): Html | null {
    const e = this.errors[f];
    if (!e) return null;
    return markup`<p class="error-message" id="f-${f}-error"><span class="visually-hidden">${W.errorPrefix[this.lang]}</span>${e[this.lang]}</p>`;
  }

  private aria(f: Field, hint?: Localized): { invalid: boolean; attributes: Html } {
    const invalid = !!this.errors[f];
    const described = [hint ? `f-${f}-hint` : null, invalid ? `f-${f}-error` : null].filter(
      (x): x is string => x !== null,
    );
    return {
      invalid,
      attributes: markup`${described.length ? markup` aria-describedby="${described.join(' ')}"` : null}${invalid ? raw(' aria-invalid="true"') : null}`,
    };
  }
}

function option(value: string, label: string, current: string): Html {
  return markup`<option value="${value}"${value === current ? raw(' selected') : null}>${label}</option>`;
}

function municipalityOptions(lang: Lang, current: string): Html {
  const kinds: MunicipalityKind[] = ['ward', 'city', 'town', 'village'];
  return markup`${option('', W.municipalityNone[lang], current)}
${kinds.map(
  (k) =>
    markup`<optgroup label="${MUNICIPALITY_KINDS[k][lang]}">${MUNICIPALITIES.filter((m) => m.kind === k).map((m) => option(m.code, m.name[lang], current))}</optgroup>`,
)}
${option(OUTSIDE_TOKYO.code, OUTSIDE_TOKYO.name[lang], current)}`;
}

function categoryOptions(lang: Lang, current: string): Html {
  return markup`${option(CATEGORY_UNKNOWN, W.categoryUnknown[lang], current)}
${CATEGORIES.map((c) => option(c.id, c[lang], current))}`;
}

// ---- after sending --------------------------------------------------------------------

/** The page after a consultation was received: its number and what happens next. */
export function receivedPage(
  frame: PageFrame,
  model: {
    number: string | null;
    /** The page's own query (the number and its signature), for the language switch. */
    query: Record<string, string>;
  },
): string {
  const { lang } = frame;
  const main = markup`
<div class="panel" role="status">
<h1>${W.thanksTitle[lang]}</h1>
${
  model.number
    ? markup`<p class="number-label">${W.thanksNumber[lang]}</p>
<p class="number"><strong>${model.number}</strong></p>
<p>${W.thanksKeepNumber[lang]}</p>`
    : markup`<p>${W.thanksNoNumber[lang]}</p>`
}
</div>
<h2>${W.thanksNextTitle[lang]}</h2>
<ol class="steps">
<li>${W.thanksStep1[lang]}</li>
<li>${W.thanksStep2[lang]}</li>
<li>${W.thanksStep3[lang]}</li>
</ol>
${urgentBox(lang)}
<p><a href="${inLang(PATHS.form, lang)}">${W.newConsultation[lang]}</a></p>`;
  return layout(frame, {
    title: W.thanksTitle,
    switchHref: inLang(PATHS.received, other(lang), model.query),
    main,
  });
}

/** What to do while waiting when it is urgent, with the desk's phone from the knowledge base. */
function urgentBox(lang: Lang): Html {
  return markup`<section class="note" aria-labelledby="urgent-title">
<h2 id="urgent-title">${W.urgentTitle[lang]}</h2>
<p>${W.urgentAdvice[lang]}</p>
${phoneLine(lang)}
<p>${W.urgentCrime[lang]}</p>
</section>`;
}

function phoneLine(lang: Lang): Html | null {
  const desk = destinationById('tokyo-desk');
  if (!desk?.tel) return null;
  const tel = desk.tel.replace(/[^\d+]/g, '');
  const [colon, open, close] = lang === 'ja' ? ['：', '（', '）'] : [': ', ' (', ')'];
  return markup`<p>${W.callUs[lang]}${colon}<a href="tel:${tel}">${desk.tel}</a>${desk.hours ? markup`${open}${desk.hours[lang]}${close}` : null}</p>`;
}

// ---- the privacy notice -----------------------------------------------------------------

export function privacyPage(frame: PageFrame): string {
  return noticePage(
    frame,
    { title: W.privacyTitle, intro: PRIVACY_INTRO, sections: PRIVACY_SECTIONS },
    PATHS.privacy,
    markup`<p><a href="${inLang(PATHS.form, frame.lang)}">${W.backToForm[frame.lang]}</a></p>`,
  );
}

/**
 * The Teams app's privacy statement (for the people who use it at the desk) or its terms
 * of use, each linking to the other.
 */
export function appNoticePage(frame: PageFrame, which: 'privacy' | 'terms'): string {
  const privacy = { notice: APP_PRIVACY, path: PATHS.appPrivacy };
  const terms = { notice: APP_TERMS, path: PATHS.appTerms };
  const [page, other] = which === 'privacy' ? [privacy, terms] : [terms, privacy];
  const { lang } = frame;
  return noticePage(
    frame,
    page.notice,
    page.path,
    markup`<p><a href="${inLang(other.path, lang)}">${other.notice.title[lang]}</a></p>`,
  );
}

/** A notice: its title, introduction and numbered sections, then `after`. */
function noticePage(frame: PageFrame, notice: Notice, path: string, after: Html): string {
  const { lang } = frame;
  const main = markup`
<h1>${notice.title[lang]}</h1>
<p>${notice.intro[lang]}</p>
${notice.sections.map(
  (s) => markup`<section>
<h2>${s.heading[lang]}</h2>
${s.paragraphs.map((p) => markup`<p>${p[lang]}</p>`)}
${s.items ? markup`<ul>${s.items.map((i) => markup`<li>${i[lang]}</li>`)}</ul>` : null}
</section>`,
)}
${after}`;
  return layout(frame, { title: notice.title, switchHref: inLang(path, other(lang)), main });
}

// ---- errors ---------------------------------------------------------------------------

export interface ErrorPageModel {
  title: Localized;
  message: Localized;
}

/** A page for a request that could not be served (refused, too large, not found, …). */
export function errorPage(frame: PageFrame, model: ErrorPageModel): string {
  const { lang } = frame;
  const main = markup`
<div class="alert" role="alert" aria-labelledby="alert-title" tabindex="-1" autofocus>
<h1 id="alert-title">${model.title[lang]}</h1>
<p>${model.message[lang]}</p>
</div>
${phoneLine(lang)}
<p><a href="${inLang(PATHS.form, lang)}">${W.backToForm[lang]}</a></p>`;
  return layout(frame, {
    title: model.title,
    hasErrors: true,
    switchHref: inLang(PATHS.form, other(lang)),
    main,
  });
}
