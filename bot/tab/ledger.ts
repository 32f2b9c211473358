/**
 * The ledger tab (相談台帳): wiring only. Views are pure functions in views/; this file
 * signs in, keeps the page's state, fetches, puts the views' HTML into the page and
 * answers clicks and form submissions. The address's hash is the route.
 */
import {
  EDIT_FIELDS,
  editValues,
  fingerprint,
  fingerprints,
  mergeEdit,
  type EditField,
  type EditValues,
} from '../../src/consultation/correction';
import { signIn, type LocalUser, type Session } from '../../src/web-client/sign-in';
import {
  failureFromError,
  LedgerApi,
  type Download,
  type Failure,
  type LedgerMeta,
  type RecordPage,
} from './api';
import { destroyCharts, drawCharts } from './charts';
import { addMonths, isDay, isMonth, tokyoDay, tokyoMonth } from './format';
import { detectHost, notifyLoaded, type Host } from './host';
import { markup, toString, type Html } from './html';
import { pickLang } from './lang';
import { t, type Lang } from './messages';
import {
  EMPTY_FILTERS,
  filtersToApiQuery,
  parseFilters,
  parseHash,
  routeFromSubPage,
  routeToHash,
  type Filters,
  type Route,
} from './route';
import { failurePanel, Labels, loading } from './views/common';
import { CASE_FIELDS, exportView, type ExportState } from './views/export';
import { listResults, listView, PAGE_SIZE } from './views/list';
import {
  EDIT_CLOSED,
  ERASE_CLOSED,
  editInputId,
  recordView,
  type EditForm,
  type EraseForm,
} from './views/record';
import { shellHeader, type ViewName } from './views/shell';
import { chooseUserView } from './views/sign-in';
import { chartSpecs, statsBody, statsView } from './views/stats';

const LANG_KEY = 'madoguchi.ledger.lang';

interface Page {
  lang: Lang;
  host: Host;
  session: Session | null;
  api: LedgerApi | null;
  meta: LedgerMeta | null;
  labels: Labels | null;
  route: Route;
  /** The list's last address: 一覧 and 一覧に戻る return to it. */
  listHash: string;
  /** Increases with every navigation; answers to older requests are dropped. */
  generation: number;
  exportState: ExportState;
  /** The record shown, as last read or as the erasure answered it. */
  record: RecordPage | null;
  /** The record's erase form (supervisors). */
  erase: EraseForm;
  /** The record's correction form, and the save it last sent (a retry sends the same id). */
  edit: EditForm;
  editSent: { values: string; requestId: string } | null;
  /**
   * Corrections left unsaved when the person went to another page, by record: the form
   * comes back as typed when they return (kept in this page only, never stored).
   */
  drafts: Map<number, EditForm>;
}

const page: Page = {
  lang: 'ja',
  host: {
    inTeams: false,
    locale: null,
    theme: null,
    subPageId: null,
    openLink: () => undefined,
    onThemeChange: () => undefined,
  },
  session: null,
  api: null,
  meta: null,
  labels: null,
  route: { view: 'list', filters: EMPTY_FILTERS },
  listHash: '#/list',
  generation: 0,
  exportState: initialExportState(),
  record: null,
  erase: { ...ERASE_CLOSED },
  edit: { ...EDIT_CLOSED },
  editSent: null,
  drafts: new Map(),
};

function initialExportState(): ExportState {
  const today = tokyoDay(new Date());
  return {
    csv: { from: `${today.slice(0, 8)}01`, to: today, step: { kind: 'idle' } },
    history: { kind: 'idle' },
    casebook: {
      q: '',
      from: '',
      to: '',
      found: { kind: 'idle' },
      chosen: [],
      review: [],
      preview: { kind: 'idle' },
      exported: { kind: 'idle' },
    },
  };
}

const $ = <T extends HTMLElement = HTMLElement>(selector: string): T | null =>
  document.querySelector<T>(selector);

