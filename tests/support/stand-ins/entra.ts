import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, jwtVerify, SignJWT, type JWTPayload } from 'jose';
import { listen, sendJson } from './http';

/** Claims of an access token the stand-in signs; anything left out gets a valid default. */
export interface AccessTokenClaims extends JWTPayload {
  oid: string;
  name?: string;
  /** Tenant; defaults to the one asked for in `accessToken(claims, tenant)`. */
  tid?: string;
  scp?: string;
}

export interface AccessTokenOptions {
  /** Sign with a key the stand-in does not publish (a bad signature). */
  foreignKey?: boolean;
  /** An unsigned token (`alg: none`). */
  unsigned?: boolean;
  /** Key id in the header; defaults to the published key's. */
  kid?: string;
}

/** One token request as the stand-in received it. */
export interface TokenRequest {
  tenant: string;
  form: URLSearchParams;
}

/** An error answer as Entra ID shapes it (`invalid_client` for a wrong secret, …). */
export interface EntraFailure {
  status: number;
  error: string;
  description?: string;
  /** AADSTS number, e.g. 7000215 for an invalid client secret. */
  errorCode?: number;
  /** e.g. `consent_required` with `invalid_grant` (AADSTS65001). */
  suberror?: string;
  /** A claims challenge for the client to pass on when it asks the person again. */
  claims?: string;
}

/** One on-behalf-of exchange the stand-in granted. */
export interface OboGrant {
  /** The person's API token, as the middle tier sent it. */
  assertion: string;
  /** The person (`oid` of the assertion). */
  oid: string;
  scope: string;
  /** The Graph token handed out for them. */
  token: string;
}

export interface EntraStandIn {
  /** Use as ENTRA_AUTHORITY_HOST. */
  url: string;
  requests: TokenRequest[];
  /** Access tokens handed out so far. */
  issued: Set<string>;
  /** The next token requests fail like this, once each. */
  failNext(...failures: EntraFailure[]): void;
  /**
   * A v2 access token for an API, signed with the key published at
   * `/{tenant}/discovery/v2.0/keys`: issuer `<url>/<tid>/v2.0`, valid for an hour unless
   * `exp` says otherwise. Tests break one claim at a time.
   */
  accessToken(
    claims: AccessTokenClaims & { aud: string; tid: string },
    opts?: AccessTokenOptions,
  ): Promise<string>;
  /** Requests for the signing keys so far. */
  keyRequests: number;
  /**
   * On-behalf-of exchanges granted so far (grant `urn:ietf:params:oauth:grant-type:jwt-bearer`,
   * `requested_token_use=on_behalf_of`): the assertion must be a token this stand-in signed.
   */
  obo: OboGrant[];
  /** The person a token handed out by on-behalf-of stands for (their `oid`), if it is one. */
  userOf(token: string): string | undefined;
  close(): Promise<void>;
}

/**
 * Entra ID's token endpoint on loopback: `POST /{tenant}/oauth2/v2.0/token` with the
 * client-credentials grant answers `{token_type, access_token, expires_in}`. A request
 * without a client secret or assertion is refused as Entra would.
 */
