/**
 * What the task pane's form can guess from an email before staff look at it: the
 * consulter's organisation, name and phone from the signature, a likely category and
 * urgency from the words used, and a subject without "RE:". Pure functions: no Office,
 * no DOM, no network. Every guess is only a starting value that staff confirm or edit.
 */
import { CATEGORIES, DEFAULT_CATEGORY_ID, type Category } from '../../src/knowledge/knowledge';
import type { Urgency } from '../../src/consultation/types';

export interface EmailForPrefill {
  subject: string;
  /** The sender as Outlook shows it; null when Outlook does not say. */
  from: { name: string; address: string } | null;
  /** The body as plain text (Office's `body.getAsync(text)`). */
  bodyText: string;
}

export interface Prefill {
  organisation: string;
  person: string;
  phone: string;
  categoryId: string;
  urgency: Urgency;
  subject: string;
}

/** The longest subject the API accepts (LIMITS.subject). */
export const SUBJECT_MAX = 200;

/** Everything the form can fill in, each field '' when nothing fits. */
export function prefill(email: EmailForPrefill): Prefill {
  const text = newText(email.bodyText);
  const signature = readSignature(text, email.from?.name ?? '');
  const subject = cleanSubject(email.subject);
  const words = `${subject}\n${text}`;
  return {
    ...signature,
    categoryId: guessCategory(words),
    urgency: guessUrgency(words),
    subject,
  };
}

// ---------------------------------------------------------------------------
// The new part of a message (the quoted history cut off)

const QUOTE_SEPARATOR =
  /^[-_=\s]*(original message|元のメッセージ|転送されたメッセージ|forwarded message|転送メッセージ)[-_=\s]*$/i;
const HEADER_FROM = /^(from|差出人|送信者|送信元)\s*[:：]/i;
const HEADER_NEXT = /^(sent|date|to|subject|送信日時|送信日|日時|日付|宛先|件名)\s*[:：]/i;
const WROTE = /(wrote|のメッセージ|書きました|書き込みました)\s*[:：]?\s*$/i;
const GMAIL_JA = /^\d{4}年\d{1,2}月\d{1,2}日.*<[^<>\s]+@[^<>\s]+>\s*[:：]\s*$/;

/**
 * The text the sender wrote in this message: everything before the quoted history
 * (Outlook's 「-----Original Message-----」/「-----元のメッセージ-----」 and From/Sent
 * header blocks, "… wrote:", 「…のメッセージ:」, lines quoted with ">").
 */
export function newText(body: string): string {
  const lines = body.replace(/\r\n?/g, '\n').split('\n');
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    const next = lines
      .slice(i + 1, i + 4)
      .map((l) => l.trim())
      .filter((l) => l !== '');
    if (
      QUOTE_SEPARATOR.test(line) ||
      (HEADER_FROM.test(line) && next.some((l) => HEADER_NEXT.test(l))) ||
      (WROTE.test(line) && (/^on\s/i.test(line) || /@/.test(line) || /\d/.test(line))) ||
      GMAIL_JA.test(line) ||
      (line.startsWith('>') && i > 0)
    ) {
      end = i;
      break;
    }
  }
  return lines.slice(0, end).join('\n').trim();
}

// ---------------------------------------------------------------------------
// The signature

export interface Signature {
  organisation: string;
  person: string;
  phone: string;
}

const DELIMITER = /^(--|-{3,}|_{3,}|={3,}|\*{3,}|[━─＿～〜■□◆◇・…]{3,}|[-=*~]{2,}\s*[-=*~]*)\s*$/;
/** How far from the end a signature is looked for. */
const SIGNATURE_LINES = 8;

const LEGAL_FORMS_JA = [
  '株式会社',
  '有限会社',
  '合同会社',
  '合資会社',
  '合名会社',
  '一般社団法人',
  '公益社団法人',
  '一般財団法人',
  '公益財団法人',
  '社団法人',
  '財団法人',
  '医療法人',
  '社会福祉法人',
  '特定非営利活動法人',
  'NPO法人',
  '学校法人',
  '税理士法人',
  '弁護士法人',
  '司法書士法人',
  '行政書士法人',
  '監査法人',
  '協同組合',
  '㈱',
  '㈲',
  '(株)',
  '（株）',
  '(有)',
  '（有）',
];
/** Businesses that often go without a legal form: 「高橋クリニック」「鈴木商店」. */
const ORG_ENDINGS_JA =
  /(事務所|クリニック|医院|病院|歯科|商店|商会|商事|工業|製作所|工務店|薬局|研究所|協会|組合|学園|旅館|ホテル|デザイン|システムズ|ソリューションズ)$/;
