import { parseCommand } from '../../bot/commands';

describe('typed commands, in Japanese and English', () => {
  test.each([
    ['新規', { kind: 'new' }],
    ['new', { kind: 'new' }],
    ['ＮＥＷ', { kind: 'new' }],
    ['一覧', { kind: 'mine' }],
    ['mine', { kind: 'mine' }],
    ['状況', { kind: 'waiting' }],
    ['対応待ち', { kind: 'waiting' }],
    ['Status', { kind: 'waiting' }],
    ['検索 ランサム 被害', { kind: 'search', words: 'ランサム 被害' }],
    ['検索　詐欺', { kind: 'search', words: '詐欺' }],
    ['search LockBit', { kind: 'search', words: 'LockBit' }],
    ['検索', { kind: 'help' }],
    ['ヘルプ', { kind: 'help' }],
    ['help', { kind: 'help' }],
    ['', { kind: 'help' }],
    ['2026-000123', { kind: 'open', number: '2026-000123' }],
    ['２０２６－０００１２３', { kind: 'open', number: '2026-000123' }],
    ['受付チャンネルに設定', { kind: 'set-intake' }],
    ['Set intake channel', { kind: 'set-intake' }],
    ['日本語', { kind: 'language', lang: 'ja' }],
    ['English', { kind: 'language', lang: 'en' }],
    ['こんにちは', { kind: 'unknown' }],
    ['newer things', { kind: 'unknown' }],
  ])('%j', (text, command) => {
    expect(parseCommand(text)).toEqual(command);
  });
});
