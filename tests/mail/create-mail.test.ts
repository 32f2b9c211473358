import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMailGateway, createReplyService } from '../../src/mail';
import { localize } from '../../src/i18n/messages';
import { openStore } from '../../src/store/store';
import { testConfig } from '../support/config';
import { firstLineA, intake, makeService } from '../support/fixtures';
import { captureLogs, CLIENT, DESK_MAILBOX, TENANT } from '../support/mail';

const complete = {
  graphBaseUrl: 'https://graph.microsoft.com',
  authorityHost: 'https://login.microsoftonline.com',
  tenantId: TENANT,
  clientId: CLIENT,
  credential: { kind: 'secret', secret: 's' } as const,
  mailbox: DESK_MAILBOX,
  missing: [],
};

describe('mail from configuration', () => {
  test('off while settings are missing: no gateway, and the service says answers are not emailed', async () => {
    const { logger } = captureLogs();
    expect(createMailGateway(testConfig(), logger)).toBeNull();

    const store = await openStore({ sqlitePath: ':memory:' });
    try {
      const svc = makeService(store);
      const replies = createReplyService({
        config: testConfig(),
        store,
        consultations: svc,
        logger,
      });
      const { consultation } = await svc.create(firstLineA, intake());
      const options = await replies.emailOptions(firstLineA, consultation.id);
      expect(options).toMatchObject({ mailConfigured: false, plan: { method: 'new' } });
      expect(options.notice).toEqual(localize('mail.will_not_send'));
    } finally {
      await store.close();
    }
  });

  test('on with complete settings: the gateway sends from DESK_MAILBOX', () => {
    const mail = createMailGateway(testConfig({ mail: complete }), captureLogs().logger);
    expect(mail?.mailbox).toBe(DESK_MAILBOX);
  });

  test('a certificate file without a private key stops the start, naming nothing secret', () => {
    const dir = mkdtempSync(join(tmpdir(), 'madoguchi-cert-'));
    try {
      const path = join(dir, 'broken.pem');
      writeFileSync(path, 'not a key');
      const config = testConfig({
        mail: {
          ...complete,
          credential: { kind: 'certificate', path, thumbprint: 'A'.repeat(40) },
        },
      });
      expect(() => createMailGateway(config, captureLogs().logger)).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