function put(target: HTMLElement | null, content: Html): void {
  if (!target) return;
  // Keep the focus where it was when the element is drawn again (a filter, a field).
  const focusedId = document.activeElement instanceof HTMLElement ? document.activeElement.id : '';
  target.innerHTML = toString(content);
  if (focusedId && !document.activeElement?.id) document.getElementById(focusedId)?.focus();
}

const failureOf = (err: unknown): Failure => failureFromError(err);

// ---------------------------------------------------------------- start

async function boot(): Promise<void> {
  page.host = await detectHost();
  page.lang = pickLang({
    chosen: readStoredLang(),
    hostLocale: page.host.locale,
    browser: navigator.languages,
  });
  applyTheme(page.host.theme);
  page.host.onThemeChange(applyTheme);
  // Outside a host (or before it says), the system's scheme decides, and may change.
  systemDark?.addEventListener('change', () => applyTheme(hostTheme));
  applyLang();
  const sub = routeFromSubPage(page.host.subPageId ?? undefined);
  if (sub !== null && !location.hash) history.replaceState(null, '', routeToHash(sub));
  window.addEventListener('hashchange', () => void show(true));
  document.addEventListener('click', onClick);
  document.addEventListener('submit', onSubmit);
  document.addEventListener('change', onChange);
  document.addEventListener('input', onInput);
  await start();
  notifyLoaded(page.host);
}

/** Signs in and reads the meta; on failure, says why and offers to try again. */
async function start(): Promise<void> {
  renderHeader();
  put($('#main'), loading(page.lang));
  let session: Session;
  try {
    session = await signIn({ inHost: page.host.inTeams, chooseLocalUser });
  } catch (err) {
    const failure = failureOf(err);
    put(
      $('#main'),
      failurePanel(
        failure.kind === 'network' ? failure : { ...failure, kind: 'signedOut' },
        page.lang,
      ),
    );
    return;
  }
  page.session = session;
  page.api = new LedgerApi({ call: (path, opts) => session.call(path, opts) });
  try {
    page.meta = await page.api.meta();
    page.labels = new Labels(page.meta);
  } catch (err) {
    renderHeader();
    put($('#main'), failurePanel(failureOf(err), page.lang));
    return;
  }
  await show(false);
}

/** Local mode in a plain browser: the person picks whom to be (a configured Playground user). */
function chooseLocalUser(users: LocalUser[]): Promise<string> {
  put($('#main'), chooseUserView(users, page.lang));
  return new Promise((resolve) => {
    const main = $('#main');
    const onPick = (event: MouseEvent) => {
      const button = event.target instanceof Element ? event.target.closest('[data-user]') : null;
      const id = button?.getAttribute('data-user');
      if (!id) return;
      main?.removeEventListener('click', onPick);
      put(main, loading(page.lang));
      resolve(id);
    };
    main?.addEventListener('click', onPick);
  });
}

function readStoredLang(): string | null {
  try {
    return localStorage.getItem(LANG_KEY);
  } catch {
    return null; // Storage refused (a sandboxed frame): the host's locale decides.
  }
}

function applyLang(): void {
  document.documentElement.lang = page.lang;
  document.title = t('app.title', page.lang);
  const skip = $('#skip');
  if (skip) skip.textContent = t('app.skip', page.lang);
}

const systemDark = window.matchMedia?.('(prefers-color-scheme: dark)');
/** The theme Teams last gave (`default`, `dark`, `contrast`); null outside Teams. */
let hostTheme: string | null = null;

function applyTheme(theme: string | null): void {
  hostTheme = theme;
  const effective = theme ?? (systemDark?.matches ? 'dark' : 'default');
  const root = document.documentElement.classList;
  root.toggle('theme-dark', effective === 'dark');
  root.toggle('theme-contrast', effective === 'contrast');
  if (page.route.view === 'stats') void loadStats(page.generation);
}

// ---------------------------------------------------------------- views

function viewName(route: Route): ViewName {
  return route.view;
}

function renderHeader(): void {
  put(
    $('#top'),
    shellHeader({
      lang: page.lang,
      current: viewName(page.route),
      user: page.session?.user ?? null,
      canSwitchUser: page.session?.via === 'local',
      canExport: page.meta?.canExport ?? false,
      listHash: page.listHash,
    }),
  );
}

