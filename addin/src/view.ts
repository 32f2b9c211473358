/**
 * Renders the pane's state into the task pane's DOM and turns clicks and typing into
 * calls on the Pane. Text only through textContent (nothing from an email is ever parsed
 * as HTML). The form is built once per visit and then only updated, so typing never
 * loses the caret.
 */
import { CATEGORIES } from '../../src/knowledge/knowledge';
import { ROLE_LABELS, STATE_LABELS, URGENCY_LABELS } from '../../src/consultation/labels';
import { URGENCIES, type Role } from '../../src/consultation/types';
import type { ConsultationRef } from './api';
import { t, type Lang, type PaneMessageKey } from './messages';
import {
  DETAILS_MAX,
  FORM_FIELDS,
  type EmailSummary,
  type FormField,
  type Pane,
  type PaneState,
  type PaneProblemKind,
  type Problem,
} from './pane';
import { SUBJECT_MAX } from './prefill';

type Attrs = Record<string, string | boolean>;

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Node | string | null)[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === false) continue;
    node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) {
    if (child !== null) node.append(child);
  }
  return node;
}

/** 2026/11/25 8:47 (Tokyo time, as everywhere in Madoguchi). */
export function formatReceived(iso: string | null, lang: Lang): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  return new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', {
    timeZone: 'Asia/Tokyo',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(ms));
}

const LABEL_KEYS: Record<FormField, PaneMessageKey> = {
  organisation: 'form.organisation',
  person: 'form.person',
  phone: 'form.phone',
  categoryId: 'form.category',
  urgency: 'form.urgency',
  subject: 'form.subject',
  details: 'form.details',
};

