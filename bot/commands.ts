import { parseNumber } from '../src/consultation/numbering';

/** What a typed message asks for. Japanese and English words are both understood. */
export type Command =
  | { kind: 'new' }
  | { kind: 'mine' }
  | { kind: 'waiting' }
  | { kind: 'search'; words: string }
  | { kind: 'open'; number: string }
  | { kind: 'help' }
  | { kind: 'set-intake' }
  | { kind: 'language'; lang: 'ja' | 'en' }
  | { kind: 'unknown' };

const NEW = ['新規', '登録', '受付', 'new'];
const MINE = ['一覧', '担当', '自分', 'mine', 'my cases', 'list'];
const WAITING = ['状況', '対応待ち', '待ち', 'status', 'waiting'];
const HELP = ['ヘルプ', '使い方', 'help', '?', '？'];
const SEARCH = ['検索', 'search', 'find'];
const JAPANESE = ['日本語', 'japanese', 'language ja'];
const ENGLISH = ['english', '英語', 'language en'];
const SET_INTAKE = ['受付チャンネルに設定', '受付チャネルに設定', 'set intake channel'];

/** Reads a message (mentions already removed). */
export function parseCommand(text: string): Command {
  const t = text.normalize('NFKC').trim().replace(/\s+/g, ' ');
  const lower = t.toLowerCase();
  if (SET_INTAKE.some((w) => lower === w.normalize('NFKC').toLowerCase()))
    return { kind: 'set-intake' };
  if (JAPANESE.includes(lower)) return { kind: 'language', lang: 'ja' };
  if (ENGLISH.includes(lower)) return { kind: 'language', lang: 'en' };
  if (NEW.includes(lower)) return { kind: 'new' };
  if (MINE.includes(lower)) return { kind: 'mine' };
  if (WAITING.includes(lower)) return { kind: 'waiting' };
  if (HELP.includes(lower) || lower === '') return { kind: 'help' };
  for (const word of SEARCH) {
    if (lower === word) return { kind: 'help' };
    if (lower.startsWith(`${word} `)) {
      const words = t.slice(word.length).trim();
      if (words) return { kind: 'search', words };
    }
  }
  const number = parseNumber(t);
  if (number) return { kind: 'open', number };
  return { kind: 'unknown' };
}
