import { compile, type FormatCallback } from 'html-to-text';
import { INTAKE_TEXT, type IntakeText } from './messages';

/** A message body as Graph gives it (`body`, `uniqueBody`). */
export interface GraphBody {
  contentType: 'html' | 'text';
  content: string;
}

/** An email body as plain text, split into what the sender wrote now and what they quoted. */
export interface EmailText {
  /** What the sender wrote in this message (the new part). */
  newText: string;
  /** Earlier messages the body quotes (replies, forwards); empty when none was found. */
  quoted: string;
  /** Whether the body was longer than the limit and was cut. */
  truncated: boolean;
  /** The body's size as received, in UTF-8 bytes. */
  receivedBytes: number;
}

export interface EmailTextOptions {
  /** Bodies longer than this (UTF-8 bytes of HTML or text) are cut, with a marker. */
  maxBytes: number;
}

/** Default limit of a body's size: 1 MB of HTML is far beyond any message a person writes. */
export const DEFAULT_BODY_MAX_BYTES = 1_000_000;

/** Inline images (`cid:`) stand as this marker; other images are dropped. */
const IMAGE: FormatCallback = (elem, _walk, builder) => {
  const src = String(elem.attribs?.src ?? '');
  if (/^cid:/i.test(src)) builder.addInline(text('image'));
};

/**
 * HTML to plain text as the record keeps it: no scripts, styles, head or embedded
 * objects; links as their text only (a link in a suspicious email is not made clickable
 * again); inline images as 「[画像]」; paragraphs and line breaks kept; no word wrapping
 * (Japanese has no spaces to wrap at, and the ledger wraps by itself).
 */
const htmlToText = compile({
  wordwrap: false,
  // The input is cut to the configured limit before this; the library's own limit is not the one.
  limits: { maxInputLength: undefined },
  formatters: { image: IMAGE },
  selectors: [
    { selector: 'a', options: { ignoreHref: true } },
    { selector: 'img', format: 'image' },
    ...['head', 'title', 'script', 'style', 'noscript', 'template', 'object', 'embed', 'iframe']
      .concat(['svg', 'video', 'audio', 'canvas', 'form', 'button', 'select', 'input'])
      .map((selector) => ({ selector, format: 'skip' })),
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({
      selector,
      options: { uppercase: false },
    })),
    { selector: 'table', format: 'block' },
    { selector: 'hr', format: 'blockString', options: { string: '' } },
    { selector: 'ul', options: { itemPrefix: '・' } },
    { selector: 'p', options: { leadingLineBreaks: 1, trailingLineBreaks: 1 } },
    { selector: 'blockquote', options: { trimEmptyLines: true } },
  ],
});

/**
 * Where a quoted earlier message starts in an HTML body, as mail programs mark it:
 * Outlook (`divRplyFwdMsg`, OWA's `appendonsend`, the new Outlook's reference container,
 * the desktop's grey rule above 「差出人:」/`From:`), Gmail (`gmail_quote`), Thunderbird
 * and Apple Mail (`<blockquote type="cite">`, `moz-cite-prefix`), and any `<blockquote>`.
 */
