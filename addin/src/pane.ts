/**
 * The task pane's state machine. It reads the open email, signs in, asks Madoguchi what
 * it knows about the email, and then offers the one thing that makes sense:
 *
 *   loading ─┬─ signed-out ──(sign in)──> loading …
 *            ├─ registered                 (its number, state and card; nothing to do)
 *            ├─ follow-up ──(add)──> submitting ──> done | follow-up + problem
 *            │      └──(register as new)──> new
 *            ├─ new ──(register)──> submitting ──> done | new + problem (typed text kept)
 *            └─ error ──(retry)──> loading
 *
 * No DOM here: the view (view.ts) renders `state` and calls the methods; tests drive
 * the methods and read `state`.
 */
import { CATEGORIES } from '../../src/knowledge/knowledge';
import { URGENCIES, type Urgency } from '../../src/consultation/types';
import type { Session } from '../../src/web-client/sign-in';
import {
  ApiProblem,
  createDeskApi,
  toApiProblem,
  type AttachmentOutcome,
  type ConsultationRef,
  type ConvertForm,
  type DeskApi,
  type MailItemRef,
  type ProblemKind,
} from './api';
import { OutlookError, type CurrentEmail, type Mailbox } from './mailbox';
import { t, type Lang, type Localized } from './messages';
import { PHONE_PATTERN, SUBJECT_MAX, prefill } from './prefill';

/** What the pane shows about the email itself. */
export interface EmailSummary {
  senderName: string;
  senderAddress: string;
  subject: string;
  receivedAt: string | null;
  /** The shared mailbox the email is in (shown in the header); null for one's own. */
  mailbox: string | null;
}

export const FORM_FIELDS = [
  'organisation',
  'person',
  'phone',
  'categoryId',
  'urgency',
  'subject',
  'details',
] as const;
export type FormField = (typeof FORM_FIELDS)[number];
export type FormValues = Record<FormField, string>;

/** The API's name for each form field (its validation errors use these paths). */
export const FIELD_PATHS: Record<FormField, string> = {
  organisation: 'consulter.organisation',
  person: 'consulter.person',
  phone: 'consulter.phone',
  categoryId: 'categoryId',
  urgency: 'urgency',
  subject: 'subject',
  details: 'details',
};

/** Field lengths the API accepts (LIMITS in src/consultation/consultation.input.ts). */
const SHORT_MAX = 200;
export const DETAILS_MAX = 20_000;

export type PaneProblemKind = ProblemKind | 'no_item' | 'outlook';

/** A failure, in the pane's language, with what the person can do about it. */
export interface Problem {
  kind: PaneProblemKind;
  message: string;
  /** The server's own explanation, when it adds something. */
  detail: string | null;
  requestId: string | null;
  canRetry: boolean;
  canSignIn: boolean;
}

export type PaneState =
  | { kind: 'loading'; email: EmailSummary | null; step: 'mail' | 'sign-in' | 'status' }
  | { kind: 'signed-out'; email: EmailSummary | null; problem: Problem }
  | { kind: 'registered'; email: EmailSummary; consultation: ConsultationRef }
  | {
      kind: 'follow-up';
      email: EmailSummary;
      consultation: ConsultationRef;
      problem: Problem | null;
    }
  | {
      kind: 'new';
      email: EmailSummary;
      values: FormValues;
      fieldErrors: Partial<Record<FormField, string>>;
      problem: Problem | null;
    }
  | {
      kind: 'submitting';
      email: EmailSummary;
      action: 'convert' | 'append';
      values: FormValues | null;
      consultation: ConsultationRef | null;
    }
  | {
      kind: 'done';
      email: EmailSummary;
      consultation: ConsultationRef;
      outcome: 'created' | 'existing' | 'appended' | 'already-appended';
      /** Where the new record's card went (only when this press created it). */
      card: 'posted' | 'no_channel' | 'failed' | null;
      attachments: AttachmentOutcome[];
    }
  | { kind: 'error'; email: EmailSummary | null; problem: Problem };

/** A signed-in person's session, as src/web-client/sign-in.ts gives it. */
export type SessionLike = Pick<Session, 'call'> &
  Partial<Pick<Session, 'consent'>> & { user?: { roles: readonly string[] } };

/** The delegated permission Graph needs for a shared mailbox (docs/addin-api.md). */
const SHARED_PERMISSION = 'Mail.ReadWrite.Shared';

/** Who may register an email or add it to a case (the API checks it too). */
const INTAKE_ROLES = ['first-line', 'supervisor'];

/** Keeps what was typed for an email while the pane is open again (a reload, a sign-in). */
export interface DraftStore {
  load(key: string): Partial<FormValues> | null;
  save(key: string, values: FormValues): void;
  clear(key: string): void;
}