const ORG_EN =
  /(^|[\s,])(inc\.?|co\.,?\s*ltd\.?|ltd\.?|llc|l\.l\.c\.|corp\.?|corporation|company|k\.k\.|g\.k\.|limited|gmbh|llp|plc)(?=$|[\s,.)])/i;
const DEPARTMENT_JA =
  /(部|課|室|係|グループ|チーム|センター|本部|支店|支社|営業所|事業部|局|担当|部門|委員会)$/;
const TITLE_JA =
  /^(代表取締役(社長)?|取締役|社長|副社長|専務|常務|会長|顧問|部長|次長|課長|係長|主任|主査|室長|所長|院長|副院長|事務長|理事長|理事|店長|支店長|マネージャー|マネジャー|リーダー|代表|担当|担当者|社員|職員|税理士|弁護士)$/;
const LABEL = /^(氏名|名前|担当|担当者|差出人|name)\s*[:：]\s*/i;
const NAME_PART_JA =
  /^([\p{Script=Han}々〆ヶ]{1,5}|[\p{Script=Katakana}ー・]{2,10}|[\p{Script=Hiragana}]{2,6})$/u;
const NAME_EN =
  /^(?:(?:mr|ms|mrs|dr)\.?\s+)?[A-Z][a-zA-Z'’-]+(?:\s+[A-Z]\.)?(?:\s+[A-Z][a-zA-Z'’-]+){1,2}$/;
const CLOSING_EN =
  /^((best|kind|warm|many)\s+)?(regards|wishes|thanks)[,.!]?$|^(sincerely|cheers|thank you|yours( truly| sincerely)?)[,.!]?$/i;
const TITLE_EN =
  /\b(manager|director|officer|head|engineer|president|ceo|cto|cio|ciso|administrator|department|dept\.?|division|section|team|lead|owner|founder|staff|assistant|general affairs)\b/i;
const NOT_A_NAME = /[@:：/\\0-9０-９〒（）()「」、。,.!?！？]/;

/** A line in pieces: parentheses removed, split on spaces (ASCII and full-width). */
function tokens(line: string): string[] {
  return protectLegalForms(line)
    .replace(/（[^）]*）|\([^)]*\)/g, ' ')
    .split(/[\s\u3000]+/)
    .map(restoreLegalForms)
    .filter((t) => t !== '');
}

// 「(株)」 would be lost with the other parentheses; keep it as one character meanwhile.
const PROTECTED: [string, string][] = [
  ['(株)', '\u{F0001}'],
  ['（株）', '\u{F0002}'],
  ['(有)', '\u{F0003}'],
  ['（有）', '\u{F0004}'],
];
const protectLegalForms = (s: string): string =>
  PROTECTED.reduce((acc, [from, to]) => acc.split(from).join(to), s);
const restoreLegalForms = (s: string): string =>
  PROTECTED.reduce((acc, [from, to]) => acc.split(to).join(from), s);

const hasLegalForm = (token: string): boolean => LEGAL_FORMS_JA.some((f) => token.includes(f));
const isOrgToken = (token: string): boolean =>
  hasLegalForm(token) || (ORG_ENDINGS_JA.test(token) && token.length >= 3);

/** The organisation named in one line, or null. */
function organisationIn(line: string): string | null {
  const parts = tokens(line);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (!isOrgToken(part)) continue;
    // 「株式会社 山田精工」「山田精工 株式会社」: the legal form stands alone.
    if (LEGAL_FORMS_JA.includes(part)) {
      const next = parts[i + 1];
      const prev = parts[i - 1];
      if (part.startsWith('株') || part.startsWith('有') || part.startsWith('合')) {
        if (next && !isOrgToken(next)) return `${part}${next}`;
      }
      if (prev && !isOrgToken(prev)) return `${prev}${part}`;
      if (next) return `${part}${next}`;
    }
    return part.replace(/[、,。]+$/, '');
  }
  const plain = line.replace(/\s+/g, ' ').trim();
  if (!ORG_EN.test(plain) || /@/.test(plain) || plain.length > 100) return null;
  // "IT Manager, Acme Trading Co., Ltd." : the part with the company form, commas of
  // "Co., Ltd." left alone.
  const part =
    plain
      .split(/\s*[|｜]\s*|\s+[-–]\s+|,(?!\s*(?:ltd|inc|llc|limited|corp)\b)\s*/i)
      .find((p) => ORG_EN.test(p) && !TITLE_EN.test(p)) ?? plain;
  return part.replace(/^[-–|•*\s]+|[\s,;|]+$/g, '');
}

/** 「株式会社山田精工の山田です」「有限会社佐藤商事の佐藤と申します」 at the start of a message. */
const SELF_INTRODUCTION = /^(.{2,50}?)の(.{1,12}?)(です|と申します|でございます)/;