/** Draws the view the address asks for and loads its data. */
async function show(moveFocus: boolean): Promise<void> {
  const previous = page.route;
  page.route = parseHash(location.hash);
  keepDraft();
  document.title = t('app.title', page.lang);
  if (page.route.view === 'list') page.listHash = routeToHash(page.route);
  const generation = ++page.generation;
  destroyCharts();
  renderHeader();
  if (!page.api || !page.labels) return start();
  const { labels, lang } = page;
  const route = page.route;
  const main = $('#main');
  switch (route.view) {
    case 'list': {
      const form = main?.querySelector('form[data-form="filters"]');
      // The form stays when only the results change (its focus and typing are kept).
      if (!form || form.getAttribute('data-lang') !== lang || !sameFilters(route.filters)) {
        put(main, listView(route.filters, labels, lang));
        main?.querySelector('form[data-form="filters"]')?.setAttribute('data-lang', lang);
      }
      await loadList(generation, route.filters);
      break;
    }
    case 'record':
      put(main, loading(lang));
      await loadRecord(generation, route.id);
      break;
    case 'stats': {
      const to = route.to || tokyoMonth(new Date());
      const from = route.from || addMonths(to, -11);
      put(main, statsView(from, to, lang));
      await loadStats(generation);
      break;
    }
    case 'export':
      if (!page.meta?.canExport) {
        put(main, failurePanel({ kind: 'forbidden', status: 403 }, lang));
        break;
      }
      renderExport();
      void loadExportHistory();
      break;
  }
  if (!moveFocus || generation !== page.generation) return;
  // A new view: its heading takes the focus, so screen readers announce it. Within the
  // list, a filter keeps the focus where it is; another page moves it to the new count.
  const next = page.route;
  if (previous.view !== next.view || (previous.view === 'record' && next.view === 'record')) {
    $('#view-heading')?.focus();
  } else if (
    previous.view === 'list' &&
    next.view === 'list' &&
    previous.filters.page !== next.filters.page
  ) {
    $('#results-count')?.focus();
  }
}

/** The filter form already shows these filters (then it is not drawn again). */
function sameFilters(f: Filters): boolean {
  const form = $('form[data-form="filters"]') as HTMLFormElement | null;
  if (!form) return false;
  const now = readFilters(form);
  return (
    routeToHash({ view: 'list', filters: { ...now, page: 1 } }) ===
    routeToHash({ view: 'list', filters: { ...f, page: 1 } })
  );
}

async function loadList(generation: number, filters: Filters): Promise<void> {
  const { api, labels, lang } = page;
  const results = $('#results');
  if (!api || !labels || !results) return;
  results.setAttribute('aria-busy', 'true');
  put(results, listResults({ kind: 'loading' }, filters, labels, lang));
  try {
    const result = await api.list(filtersToApiQuery(filters, PAGE_SIZE));
    if (generation !== page.generation) return;
    put(results, listResults({ kind: 'loaded', page: result }, filters, labels, lang));
  } catch (err) {
    if (generation !== page.generation) return;
    put(results, listResults({ kind: 'failed', failure: failureOf(err) }, filters, labels, lang));
  } finally {
    if (generation === page.generation) results.removeAttribute('aria-busy');
  }
}

async function loadRecord(generation: number, id: number): Promise<void> {
  const { api, labels, lang } = page;
  if (!api || !labels) return;
  try {
    const record = await api.record(id);
    if (generation !== page.generation) return;
    // A correction being typed stays through a reload of its record (another language,
    // signing in again), and one left for another page comes back; a save then merges
    // with whatever changed meanwhile.
    const typing = page.edit.open && page.record?.consultation.id === id ? page.edit : null;
    const draft = typing ?? page.drafts.get(id) ?? null;
    page.drafts.delete(id);
    page.record = record;
    page.erase = { ...ERASE_CLOSED };
    page.edit =
      draft && record.canEdit
        ? { ...draft, restored: !typing, step: { kind: 'idle' } }
        : { ...EDIT_CLOSED };
    renderRecord();
    document.title = `${record.consultation.number} — ${t('app.title', lang)}`;
  } catch (err) {
    if (generation !== page.generation) return;
    // The way back stays there whatever happened.
    put(
      $('#main'),
      markup`<p class="back"><a href="${page.listHash}">${t('record.back', lang)}</a></p>
        ${failurePanel(failureOf(err), lang)}`,
    );
  }
}

