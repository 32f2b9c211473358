import { ledgerLinks } from '../../bot/ledger-link';
import { recordFromSubPage } from '../../bot/tab/route';

const APP = '6f1c2e3d-4b5a-4c6d-8e7f-9a0b1c2d3e4f';

describe('links from cards to the ledger', () => {
  it('in Teams: a deep link to the ledger tab whose subEntityId the tab opens as the record', () => {
    const link = ledgerLinks({ mode: 'production', host: '0.0.0.0', port: 8080, teamsAppId: APP })!;
    const url = new URL(link(123));
    expect(`${url.origin}${url.pathname}`).toBe(
      `https://teams.microsoft.com/l/entity/${APP}/ledger`,
    );
    const context = JSON.parse(url.searchParams.get('context')!) as { subEntityId: string };
    expect(recordFromSubPage(context.subEntityId)).toBe(123);
  });

  it('locally: the ledger page of this server, opened at the record', () => {
    const link = ledgerLinks({ mode: 'local', host: '127.0.0.1', port: 3978, teamsAppId: null })!;
    expect(link(7)).toBe('http://127.0.0.1:3978/ledger/#/consultations/7');
  });

  it('no link where none would work: production without the app id, or no fixed port', () => {
    expect(
      ledgerLinks({ mode: 'production', host: '0.0.0.0', port: 8080, teamsAppId: null }),
    ).toBeNull();
    expect(ledgerLinks({ mode: 'local', host: '127.0.0.1', port: 0, teamsAppId: null })).toBeNull();
  });
});