/** A Japanese name (「山田 太郎」「高橋次郎」) in one line of a signature, or null. */
function japaneseNameIn(line: string): string | null {
  // 「山田太郎 TEL 03-…」: the name is before the number, address or link.
  const label = PHONE_LABEL.exec(line);
  const head = (label ? line.slice(0, label.index) : line)
    .replace(/\S*@\S*|https?:\/\/\S*/g, ' ')
    .trim();
  if (head === '' || /〒/.test(head) || /\d{2,}/.test(head.normalize('NFKC'))) return null;
  const parts = tokens(head.replace(LABEL, ''));
  const found: string[] = [];
  for (const part of parts) {
    const bare = part.replace(/[、,。]+$/, '');
    const skip =
      isOrgToken(bare) ||
      TITLE_JA.test(bare) ||
      (DEPARTMENT_JA.test(bare) && bare.length >= 2 && found.length === 0);
    if (skip) {
      if (found.length) break;
      continue;
    }
    if (NAME_PART_JA.test(bare) && found.length < 2) {
      found.push(bare);
      continue;
    }
    if (found.length) break;
    return null; // words that are not a name: a sentence, not a signature line
  }
  if (!found.length) return null;
  const name = found.join(' ');
  return name.replace(/\s/g, '').length >= 2 ? name : null;
}

const plausiblePerson = (name: string): boolean =>
  name.trim() !== '' &&
  !/@/.test(name) &&
  !hasLegalForm(name) &&
  !ORG_EN.test(name) &&
  !/^(info|support|admin|contact|office|sales|soumu|総務|問い合わせ|お問い合わせ)/i.test(name);

/**
 * The organisation, person and phone in the last lines of the text (after a "--"
 * line when there is one), helped by the name Outlook shows for the sender.
 */
export function readSignature(text: string, senderName: string): Signature {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  // A signature framed by rules (━━━ … ━━━): the closing rule is not where it starts.
  while (lines.length && DELIMITER.test(lines[lines.length - 1]!)) lines.pop();
  let start = Math.max(0, lines.length - SIGNATURE_LINES);
  for (let i = lines.length - 1; i >= Math.max(0, lines.length - 14); i--) {
    if (DELIMITER.test(lines[i]!)) {
      start = i + 1;
      break;
    }
  }
  // Sentences (「…の佐藤と申します。」) are the letter, not its signature.
  const signature = lines
    .slice(start)
    .filter((l) => !/[。！？]/.test(l) && !SELF_INTRODUCTION.test(l) && l.length <= 80);

  let organisation: string | null = null;
  for (const line of signature) {
    organisation = organisationIn(line);
    if (organisation) break;
  }
  const intro = lines
    .slice(0, 4)
    .map((l) => SELF_INTRODUCTION.exec(l))
    .find(Boolean);
  if (!organisation && intro) {
    const candidate = intro[1]!.replace(/（[^）]*）|\([^)]*\)/g, '').trim();
    if (isOrgToken(candidate.replace(/\s/g, ''))) organisation = candidate;
  }

  return {
    organisation: organisation ?? '',
    person: personIn(signature, senderName),
    phone: phoneIn(signature.join('\n')) ?? phoneIn(lines.join('\n')) ?? '',
  };
}

function personIn(signature: string[], senderName: string): string {
  const sender = senderName.replace(/\s+/g, ' ').trim();
  const senderOk = plausiblePerson(sender);
  const compact = (s: string) => s.replace(/[\s\u3000]/g, '').toLowerCase();

  let found: string | null = null;
  for (const line of signature) {
    found = japaneseNameIn(line);
    if (found) break;
  }
  if (!found) {
    for (let i = 0; i < signature.length; i++) {
      const line = signature[i]!;
      const afterClosing = i > 0 && CLOSING_EN.test(signature[i - 1]!);
      if (NAME_EN.test(line) && !TITLE_EN.test(line) && !ORG_EN.test(line)) {
        found = line;
        if (afterClosing) break;
        break;
      }
    }
  }
  if (found && senderOk) {
    // The sender's display name is fuller when it contains what the signature says
    // (「鈴木」 in the text, 「鈴木 一郎」 in Outlook).
    if (compact(sender).includes(compact(found))) return sender;
  }
  if (found && !NOT_A_NAME.test(found)) return found;
  return senderOk ? sender : '';
}

// ---------------------------------------------------------------------------
// Phone numbers

const DASHES = /[‐‑‒–—―−－ーｰ]/g;
const PHONE_LABEL =
  /(tel|phone|mobile|mob|direct|office|電話番号|電話|携帯|直通|代表|ＴＥＬ|Ｔｅｌ)\s*[.:：]?\s*/i;
