import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The form's stylesheet and the address it is served at. */
export interface Stylesheet {
  /** The route's path. */
  path: string;
  /** What pages link to: the path with the content's hash, so caches never serve an old copy. */
  href: string;
  content: string;
}

const FILE = 'form.css';
const HERE = join('src', 'intake', 'web-form');

/**
 * Reads form.css: beside this module when running from sources, else from the sources in
 * the installed package (the compiled module in dist/ has no copy of it).
 */
export function stylesheet(from: string = __dirname): Stylesheet {
  const content = readFileSync(locate(from), 'utf8');
  const hash = createHash('sha256').update(content).digest('hex').slice(0, 12);
  return { path: '/consult/form.css', href: `/consult/form.css?v=${hash}`, content };
}

function locate(from: string): string {
  const beside = join(from, FILE);
  if (existsSync(beside)) return beside;
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, HERE, FILE))) {
      return join(dir, HERE, FILE);
    }
    if (dirname(dir) === dir) throw new Error(`${FILE} not found from ${from}`);
  }
}
