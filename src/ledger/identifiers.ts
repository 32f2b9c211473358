/**
 * Finding what identifies a consulter in free text, for the 事例集 (casebook): the
 * record's own identifiers wherever they occur (names, organisation, email, phone,
 * municipality, staff names) and the patterns of identifiers in general (emails, phone
 * numbers, URLs, host names, IP addresses, postal codes and addresses, company names,
 * names with an honorific, long numbers).
 *
 * Text is compared after NFKC normalisation, so full-width letters and digits
 * (ｙａｍａｄａ＠…, ０３－…), half-width katakana and ㈱ are found like their usual forms.
 * Pure functions: no I/O.
 */
import type { Lang, Localized } from '../i18n/messages';
import { ENGLISH_FORMS, LEGAL_FORMS, organisationCore } from '../consultation/consulter-keys';
import { DESTINATIONS } from '../knowledge/knowledge';

export const IDENTIFIER_KINDS = [
  'name',
  'organisation',
  'email',
  'phone',
  'url',
  'host',
  'ip',
  'postal-code',
  'address',
  'place',
  'number',
] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

/** What each kind is called in an error, and what replaces it in anonymised text. */
export const IDENTIFIER_LABELS: Record<IdentifierKind, Localized> = {
  name: { ja: '氏名', en: 'name' },
  organisation: { ja: '組織名', en: 'organisation' },
  email: { ja: 'メールアドレス', en: 'email address' },
  phone: { ja: '電話番号', en: 'phone number' },
  url: { ja: 'URL', en: 'URL' },
  host: { ja: 'ホスト名', en: 'host name' },
  ip: { ja: 'IPアドレス', en: 'IP address' },
  'postal-code': { ja: '郵便番号', en: 'postal code' },
  address: { ja: '住所', en: 'address' },
  place: { ja: '所在地', en: 'municipality' },
  number: { ja: '番号', en: 'number' },
};

/** The identifiers a record itself knows; each is removed wherever it occurs. */
export interface KnownIdentifiers {
  /** The consulter's and the staff's names. */
  names: readonly string[];
  organisations: readonly string[];
  emails: readonly string[];
  phones: readonly string[];
  /** The consulter's municipality; replaced by its area (`replacement`). */
  places: ReadonlyArray<{ text: string; replacement: Localized }>;
}

export const NO_KNOWN_IDENTIFIERS: KnownIdentifiers = {
  names: [],
  organisations: [],
  emails: [],
  phones: [],
  places: [],
};

/** Public contacts that may stay in a casebook: where the desk sends people to report. */
export interface PublicContacts {
  /** Host names, and suffixes starting with a dot (`.go.jp`). */
  hosts: readonly string[];
  /** Digits only. */
  phones: readonly string[];
  emails: readonly string[];
}

/** The quick list's organisations, government domains and a few vendors answers cite. */
export const PUBLIC_CONTACTS: PublicContacts = {
  hosts: [
    ...DESTINATIONS.flatMap((d) => (d.url ? [new URL(d.url).hostname] : [])),
    ...DESTINATIONS.flatMap((d) => (d.email ? [d.email.split('@')[1]!] : [])),
    '.go.jp',
    '.lg.jp',
    'ipa.go.jp',
    'jpcert.or.jp',
    'jvn.jp',
    'antiphishing.jp',
    'microsoft.com',
    'support.microsoft.com',
    'google.com',
    'support.google.com',
    'apple.com',
    'support.apple.com',
    'cve.org',
    'nvd.nist.gov',
    'cisa.gov',
  ],
  phones: DESTINATIONS.flatMap((d) => [d.tel, d.fax].filter((t): t is string => !!t)).map((t) =>
    t.replace(/\D/g, ''),
  ),
  emails: DESTINATIONS.flatMap((d) => (d.email ? [d.email.toLowerCase()] : [])),
};

export interface Finding {
  kind: IdentifierKind;
  /** The text found (normalised). */
  text: string;
  /** Position in the normalised text. */
  start: number;
  end: number;
  /** For `place`: what replaces it. */
  replacement?: Localized;
}

/** The form text is compared in; scrubbed text is returned in it too. */
export function normalize(text: string): string {
  return text.normalize('NFKC');
}

// Hyphen-like characters people type between digits (after NFKC): - ‐ ‑ ‒ – — ― − ー
const SEP = '[\\-\\u2010-\\u2015\\u2212\\u30fc]';
const HAN = '\\p{Script=Han}々〆ヶ';
const KATA = '\\p{Script=Katakana}ー';

const NAME_CHARS = `[${HAN}${KATA}A-Za-z0-9&'・.\\-]`;
/**
 * A company name may start in hiragana (あおば商事): a run of two or more, starting where
 * a word can (not inside other hiragana, except after a particle), not with a particle,
 * and followed by kanji or katakana.
 */
