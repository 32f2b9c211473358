import type { Config } from '../src/config';

/**
 * Where cards link into the ledger: a record, or a list (the list's filters as a query).
 * Plain functions, which can be passed on alone.
 */
export interface LedgerLinks {
  record: (consultationId: number) => string;
  /** `query`: the ledger's list filters (`q=…`, `person=…&state=…`), as its address has them. */
  list: (query: string) => string;
}

/**
 * Where a card's 「相談台帳で開く」 goes: in Teams, a deep link to the ledger tab whose
 * `subEntityId` the tab opens (a record's id, or `list?<filters>`; bot/tab reads it);
 * locally, the ledger page of this server. Null when neither can be made (production
 * without TEAMS_APP_ID, or no fixed port).
 */
export function ledgerLinks(
  config: Pick<Config, 'mode' | 'host' | 'port' | 'teamsAppId'>,
): LedgerLinks | null {
  const at = ledgerAt(config);
  if (!at) return null;
  return {
    record: (id) => at(String(id), `#/consultations/${id}`),
    list: (query) => at(`list?${query}`, `#/list?${query}`),
  };
}

/** A link to the ledger at a sub-page (in Teams) or a hash (the page itself). */
function ledgerAt(
  config: Pick<Config, 'mode' | 'host' | 'port' | 'teamsAppId'>,
): ((subPage: string, hash: string) => string) | null {
  if (config.teamsAppId) {
    const app = encodeURIComponent(config.teamsAppId);
    return (subPage) =>
      `https://teams.microsoft.com/l/entity/${app}/ledger?context=${encodeURIComponent(
        JSON.stringify({ subEntityId: subPage }),
      )}`;
  }
  if (config.mode === 'local' && config.port > 0) {
    const host = ['0.0.0.0', '::'].includes(config.host) ? '127.0.0.1' : config.host;
    return (_subPage, hash) => `http://${host}:${config.port}/ledger/${hash}`;
  }
  return null;
}
