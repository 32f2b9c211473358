import { randomUUID } from 'node:crypto';
import { listen, sendJson } from './http';

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
}

export interface EntraStandIn {
  /** Use as ENTRA_AUTHORITY_HOST. */
  url: string;
  requests: TokenRequest[];
  /** Access tokens handed out so far. */
  issued: Set<string>;
  /** The next token requests fail like this, once each. */
  failNext(...failures: EntraFailure[]): void;
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

  const server = await listen((req, res, body) => {
    const match = /^\/([^/]+)\/oauth2\/v2\.0\/token(\?|$)/.exec(req.url ?? '');
    if (req.method !== 'POST' || !match) {
      sendJson(res, 404, { error: 'not_found', error_description: `no route ${req.url}` });
      return;
    }
    const form = new URLSearchParams(body);
    requests.push({ tenant: decodeURIComponent(match[1]!), form });

    const failure = failures.shift();
    if (failure) return fail(res, failure);
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

  return {
    url: server.url,
    requests,
    issued,
    failNext: (...f) => void failures.push(...f),
    close: server.close,
  };
}

function fail(res: Parameters<typeof sendJson>[0], f: EntraFailure): void {
  const code = f.errorCode ?? 0;
  sendJson(res, f.status, {
    error: f.error,
    error_description: `AADSTS${code}: ${f.description ?? f.error}`,
    error_codes: [code],
    timestamp: new Date().toISOString(),
    trace_id: randomUUID(),
    correlation_id: randomUUID(),
  });
}