const PARTICLES = 'のはがをにへとでもやか';
const HIRAGANA_START = `(?:(?<=^|[^ぁ-ゖ]|[${PARTICLES}])(?![${PARTICLES}])[ぁ-ゖ]{2,6}(?=[${HAN}${KATA}]))?`;
// Two-letter country codes are left out on purpose: too many file extensions (.py, .sh,
// .md, .pl) would read as host names.
const TLDS =
  'com|net|org|info|biz|io|co|jp|tokyo|xyz|top|online|site|shop|store|app|dev|cloud|me|tv|' +
  'cc|ru|cn|kr|tw|hk|us|uk|de|fr|nl|it|es|br|in|au|ca|vn|th|ph|id|my|sg|eu|asia|su|ua|ir|' +
  'kp|edu|gov|mil|int|club|live|xin|icu|work|link|click|email|page|biz|support|help|tech';

/** Honorifics after a name; the name is replaced and the honorific kept. */
const HONORIFICS = 'さん|様|さま|氏(?!名)|殿|くん|君|ちゃん|先生';

/** Words before an honorific that are not names (お客様, 担当者様, ユーザー様). */
const NOT_NAMES = new Set([
  '皆',
  '客',
  '奥',
  '神',
  '王',
  '同',
  '各',
  '貴',
  '先方',
  '相手',
  '担当',
  '担当者',
  '管理者',
  '責任者',
  '相談者',
  '利用者',
  '関係者',
  '社長',
  '部長',
  '課長',
  '係長',
  '店長',
  '上司',
  '同僚',
  '社員',
  '従業員',
  '職員',
  '顧客',
  '業者',
  '取引先',
  '家族',
  '主人',
  '息子',
  '娘',
  '父',
  '母',
  '兄',
  '姉',
  '医者',
  '大家',
  '貴社',
  '御社',
  '弊社',
  '当社',
  '会員',
  '先生',
  'ユーザー',
  'ユーザ',
  'メーカー',
  'ベンダー',
  'オーナー',
  'スタッフ',
  'サポート',
  'パートナー',
  'クライアント',
  'ゲスト',
  'メンバー',
  'カスタマー',
]);

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const isWordChar = (c: string | undefined) => !!c && /[A-Za-z0-9_]/.test(c);

/** A character as a pattern; kana match in hiragana and katakana alike (みどり = ミドリ). */
function eitherKana(c: string): string {
  const code = c.codePointAt(0)!;
  if (code >= 0x3041 && code <= 0x3096) return `[${c}${String.fromCodePoint(code + 0x60)}]`;
  if (code >= 0x30a1 && code <= 0x30f6) return `[${String.fromCodePoint(code - 0x60)}${c}]`;
  return escapeRegExp(c);
}

/**
 * A known identifier as a pattern: spaces anywhere in it optional, letters in any case,
 * kana in either script, whole words for Latin text.
 */
function knownPattern(term: string): RegExp | null {
  const chars = [...normalize(term).replace(/\s+/gu, '')];
  if (chars.length < 2) return null;
  const body = chars.map(eitherKana).join('\\s*');
  const before = isWordChar(chars[0]) ? '(?<![A-Za-z0-9_])' : '';
  const after = isWordChar(chars[chars.length - 1]) ? '(?![A-Za-z0-9_])' : '';
  return new RegExp(before + body + after, 'giu');
}

/** A phone number as digits with any separators between them. */
function digitsPattern(digits: string): RegExp | null {
  if (digits.length < 6) return null;
  const body = [...digits].join(`(?:\\s|${SEP}|[()])*`);
  return new RegExp(`(?<!\\d)${body}(?!\\d)`, 'gu');
}

type Detector = (text: string) => Finding[];

