import type { Request, Server } from 'restify';
import { z } from 'zod';
import { entraSignIn, type Config } from '../config';
import type { Directory } from '../consultation/consultation.service';
import { ROLE_LABELS } from '../consultation/labels';
import type { Actor, Role } from '../consultation/types';
import { AppError, BadRequestError } from '../errors';
import {
  anyOf,
  entraVerifier,
  LOCAL_ISSUER,
  localSignIn,
  TokenError,
  type LocalSignIn,
  type TokenVerifier,
} from '../auth/token-verifier';
import { NO_ROLE, ROLE_REQUIRED, UNKNOWN_LOCAL_USER } from '../auth/messages';

/** A person calling the API: who the token says, with the roles configuration gives them. */
export type ApiUser = Actor & {
  /** The bearer token as received, for on-behalf-of exchanges. */
  token: string;
  tenantId: string | null;
};

/** Verifies the request's bearer token and says who is calling; throws 401 otherwise. */
export type Authenticate = (req: Request) => Promise<ApiUser>;

/** The token of `Authorization: Bearer <token>`; TokenError('missing') when there is none. */
export function bearerToken(req: Pick<Request, 'headers'>): string {
  const header = req.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  if (!match?.[1]) throw new TokenError('missing');
  return match[1];
}

export function authenticator(verifier: TokenVerifier, directory: Directory): Authenticate {
  return async (req) => {
    const user = await verifier.verify(bearerToken(req));
    return {
      id: user.id,
      name: directory.nameOf(user.id) ?? user.name,
      roles: directory.rolesOf(user.id),
      token: user.token,
      tenantId: user.tenantId,
    };
  };
}

/** Refuses (403) anyone holding none of `roles`; any staff role when `roles` is omitted. */
export function requireRole(user: Actor, roles?: readonly Role[]): void {
  if (user.roles.length === 0) throw new AppError(403, 'forbidden', NO_ROLE);
  if (!roles || roles.some((r) => user.roles.includes(r))) return;
  const names = (lang: 'ja' | 'en') =>
    roles.map((r) => ROLE_LABELS[r][lang]).join(lang === 'ja' ? '・' : ', ');
  throw new AppError(
    403,
    'forbidden',
    {
      ja: ROLE_REQUIRED.ja.replace('{roles}', names('ja')),
      en: ROLE_REQUIRED.en.replace('{roles}', names('en')),
    },
    { roles },
  );
}

export interface SignIn {
  authenticate: Authenticate;
  /** Registers `/api/auth/*`: what the pages need to sign in (and local sign-in). */
  register(server: Server): void;
}

/**
 * Sign-in to the API. Entra ID tokens for Madoguchi's app registration when one is
 * configured (always in production); in local mode also tokens the server signs itself
 * for the people holding a role, so the ledger and the add-in can be tried without a tenant.
 */
export async function createSignIn(deps: {
  config: Config;
  directory: Directory;
  /** Names of people the desk knows (the Teams surface learns them). */
  names?: (ids: readonly string[]) => Promise<Map<string, string>>;
  /** Where Entra's keys are (tests); defaults to the tenant's discovery address. */
  jwksUri?: string;
}): Promise<SignIn> {
  const { config, directory } = deps;
  const entra = entraSignIn(config);
  const local = config.mode === 'local' ? await localSignIn() : null;
  const verifiers: { issuer: (iss: string) => boolean; verifier: TokenVerifier }[] = [];
  if (local) verifiers.push({ issuer: (iss) => iss === LOCAL_ISSUER, verifier: local });
  if (entra) {
    verifiers.push({
      issuer: () => true,
      verifier: entraVerifier({ ...entra, jwksUri: deps.jwksUri }),
    });
  }
  const authenticate = authenticator(anyOf(verifiers), directory);
  return {
    authenticate,
    register(server) {
      server.get({ path: '/api/auth/config', name: 'auth-config' }, async (_req, res) => {
        res.json(200, {
          mode: config.mode,
          entra: entra && {
            clientId: entra.clientId,
            tenantId: entra.tenantId,
            authority: `${entra.authorityHost}/${entra.tenantId}`,
            scope: entra.scope,
          },
          local: local !== null,
        });
      });
      server.get({ path: '/api/auth/me', name: 'auth-me' }, async (req, res) => {
        const user = await authenticate(req);
        res.json(200, { id: user.id, name: user.name, roles: user.roles });
      });
      if (local) registerLocal(server, local, config, deps.names);
    },
  };
}

const localTokenBody = z.object({ userId: z.string().min(1).max(200) });

function registerLocal(
  server: Server,
  local: LocalSignIn,
  config: Config,
  names: ((ids: readonly string[]) => Promise<Map<string, string>>) | undefined,
): void {
  const people = async () => {
    const ids = [...new Set(Object.values(config.roles).flat())];
    const known = names ? await names(ids) : new Map<string, string>();
    return ids.map((id) => ({
      id,
      name: known.get(id) ?? id,
      roles: (Object.keys(config.roles) as Role[]).filter((r) => config.roles[r].includes(id)),
    }));
  };
  server.get({ path: '/api/auth/local/users', name: 'auth-local-users' }, async (_req, res) => {
    res.json(200, { users: await people() });
  });
  server.post({ path: '/api/auth/local/token', name: 'auth-local-token' }, async (req, res) => {
    const body = localTokenBody.safeParse(req.body);
    if (!body.success) throw new BadRequestError('userId');
    const user = (await people()).find((p) => p.id === body.data.userId.toLowerCase());
    if (!user) throw new AppError(404, 'not_found', UNKNOWN_LOCAL_USER);
    res.json(200, await local.issue(user));
  });
}
