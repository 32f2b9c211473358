import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../src/logger';
import { createServer, type App } from '../../src/server/app';
import { servePages } from '../../src/server/static';
import { testConfig } from '../support/config';

let app: App;
let base: string;

beforeAll(async () => {
  const root = mkdtempSync(join(tmpdir(), 'pages-'));
  mkdirSync(join(root, 'ledger'));
  writeFileSync(join(root, 'ledger', 'index.html'), '<!doctype html><title>相談台帳</title>');
  writeFileSync(join(root, 'ledger', 'ledger.js'), 'console.log(1)');
  writeFileSync(join(root, 'secret.txt'), 'not a page');
  const config = testConfig();
  app = createServer({
    config,
    logger: createLogger(config),
    store: { ping: async () => undefined },
    surfaces: [(server) => servePages(server, { root, pages: ['ledger'], mode: 'production' })],
  });
  base = (await app.listen()).url;
});
afterAll(() => app.close());

describe('the built pages', () => {
  it('serves a page with a policy that lets Teams and Outlook frame it and nothing else load', async () => {
    const res = await fetch(`${base}/ledger/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await res.text()).toContain('相談台帳');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain('frame-ancestors');
    expect(csp).toContain('https://teams.microsoft.com');
    expect(csp).not.toContain('localhost');
    expect(res.headers.get('x-frame-options')).toBeNull();
  });

  it('serves scripts with their type, and redirects the bare folder', async () => {
    const js = await fetch(`${base}/ledger/ledger.js`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const bare = await fetch(`${base}/ledger`, { redirect: 'manual' });
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/ledger/');
  });

  it('serves nothing outside the page folder, and 404s what is not there', async () => {
    for (const path of [
      '/ledger/..%2fsecret.txt',
      '/ledger/%2e%2e/secret.txt',
      '/ledger/nope.js',
    ]) {
      const res = await fetch(`${base}${path}`);
      expect(res.status).toBe(404);
      expect(await res.text()).not.toContain('not a page');
    }
  });
});
