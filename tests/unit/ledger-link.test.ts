import { ledgerLinks } from '../../bot/ledger-link';
import { EMPTY_FILTERS, recordFromSubPage, routeFromSubPage } from '../../bot/tab/route';

const APP = '6f1c2e3d-4b5a-4c6d-8e7f-9a0b1c2d3e4f';

describe('links from cards to the ledger', () => {
  it('in Teams: a deep link to the ledger tab whose subEntityId the tab opens as the record', () => {
    const link = ledgerLinks({ mode: 'production', host: '0.0.0.0', port: 8080, teamsAppId: APP })!;
    const url = new URL(link.record(123));
    expect(`${url.origin}${url.pathname}`).toBe(
      `https://teams.microsoft.com/l/entity/${APP}/ledger`,
    );
    const context = JSON.parse(url.searchParams.get('context')!) as { subEntityId: string };
    expect(recordFromSubPage(context.subEntityId)).toBe(123);
  });

  it('in Teams: a list (a search’s results) opens in the tab with its filters', () => {
    const link = ledgerLinks({ mode: 'production', host: '0.0.0.0', port: 8080, teamsAppId: APP })!;
    const url = new URL(link.list(new URLSearchParams({ q: 'ランサム 暗号' }).toString()));
    const context = JSON.parse(url.searchParams.get('context')!) as { subEntityId: string };
    expect(routeFromSubPage(context.subEntityId)).toEqual({
      view: 'list',
      filters: { ...EMPTY_FILTERS, q: 'ランサム 暗号' },
    });
    // The tab still opens a record from the links cards carry.
    expect(routeFromSubPage('123')).toEqual({ view: 'record', id: 123 });
    expect(routeFromSubPage('consultation:45')).toEqual({ view: 'record', id: 45 });
    expect(routeFromSubPage('')).toBeNull();
    expect(routeFromSubPage('list')).toBeNull();
  });

  it('locally: the ledger page of this server, opened at the record or the list', () => {
    const link = ledgerLinks({ mode: 'local', host: '127.0.0.1', port: 3978, teamsAppId: null })!;
    expect(link.record(7)).toBe('http://127.0.0.1:3978/ledger/#/consultations/7');
    expect(link.list('q=%E6%9A%97%E5%8F%B7')).toBe(
      'http://127.0.0.1:3978/ledger/#/list?q=%E6%9A%97%E5%8F%B7',
    );
  });

  it('no link where none would work: production without the app id, or no fixed port', () => {
    expect(
      ledgerLinks({ mode: 'production', host: '0.0.0.0', port: 8080, teamsAppId: null }),
    ).toBeNull();
    expect(ledgerLinks({ mode: 'local', host: '127.0.0.1', port: 0, teamsAppId: null })).toBeNull();
  });
});