function renderRecord(): void {
  if (!page.labels || !page.record) return;
  put(
    $('#main'),
    recordView(page.record, page.labels, page.lang, page.listHash, {
      erase: page.erase,
      edit: page.edit,
    }),
  );
}

async function loadStats(generation: number): Promise<void> {
  const { api, labels, lang } = page;
  const body = $('#stats-body');
  const form = $('form[data-form="stats"]') as HTMLFormElement | null;
  if (!api || !labels || !body || !form) return;
  const from = (form.elements.namedItem('from') as HTMLInputElement).value;
  const to = (form.elements.namedItem('to') as HTMLInputElement).value;
  put(body, statsBody({ kind: 'loading' }, labels, lang));
  try {
    const stats = await api.stats(from, to);
    if (generation !== page.generation) return;
    put(body, statsBody({ kind: 'loaded', stats }, labels, lang));
    drawCharts(chartSpecs(stats, labels, lang), lang);
  } catch (err) {
    if (generation !== page.generation) return;
    put(body, statsBody({ kind: 'failed', failure: failureOf(err) }, labels, lang));
  }
}

function renderExport(): void {
  if (!page.labels) return;
  put($('#main'), exportView(page.exportState, page.labels, page.lang));
}

// ---------------------------------------------------------------- events

function readFilters(form: HTMLFormElement): Filters {
  const data = new FormData(form);
  const text = (name: string) => String(data.get(name) ?? '').trim();
  const params = new URLSearchParams();
  params.set('q', text('q'));
  params.set('state', data.getAll('state').map(String).join(','));
  for (const name of ['channel', 'category', 'urgency', 'person', 'from', 'to', 'sameAs']) {
    params.set(name, text(name));
  }
  return parseFilters(params);
}

function navigate(route: Route): void {
  const hash = routeToHash(route);
  if (hash === location.hash || (hash === '#/list' && !location.hash)) void show(false);
  else location.hash = hash;
}

function onClick(event: MouseEvent): void {
  const target = event.target instanceof Element ? event.target : null;
  const teamsLink = target?.closest<HTMLAnchorElement>('a[data-teams-link]');
  if (teamsLink && page.host.inTeams) {
    event.preventDefault();
    page.host.openLink(teamsLink.href);
    return;
  }
  const button = target?.closest<HTMLElement>('[data-action]');
  if (!button) return;
  switch (button.getAttribute('data-action')) {
    case 'skip':
      // The hash is the route: the skip link moves the focus instead of the address.
      event.preventDefault();
      $('#main')?.focus();
      break;
    case 'retry': {
      // In the correction form it sends what was typed again (a reload would keep it too,
      // but the person asked to save).
      if (button.closest('form')?.getAttribute('data-form') === 'edit') void saveEdit();
      else if (!page.meta) void start();
      else if (page.route.view === 'export') retryExport(button);
      else void show(false);
      break;
    }
    case 'sign-in':
      page.session?.signOut();
      page.session = null;
      page.api = null;
      page.meta = null;
      void start();
      break;
    case 'clear-filters':
      navigate({ view: 'list', filters: EMPTY_FILTERS });
      break;
    case 'erase-open':
      page.erase = { open: true, typed: '', step: { kind: 'idle' } };
      renderRecord();
      $('#erase-number')?.focus();
      break;
    case 'erase-cancel':
      page.erase = { ...ERASE_CLOSED };
      renderRecord();
      $('[data-action="erase-open"]')?.focus();
      break;
    case 'edit-open':
      if (page.record) page.edit = openEdit(page.record);
      renderRecord();
      $(`#${editInputId(EDIT_FIELDS[0])}`)?.focus();
      break;
    case 'edit-cancel':
      page.edit = { ...EDIT_CLOSED };
      renderRecord();
      $('[data-action="edit-open"]')?.focus();
      break;
    case 'switch-lang':
      page.lang = page.lang === 'ja' ? 'en' : 'ja';
      try {
        localStorage.setItem(LANG_KEY, page.lang);
      } catch {
        // Not remembered in a sandboxed frame; the switch still works for this visit.
      }
      applyLang();
      void show(false).then(() => $<HTMLElement>('[data-action="switch-lang"]')?.focus());
      break;
  }
}

