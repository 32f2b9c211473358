/**
 * Signing in from the pages. Inside Teams or Outlook: nested app authentication (MSAL.js
 * `createNestablePublicClientApplication`), the host signs the person in and hands out
 * tokens for Madoguchi's API. In a plain browser in local mode: the person picks one of
 * the configured Playground users and the server signs a token for them.
 */
import {
  createNestablePublicClientApplication,
  InteractionRequiredAuthError,
  type IPublicClientApplication,
} from '@azure/msal-browser';
import { ApiError, callApi, type CallOptions, type Localized } from './api';

export interface SessionUser {
  id: string;
  name: string;
  roles: string[];
}

export type LocalUser = SessionUser;

export interface Session {
  user: SessionUser;
  via: 'entra' | 'local';
  /** A current token for the API. */
  token(): Promise<string>;
  /** Calls the API as this person; ApiError on failure. */
  call<T>(path: string, opts?: CallOptions): Promise<T>;
  /**
   * Asks the person (in a popup through Teams or Outlook) to sign in and consent, when the
   * API said consent is missing (`consent_required`, e.g. for reading mail on their
   * behalf). Nothing to do for a local sign-in.
   */
  consent(claims?: string): Promise<void>;
  /** Forgets a local choice (the next sign-in asks again). */
  signOut(): void;
}

interface AuthConfig {
  mode: 'local' | 'production';
  entra: { clientId: string; tenantId: string; authority: string; scope: string } | null;
  local: boolean;
}

export interface SignInOptions {
  /** Running inside Teams or Outlook, where nested app authentication is available. */
  inHost: boolean;
  /** Local mode in a plain browser: which configured user to be (the page asks). */
  chooseLocalUser?: (users: LocalUser[]) => Promise<string>;
  storage?: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
}

export const OPEN_IN_TEAMS: Localized = {
  ja: 'このページは Teams（または Outlook）の中で開いてください。',
  en: 'Please open this page in Teams (or Outlook).',
};

const LOCAL_USER_KEY = 'madoguchi.localUser';

export async function signIn(opts: SignInOptions): Promise<Session> {
  const config = await callApi<AuthConfig>('/api/auth/config', null);
  if (opts.inHost && config.entra) return entraSession(config.entra);
  if (config.local) return localSession(opts);
  throw new ApiError(401, 'sign_in_unavailable', OPEN_IN_TEAMS);
}

async function entraSession(entra: NonNullable<AuthConfig['entra']>): Promise<Session> {
  let pca: IPublicClientApplication;
  try {
    pca = await createNestablePublicClientApplication({
      auth: { clientId: entra.clientId, authority: entra.authority },
    });
  } catch {
    throw new ApiError(401, 'sign_in_failed', null);
  }
  const scopes = [entra.scope];
  const token = async (): Promise<string> => {
    const account = pca.getActiveAccount() ?? pca.getAllAccounts()[0];
    try {
      return (await pca.acquireTokenSilent({ scopes, ...(account ? { account } : {}) }))
        .accessToken;
    } catch (err) {
      if (!(err instanceof InteractionRequiredAuthError)) throw signInFailed(err);
      try {
        return (await pca.acquireTokenPopup({ scopes })).accessToken;
      } catch (popupErr) {
        throw signInFailed(popupErr);
      }
    }
  };
  const consent = async (claims?: string): Promise<void> => {
    try {
      await pca.acquireTokenPopup({ scopes, ...(claims ? { claims } : {}) });
    } catch (err) {
      throw signInFailed(err);
    }
  };
  return sessionFor(
    token,
    'entra',
    () => undefined,
    () => undefined,
    consent,
  );
}

function signInFailed(err: unknown): ApiError {
  return new ApiError(401, 'sign_in_failed', null, {
    reason: err instanceof Error ? err.name : 'unknown',
  });
}

async function localSession(opts: SignInOptions): Promise<Session> {
  const storage = opts.storage ?? sessionStorage;
  let userId = storage.getItem(LOCAL_USER_KEY);
  if (!userId) {
    const { users } = await callApi<{ users: LocalUser[] }>('/api/auth/local/users', null);
    if (!opts.chooseLocalUser) throw new ApiError(401, 'sign_in_unavailable', OPEN_IN_TEAMS);
    userId = await opts.chooseLocalUser(users);
    storage.setItem(LOCAL_USER_KEY, userId);
  }
  const chosen = userId;
  let current: { token: string; expiresAt: number } | null = null;
  const token = async (): Promise<string> => {
    if (current && current.expiresAt - Date.now() > 60_000) return current.token;
    try {
      const issued = await callApi<{ token: string; expiresAt: string }>(
        '/api/auth/local/token',
        null,
        { body: { userId: chosen } },
      );
      current = { token: issued.token, expiresAt: Date.parse(issued.expiresAt) };
      return issued.token;
    } catch (err) {
      // The chosen person is no longer configured: ask again next time.
      if (err instanceof ApiError && err.status === 404) storage.removeItem(LOCAL_USER_KEY);
      throw err;
    }
  };
  return sessionFor(
    token,
    'local',
    () => storage.removeItem(LOCAL_USER_KEY),
    () => {
      current = null;
    },
  );
}

async function sessionFor(
  token: () => Promise<string>,
  via: Session['via'],
  signOut: () => void,
  forget: () => void = () => undefined,
  consent: Session['consent'] = async () => undefined,
): Promise<Session> {
  const call = async <T>(path: string, opts: CallOptions = {}): Promise<T> => {
    try {
      return await callApi<T>(path, await token(), opts);
    } catch (err) {
      // A token that expired on the way (or a restarted local server): once more, fresh.
      if (err instanceof ApiError && err.status === 401 && err.code.startsWith('token_')) {
        forget();
        return callApi<T>(path, await token(), opts);
      }
      throw err;
    }
  };
  const user = await call<SessionUser>('/api/auth/me');
  return { user, via, token, call, consent, signOut };
}
