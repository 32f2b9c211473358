import type { Request, RequestHandler } from 'restify';
import { AppError } from '../errors';
import { localize } from '../i18n/messages';

/** Default limit for a request body. Teams messages stay under 100 KB; forms are smaller. */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

export type FormBody = Record<string, string | string[]>;

export function payloadTooLarge(limitBytes: number): AppError {
  const limitKb = Math.floor(limitBytes / 1024);
  return new AppError(413, 'payload_too_large', localize('error.payload_too_large', { limitKb }), {
    limitBytes,
  });
}

export function unsupportedMediaType(type: string): AppError {
  return new AppError(
    415,
    'unsupported_media_type',
    localize('error.unsupported_media_type', { type }),
    { type },
  );
}

export function invalidJson(): AppError {
  return new AppError(400, 'invalid_json', localize('error.invalid_json'));
}

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/;
const FORM_TYPE = 'application/x-www-form-urlencoded';

/**
 * Reads JSON and URL-encoded form bodies into `req.body`, refusing anything
 * larger than `maxBytes` (before reading when Content-Length says so, and as
 * soon as the count passes it otherwise), compressed bodies, and other types.
 * Requests without a body pass through untouched.
 *
 * Written here rather than taken from restify's bodyParser, which reads an
 * oversized body to its end, inflates gzip without a limit, and accepts
 * multipart uploads to temporary files.
 */
export function bodyParser(maxBytes: number = DEFAULT_MAX_BODY_BYTES): RequestHandler {
  return async (req: Request) => {
    if (!hasBody(req)) return;

    const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const encoding = (req.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (encoding !== 'identity') throw unsupportedMediaType(`Content-Encoding: ${encoding}`);
    const isJson = JSON_TYPE.test(type);
    if (!isJson && type !== FORM_TYPE) throw unsupportedMediaType(type || '(none)');

    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) throw payloadTooLarge(maxBytes);

    const raw = await readLimited(req, maxBytes);
    if (raw.length === 0) return;
    const text = raw.toString('utf8');

    if (isJson) {
      try {
        req.body = JSON.parse(text) as unknown;
      } catch {
        throw invalidJson();
      }
    } else {
      req.body = parseForm(text);
    }
  };
}

function hasBody(req: Request): boolean {
  if (req.method === 'GET' || req.method === 'HEAD') return false;
  const length = req.headers['content-length'];
  if (length !== undefined) return Number(length) !== 0;
  return req.headers['transfer-encoding'] !== undefined;
}

/** Reads the stream into memory, stopping with 413 as soon as it passes `maxBytes`. */
function readLimited(req: Request, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        cleanup();
        // Stop buffering; Node discards the rest of the upload after the response.
        req.resume();
        reject(payloadTooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

/** `a=1&b=2&b=3` → `{ a: '1', b: ['2', '3'] }`. */
export function parseForm(text: string): FormBody {
  // No prototype: a field called `__proto__` stays a field.
  const out = Object.create(null) as FormBody;
  for (const [key, value] of new URLSearchParams(text)) {
    const prev = out[key];
    if (prev === undefined) out[key] = value;
    else out[key] = Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}