/** A retry inside the export view repeats what failed there. */
function retryExport(button: HTMLElement): void {
  const form = button.closest('form');
  const step = button.closest('.step');
  if (step) void downloadCsv();
  else if (form?.getAttribute('data-form') === 'casebook-preview') void preview();
  else if (form?.getAttribute('data-form') === 'casebook-export') void exportCasebook();
  else void findClosed();
}

function onChange(event: Event): void {
  const el = event.target;
  if (!(el instanceof HTMLInputElement || el instanceof HTMLSelectElement)) return;
  const form = el.form;
  const checked = el instanceof HTMLInputElement && el.checked;
  const kind = form?.getAttribute('data-form');
  // A choice in the filters applies at once; typed words and dates wait for 検索.
  if (kind === 'filters' && (el instanceof HTMLSelectElement || el.type === 'checkbox')) {
    navigate({ view: 'list', filters: readFilters(form!) });
  }
  if (kind === 'casebook-preview' && el.name === 'case') {
    const id = Number(el.value);
    const chosen = new Set(page.exportState.casebook.chosen);
    if (checked) chosen.add(id);
    else chosen.delete(id);
    page.exportState.casebook.chosen = [...chosen];
    const counter = $('[data-testid="chosen"]');
    if (counter) counter.textContent = t('casebook.selected', page.lang, { n: chosen.size });
  }
}

/** What a supervisor types while reviewing is kept in the state, so nothing is lost on a redraw. */
function onInput(event: Event): void {
  const el = event.target;
  if (el instanceof HTMLSelectElement && el.form?.getAttribute('data-form') === 'edit') {
    page.edit.values[el.name as EditField] = el.value;
    return;
  }
  if (!(el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement)) return;
  const id = Number(el.getAttribute('data-case-id'));
  const field = el.getAttribute('data-case-field') as (typeof CASE_FIELDS)[number]['field'] | null;
  if (field) {
    const c = page.exportState.casebook.review.find((r) => r.id === id);
    if (c) c[field] = el.value;
    return;
  }
  const form = el.form?.getAttribute('data-form');
  if (form === 'erase' && el.name === 'confirmNumber') page.erase.typed = el.value;
  if (form === 'edit') page.edit.values[el.name as EditField] = el.value;
  if (form === 'csv' && (el.name === 'from' || el.name === 'to'))
    page.exportState.csv[el.name] = el.value;
  if (form === 'casebook-find' && (el.name === 'q' || el.name === 'from' || el.name === 'to')) {
    page.exportState.casebook[el.name] = el.value;
  }
}

function onSubmit(event: SubmitEvent): void {
  const form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  const kind = form.getAttribute('data-form');
  if (!kind) return;
  event.preventDefault();
  switch (kind) {
    case 'filters':
      navigate({ view: 'list', filters: readFilters(form) });
      break;
    case 'stats': {
      const from = (form.elements.namedItem('from') as HTMLInputElement).value;
      const to = (form.elements.namedItem('to') as HTMLInputElement).value;
      navigate({ view: 'stats', from: isMonth(from) ? from : '', to: isMonth(to) ? to : '' });
      if (!isMonth(from) || !isMonth(to)) void loadStats(++page.generation);
      break;
    }
    case 'csv':
      void downloadCsv();
      break;
    case 'casebook-find':
      void findClosed();
      break;
    case 'casebook-preview':
      void preview();
      break;
    case 'casebook-export':
      void exportCasebook();
      break;
    case 'erase':
      page.erase.typed = (form.elements.namedItem('confirmNumber') as HTMLInputElement).value;
      void eraseRecord();
      break;
    case 'edit':
      page.edit.values = formEditValues(form);
      void saveEdit();
      break;
  }
}

