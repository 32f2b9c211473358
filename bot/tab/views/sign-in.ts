/** Local mode in a plain browser: whom to sign in as (the configured Playground users). */
import type { LocalUser } from '../../../src/web-client/sign-in';
import { markup, type Html } from '../html';
import { t, type Lang, type TabKey } from '../messages';

const ROLE_KEYS: Record<string, TabKey> = {
  'first-line': 'role.first-line',
  specialist: 'role.specialist',
  supervisor: 'role.supervisor',
};

export function chooseUserView(users: readonly LocalUser[], lang: Lang): Html {
  return markup`<section class="view signin-view" aria-labelledby="view-heading">
    <h1 id="view-heading" tabindex="-1">${t('signin.heading', lang)}</h1>
    <p>${t('signin.local', lang)}</p>
    ${
      users.length
        ? markup`<ul class="users">
            ${users.map(
              (u) =>
                markup`<li>
                  <button type="button" class="button user-choice" data-user="${u.id}">
                    <span class="user-name">${u.name}</span>
                    <span class="muted"
                      >${u.roles.map((r) => (ROLE_KEYS[r] ? t(ROLE_KEYS[r], lang) : r)).join(lang === 'ja' ? '・' : ', ')}</span
                    >
                  </button>
                </li>`,
            )}
          </ul>`
        : markup`<p class="panel error">${t('signin.noUsers', lang)}</p>`
    }
  </section>`;
}