const PHONE_NUMBER = /\+?\(?\d[\d\s()-]{4,22}\d/;
const FAX = /(fax|ファックス|ファクス|ＦＡＸ)\s*[.:：]?\s*\+?[\d\s()-]{6,24}/gi;
/** What the API accepts as a phone number (consulterSchema). */
export const PHONE_PATTERN = /^\+?[0-9()\-\s]{6,24}$/;

/** The first phone number in the text, labelled ones (TEL, 電話) first; faxes never. */
export function phoneIn(text: string): string | null {
  const normal = text.normalize('NFKC').replace(DASHES, '-').replace(FAX, ' ');
  for (const line of normal.split('\n')) {
    const label = PHONE_LABEL.exec(line);
    if (!label) continue;
    const number = PHONE_NUMBER.exec(line.slice(label.index + label[0].length));
    if (number && number.index <= 2) {
      const phone = tidyPhone(number[0]);
      if (phone) return phone;
    }
  }
  const bare = /(?:\+81[\s-]?|\b0)\d{1,4}[-\s(]\d{1,4}[-\s)]\s?\d{3,4}\b/.exec(normal);
  return bare ? tidyPhone(bare[0]) : null;
}

function tidyPhone(raw: string): string | null {
  let phone = raw.replace(/\s+/g, ' ').trim();
  // 「03-0000-1234（代表）」: a bracket left open by the cut is not part of the number.
  if ((phone.match(/\(/g) ?? []).length !== (phone.match(/\)/g) ?? []).length) {
    phone = phone.replace(/\s*\(\s*$/, '').replace(/^\(\s*/, '');
  }
  const digits = phone.replace(/\D/g, '').length;
  return digits >= 9 && digits <= 15 && PHONE_PATTERN.test(phone) ? phone : null;
}

// ---------------------------------------------------------------------------
// Category, urgency, subject

/** Latin-letter keywords match where a word starts; Japanese ones anywhere. */
function keywordMatcher(keyword: string): (text: string) => boolean {
  if (/^[\x20-\x7e]+$/.test(keyword)) {
    const escaped = keyword.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const re = new RegExp(`(^|[^a-z0-9])${escaped}`, 'i');
    return (text) => re.test(text);
  }
  return (text) => text.includes(keyword);
}

/**
 * The category whose keywords occur most often in the text (each keyword counted once;
 * a tie goes to the category listed first), or the default category when none occurs.
 */
export function guessCategory(text: string, categories: readonly Category[] = CATEGORIES): string {
  const haystack = text.normalize('NFKC').toLowerCase();
  let best = { id: DEFAULT_CATEGORY_ID, score: 0 };
  for (const category of categories) {
    const score = (category.keywords ?? []).filter((k) =>
      keywordMatcher(k.normalize('NFKC').toLowerCase())(haystack),
    ).length;
    if (score > best.score) best = { id: category.id, score };
  }
  return best.id;
}

const URGENCY_WORDS: { urgency: Urgency; words: string[] }[] = [
  // Said to be not urgent: that wins over any alarming word elsewhere.
  {
    urgency: 'low',
    words: [
      '急ぎません',
      '急ぎではありません',
      'お急ぎではありません',
      'お時間のある時',
      'お時間のあるとき',
      '参考までに',
      'no rush',
      'not urgent',
      'when you have time',
    ],
  },
  {
    urgency: 'critical',
    words: [
      '大至急',
      '至急',
      '緊急',
      'ランサム',
      '身代金',
      '暗号化され',
      '業務が止ま',
      '業務停止',
      '被害が拡大',
      'ransom',
      'urgent',
      'emergency',
    ],
  },
  {
    urgency: 'high',
    words: [
      '急ぎ',
      '早急',
      'すぐに',
      '不正送金',
      '振り込みました',
      '送金してしまい',
      '漏えい',
      '漏洩',
      '流出',
      '乗っ取',
      'asap',
      'as soon as possible',
      'leak',
      'breach',
      'compromised',
    ],
  },
];

/** Urgency from the words used: 至急/緊急/ransom → critical, 漏えい/急ぎ → high, else normal. */
export function guessUrgency(text: string): Urgency {
  const haystack = text.normalize('NFKC').toLowerCase();
  for (const { urgency, words } of URGENCY_WORDS) {
    if (words.some((w) => keywordMatcher(w)(haystack))) return urgency;
  }
  return 'normal';
}

const REPLY_PREFIX =
  /^\s*(re|fw|fwd|aw|wg|sv|vs|返信|転送|ｒｅ|ｆｗ)\s*(\[\d+\]|\(\d+\))?\s*[:：]\s*/i;

/** The subject without "RE:"/"FW:"/「転送:」 prefixes, at most SUBJECT_MAX characters. */
export function cleanSubject(subject: string): string {
  let s = subject.replace(/\s+/g, ' ').trim();
  while (REPLY_PREFIX.test(s)) s = s.replace(REPLY_PREFIX, '');
  return [...s].slice(0, SUBJECT_MAX).join('');
}
