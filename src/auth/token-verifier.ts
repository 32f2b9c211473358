import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors as jose,
  exportJWK,
  generateKeyPair,
  jwtVerify,
  SignJWT,
  type JWTPayload,
  type JWTVerifyGetKey,
  type KeyLike,
} from 'jose';
import { AppError, type ErrorCode } from '../errors';
import { TOKEN_MESSAGES, type TokenProblem } from './messages';

/** Someone whose token was verified: who they are, and the token itself for on-behalf-of. */
export interface SignedInUser {
  /** Entra object id (`oid`), lower case; the Playground's mock id in local mode. */
  id: string;
  name: string;
  /** Entra tenant (`tid`); null for local sign-in. */
  tenantId: string | null;
  /** The bearer token as received: exchanged on behalf of the user for Graph. */
  token: string;
  via: 'entra' | 'local';
}

export interface TokenVerifier {
  /** Verifies a bearer token; throws `TokenError` (401) saying what is wrong with it. */
  verify(token: string): Promise<SignedInUser>;
}

/** A refused token: 401 with a code per problem (`token_expired`, `token_tenant`, …). */
export class TokenError extends AppError {
  constructor(readonly problem: TokenProblem) {
    super(
      problem === 'unavailable' ? 503 : 401,
      problem === 'unavailable' ? 'unavailable' : (`token_${problem}` as ErrorCode),
      TOKEN_MESSAGES[problem],
      problem === 'unavailable' ? { what: 'Entra ID' } : {},
    );
  }
}

/** Tokens are RS256 only: `none`, HS256 and friends are refused before any key is looked up. */
const ALGORITHMS = ['RS256'];
/** Clock skew tolerated between Entra ID and this server. */
const CLOCK_TOLERANCE_S = 60;

export interface EntraSignIn {
  /** Entra's sign-in host (`https://login.microsoftonline.com`; national clouds use others). */
  authorityHost: string;
  /** The tenant whose people may sign in (its GUID). */
  tenantId: string;
  /** Accepted audiences: the app's client id and its Application ID URI. */
  audiences: readonly string[];
  /** Where the tenant's signing keys are; defaults to `<host>/<tenant>/discovery/v2.0/keys`. */
  jwksUri?: string;
}

/**
 * Verifies Entra ID access tokens for Madoguchi's API (v2 tokens): RS256 signature from the
 * tenant's JWKS, audience, the allowed tenant, issuer `<host>/<tid>/v2.0`, expiry.
 * Each failure names its own problem, so a person (and a log) can tell them apart.
 */
export function entraVerifier(opts: EntraSignIn): TokenVerifier {
  const host = opts.authorityHost.replace(/\/+$/, '');
  const tenant = opts.tenantId.toLowerCase();
  const keys = createRemoteJWKSet(
    new URL(opts.jwksUri ?? `${host}/${opts.tenantId}/discovery/v2.0/keys`),
    { timeoutDuration: 5_000, cooldownDuration: 30_000 },
  );
  return {
    async verify(token) {
      const payload = await verifyJwt(token, keys, opts.audiences);
      // Tenant first, then issuer: a token of another organisation is told so plainly.
      const tid = typeof payload.tid === 'string' ? payload.tid.toLowerCase() : '';
      if (tid !== tenant) throw new TokenError('tenant');
      if (payload.iss !== `${host}/${payload.tid as string}/v2.0`) throw new TokenError('issuer');
      return userOf(payload, token, 'entra', tid);
    },
  };
}

/** Local mode's sign-in: the server signs short tokens for the Playground's mock users. */
export interface LocalSignIn extends TokenVerifier {
  issue(user: { id: string; name: string }): Promise<{ token: string; expiresAt: string }>;
}

export const LOCAL_ISSUER = 'madoguchi-local';
const LOCAL_TTL_S = 8 * 60 * 60;