// ---------------------------------------------------------------- erasure

/** Erases the shown record's personal data; the page then shows the record as erased. */
async function eraseRecord(): Promise<void> {
  const { api } = page;
  const shown = page.record;
  if (!api || !shown || page.erase.step.kind === 'working') return;
  const generation = page.generation;
  page.erase = { ...page.erase, step: { kind: 'working' } };
  renderRecord();
  try {
    const { consultation } = shown;
    const erased = await api.erase(consultation.id, page.erase.typed, consultation.version);
    if (generation !== page.generation) return;
    page.record = erased;
    page.erase = { open: false, typed: '', step: { kind: 'done' } };
    renderRecord();
    $('#view-heading')?.focus();
  } catch (err) {
    if (generation !== page.generation) return;
    page.erase = { ...page.erase, step: { kind: 'failed', failure: failureOf(err) } };
    renderRecord();
    $('#erase-number')?.focus();
  }
}

// ---------------------------------------------------------------- correction

/**
 * Leaving a record's page with a correction typed and not saved: kept for when the person
 * comes back to it (an untouched form is simply closed).
 */
function keepDraft(): void {
  const shown = page.record?.consultation.id;
  const route = page.route;
  if (shown === undefined || !page.edit.open) return;
  if (route.view === 'record' && route.id === shown) return;
  const typed = EDIT_FIELDS.some(
    (f) => fingerprint(page.edit.values[f] ?? '') !== page.edit.shown[f],
  );
  if (typed) page.drafts.set(shown, { ...page.edit, step: { kind: 'idle' } });
  page.edit = { ...EDIT_CLOSED };
}

/** The correction form, filled with the record as shown. */
function openEdit(record: RecordPage): EditForm {
  const values = editValues(record.consultation);
  return {
    open: true,
    version: record.consultation.version,
    values,
    shown: fingerprints(values),
    cautions: {},
    step: { kind: 'idle' },
  };
}

/** Every field of the correction form as it is now (an empty one is sent, to clear it). */
function formEditValues(form: HTMLFormElement): EditValues {
  const values: EditValues = {};
  for (const f of EDIT_FIELDS) {
    const el = form.elements.namedItem(f);
    const input =
      el instanceof HTMLInputElement ||
      el instanceof HTMLTextAreaElement ||
      el instanceof HTMLSelectElement;
    if (input) values[f] = el.value;
  }
  return values;
}

/** A save's id: the same while the same values are sent again, a new one once they change. */
function saveId(values: EditValues): string {
  const key = JSON.stringify(values);
  if (page.editSent?.values === key) return page.editSent.requestId;
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  const requestId = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  page.editSent = { values: key, requestId };
  return requestId;
}

/**
 * Saves the correction. Refused: the form stays with what was typed and why. Changed by
 * someone else meanwhile: the record is read again and the form merged field by field
 * (what this person changed is kept, the rest as the record is now), to check and save.
 */
async function saveEdit(): Promise<void> {
  const { api } = page;
  const shown = page.record;
  if (!api || !shown || page.edit.step.kind === 'working') return;
  const generation = page.generation;
  const id = shown.consultation.id;
  const sent = { ...page.edit };
  page.edit = { ...sent, step: { kind: 'working' } };
  renderRecord();
  try {
    const saved = await api.edit(id, sent.version, sent.values, saveId(sent.values));
    if (generation !== page.generation) return;
    page.record = saved;
    page.edit = {
      ...EDIT_CLOSED,
      step: { kind: 'done', changed: saved.consultation.version !== sent.version },
    };
    page.editSent = null;
    renderRecord();
    $('#view-heading')?.focus();
  } catch (err) {
    if (generation !== page.generation) return;
    const failure = failureOf(err);
    const again = failure.code === 'conflict' ? await api.record(id).catch(() => null) : null;
    if (generation !== page.generation) return;
    if (again?.canEdit) {
      const now = editValues(again.consultation);
      const merged = mergeEdit(sent.values, sent.shown, now);
      page.record = again;
      page.edit = {
        open: true,
        version: again.consultation.version,
        values: merged.values,
        shown: fingerprints(now),
        cautions: Object.fromEntries(merged.clashes.map((f) => [f, now[f] ?? ''])),
        step: { kind: 'merged', failure },
      };
      renderRecord();
      $('#h-edit')?.focus();
      return;
    }
    page.edit = { ...sent, step: { kind: 'failed', failure } };
    renderRecord();
    const wrong = EDIT_FIELDS.find((f) => failure.fields?.[f]);
    (wrong ? $(`#${editInputId(wrong)}`) : $('#h-edit'))?.focus();
  }
}

