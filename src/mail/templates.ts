/**
 * Answer templates per category, and the email an answer becomes. Everything here is
 * pure: a consultation and text in, text and HTML out; what the preview shows is what
 * is sent.
 */
import type { Consultation } from '../consultation/types';
import type { Lang, Localized } from '../i18n/messages';
import { categoryById, destinationsFor, type Destination } from '../knowledge/knowledge';

export interface AnswerTemplate {
  id: string;
  /** Categories it is written for; empty for the general one offered everywhere. */
  categoryIds: readonly string[];
  title: Localized;
  /** The text, with `{{placeholders}}` (see `PLACEHOLDERS`). */
  body: Localized;
}

/** What a template may say, filled in by `renderTemplate`. */
export const PLACEHOLDERS = [
  'consulterName',
  'number',
  'category',
  'destinations',
  'guidebook',
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

/** The desk's name as consulters know it, in emails' signatures. */
export const DESK_NAME: Localized = {
  ja: 'サイバーセキュリティ相談窓口',
  en: 'Cybersecurity Consultation Desk',
};

const GUIDEBOOK: Localized = {
  ja: '東京都「中小企業向けサイバーセキュリティ対策の極意」',
  en: 'the Tokyo Metropolitan Government guidebook "中小企業向けサイバーセキュリティ対策の極意" (Cybersecurity essentials for SMEs)',
};

const opening: Localized = {
  ja: '{{consulterName}}\n\nサイバーセキュリティ相談窓口です。\nご相談（相談番号 {{number}}）について、次のとおりご回答いたします。\n\n',
  en: '{{consulterName}},\n\nThis is the Cybersecurity Consultation Desk.\nHere is our answer to your consultation (number {{number}}).\n\n',
};

const closing: Localized = {
  ja: '\n\n■ 相談・届出先\n{{destinations}}\n\n■ 参考資料\n{{guidebook}}\n\nご不明な点やその後の状況の変化がありましたら、このメールにご返信ください。',
  en: '\n\nWhere to report and ask:\n{{destinations}}\n\nFurther reading:\n{{guidebook}}\n\nIf anything is unclear or the situation changes, please reply to this email.',
};

/** A template body: the common opening and closing around the category's own advice. */
const letter = (advice: Localized): Localized => ({
  ja: opening.ja + advice.ja + closing.ja,
  en: opening.en + advice.en + closing.en,
});

export const ANSWER_TEMPLATES: readonly AnswerTemplate[] = [
  {
    id: 'ransomware-first-response',
    categoryIds: ['ransomware'],
    title: { ja: 'ランサムウェア：初動対応', en: 'Ransomware: first response' },
    body: letter({
      ja: [
        'ランサムウェア（データを暗号化して身代金を要求する不正プログラム）の被害が疑われます。被害の拡大を防ぎ、復旧と届出に必要な情報を残すため、次の点をご確認ください。',
        '',
        '1. 感染が疑われる機器は、有線LANを抜き Wi-Fi を切って、ネットワークから切り離してください。電源は切らずにそのままにしてください（調査に必要な情報が失われることがあります）。',
        '2. 脅迫文の画面や名前が変わったファイルは、写真や画面のコピーで記録してください。ログや不審なファイルは削除しないでください。',
        '3. 身代金の支払いはお勧めしません。支払ってもデータが戻る保証はなく、再び狙われるおそれがあります。',
        '4. バックアップがある場合は、それ自体が暗号化されていないかを、ネットワークから切り離した状態で確認してください。',
        '5. 個人情報を含むデータが暗号化されたり持ち出されたりした可能性がある場合は、個人情報保護委員会への報告（速報はおおむね3〜5日以内）が必要になることがあります。',
      ].join('\n'),
      en: [
        'This looks like ransomware (malicious software that encrypts data and demands a ransom). To stop the damage from spreading and keep what recovery and reporting will need, please check the following.',
        '',
        '1. Disconnect the affected devices from the network (unplug the LAN cable, turn off Wi-Fi). Leave them switched on: switching off can lose information an investigation needs.',
        '2. Take photos or screenshots of the ransom note and of the renamed files. Do not delete logs or suspicious files.',
        '3. We advise against paying the ransom: paying does not guarantee your data back and can make you a target again.',
        '4. If you have backups, check, with the backup disconnected from the network, that they were not encrypted too.',
        '5. If data containing personal information may have been encrypted or taken, a report to the Personal Information Protection Commission may be required (preliminary report within about 3-5 days).',
      ].join('\n'),
    }),
  },
  {
    id: 'phishing-advice',
    categoryIds: ['phishing'],
    title: { ja: 'フィッシング：対処と情報提供', en: 'Phishing: what to do and where to report' },
    body: letter({
      ja: [
        'お知らせいただいたメールは、フィッシング（本物そっくりのメールやサイトで ID・パスワードやカード情報を盗む手口）の可能性があります。',
        '',
        '1. メールのリンクや添付ファイルは開かないでください。',
        '2. リンク先で ID・パスワードを入力してしまった場合は、ブックマークや公式アプリなど正規の入口からすぐにパスワードを変更し、同じパスワードを使っている他のサービスも変更してください。多要素認証の設定もお勧めします。',
        '3. カード情報を入力した場合は、カード会社に連絡して利用停止などをご相談ください。',
        '4. メールは削除せずに保存し、社内で注意を呼びかけたうえで、下記の窓口に情報提供してください。',
      ].join('\n'),
      en: [
        'The email you told us about may be phishing (look-alike emails and websites that steal IDs, passwords and card details).',
        '',
        '1. Do not open its links or attachments.',
        '2. If you entered an ID and password on the linked page, change the password at once through the genuine site (a bookmark or the official app), and also on any other service that uses the same password. We recommend turning on multi-factor authentication.',
        '3. If you entered card details, contact the card company about stopping the card.',
        '4. Keep the email rather than deleting it, warn your colleagues, and report it to the contacts below.',
      ].join('\n'),
    }),
  },
  {
    id: 'bec-advice',
    categoryIds: ['bec'],
    title: {
      ja: 'ビジネスメール詐欺：確認と送金後の対応',
      en: 'Business email compromise: checks and what to do after a transfer',
    },
    body: letter({
      ja: [
        'お知らせいただいた状況は、ビジネスメール詐欺（取引先や経営者になりすまして偽の口座へ送金させる手口）の可能性があります。',
        '',
        '1. 振込先の変更や急ぎの送金の依頼は、そのメールへの返信ではなく、以前から把握している電話番号など別の手段で、相手方に直接ご確認ください。',
        '2. すでに送金してしまった場合は、すぐに振込元の金融機関に連絡して組戻しを依頼し、あわせて警察にご相談ください。',
        '3. 自社のメールアカウントが乗っ取られている可能性があります。パスワードの変更と多要素認証の設定を行い、メールの自動転送設定やログイン履歴に不審な点がないかご確認ください。',
        '4. やり取りしたメールは、ヘッダー情報を含めて証拠として保存してください。',
      ].join('\n'),
      en: [
        'What you describe may be business email compromise (someone posing as a business partner or an executive to have money sent to a fraudulent account).',
        '',
        '1. Check any change of bank details or urgent payment request directly with the other party by another channel, such as a phone number you already had, not by replying to the email.',
        '2. If money has already been sent, contact the sending bank at once to ask for the transfer to be recalled, and talk to the police.',
        '3. Your own mail account may have been taken over: change the password, turn on multi-factor authentication, and check auto-forwarding rules and the sign-in history for anything unusual.',
        '4. Keep the emails exchanged, with their headers, as evidence.',
      ].join('\n'),
    }),
  },
  {
    id: 'support-scam-advice',
    categoryIds: ['support-scam'],
    title: {
      ja: 'サポート詐欺：画面の閉じ方と事後対応',
      en: 'Tech-support scam: closing the screen and after',
    },
    body: letter({
      ja: [
        'お知らせいただいた状況は、サポート詐欺（偽の警告画面で電話をかけさせ、遠隔操作ソフトの導入や支払いを求める手口）の可能性があります。',
        '',
        '1. 画面に表示された電話番号には電話しないでください。警告画面はブラウザを終了すれば消えることがほとんどです。閉じられない場合は、Ctrl＋Alt＋Delete からタスクマネージャーでブラウザを終了するか、パソコンを再起動してください。',
        '2. すでに電話をして遠隔操作ソフトを入れてしまった場合は、パソコンをネットワークから切り離してそのソフトを削除し、遠隔操作の間に入力・表示したパスワードを変更してください。',
        '3. 電子マネーやクレジットカードで支払ってしまった場合は、発行元やカード会社に連絡し、警察にもご相談ください。',
        '4. ウイルス対策ソフトでパソコン全体の検査を行ってください。',
      ].join('\n'),
      en: [
        'What you describe may be a tech-support scam (a fake warning screen that gets you to call, then asks you to install remote-control software or to pay).',
        '',
        '1. Do not call the number on the screen. Closing the browser usually makes the warning go away; if it will not close, end the browser from Task Manager (Ctrl+Alt+Delete) or restart the computer.',
        '2. If you already called and installed remote-control software, disconnect the computer from the network, remove that software, and change every password typed or shown while it was controlled.',
        '3. If you paid with prepaid cards or a credit card, contact the issuer or the card company, and talk to the police.',
        '4. Run a full scan with your antivirus software.',
      ].join('\n'),
    }),
  },
  {
    id: 'general',
    categoryIds: [],
    title: { ja: '一般（自由記述）', en: 'General (free text)' },
    body: letter({
      ja: '（ここに回答を書いてください）',
      en: '(Write the answer here.)',
    }),
  },
];

/** The templates offered for a category: its own first, then the general one. */
export function templatesFor(categoryId: string): AnswerTemplate[] {
  return [
    ...ANSWER_TEMPLATES.filter((t) => t.categoryIds.includes(categoryId)),
    ...ANSWER_TEMPLATES.filter((t) => t.categoryIds.length === 0),
  ];
}

export function templateById(id: string): AnswerTemplate | undefined {
  return ANSWER_TEMPLATES.find((t) => t.id === id);
}

/**
 * A template's text for this consultation, in `lang`: the consulter's name, the
 * consultation number, the category, where to report (from the knowledge base) and the
 * guidebook's sections filled in. Unknown placeholders are left as they are, so a
 * mistake shows in the preview instead of vanishing.
 */
export function renderTemplate(template: AnswerTemplate, c: Consultation, lang: Lang): string {
  const category = categoryById(c.categoryId);
  const values: Record<Placeholder, string> = {
    consulterName: addressee(c, lang),
    number: c.number,
    category: category ? category[lang] : c.categoryId,
    destinations: destinationList(destinationsFor(c.categoryId), lang),
    guidebook: guidebookLine(category?.guidebook ?? [], lang),
  };
  return template.body[lang].replace(/\{\{(\w+)\}\}/g, (whole, name: string) =>
    name in values ? values[name as Placeholder] : whole,
  );
}

/** How the letter addresses the consulter. */
function addressee(c: Consultation, lang: Lang): string {
  const { person, organisation } = c.consulter;
  if (lang === 'en') return `Dear ${person ?? organisation ?? 'Sir or Madam'}`;
  if (person) return organisation ? `${organisation}\n${person} 様` : `${person} 様`;
  return organisation ? `${organisation}\nご担当者 様` : 'ご相談者 様';
}

function destinationList(destinations: readonly Destination[], lang: Lang): string {
  if (destinations.length === 0) {
    return lang === 'ja' ? '（該当する窓口の登録はありません）' : '(none listed)';
  }
  return destinations
    .map((d) => {
      const lines = [`${lang === 'ja' ? '・' : '- '}${d.name[lang]}: ${d.purpose[lang]}`];
      if (d.tel) {
        const note = d.telNote
          ? lang === 'ja'
            ? `（${d.telNote.ja}）`
            : ` (${d.telNote.en})`
          : '';
        const hours = d.hours ? (lang === 'ja' ? `\u3000${d.hours.ja}` : `, ${d.hours.en}`) : '';
        lines.push(`  ${lang === 'ja' ? '電話' : 'Tel'} ${d.tel}${note}${hours}`);
      }
      if (d.url) lines.push(`  ${d.url}`);
      return lines.join('\n');
    })
    .join('\n');
}

function guidebookLine(sections: readonly string[], lang: Lang): string {
  if (sections.length === 0) {
    return lang === 'ja'
      ? `${GUIDEBOOK.ja}（該当箇所の指定はありません）`
      : `${GUIDEBOOK.en} (no sections given)`;
  }
  return lang === 'ja'
    ? `${GUIDEBOOK.ja} ${sections.join('、')}`
    : `${GUIDEBOOK.en}, sections ${sections.join(', ')}`;
}

/** The tag that ties an email to its case; a later email that keeps it can be matched. */
export function numberTag(number: string): string {
  return `【相談番号 ${number}】`;
}

/** Subjects longer than this are cut (Outlook and most clients show far less anyway). */
const MAX_SUBJECT = 200;

/**
 * The answer's subject. A reply keeps the consulter's subject after `RE:` and the
 * number (reply and forward prefixes, and an old tag for the same number, are not
 * repeated); a new mail is the number and the record's subject.
 */
export function answerSubject(c: Consultation, replyingTo: string | null): string {
  const tag = numberTag(c.number);
  if (replyingTo === null) return cut(`${tag}${oneLine(c.subject)}`);
  let rest = oneLine(replyingTo);
  for (;;) {
    const next = rest
      .replace(/^\s*(re|fw|fwd|aw|wg|返信|転送)\s*[:：]\s*/i, '')
      .replace(tag, '')
      .trim();
    if (next === rest) break;
    rest = next;
  }
  return cut(`RE: ${tag}${rest}`);
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();
const cut = (s: string) => (s.length > MAX_SUBJECT ? `${s.slice(0, MAX_SUBJECT - 1)}…` : s);

export interface RenderedEmail {
  html: string;
  text: string;
}

export interface RenderOptions {
  /** The language of the signature and the note under it (default Japanese). */
  lang?: Lang;
  /** The desk's name in the signature. */
  deskName?: Localized;
}

/**
 * The email an answer becomes: the answer as written (every character escaped, line
 * breaks kept), then the desk's signature with the consultation number and a request to
 * keep the number when replying. The HTML is what is sent; the text is the same for
 * places that cannot show HTML (the preview card).
 */
export function renderEmail(
  c: Consultation,
  answerBody: string,
  options: RenderOptions = {},
): RenderedEmail {
  const lang = options.lang ?? 'ja';
  const desk = (options.deskName ?? DESK_NAME)[lang];
  const body = answerBody.replace(/\r\n?/g, '\n').trim();
  const footer =
    lang === 'ja'
      ? [desk, `相談番号: ${c.number}`, 'ご返信の際は、件名の相談番号を消さずにお送りください。']
      : [
          desk,
          `Consultation number: ${c.number}`,
          'When you reply, please keep the number in the subject.',
        ];

  const text = `${body}\n\n--\n${footer.join('\n')}\n`;
  const html = [
    '<!DOCTYPE html>',
    `<html lang="${lang}"><head><meta charset="utf-8"></head>`,
    '<body style="font-family: \'Yu Gothic\', Meiryo, sans-serif; font-size: 14px; line-height: 1.7;">',
    `<div>${htmlLines(body)}</div>`,
    '<hr style="border: none; border-top: 1px solid #ccc; margin: 24px 0 12px;">',
    `<div style="color: #555; font-size: 12px;">${footer.map(escapeHtml).join('<br>\n')}</div>`,
    '</body></html>',
    '',
  ].join('\n');
  return { html, text };
}

/** Escaped text with its line breaks and runs of spaces kept. */
function htmlLines(text: string): string {
  return text
    .split('\n')
    .map((line) =>
      escapeHtml(line)
        .replace(/\t/g, '&nbsp;&nbsp;&nbsp;&nbsp;')
        .replace(/ {2}/g, ' &nbsp;')
        .replace(/^ /, '&nbsp;'),
    )
    .join('<br>\n');
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch]!);
}