const HTML_QUOTE_STARTS: readonly RegExp[] = [
  /<div\b[^>]*\bid\s*=\s*["']?divRplyFwdMsg\b/i,
  /<div\b[^>]*\bid\s*=\s*["']?appendonsend\b/i,
  /<div\b[^>]*\bid\s*=\s*["']?mail-editor-reference-message-container\b/i,
  /<div\b[^>]*\bclass\s*=\s*["'][^"']*\b(gmail_quote|moz-cite-prefix|yahoo_quoted)\b/i,
  /<div\b[^>]*\bstyle\s*=\s*["'][^"']*border-top\s*:\s*solid\s+#(E1E1E1|B5C4DF)/i,
  /<blockquote\b/i,
];

/** Lines that begin a quoted earlier message in plain text (and in text made from HTML). */
const TEXT_QUOTE_STARTS: readonly RegExp[] = [
  /^\s*-{2,}\s*(Original Message|元のメッセージ|Forwarded message|転送されたメッセージ|転送メッセージ)\s*-{2,}/i,
  /^\s*_{8,}\s*$/, // Outlook's rule above 「差出人:」 in plain text
  /^.{0,200}\b(wrote|a écrit|schrieb)\s*[:：]\s*$/i,
  /^.{0,200}(のメッセージ|さんは書きました|が書きました|wrote)\s*[:：]\s*$/,
  /^\s*\d{4}年\s*\d{1,2}月\s*\d{1,2}日.{0,120}<[^<>\s]+@[^<>\s]+>\s*[:：]?\s*$/, // Gmail (ja)
  /^\s*On\s.{0,200}<[^<>\s]+@[^<>\s]+>\s*$/i, // "On …, Name <a@b>" with "wrote:" on the next line
];

/** A 「差出人: … / 送信日時: …」 (From: … Sent: …) header block starts a quoted message too. */
const FROM_LINE = /^\s*(From|差出人|送信者)\s*[:：]/i;
const SENT_LINE = /^\s*(Sent|Date|送信日時|日時|日付)\s*[:：]/i;

/**
 * The text of a message body, cut to the limit, with the quoted history separated from
 * what the sender wrote. When Graph gives `uniqueBody` (the part of the body unique to
 * this message), that is the new part; the quoted history still comes from `body`.
 */
export function emailText(
  body: GraphBody | null | undefined,
  uniqueBody: GraphBody | null | undefined,
  opts: EmailTextOptions = { maxBytes: DEFAULT_BODY_MAX_BYTES },
): EmailText {
  const content = body?.content ?? '';
  const receivedBytes = Buffer.byteLength(content, 'utf8');
  const cut = cutUtf8(content, opts.maxBytes);
  const truncated = cut.length < content.length;
  const whole = split(body?.contentType ?? 'text', cut);

  let newText = whole.newText;
  let quoted = whole.quoted;
  const unique = uniqueBody?.content
    ? split(uniqueBody.contentType, cutUtf8(uniqueBody.content, opts.maxBytes)).newText
    : '';
  if (unique) newText = unique;
  // A forward (or a body that is all quote) has nothing new: the quoted message is the content.
  if (!newText && quoted) [newText, quoted] = [quoted, ''];

  if (truncated) {
    const marker = bilingual('body_cut', { limit: formatBytes(opts.maxBytes) });
    if (quoted) quoted = `${quoted}\n\n${marker}`;
    else newText = `${newText}\n\n${marker}`;
  }
  return { newText, quoted, truncated, receivedBytes };
}

/** The text of one body, new part and quoted part. */
function split(
  contentType: GraphBody['contentType'],
  content: string,
): Omit<EmailText, 'truncated' | 'receivedBytes'> {
  if (contentType === 'html') {
    const at = htmlQuoteStart(content);
    const head = at === -1 ? content : content.slice(0, at);
    const tail = at === -1 ? '' : content.slice(at);
    const own = splitText(tidy(htmlToText(head)));
    const rest = tail ? tidy(htmlToText(tail)) : '';
    return { newText: own.newText, quoted: join(own.quoted, rest) };
  }
  return splitText(tidy(content));
}

/** The offset where the first quoted message starts in HTML, or -1; a rule just above it goes with it. */
function htmlQuoteStart(html: string): number {
  let at = -1;
  for (const re of HTML_QUOTE_STARTS) {
    const m = re.exec(html);
    if (m && (at === -1 || m.index < at)) at = m.index;
  }
  if (at <= 0) return at;
  const rule = /<hr\b[^>]*>\s*$/i.exec(html.slice(Math.max(0, at - 400), at));
  return rule ? at - rule[0].length : at;
}

/** Splits plain text at the first line that starts a quoted message (or a run of `>` lines). */
function splitText(text: string): { newText: string; quoted: string } {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const starts =
      TEXT_QUOTE_STARTS.some((re) => re.test(line)) ||
      (FROM_LINE.test(line) && lines.slice(i + 1, i + 4).some((l) => SENT_LINE.test(l))) ||
      (/^\s*>/.test(line) && (lines[i + 1] === undefined || /^\s*>/.test(lines[i + 1]!)));
    if (starts) {
      return {
        newText: lines.slice(0, i).join('\n').trim(),
        quoted: lines.slice(i).join('\n').trim(),
      };
    }
  }
  return { newText: text.trim(), quoted: '' };
}

/** Line ends as `\n`, no trailing spaces, non-breaking and zero-width spaces gone, at most one empty line. */
function tidy(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\u00a0\u3000]+$/gm, '')
    .replace(/\u00a0/g, ' ')
    .replace(/\u200b|\u200c|\u200d|\ufeff/g, '')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function join(a: string, b: string): string {
  return [a, b].filter(Boolean).join('\n\n');
}

/**
 * At most `maxBytes` of UTF-8, cut at a character boundary (a character split by the cut
 * is dropped, never turned into a replacement character).
 */
export function cutUtf8(text: string, maxBytes: number): string {
  // Cheap bound first: no string of n UTF-16 units is longer than 3n bytes.
  if (text.length * 3 <= maxBytes) return text;
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  let end = maxBytes;
  // Step back over continuation bytes (10xxxxxx) to the start of the character cut in two.
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString('utf8');
}

/** `1 MB`, `10 MB`, `512 KB`: how limits are named to people. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1_000_000 && bytes % 100_000 === 0) return `${bytes / 1_000_000} MB`;
  if (bytes >= 1_000) return `${Math.round(bytes / 1_000)} KB`;
  return `${bytes} B`;
}

/**
 * What a consultation email is about in a few lines: its subject and the first part of
 * what the sender wrote (never the quoted history).
 */
export function emailSummary(subject: string | null, newText: string, maxChars = 200): string {
  return [subject?.trim(), emailExcerpt(newText, maxChars)].filter(Boolean).join('\n');
}

/**
 * How much of a follow-up email the desk is told of: the card's thread line quotes the
 * first this many characters of what the sender wrote, and so does the 1:1 notice.
 */
export const EMAIL_EXCERPT_CHARS = 120;

/** Text on one line (runs of white space as one space), at most `maxChars` then 「…」. */
export function emailExcerpt(text: string, maxChars = EMAIL_EXCERPT_CHARS): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return [...flat].length > maxChars ? [...flat].slice(0, maxChars).join('') + '…' : flat;
}

/** What a 1:1 notice of a follow-up email quotes of it (plain text, not escaped). */
export interface EmailQuote {
  /** The subject on one line, cut as the excerpt is. */
  subject: string;
  /** The first words the sender wrote, as the thread line quotes them; '' when none. */
  excerpt: string;
}

/**
 * The subject and first words of a follow-up email, cut as the card's thread line cuts
 * them; null when it has no subject (the notice then says only that an email came).
 */
export function emailQuote(subject: string | null, newText: string | null): EmailQuote | null {
  const s = emailExcerpt(subject ?? '');
  return s ? { subject: s, excerpt: emailExcerpt(newText ?? '') } : null;
}

/**
 * The record's details for an email: what staff wrote (if anything), then what the sender
 * wrote, then the quoted history under its own heading — within `maxChars`, cut with a
 * marker (the email keeps its full text).
 */
export function recordDetails(
  text: EmailText,
  staffDetails: string | null,
  maxChars: number,
): string {
  const parts: string[] = [];
  if (staffDetails?.trim()) parts.push(staffDetails.trim(), bilingual('heading_email'));
  parts.push(text.newText || bilingual('no_text'));
  if (text.quoted) parts.push(bilingual('heading_quoted'), text.quoted);
  const full = parts.join('\n\n');
  const chars = [...full];
  if (chars.length <= maxChars) return full;
  const marker = `\n\n${bilingual('details_cut')}`;
  return chars.slice(0, Math.max(0, maxChars - marker.length)).join('') + marker;
}

/** One of the markers written into stored text: both languages, Japanese first. */
function bilingual(key: IntakeText, params: Record<string, string> = {}): string {
  const fill = (s: string) => s.replace(/\{(\w+)\}/g, (_, k: string) => params[k] ?? '');
  const m = INTAKE_TEXT[key];
  return m.ja === m.en ? fill(m.ja) : `${fill(m.ja)} / ${fill(m.en)}`;
}

function text(key: IntakeText): string {
  return INTAKE_TEXT[key].ja;
}
