/**
 * The task pane's entry (bundled by scripts/build-web.ts into /addin/taskpane.js): waits
 * for Office.js, then wires the Pane to Outlook, to sign-in and to the page. The logic
 * lives in pane.ts, mailbox.ts and prefill.ts; this file only connects them.
 */
import { signIn } from '../../src/web-client/sign-in';
import { createMailbox, type OfficeLike } from './mailbox';
import { languageOf, t } from './messages';
import { FORM_FIELDS, Pane, type DraftStore, type FormValues } from './pane';
import { PaneView } from './view';

interface OfficeGlobal extends OfficeLike {
  onReady(): Promise<{ host: string | null; platform: string | null }>;
  HostType?: { Outlook?: string };
}

/**
 * What was typed, kept for this browser tab only (sessionStorage), so reloading the pane
 * or signing in again loses nothing. It is cleared once the consultation is registered.
 */
function sessionDrafts(): DraftStore {
  const key = (id: string) => `madoguchi.addin.draft:${id}`;
  const storage = (): Storage | null => {
    try {
      return window.sessionStorage;
    } catch {
      return null; // storage switched off: drafts live only in the pane's state
    }
  };
  return {
    load(id) {
      const raw = storage()?.getItem(key(id));
      if (!raw) return null;
      try {
        const parsed = JSON.parse(raw) as Record<string, unknown>;
        const values: Partial<FormValues> = {};
        for (const field of FORM_FIELDS) {
          if (typeof parsed[field] === 'string') values[field] = parsed[field];
        }
        return values;
      } catch {
        return null;
      }
    },
    save(id, values) {
      try {
        storage()?.setItem(key(id), JSON.stringify(values));
      } catch {
        // full or switched off: the state still holds the values
      }
    },
    clear(id) {
      storage()?.removeItem(key(id));
    },
  };
}

function roots() {
  const get = (id: string) => {
    const node = document.getElementById(id);
    if (!node) throw new Error(`#${id} is missing from taskpane.html`);
    return node;
  };
  return {
    email: get('email'),
    status: get('status'),
    alert: get('alert'),
    content: get('content'),
  };
}

async function main(): Promise<void> {
  const office = (globalThis as { Office?: OfficeGlobal }).Office;
  const page = roots();
  if (!office) {
    const lang = languageOf(navigator.language);
    page.alert.hidden = false;
    page.alert.textContent = t('office.missing', lang);
    return;
  }
  const info = await office.onReady();
  const mailbox = createMailbox(office);
  const lang = languageOf(mailbox.displayLanguage());
  document.documentElement.lang = lang;
  document.title = t('title', lang);
  document.getElementById('title')!.textContent = t('title', lang);

  // Nested app authentication needs a host that brokers tokens: Outlook, or any host that
  // offers the bridge msal-browser talks to.
  const inHost =
    info.host === (office.HostType?.Outlook ?? 'Outlook') ||
    (window as { nestedAppAuthBridge?: unknown }).nestedAppAuthBridge !== undefined;

  let view: PaneView | null = null;
  const pane = new Pane({
    mailbox,
    lang,
    drafts: sessionDrafts(),
    signIn: () =>
      signIn({
        inHost,
        chooseLocalUser: (users) => view!.chooseLocalUser(users),
      }),
  });
  view = new PaneView(pane, page);
  pane.subscribe((state) => view!.render(state));
  await pane.start();
}

void main();