export interface PaneDeps {
  mailbox: Mailbox;
  /** Signs in (silently when it can); called again when the person presses サインイン. */
  signIn(): Promise<SessionLike>;
  lang: Lang;
  /** The API over a session (default: the real client on the page's own origin). */
  api?: (session: SessionLike) => DeskApi;
  drafts?: DraftStore;
}

type Listener = (state: PaneState) => void;

export class Pane {
  private current: PaneState = { kind: 'loading', email: null, step: 'mail' };
  private listeners: Listener[] = [];
  private email: CurrentEmail | null = null;
  private summary: EmailSummary | null = null;
  private session: SessionLike | null = null;
  private api: DeskApi | null = null;
  /** What to do once signed in again: ask for the status, or stay where the person is. */
  private statusKnown = false;

  constructor(private readonly deps: PaneDeps) {}

  get state(): PaneState {
    return this.current;
  }

  get lang(): Lang {
    return this.deps.lang;
  }

  /** Calls `listener` with every new state (and once now). */
  subscribe(listener: Listener): () => void {
    this.listeners.push(listener);
    listener(this.current);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== listener);
    };
  }

  private set(state: PaneState): void {
    this.current = state;
    for (const listener of this.listeners) listener(state);
  }

  /** Reads the email, signs in and asks Madoguchi about it. */
  async start(): Promise<void> {
    this.set({ kind: 'loading', email: this.summary, step: 'mail' });
    if (!this.email) {
      try {
        this.email = await this.deps.mailbox.readCurrent();
      } catch (err) {
        this.set({ kind: 'error', email: null, problem: this.outlookProblem(err) });
        return;
      }
      this.summary = {
        senderName: this.email.from?.name ?? '',
        senderAddress: this.email.from?.address ?? '',
        subject: this.email.subject,
        receivedAt: this.email.receivedAt,
        mailbox: this.email.mailbox,
      };
    }
    if (!this.session) {
      this.set({ kind: 'loading', email: this.summary, step: 'sign-in' });
      if (!(await this.trySignIn())) return;
    }
    await this.loadStatus();
  }

  /** The サインイン button: signs in again, then carries on where the pane was. */
  async signIn(): Promise<void> {
    const before = this.current;
    if (before.kind === 'signed-out') {
      this.set({ kind: 'loading', email: this.summary, step: 'sign-in' });
    }
    // Consent is missing: ask for it interactively before anything else (a silent sign-in
    // would give the same token again).
    if ('problem' in before && before.problem?.kind === 'consent' && this.session?.consent) {
      try {
        await this.session.consent();
      } catch (err) {
        this.set({ ...before, problem: this.problemOf(err) } as PaneState);
        return;
      }
    }
    this.session = null;
    this.api = null;
    if (!(await this.trySignIn(before))) return;
    if (!this.statusKnown || before.kind === 'signed-out') {
      await (this.email ? this.loadStatus() : this.start());
      return;
    }
    // Signed in again from a problem on the form: keep everything, drop the problem.
    if (before.kind === 'new') this.set({ ...before, problem: null });
    else if (before.kind === 'follow-up') this.set({ ...before, problem: null });
  }

  private async trySignIn(from?: PaneState): Promise<boolean> {
    try {
      this.session = await this.deps.signIn();
      const make = this.deps.api ?? ((s: SessionLike) => createDeskApi((p, o) => s.call(p, o)));
      this.api = make(this.session);
      return true;
    } catch (err) {
      const problem = this.problemOf(err);
      if (from && (from.kind === 'new' || from.kind === 'follow-up')) {
        this.set({ ...from, problem } as PaneState);
      } else {
        this.set({ kind: 'signed-out', email: this.summary, problem });
      }
      return false;
    }
  }

  private async loadStatus(): Promise<void> {
    const email = this.email!;
    const summary = this.summary!;
    this.set({ kind: 'loading', email: summary, step: 'status' });
    try {
      const answer = await this.api!.status({
        internetMessageId: email.internetMessageId,
        conversationId: email.conversationId,
        subject: email.subject,
      });
      this.statusKnown = true;
      if (answer.status === 'registered') {
        this.set({ kind: 'registered', email: summary, consultation: answer.consultation });
      } else if (answer.status === 'follow_up') {
        this.set({
          kind: 'follow-up',
          email: summary,
          consultation: answer.consultation,
          problem: this.roleProblem(),
        });
      } else {
        this.showForm();
      }
    } catch (err) {
      const problem = this.problemOf(err);
      if (problem.canSignIn) this.set({ kind: 'signed-out', email: summary, problem });
      else this.set({ kind: 'error', email: summary, problem });
    }
  }

  private showForm(): void {
    const email = this.email!;
    const guessed = prefill({ subject: email.subject, from: email.from, bodyText: email.bodyText });
    const values: FormValues = {
      organisation: guessed.organisation,
      person: guessed.person,
      phone: guessed.phone,
      categoryId: guessed.categoryId,
      urgency: guessed.urgency,
      subject: guessed.subject,
      details: '',
    };
    const draft = this.deps.drafts?.load(this.draftKey()) ?? null;
    if (draft) {
      for (const field of FORM_FIELDS) {
        const v = draft[field];
        if (typeof v === 'string') values[field] = v;
      }
    }
    this.set({
      kind: 'new',
      email: this.summary!,
      values,
      fieldErrors: {},
      problem: this.roleProblem(),
    });
  }

  /** Said before anything is typed when the session shows no role that may register. */
  private roleProblem(): Problem | null {
    const roles = this.session?.user?.roles;
    if (!roles || roles.some((r) => INTAKE_ROLES.includes(r))) return null;
    return {
      kind: 'forbidden',
      message: t('problem.forbidden', this.deps.lang),
      detail: null,
      requestId: null,
      canRetry: false,
      canSignIn: false,
    };
  }

  /** The message the server reads: in the shared mailbox Outlook named, else the person's own. */
  private itemRef(): MailItemRef {
    return { itemId: this.email!.restId, mailbox: this.email!.mailbox };
  }

  private draftKey(): string {
    return this.email?.internetMessageId ?? '';
  }

  /** Typing in the form: kept in the state (and the draft store), errors of that field cleared. */
  edit(field: FormField, value: string): void {
    const s = this.current;
    if (s.kind !== 'new') return;
    const values = { ...s.values, [field]: value };
    const fieldErrors = { ...s.fieldErrors };
    delete fieldErrors[field];
    this.deps.drafts?.save(this.draftKey(), values);
    this.set({ ...s, values, fieldErrors });
  }

  /** From a follow-up: register this email as a consultation of its own instead. */
  registerAsNew(): void {
    if (this.current.kind === 'follow-up') this.showForm();
  }

  /** The checks the API also makes, so mistakes show before anything is sent. */
  validate(values: FormValues): Partial<Record<FormField, string>> {
    const lang = this.deps.lang;
    const errors: Partial<Record<FormField, string>> = {};
    const subject = values.subject.trim();
    if (!subject) errors.subject = t('field.subjectRequired', lang);
    else if ([...subject].length > SUBJECT_MAX) {
      errors.subject = t('field.subjectTooLong', lang, { max: SUBJECT_MAX });
    }
    const phone = values.phone.normalize('NFKC').trim();
    if (phone && !PHONE_PATTERN.test(phone)) errors.phone = t('field.phoneFormat', lang);
    for (const field of ['organisation', 'person'] as const) {
      if ([...values[field].trim()].length > SHORT_MAX) {
        errors[field] = t('field.tooLong', lang, { max: SHORT_MAX });
      }
    }
    if ([...values.details.trim()].length > DETAILS_MAX) {
      errors.details = t('field.tooLong', lang, { max: DETAILS_MAX });
    }
    if (!CATEGORIES.some((c) => c.id === values.categoryId)) {
      errors.categoryId = t('field.choose', lang);
    }
    if (!(URGENCIES as readonly string[]).includes(values.urgency)) {
      errors.urgency = t('field.choose', lang);
    }
    return errors;
  }

  /** 「相談として登録」: creates the record from the email; the form stays on failure. */
  async submit(): Promise<void> {
    const s = this.current;
    if (s.kind !== 'new') return; // a second press while submitting does nothing
    if (this.roleProblem()) return;
    const fieldErrors = this.validate(s.values);
    if (Object.keys(fieldErrors).length) {
      this.set({ ...s, fieldErrors, problem: this.validationProblem(fieldErrors) });
      return;
    }
    const values = s.values;
    const form: ConvertForm = {
      consulter: {
        organisation: values.organisation.trim() || null,
        person: values.person.trim() || null,
        phone: values.phone.normalize('NFKC').trim() || null,
      },
      categoryId: values.categoryId,
      urgency: values.urgency as Urgency,
      subject: values.subject.trim(),
      details: values.details.trim() || null,
    };
    this.set({
      kind: 'submitting',
      email: s.email,
      action: 'convert',
      values,
      consultation: null,
    });
    try {
      const result = await this.api!.convert(this.itemRef(), form);
      this.deps.drafts?.clear(this.draftKey());
      this.set({
        kind: 'done',
        email: s.email,
        consultation: result.consultation,
        outcome: result.created ? 'created' : 'existing',
        card: result.card ?? null,
        attachments: result.attachments ?? [],
      });
    } catch (err) {
      const problem = this.problemOf(err);
      const serverFields = err instanceof ApiProblem ? this.formFieldErrors(err) : {};
      this.set({ kind: 'new', email: s.email, values, fieldErrors: serverFields, problem });
    }
  }

  /** 「2026-000123 に追加」: links this email to the consultation it continues. */
  async append(): Promise<void> {
    const s = this.current;
    if (s.kind !== 'follow-up' || this.roleProblem()) return;
    this.set({
      kind: 'submitting',
      email: s.email,
      action: 'append',
      values: null,
      consultation: s.consultation,
    });
    try {
      const result = await this.api!.append(this.itemRef(), s.consultation.id);
      this.set({
        kind: 'done',
        email: s.email,
        consultation: result.consultation,
        outcome: result.appended ? 'appended' : 'already-appended',
        card: null,
        attachments: result.attachments ?? [],
      });
    } catch (err) {
      this.set({ ...s, problem: this.problemOf(err) });
    }
  }

  /** The もう一度試す button of a failed load. */
  async retry(): Promise<void> {
    if (this.current.kind === 'error' || this.current.kind === 'signed-out') await this.start();
  }

  // -------------------------------------------------------------------------

  private formFieldErrors(err: ApiProblem): Partial<Record<FormField, string>> {
    const out: Partial<Record<FormField, string>> = {};
    for (const field of FORM_FIELDS) {
      const message = err.fields[FIELD_PATHS[field]];
      if (message) out[field] = message[this.deps.lang];
    }
    return out;
  }

  private validationProblem(fieldErrors: Partial<Record<FormField, string>>): Problem {
    return {
      kind: 'validation',
      message: t('form.fieldErrorsSummary', this.deps.lang, {
        count: Object.keys(fieldErrors).length,
      }),
      detail: null,
      requestId: null,
      canRetry: false,
      canSignIn: false,
    };
  }

  private outlookProblem(err: unknown): Problem {
    const lang = this.deps.lang;
    const noItem = err instanceof OutlookError && err.problem === 'no_item';
    return {
      kind: noItem ? 'no_item' : 'outlook',
      message: noItem
        ? t('problem.noItem', lang)
        : t('problem.outlook', lang, { detail: err instanceof Error ? err.message : String(err) }),
      detail: null,
      requestId: null,
      canRetry: true,
      canSignIn: false,
    };
  }

  /** Any failure of signing in or of a call, as the person should read it. */
  problemOf(err: unknown): Problem {
    const lang = this.deps.lang;
    const api = toApiProblem(err);
    const kind: ProblemKind = api.kind;
    const server: Localized | null = api.serverMessage;
    const status = api.status;
    // In a shared mailbox, what is missing or not found is about that mailbox.
    const shared = this.email?.mailbox ?? null;
    const base = {
      kind,
      detail: null as string | null,
      requestId: api.requestId,
      canRetry: false,
      canSignIn: false,
    };
    switch (kind) {
      case 'network':
        return { ...base, message: t('problem.network', lang), canRetry: true };
      case 'signed_out':
        return {
          ...base,
          message: t('problem.signedOut', lang),
          detail: server?.[lang] ?? null,
          canSignIn: true,
        };
      case 'consent':
        return {
          ...base,
          message: shared
            ? t('problem.consentShared', lang, {
                mailbox: shared,
                permission: api.permission ?? SHARED_PERMISSION,
              })
            : t('problem.consent', lang),
          detail: server?.[lang] ?? null,
          canSignIn: true,
        };
      case 'forbidden':
        return { ...base, message: t('problem.forbidden', lang), detail: server?.[lang] ?? null };
      case 'mail_permission':
        return {
          ...base,
          message: shared
            ? t('problem.mailPermissionShared', lang, {
                mailbox: shared,
                permission: api.permission ?? SHARED_PERMISSION,
              })
            : t('problem.mailPermission', lang),
          detail: server?.[lang] ?? null,
        };
      case 'mail_not_configured':
        return { ...base, message: t('problem.mailNotConfigured', lang), canRetry: true };
      case 'unavailable':
        return {
          ...base,
          message: t('problem.unavailable', lang),
          detail: server?.[lang] ?? null,
          canRetry: true,
        };
      case 'validation':
        return { ...base, message: t('problem.validation', lang), detail: server?.[lang] ?? null };
      case 'not_found':
        return { ...base, message: t('problem.notFound', lang), detail: server?.[lang] ?? null };
      case 'server':
        return { ...base, message: t('problem.server', lang, { status }), canRetry: true };
      default:
        if (api.code === 'message_not_found' && (shared || this.email?.sharedLookupFailed)) {
          return {
            ...base,
            message: shared
              ? t('problem.notFoundShared', lang, { mailbox: shared })
              : t('problem.notFoundSharedUnknown', lang, {
                  detail: this.email!.sharedLookupFailed!,
                }),
            canRetry: true,
          };
        }
        return {
          ...base,
          message: server?.[lang] ?? t('problem.other', lang, { status }),
          canRetry: true,
        };
    }
  }
}
