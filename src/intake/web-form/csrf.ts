/**
 * Anti-forgery for the public form. The browser holds a random id in an HttpOnly,
 * SameSite=Lax cookie; the page carries `HMAC(secret, id)` in a hidden field. A post is
 * accepted only when the two match: another site can neither read the page's token nor
 * send the cookie with a cross-site post. The same secret signs the link to the
 * "received" page, so that page shows only numbers this server gave out.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface FormSigner {
  /** A new browser id for the cookie. */
  newBrowserId(): string;
  /** Whether a cookie value looks like an id this module made. */
  isBrowserId(value: string | undefined): value is string;
  /** The token that goes with a browser id. */
  tokenFor(browserId: string): string;
  /** Whether `token` is the one for `browserId` (constant time). */
  verify(browserId: string | undefined, token: string | undefined): boolean;
  /** A signature over a value shown on another page (the consultation number). */
  sign(purpose: string, value: string): string;
  verifySigned(purpose: string, value: string, signature: string | undefined): boolean;
}

const ID = /^[A-Za-z0-9_-]{43}$/; // 32 random bytes, base64url

/**
 * A signer with this secret: from configuration when several instances serve the form,
 * otherwise random per process (a page opened before a restart then asks the consulter
 * to press send again, with everything typed kept).
 */
export function formSigner(secret: Buffer | string = randomBytes(32)): FormSigner {
  const mac = (purpose: string, value: string) =>
    createHmac('sha256', secret).update(`${purpose}\n${value}`).digest('base64url');
  const same = (a: string, b: string) => {
    const x = Buffer.from(a);
    const y = Buffer.from(b);
    return x.length === y.length && timingSafeEqual(x, y);
  };
  return {
    newBrowserId: () => randomBytes(32).toString('base64url'),
    isBrowserId: (value): value is string => typeof value === 'string' && ID.test(value),
    tokenFor: (id) => mac('csrf', id),
    verify(id, token) {
      if (!id || !ID.test(id) || !token) return false;
      return same(mac('csrf', id), token);
    },
    sign: (purpose, value) => mac(purpose, value),
    verifySigned(purpose, value, signature) {
      return !!signature && same(mac(purpose, value), signature);
    },
  };
}

/** Reads one cookie from a `Cookie` header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * The cookie's name and attributes. Over HTTPS it is a `__Host-` cookie (Secure, whole
 * site, no Domain: no subdomain can set it); plain HTTP (local runs) cannot use that.
 */
export function browserCookie(secure: boolean): {
  name: string;
  header(value: string): string;
} {
  const name = secure ? '__Host-madoguchi-form' : 'madoguchi-form';
  return {
    name,
    header: (value) =>
      `${name}=${value}; Path=/; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`,
  };
}
