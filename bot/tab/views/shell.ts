/** The frame around every view: title, the views' links, who is signed in, the language. */
import { markup, type Html } from '../html';
import { t, type Lang, type TabKey } from '../messages';

export type ViewName = 'list' | 'record' | 'stats' | 'export';

export interface ShellModel {
  lang: Lang;
  current: ViewName;
  user: { name: string; roles: readonly string[] } | null;
  canExport: boolean;
  /** Local sign-in: offer to sign in as someone else. */
  canSwitchUser?: boolean;
  /** The list's last address, so 一覧 returns to the same filters. */
  listHash: string;
}

const ROLE_KEYS: Record<string, TabKey> = {
  'first-line': 'role.first-line',
  specialist: 'role.specialist',
  supervisor: 'role.supervisor',
};

export function shellHeader(m: ShellModel): Html {
  const lang = m.lang;
  const link = (view: ViewName, href: string, key: TabKey) => {
    const current = m.current === view || (view === 'list' && m.current === 'record');
    return markup`<li>
      <a href="${href}" ${current ? markup` aria-current="page"` : ''}>${t(key, lang)}</a>
    </li>`;
  };
  const roles = (m.user?.roles ?? [])
    .map((r) => (ROLE_KEYS[r] ? t(ROLE_KEYS[r], lang) : r))
    .join(lang === 'ja' ? '・' : ', ');
  return markup`<div class="bar">
    <p class="app-title">${t('app.title', lang)}</p>
    <nav aria-label="${t('nav.label', lang)}">
      <ul class="nav">
        ${link('list', m.listHash, 'nav.list')} ${link('stats', '#/stats', 'nav.stats')}
        ${m.canExport ? link('export', '#/export', 'nav.export') : ''}
      </ul>
    </nav>
    <div class="who">
      ${m.user ? markup`<span class="user" title="${roles ? t('user.roles', lang, { roles }) : ''}">${t('user.signedIn', lang, { name: m.user.name })}</span>` : ''}
      ${m.canSwitchUser ? markup`<button type="button" class="button small" data-action="sign-in">${t('signin.switch', lang)}</button>` : ''}
      <button
        type="button"
        class="button small"
        data-action="switch-lang"
        lang="${lang === 'ja' ? 'en' : 'ja'}"
        title="${t('lang.switchLabel', lang)}"
      >
        ${t('lang.switchTo', lang)}
      </button>
    </div>
  </div>`;
}