function matches(
  text: string,
  re: RegExp,
  kind: IdentifierKind,
  accept: (m: RegExpExecArray) => boolean = () => true,
): Finding[] {
  const found: Finding[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    if (accept(m)) found.push({ kind, text: m[0], start: m.index, end: m.index + m[0].length });
  }
  return found;
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/gu;
const URL_RE =
  /(?:(?:https?|hxxps?|ftp):\/\/|www\.)[^\s<>"'「」『』（）()、。，,]+(?<![.,;:!?])/giu;
const HOST = new RegExp(
  `(?<![A-Za-z0-9_@.\\-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.|\\[\\.\\]))+(?:${TLDS})(?![A-Za-z0-9_\\-]|\\.[A-Za-z0-9])`,
  'giu',
);
const IPV4 = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?:\/\d{1,2})?(?::\d{1,5})?(?![\d]|\.\d)/gu;
const IPV6 = /(?<![0-9A-Za-z:])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![0-9A-Za-z:])/gu;
const POSTAL_MARKED = new RegExp(`〒\\s*\\d{3}\\s*${SEP}?\\s*\\d{4}`, 'gu');
const POSTAL_BARE = new RegExp(`(?<![\\d\\-.])\\d{3}${SEP}\\d{4}(?![\\d\\-])`, 'gu');
const PHONE = new RegExp(
  `(?<![\\d])(?:\\+81[\\s\\-]?(?:\\(0\\)\\s?)?|\\(?0)\\d{1,4}\\)?(?:\\s?${SEP}\\s?|\\s|\\)|)\\d{1,4}(?:\\s?${SEP}\\s?|\\s|)\\d{3,4}(?!\\d)`,
  'gu',
);
const NUMERAL = '[0-9一二三四五六七八九十]+';
const ADDRESS = new RegExp(
  `(?:(?:東京都|北海道|京都府|大阪府|[${HAN}]{2,3}県)\\s*)?` +
    `(?:[${HAN}${KATA}]{1,8}?[市区町村郡]\\s*){1,2}` +
    `[${HAN}${KATA}]{0,10}?\\s*` +
    `${NUMERAL}\\s*(?:丁目|番地?|号|${SEP}|の)\\s*\\d+(?:\\s*(?:番地?|号|${SEP}|の)\\s*\\d+)?(?:\\s*号)?`,
  'gu',
);
const COMPANY_JA = new RegExp(
  `${HIRAGANA_START}${NAME_CHARS}+\\s?(?:${LEGAL_FORMS})(?:\\s?${HIRAGANA_START}${NAME_CHARS}+)?` +
    `|(?:${LEGAL_FORMS})\\s?${HIRAGANA_START}${NAME_CHARS}+`,
  'gu',
);
const COMPANY_EN = new RegExp(
  `(?<![A-Za-z])(?:[A-Z][A-Za-z0-9&'.-]*\\s){0,3}[A-Z][A-Za-z0-9&'-]*,?\\s(?:${ENGLISH_FORMS})`,
  'gu',
);
/** A name before an honorific; the honorific is captured to tell 林さん from 仕様. */
const HONORIFIC_HAN = new RegExp(
  `(?<![${HAN}])[${HAN}]{1,4}(?: [${HAN}]{1,4})?(?= ?(${HONORIFICS}))`,
  'gu',
);
const HONORIFIC_KATA = new RegExp(
  `(?<![${KATA}])[${KATA}]{2,10}(?: [${KATA}]{1,10})?(?= ?(${HONORIFICS}))`,
  'gu',
);
const TITLE_EN = /(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?/gu;
const LONG_NUMBER =
  /(?<![A-Za-z\d.,]|CVE-\d{4}-)\d{6,}(?![\d.,]|\s?[円万億件名人台回個%年月日時分秒])/gu;

/**
 * Whether the word before an honorific is a name: not a role (担当者様, お客様), and one
 * character only before さん or ちゃん (林さん), since 仕様, 同様 and 皆様 end in 様 too.
 */
function isName(m: RegExpExecArray): boolean {
  const word = m[0];
  if ([...word].length < 2 && !/^(?:さん|ちゃん)$/.test(m[1] ?? '')) return false;
  if (NOT_NAMES.has(word)) return false;
  for (const w of NOT_NAMES) if (w.length >= 2 && word.endsWith(w)) return false;
  return true;
}

function phoneDigits(text: string): string {
  const digits = text.replace(/\D/g, '');
  return digits.startsWith('81') && text.trimStart().startsWith('+')
    ? '0' + digits.slice(2).replace(/^0/, '')
    : digits;
}

function isIpv4(text: string): boolean {
  const addr = text.split(/[/:]/)[0]!;
  return addr.split('.').every((o) => Number(o) <= 255);
}

function isIpv6(text: string): boolean {
  const groups = text.split(':');
  const filled = groups.filter((g) => g.length > 0).length;
  const compressed = text.includes('::');
  if (text.indexOf('::') !== text.lastIndexOf('::')) return false;
  // Clock times (14:05:30) have three groups and no `::`.
  return filled >= 2 && (compressed || groups.length >= 6);
}

function hostAllowed(host: string, contacts: PublicContacts): boolean {
  const h = host.toLowerCase().replace(/\[\.\]/g, '.');
  return contacts.hosts.some((a) =>
    a.startsWith('.') ? h.endsWith(a) : h === a || h.endsWith('.' + a),
  );
}

function urlHost(url: string): string {
  const m = /^(?:[a-z]+:\/\/)?([^/:?#]+)/i.exec(url);
  return m ? m[1]! : url;
}

/** Every detector, most specific first: on the same span the earlier one names it. */
function detectors(known: KnownIdentifiers, contacts: PublicContacts): Detector[] {
  const termDetector =
    (terms: readonly string[], kind: IdentifierKind): Detector =>
    (text) =>
      terms.flatMap((t) => {
        const re = knownPattern(t);
        return re ? matches(text, re, kind) : [];
      });

  const names = known.names.flatMap((n) => {
    const whole = normalize(n).trim();
    const parts = whole.split(/\s+/u).filter((p) => [...p].length >= 2);
    return parts.length > 1 ? [whole, ...parts] : [whole];
  });
  const orgs = known.organisations.flatMap((o) => [o, organisationCore(o)]);
  const emails = known.emails;
  const parts = known.emails.map((e) => normalize(e).toLowerCase().split('@'));
  // Its domain is a host name; its local part is usually the person's name (yamada@…).
  const domains = parts.flatMap(([, domain]) => (domain ? [domain] : []));
  const locals = parts.flatMap(([local]) => (local && local.length >= 4 ? [local] : []));
  const phones = known.phones.map((p) => normalize(p).replace(/\D/g, ''));

  return [
    (text) =>
      known.places.flatMap((p) => {
        const re = knownPattern(p.text);
        // A place named inside its own area's name would be found again in the result.
        if (!re || normalize(p.replacement.ja).includes(normalize(p.text))) return [];
        return matches(text, re, 'place').map((f) => ({ ...f, replacement: p.replacement }));
      }),
    termDetector(emails, 'email'),
    (text) =>
      phones.flatMap((d) => {
        const re = digitsPattern(d);
        return re ? matches(text, re, 'phone') : [];
      }),
    termDetector(domains, 'host'),
    termDetector(orgs, 'organisation'),
    termDetector(names, 'name'),
    termDetector(locals, 'name'),
    (text) => matches(text, URL_RE, 'url', (m) => !hostAllowed(urlHost(m[0]), contacts)),
    (text) => matches(text, EMAIL, 'email', (m) => !contacts.emails.includes(m[0].toLowerCase())),
    (text) =>
      matches(text, IPV4, 'ip', (m) => isIpv4(m[0])).concat(
        matches(text, IPV6, 'ip', (m) => isIpv6(m[0])),
      ),
    (text) => matches(text, HOST, 'host', (m) => !hostAllowed(m[0], contacts)),
    (text) => matches(text, POSTAL_MARKED, 'postal-code'),
    (text) =>
      matches(text, PHONE, 'phone', (m) => {
        const d = phoneDigits(m[0]);
        return /^0\d{9,10}$/.test(d) && !contacts.phones.includes(d);
      }),
    (text) => matches(text, ADDRESS, 'address'),
    (text) => matches(text, POSTAL_BARE, 'postal-code'),
    (text) =>
      matches(text, COMPANY_JA, 'organisation').concat(matches(text, COMPANY_EN, 'organisation')),
    (text) =>
      matches(text, HONORIFIC_HAN, 'name', isName).concat(
        matches(text, HONORIFIC_KATA, 'name', isName),
      ),
    (text) => matches(text, TITLE_EN, 'name'),
    (text) => matches(text, LONG_NUMBER, 'number'),
  ];
}

/**
 * What identifies someone in `text`, in order of position, without overlaps: where two
 * findings overlap, the one starting first wins, then the longer, then the more specific.
 * Positions refer to `normalize(text)`.
 */
export function findIdentifiers(
  text: string,
  known: KnownIdentifiers = NO_KNOWN_IDENTIFIERS,
  contacts: PublicContacts = PUBLIC_CONTACTS,
): Finding[] {
  const normal = normalize(text);
  const all = detectors(known, contacts).flatMap((detect, rank) =>
    detect(normal).map((f) => ({ ...f, rank })),
  );
  all.sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start) || a.rank - b.rank);
  const kept: Finding[] = [];
  let end = 0;
  for (const f of all) {
    if (f.start < end) continue;
    kept.push({
      kind: f.kind,
      text: f.text,
      start: f.start,
      end: f.end,
      replacement: f.replacement,
    });
    end = f.end;
  }
  return kept;
}

/** What stands in the text where an identifier was. */
export function placeholder(f: Pick<Finding, 'kind' | 'replacement'>, lang: Lang): string {
  if (f.kind === 'place' && f.replacement) return f.replacement[lang];
  const label = IDENTIFIER_LABELS[f.kind][lang];
  return lang === 'ja' ? `〔${label}〕` : `[${label}]`;
}

/** The text, normalised, with every identifier replaced by what kind it was. */
export function scrub(
  text: string,
  known: KnownIdentifiers = NO_KNOWN_IDENTIFIERS,
  lang: Lang = 'ja',
  contacts: PublicContacts = PUBLIC_CONTACTS,
): string {
  const normal = normalize(text);
  let out = '';
  let at = 0;
  for (const f of findIdentifiers(normal, known, contacts)) {
    out += normal.slice(at, f.start) + placeholder(f, lang);
    at = f.end;
  }
  return out + normal.slice(at);
}
