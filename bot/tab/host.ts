/**
 * Where the page runs: inside Teams (or another Microsoft 365 host) as a tab, or in a
 * plain browser. In a host, teams-js gives the locale, the theme, a deep link's sub-page
 * and opens Teams links; in a browser none of that is needed.
 */
import { app } from '@microsoft/teams-js';

export interface Host {
  inTeams: boolean;
  /** `en-us`, `ja-jp`, … (the host's locale), or null in a browser. */
  locale: string | null;
  /** `default`, `dark` or `contrast`, or null in a browser. */
  theme: string | null;
  /** The sub-page a deep link to the tab asked for (a record's id). */
  subPageId: string | null;
  /** Opens a Teams deep link (a channel message) the host's way, or a new browser tab. */
  openLink(url: string): void;
  onThemeChange(handler: (theme: string) => void): void;
}

/** teams-js waits long for a host that is not there; a page inside Teams hears back at once. */
const INIT_TIMEOUT_MS = 5_000;

/** Framed (Teams web, desktop, Outlook) or opened by a host: worth asking teams-js. */
function mayBeHosted(): boolean {
  try {
    return window.self !== window.top || window.opener !== null;
  } catch {
    // A cross-origin parent refused the comparison: we are framed.
    return true;
  }
}

const browserHost = (): Host => ({
  inTeams: false,
  locale: null,
  theme: null,
  subPageId: null,
  openLink: (url) => {
    window.open(url, '_blank', 'noopener,noreferrer');
  },
  onThemeChange: () => undefined,
});

export async function detectHost(): Promise<Host> {
  if (!mayBeHosted()) return browserHost();
  try {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      app.initialize(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('no host')), INIT_TIMEOUT_MS);
      }),
    ]).finally(() => clearTimeout(timer));
    const context = await app.getContext();
    return {
      inTeams: true,
      locale: context.app.locale ?? null,
      theme: context.app.theme ?? null,
      subPageId: context.page.subPageId ?? null,
      openLink: (url) => {
        app.openLink(url).catch(() => window.open(url, '_blank', 'noopener,noreferrer'));
      },
      onThemeChange: (handler) => app.registerOnThemeChangeHandler(handler),
    };
  } catch {
    return browserHost();
  }
}

/** Tells the host the tab has drawn its first view (it hides its own loading indicator). */
export function notifyLoaded(host: Host): void {
  if (!host.inTeams) return;
  // Older hosts without the app-loaded protocol show the page anyway.
  app.notifySuccess().catch(() => undefined);
}
