import type { Config } from '../src/config';

/**
 * Where a card's 「相談台帳で開く」 goes: in Teams, a deep link to the ledger tab that opens
 * the record (`subEntityId` is its id; bot/tab reads it); locally, the ledger page of this
 * server. Null when neither can be made (production without TEAMS_APP_ID, or no fixed port).
 */
export function ledgerLinks(
  config: Pick<Config, 'mode' | 'host' | 'port' | 'teamsAppId'>,
): ((consultationId: number) => string) | null {
  if (config.teamsAppId) {
    const app = encodeURIComponent(config.teamsAppId);
    return (id) =>
      `https://teams.microsoft.com/l/entity/${app}/ledger?context=${encodeURIComponent(
        JSON.stringify({ subEntityId: String(id) }),
      )}`;
  }
  if (config.mode === 'local' && config.port > 0) {
    const host = ['0.0.0.0', '::'].includes(config.host) ? '127.0.0.1' : config.host;
    return (id) => `http://${host}:${config.port}/ledger/#/consultations/${id}`;
  }
  return null;
}