/** A key pair made at start: tokens do not outlive the process that signed them. */
export async function localSignIn(clock: () => Date = () => new Date()): Promise<LocalSignIn> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'local', alg: 'RS256', use: 'sig' };
  const keys = createLocalJWKSet({ keys: [jwk] });
  return {
    async issue(user) {
      const now = Math.floor(clock().getTime() / 1000);
      const token = await sign(privateKey, { oid: user.id, name: user.name }, now, LOCAL_TTL_S);
      return { token, expiresAt: new Date((now + LOCAL_TTL_S) * 1000).toISOString() };
    },
    async verify(token) {
      const payload = await verifyJwt(token, keys, [LOCAL_ISSUER], LOCAL_ISSUER);
      return userOf(payload, token, 'local', null);
    },
  };
}

function sign(key: KeyLike, claims: JWTPayload, now: number, ttl: number): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: 'local', typ: 'JWT' })
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_ISSUER)
    .setIssuedAt(now)
    .setExpirationTime(now + ttl)
    .sign(key);
}

/**
 * Tries each verifier whose issuer the token names: local tokens and Entra tokens can be
 * accepted side by side in local mode without one's refusal hiding the other's.
 */
export function anyOf(
  verifiers: ReadonlyArray<{ issuer: (iss: string) => boolean; verifier: TokenVerifier }>,
): TokenVerifier {
  return {
    async verify(token) {
      const iss = unverifiedIssuer(token);
      const match = verifiers.find((v) => v.issuer(iss)) ?? verifiers[verifiers.length - 1];
      if (!match) throw new TokenError('issuer');
      return match.verifier.verify(token);
    },
  };
}

function unverifiedIssuer(token: string): string {
  const [, body] = token.split('.');
  try {
    const claims = JSON.parse(Buffer.from(body ?? '', 'base64url').toString('utf8')) as JWTPayload;
    return typeof claims.iss === 'string' ? claims.iss : '';
  } catch {
    throw new TokenError('malformed');
  }
}

async function verifyJwt(
  token: string,
  keys: JWTVerifyGetKey,
  audiences: readonly string[],
  issuer?: string,
): Promise<JWTPayload> {
  if (!token) throw new TokenError('missing');
  let alg: string | undefined;
  try {
    alg = decodeProtectedHeader(token).alg;
  } catch {
    throw new TokenError('malformed');
  }
  if (!alg || !ALGORITHMS.includes(alg)) throw new TokenError('algorithm');
  try {
    const { payload } = await jwtVerify(token, keys, {
      algorithms: ALGORITHMS,
      audience: [...audiences],
      issuer,
      clockTolerance: CLOCK_TOLERANCE_S,
      requiredClaims: ['exp', 'oid'],
    });
    return payload;
  } catch (err) {
    throw new TokenError(problemOf(err));
  }
}

function problemOf(err: unknown): TokenProblem {
  if (err instanceof jose.JWTExpired) return 'expired';
  if (err instanceof jose.JWTClaimValidationFailed) {
    if (err.claim === 'aud') return 'audience';
    if (err.claim === 'iss') return 'issuer';
    return 'malformed';
  }
  if (err instanceof jose.JOSEAlgNotAllowed) return 'algorithm';
  if (
    err instanceof jose.JWSSignatureVerificationFailed ||
    err instanceof jose.JWKSNoMatchingKey ||
    err instanceof jose.JWKSMultipleMatchingKeys
  ) {
    return 'signature';
  }
  if (err instanceof jose.JWKSTimeout || err instanceof jose.JWKSInvalid) return 'unavailable';
  if (err instanceof jose.JOSEError) return 'malformed';
  // A key set that cannot be fetched at all (refused, DNS): not the person's fault.
  return 'unavailable';
}

function userOf(
  payload: JWTPayload,
  token: string,
  via: SignedInUser['via'],
  tenantId: string | null,
): SignedInUser {
  const oid = typeof payload.oid === 'string' ? payload.oid.toLowerCase() : '';
  if (!oid) throw new TokenError('malformed');
  const name =
    (typeof payload.name === 'string' && payload.name) ||
    (typeof payload.preferred_username === 'string' && payload.preferred_username) ||
    oid;
  return { id: oid, name, tenantId, token, via };
}