/** 48 KB, 3.2 MB: an attachment's size as people read it. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

const AUTOCOMPLETE: Partial<Record<FormField, string>> = {
  organisation: 'organization',
  person: 'name',
  phone: 'tel',
};

export interface ViewRoots {
  email: HTMLElement;
  status: HTMLElement;
  alert: HTMLElement;
  content: HTMLElement;
}

export class PaneView {
  private form: HTMLFormElement | null = null;
  private lastKind: PaneState['kind'] | null = null;

  constructor(
    private readonly pane: Pane,
    private readonly roots: ViewRoots,
  ) {}

  private get lang(): Lang {
    return this.pane.lang;
  }

  private w(key: PaneMessageKey, params: Record<string, string | number> = {}): string {
    return t(key, this.lang, params);
  }

  render(state: PaneState): void {
    const previous = this.lastKind;
    this.lastKind = state.kind;
    this.renderEmail(state.email);

    const formStays =
      this.form !== null &&
      (state.kind === 'new' || (state.kind === 'submitting' && state.action === 'convert'));
    if (!formStays) this.form = null;

    switch (state.kind) {
      case 'loading': {
        const key: PaneMessageKey =
          state.step === 'mail'
            ? 'loading.mail'
            : state.step === 'sign-in'
              ? 'loading.signIn'
              : 'loading.status';
        this.setStatus(this.w(key), true);
        this.setProblem(null);
        this.roots.content.replaceChildren(el('div', { class: 'spinner', 'aria-hidden': 'true' }));
        return;
      }
      case 'signed-out': {
        this.setStatus('', false);
        const heading = el('h2', { tabindex: '-1' }, this.w('signedOut.heading'));
        this.roots.content.replaceChildren(heading);
        this.setProblem(state.problem);
        heading.focus();
        return;
      }
      case 'error': {
        this.setStatus('', false);
        this.roots.content.replaceChildren();
        this.setProblem(state.problem, true);
        return;
      }
      case 'registered': {
        this.setStatus('', false);
        this.setProblem(null);
        const heading = el('h2', { tabindex: '-1' }, this.w('registered.heading'));
        this.roots.content.replaceChildren(
          heading,
          el(
            'p',
            { class: 'lead' },
            this.w('registered.text', { number: state.consultation.number }),
          ),
          this.consultationBlock(state.consultation),
        );
        heading.focus();
        return;
      }
      case 'follow-up': {
        this.setStatus('', false);
        this.setProblem(state.problem);
        if (previous !== 'follow-up' || !this.roots.content.querySelector('.follow-up')) {
          this.renderFollowUp(state.consultation);
        }
        // Someone who may not add emails keeps the view, without the button.
        if (state.problem?.kind === 'forbidden') {
          this.roots.content.querySelectorAll<HTMLButtonElement>('button.primary').forEach((b) => {
            b.disabled = true;
          });
        }
        return;
      }
      case 'new': {
        this.setStatus('', false);
        if (!this.form) this.renderForm(state.values);
        this.updateForm(state);
        this.setProblem(state.problem);
        const firstError = FORM_FIELDS.find((f) => state.fieldErrors[f]);
        if (state.problem && firstError) {
          this.form?.querySelector<HTMLElement>(`[name="${firstError}"]`)?.focus();
        } else if (state.problem) {
          this.roots.alert.focus();
        } else if (previous !== 'new' && previous !== 'submitting') {
          this.form?.querySelector<HTMLElement>('h2')?.focus();
        }
        return;
      }
      case 'submitting': {
        this.setProblem(null);
        this.setStatus(
          this.w(state.action === 'convert' ? 'submitting.convert' : 'submitting.append'),
          true,
        );
        if (state.action === 'convert' && this.form) {
          this.setFormDisabled(true);
        } else {
          this.roots.content.querySelectorAll('button').forEach((button) => {
            button.disabled = true;
          });
        }
        return;
      }
      case 'done': {
        const outcome = {
          created: 'done.created',
          existing: 'done.existing',
          appended: 'done.appended',
          'already-appended': 'done.alreadyAppended',
        } as const;
        const text = this.w(outcome[state.outcome], { number: state.consultation.number });
        this.setProblem(null);
        this.setStatus(text, false, true);
        const heading = el('h2', { tabindex: '-1', class: 'done' }, text);
        const notes: Node[] = [];
        if (state.card === 'no_channel') {
          notes.push(el('p', { class: 'note' }, this.w('done.cardNoChannel')));
        } else if (state.card === 'failed') {
          notes.push(el('p', { class: 'note warn' }, this.w('done.cardFailed')));
        }
        if (state.attachments.length) {
          const list = el('ul', { class: 'attachments' });
          for (const a of state.attachments) {
            const outcome = a.kept
              ? this.w('done.attachmentKept')
              : (a.skipped?.message[this.lang] ?? '');
            list.append(
              el(
                'li',
                { class: a.kept ? 'kept' : 'skipped' },
                el('span', { class: 'name' }, a.name),
                ` (${formatSize(a.size)}) — ${outcome}`,
              ),
            );
          }
          notes.push(el('h3', {}, this.w('done.attachments')), list);
        }
        this.roots.content.replaceChildren(
          heading,
          this.consultationBlock(state.consultation),
          ...notes,
        );
        heading.focus();
        return;
      }
    }
  }

  private renderEmail(email: EmailSummary | null): void {
    if (!email) {
      this.roots.email.hidden = true;
      return;
    }
    this.roots.email.hidden = false;
    const sender = email.senderName
      ? email.senderAddress
        ? `${email.senderName} <${email.senderAddress}>`
        : email.senderName
      : email.senderAddress;
    // An email of the desk's shared mailbox says so, on a line of its own (the address
    // is long for a 320 px pane): it is read and tagged there.
    const mailbox = email.mailbox
      ? el(
          'p',
          { class: 'mailbox' },
          el('span', { class: 'label' }, this.w('email.sharedMailbox')),
          ' ',
          el('span', { class: 'address' }, email.mailbox),
        )
      : null;
    const dl = el(
      'dl',
      {},
      el('dt', {}, this.w('email.from')),
      el('dd', { class: 'sender' }, sender),
      el('dt', {}, this.w('email.subject')),
      el('dd', { class: 'subject' }, email.subject || this.w('email.noSubject')),
      el('dt', {}, this.w('email.received')),
      el('dd', {}, formatReceived(email.receivedAt, this.lang)),
    );
    this.roots.email.replaceChildren(...(mailbox ? [mailbox] : []), dl);
  }

  /**
   * The aria-live status line. It stays in the page (a hidden live region is not read
   * out); `spoken` lines are for screen readers only, when the page already shows them.
   */
  private setStatus(text: string, busy: boolean, spoken = false): void {
    this.roots.status.hidden = false;
    this.roots.status.textContent = text;
    this.roots.status.classList.toggle('busy', busy);
    this.roots.status.classList.toggle('sr-only', spoken);
    document.body.setAttribute('aria-busy', busy ? 'true' : 'false');
  }

  private setProblem(problem: Problem | null, withRetry = false): void {
    const alert = this.roots.alert;
    if (!problem) {
      alert.replaceChildren();
      alert.hidden = true;
      return;
    }
    alert.hidden = false;
    const parts: Node[] = [el('p', { class: 'problem-message' }, problem.message)];
    if (problem.detail && problem.detail !== problem.message) {
      parts.push(el('p', { class: 'problem-detail' }, problem.detail));
    }
    // The request id helps an administrator find a failure in the server's log.
    const traceable: PaneProblemKind[] = ['server', 'unavailable', 'other'];
    if (problem.requestId && traceable.includes(problem.kind)) {
      parts.push(
        el(
          'p',
          { class: 'problem-request' },
          `${this.w('requestId')}: `,
          el('code', {}, problem.requestId),
        ),
      );
    }
    const actions = el('div', { class: 'actions' });
    if (problem.canSignIn) {
      const button = el('button', { type: 'button', class: 'primary' }, this.w('signedOut.button'));
      button.addEventListener('click', () => void this.pane.signIn());
      actions.append(button);
    }
    if (withRetry && problem.canRetry) {
      const button = el('button', { type: 'button' }, this.w('retry'));
      button.addEventListener('click', () => void this.pane.retry());
      actions.append(button);
    }
    if (actions.childElementCount) parts.push(actions);
    alert.replaceChildren(...parts);
    if (withRetry) alert.focus();
  }

  private consultationBlock(c: ConsultationRef): HTMLElement {
    const block = el(
      'dl',
      { class: 'consultation' },
      el('dt', {}, this.w('consultation.number')),
      el('dd', { class: 'number' }, c.number),
      el('dt', {}, this.w('consultation.state')),
      el('dd', { class: 'state' }, STATE_LABELS[c.state]?.[this.lang] ?? c.state),
      el('dt', {}, this.w('consultation.subject')),
      el('dd', {}, c.subject),
    );
    const card = c.teamsCardUrl
      ? el(
          'a',
          {
            href: c.teamsCardUrl,
            target: '_blank',
            rel: 'noopener noreferrer',
            class: 'card-link',
          },
          this.w('consultation.openCard'),
        )
      : el('p', { class: 'note' }, this.w('consultation.noCard'));
    return el('div', {}, block, card);
  }

  private renderFollowUp(c: ConsultationRef): void {
    const heading = el('h2', { tabindex: '-1' }, this.w('followUp.heading'));
    const append = el(
      'button',
      { type: 'button', class: 'primary' },
      this.w('followUp.append', { number: c.number }),
    );
    append.addEventListener('click', () => void this.pane.append());
    const other = el('button', { type: 'button', class: 'link' }, this.w('followUp.registerNew'));
    other.addEventListener('click', () => this.pane.registerAsNew());
    this.roots.content.replaceChildren(
      el(
        'div',
        { class: 'follow-up' },
        heading,
        el(
          'p',
          { class: 'lead' },
          this.w('followUp.text', { number: c.number, subject: c.subject }),
        ),
        this.consultationBlock(c),
        el('div', { class: 'actions' }, append),
        el('div', { class: 'actions' }, other),
      ),
    );
    heading.focus();
  }

  private renderForm(values: Record<FormField, string>): void {
    const form = el('form', { novalidate: true, 'aria-labelledby': 'form-heading' });
    form.append(
      el('h2', { id: 'form-heading', tabindex: '-1' }, this.w('form.heading')),
      el('p', { class: 'hint' }, this.w('form.hint')),
    );
    for (const field of FORM_FIELDS) {
      const id = `field-${field}`;
      const required = field === 'subject' || field === 'categoryId' || field === 'urgency';
      const label = el(
        'label',
        { for: id },
        this.w(LABEL_KEYS[field]),
        required ? el('span', { class: 'required' }, ` (${this.w('form.required')})`) : null,
      );
      let control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
      if (field === 'details') {
        control = el('textarea', { id, name: field, rows: '3', maxlength: String(DETAILS_MAX) });
      } else if (field === 'categoryId') {
        control = el('select', { id, name: field });
        for (const c of CATEGORIES) {
          control.append(el('option', { value: c.id }, this.lang === 'ja' ? c.ja : c.en));
        }
      } else if (field === 'urgency') {
        control = el('select', { id, name: field });
        for (const u of URGENCIES) {
          control.append(el('option', { value: u }, URGENCY_LABELS[u][this.lang]));
        }
      } else {
        control = el('input', {
          id,
          name: field,
          type: field === 'phone' ? 'tel' : 'text',
          autocomplete: AUTOCOMPLETE[field] ?? 'off',
          maxlength: String(field === 'subject' ? SUBJECT_MAX : 200),
          required,
        });
      }
      control.value = values[field];
      control.setAttribute(
        'aria-describedby',
        field === 'details' ? `${id}-hint ${id}-error` : `${id}-error`,
      );
      const onInput = () => this.pane.edit(field, control.value);
      control.addEventListener(control instanceof HTMLSelectElement ? 'change' : 'input', onInput);
      const error = el('p', { id: `${id}-error`, class: 'field-error', hidden: true });
      const hint =
        field === 'details'
          ? el('p', { id: `${id}-hint`, class: 'hint' }, this.w('form.detailsHint'))
          : null;
      form.append(el('div', { class: 'field', 'data-field': field }, label, hint, control, error));
    }
    const submit = el('button', { type: 'submit', class: 'primary' }, this.w('form.submit'));
    form.append(el('div', { class: 'actions' }, submit));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.pane.submit();
    });
    this.roots.content.replaceChildren(form);
    this.form = form;
  }

  private updateForm(state: Extract<PaneState, { kind: 'new' }>): void {
    const form = this.form!;
    this.setFormDisabled(false);
    // Someone who may not register keeps the form to read, without the button.
    const submit = form.querySelector<HTMLButtonElement>('button[type="submit"]');
    if (submit) submit.disabled = state.problem?.kind === 'forbidden';
    for (const field of FORM_FIELDS) {
      const control = form.querySelector<
        HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement
      >(`[name="${field}"]`)!;
      if (control.value !== state.values[field]) control.value = state.values[field];
      const message = state.fieldErrors[field];
      const error = form.querySelector<HTMLElement>(`#field-${field}-error`)!;
      error.textContent = message ?? '';
      error.hidden = !message;
      if (message) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
    }
  }

  private setFormDisabled(disabled: boolean): void {
    if (!this.form) return;
    this.form
      .querySelectorAll<
        HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement | HTMLButtonElement
      >('input, select, textarea, button')
      .forEach((control) => {
        control.disabled = disabled;
      });
  }

  /** Local mode in a plain browser: who to be (src/web-client/sign-in.ts asks the page). */
  chooseLocalUser(users: { id: string; name: string; roles: string[] }[]): Promise<string> {
    return new Promise((resolve) => {
      const list = el('ul', { class: 'users' });
      for (const user of users) {
        const roles = user.roles
          .map((r) => ROLE_LABELS[r as Role]?.[this.lang] ?? r)
          .join(this.lang === 'ja' ? '・' : ', ');
        const button = el(
          'button',
          { type: 'button' },
          el('span', { class: 'user-name' }, user.name),
          roles ? el('span', { class: 'user-roles' }, roles) : null,
        );
        button.addEventListener('click', () => resolve(user.id));
        list.append(el('li', {}, button));
      }
      const heading = el('h2', { tabindex: '-1' }, this.w('local.heading'));
      this.setStatus('', false);
      this.roots.content.replaceChildren(
        heading,
        el('p', { class: 'hint' }, this.w('local.hint')),
        list,
      );
      heading.focus();
    });
  }
}
