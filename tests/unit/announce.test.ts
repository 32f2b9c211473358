import { intakeLine } from '../../scripts/playground';
import { announce } from '../../src/main';
import { createLogger } from '../../src/logger';
import type { Config } from '../../src/config';
import { testConfig } from '../support/config';

const WHERE = { host: '127.0.0.1', port: 3978, url: 'http://127.0.0.1:3978' };

/** What `npm start` prints for `config`. */
function summary(config: Config): string {
  const written: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  try {
    announce(config, WHERE, createLogger({ ...config, logLevel: 'silent' }));
  } finally {
    spy.mockRestore();
  }
  return written.join('');
}

describe('the start-up summary', () => {
  it('says where each page is and what is on, in both languages', () => {
    const text = summary(testConfig());
    expect(text).toContain('form      http://127.0.0.1:3978/consult  (相談フォーム)');
    expect(text).toContain('ledger    http://127.0.0.1:3978/ledger/  (相談台帳)');
    expect(text).toMatch(/mail {6}off: answers are recorded, not emailed \/ 回答は記録のみ/);
    expect(text).toContain('Ctrl-C で停止 / Ctrl-C to stop');
  });

  it.each([
    [null, "language  each person's Teams language / 各自の Teams の言語 (BOT_LANGUAGE=teams)"],
    ['ja', 'language  Japanese until someone types English / 「English」と送るまで日本語'],
    ['en', 'language  English until someone types 日本語 / 「日本語」と送るまで英語'],
  ] as const)('names the bot’s language (BOT_LANGUAGE %s)', (botLanguage, line) => {
    expect(summary(testConfig({ botLanguage }))).toContain(line);
  });

  it('prints nothing in production: one structured log line says it all', () => {
    expect(summary(testConfig({ mode: 'production' }))).toBe('');
  });
});

describe('the intake channel the summary names (npm start with the Playground)', () => {
  const team = {
    id: 'team-id',
    name: 'My Team',
    channels: [
      { id: 'team-id', name: 'General' },
      { id: 'channel-announcements-id', name: 'Announcements' },
    ],
  };

  it('names the channel the desk keeps, by the Playground’s name for it', () => {
    expect(intakeLine(team, 'team-id')).toBe(
      '相談受付チャネル / intake channel: My Team › General',
    );
    expect(intakeLine(team, 'channel-announcements-id')).toBe(
      '相談受付チャネル / intake channel: My Team › Announcements',
    );
  });

  it('names one outside the Playground’s team by its id, and says when there is none', () => {
    expect(intakeLine(team, '19:elsewhere@thread.tacv2')).toBe(
      '相談受付チャネル / intake channel: 19:elsewhere@thread.tacv2',
    );
    expect(intakeLine(team, null)).toBe(
      '相談受付チャネル未設定 / no intake channel: 「受付チャンネルに設定」 in a channel',
    );
  });
});