// ---------------------------------------------------------------- export

function saveFile(d: Download): void {
  const url = URL.createObjectURL(d.blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = d.filename;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** The exports so far; read again after each export made here. */
async function loadExportHistory(): Promise<void> {
  if (!page.api) return;
  try {
    const { items } = await page.api.exports();
    page.exportState.history = { kind: 'done', value: items };
  } catch (err) {
    page.exportState.history = { kind: 'failed', failure: failureOf(err) };
  }
  if (page.route.view === 'export') renderExport();
}

async function downloadCsv(): Promise<void> {
  const csv = page.exportState.csv;
  if (!page.api) return;
  csv.step = { kind: 'working' };
  renderExport();
  try {
    const file = await page.api.csv(csv.from, csv.to);
    saveFile(file);
    csv.step = { kind: 'done', value: file.filename };
  } catch (err) {
    csv.step = { kind: 'failed', failure: failureOf(err) };
  }
  renderExport();
  void loadExportHistory();
}

async function findClosed(): Promise<void> {
  const cb = page.exportState.casebook;
  if (!page.api) return;
  cb.found = { kind: 'working' };
  renderExport();
  const filters: Filters = {
    ...EMPTY_FILTERS,
    q: cb.q.trim(),
    states: ['closed'],
    from: isDay(cb.from) ? cb.from : '',
    to: isDay(cb.to) ? cb.to : '',
  };
  try {
    const result = await page.api.list(filtersToApiQuery(filters, 100));
    // An erased record has nothing left to tell: it is never offered for the 事例集.
    cb.found = { kind: 'done', value: result.items.filter((i) => !i.erased) };
    const shown = new Set(result.items.map((i) => i.id));
    cb.chosen = cb.chosen.filter((id) => shown.has(id));
  } catch (err) {
    cb.found = { kind: 'failed', failure: failureOf(err) };
  }
  renderExport();
}

async function preview(): Promise<void> {
  const cb = page.exportState.casebook;
  if (!page.api) return;
  if (!cb.chosen.length) {
    cb.preview = {
      kind: 'failed',
      failure: {
        kind: 'validation',
        status: 400,
        message: { ja: t('casebook.chooseFirst', 'ja'), en: t('casebook.chooseFirst', 'en') },
      },
    };
    renderExport();
    return;
  }
  cb.preview = { kind: 'working' };
  renderExport();
  try {
    const result = await page.api.casebookPreview(cb.chosen, page.lang);
    cb.review = result.cases;
    cb.preview = { kind: 'idle' };
    cb.exported = { kind: 'idle' };
  } catch (err) {
    cb.preview = { kind: 'failed', failure: failureOf(err) };
  }
  renderExport();
  if (cb.review.length) $('#h-review')?.scrollIntoView({ block: 'start' });
}

async function exportCasebook(): Promise<void> {
  const cb = page.exportState.casebook;
  if (!page.api || !cb.review.length) return;
  cb.exported = { kind: 'working' };
  renderExport();
  try {
    const file = await page.api.casebookExport(
      cb.review.map((c) => ({
        id: c.id,
        title: c.title,
        industry: c.industry,
        situation: c.situation,
        answer: c.answer,
      })),
      page.lang,
    );
    saveFile(file);
    cb.exported = { kind: 'done', value: file.filename };
  } catch (err) {
    cb.exported = { kind: 'failed', failure: failureOf(err) };
  }
  renderExport();
  void loadExportHistory();
}

void boot();