export async function startEntraStandIn(opts: { expiresIn?: number } = {}): Promise<EntraStandIn> {
  const requests: TokenRequest[] = [];
  const issued = new Set<string>();
  const failures: EntraFailure[] = [];
  const keys = await generateKeyPair('RS256');
  const foreign = await generateKeyPair('RS256');
  const kid = `standin-${randomUUID().slice(0, 8)}`;
  const jwk = { ...(await exportJWK(keys.publicKey)), kid, use: 'sig', alg: 'RS256' };
  let keyRequests = 0;
  const obo: OboGrant[] = [];
  const oboUsers = new Map<string, string>();

  const server = await listen(async (req, res, body) => {
    if (req.method === 'GET' && /^\/[^/]+\/discovery\/v2\.0\/keys(\?|$)/.test(req.url ?? '')) {
      keyRequests++;
      return sendJson(res, 200, { keys: [jwk] });
    }
    const match = /^\/([^/]+)\/oauth2\/v2\.0\/token(\?|$)/.exec(req.url ?? '');
    if (req.method !== 'POST' || !match) {
      sendJson(res, 404, { error: 'not_found', error_description: `no route ${req.url}` });
      return;
    }
    const form = new URLSearchParams(body);
    requests.push({ tenant: decodeURIComponent(match[1]!), form });

    const failure = failures.shift();
    if (failure) return fail(res, failure);
    if (form.get('grant_type') === 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      return onBehalfOf(form, res);
    }
    if (form.get('grant_type') !== 'client_credentials') {
      return fail(res, { status: 400, error: 'unsupported_grant_type', errorCode: 70003 });
    }
    if (!form.get('client_secret') && !form.get('client_assertion')) {
      return fail(res, { status: 401, error: 'invalid_client', errorCode: 7000216 });
    }
    const token = `standin-${randomUUID()}`;
    issued.add(token);
    sendJson(res, 200, {
      token_type: 'Bearer',
      access_token: token,
      expires_in: opts.expiresIn ?? 3599,
      ext_expires_in: opts.expiresIn ?? 3599,
    });
  });

  /** The on-behalf-of grant: a person's valid token (signed here) for a Graph token of theirs. */
  async function onBehalfOf(form: URLSearchParams, res: Parameters<typeof sendJson>[0]) {
    if (form.get('requested_token_use') !== 'on_behalf_of') {
      return fail(res, { status: 400, error: 'invalid_request', errorCode: 900144 });
    }
    if (!form.get('client_secret') && !form.get('client_assertion')) {
      return fail(res, { status: 401, error: 'invalid_client', errorCode: 7000216 });
    }
    const assertion = form.get('assertion') ?? '';
    let oid: string;
    try {
      const { payload } = await jwtVerify(assertion, keys.publicKey, { algorithms: ['RS256'] });
      oid = String(payload.oid);
    } catch {
      return fail(res, { status: 400, error: 'invalid_grant', errorCode: 50013 });
    }
    const token = `standin-obo-${randomUUID()}`;
    issued.add(token);
    oboUsers.set(token, oid);
    obo.push({ assertion, oid, scope: form.get('scope') ?? '', token });
    sendJson(res, 200, {
      token_type: 'Bearer',
      scope: form.get('scope') ?? '',
      access_token: token,
      expires_in: opts.expiresIn ?? 3599,
      ext_expires_in: opts.expiresIn ?? 3599,
    });
  }

  const stand: EntraStandIn = {
    url: server.url,
    requests,
    issued,
    failNext: (...f) => void failures.push(...f),
    get keyRequests() {
      return keyRequests;
    },
    obo,
    userOf: (token) => oboUsers.get(token),
    async accessToken(claims, opts = {}) {
      const now = Math.floor(Date.now() / 1000);
      const payload: JWTPayload = {
        iss: `${server.url}/${claims.tid}/v2.0`,
        iat: now,
        nbf: now,
        exp: now + 3600,
        ver: '2.0',
        scp: 'access_as_user',
        ...claims,
      };
      if (opts.unsigned) {
        const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
        return `${part({ alg: 'none', typ: 'JWT' })}.${part(payload)}.`;
      }
      return new SignJWT(payload)
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: opts.kid ?? kid })
        .sign(opts.foreignKey ? foreign.privateKey : keys.privateKey);
    },
    close: server.close,
  };
  return stand;
}

function fail(res: Parameters<typeof sendJson>[0], f: EntraFailure): void {
  const code = f.errorCode ?? 0;
  sendJson(res, f.status, {
    error: f.error,
    error_description: `AADSTS${code}: ${f.description ?? f.error}`,
    error_codes: [code],
    ...(f.suberror ? { suberror: f.suberror } : {}),
    ...(f.claims ? { claims: f.claims } : {}),
    timestamp: new Date().toISOString(),
    trace_id: randomUUID(),
    correlation_id: randomUUID(),
  });
}
