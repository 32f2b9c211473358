/**
 * The privacy notice shown at `/consult/privacy` and agreed to on the form: what the desk
 * keeps, why, for how long, who sees it, and how to ask about it, under Japan's Act on
 * the Protection of Personal Information (個人情報の保護に関する法律). Changing what it
 * says means raising `PRIVACY_NOTICE_VERSION`: a record says which version was agreed to.
 */
import type { Localized } from '../../i18n/messages';

/** The notice's version, kept with every consultation filed on the web. */
export const PRIVACY_NOTICE_VERSION = '2026-11';

/** How long records are kept after the consultation is closed. */
export const RETENTION_YEARS = 5;

export interface NoticeSection {
  heading: Localized;
  paragraphs: readonly Localized[];
  items?: readonly Localized[];
}

export const PRIVACY_INTRO: Localized = {
  ja: 'サイバーセキュリティ相談窓口（以下「当窓口」）は、相談フォームでお預かりする個人情報を、個人情報の保護に関する法律（個人情報保護法）その他の関係法令に従い、次のとおり取り扱います。',
  en: 'The Cybersecurity Consultation Desk ("the desk") handles the personal information you give in the consultation form as follows, in accordance with the Act on the Protection of Personal Information and other applicable laws of Japan.',
};

export const PRIVACY_SECTIONS: readonly NoticeSection[] = [
  {
    heading: { ja: '1. お預かりする情報', en: '1. What we keep' },
    paragraphs: [
      {
        ja: 'フォームにご記入いただいた次の情報と、受け付けた日時です。',
        en: 'What you write in the form, and when we received it:',
      },
    ],
    items: [
      {
        ja: '事業者名・団体名、お名前、メールアドレス、電話番号、業種、従業員数、所在地（区市町村）',
        en: 'the name of your business or organisation, your name, email address, phone number, industry, number of employees and municipality',
      },
      {
        ja: 'ご相談の分類・お急ぎの度合い・内容、状況についてのご回答',
        en: 'what your consultation is about, how urgent it is, what you wrote, and your answers about the situation',
      },
      {
        ja: 'ご相談への回答、当窓口とのやり取り、対応の経過',
        en: 'our answers, what we and you write to each other, and how the consultation was handled',
      },
    ],
  },
  {
    heading: { ja: '2. 利用の目的', en: '2. Why we keep it' },
    paragraphs: [
      {
        ja: 'お預かりした情報は、次の目的にのみ利用します。',
        en: 'We use it only to:',
      },
    ],
    items: [
      {
        ja: 'ご相談の内容を確認し、回答・助言を行うこと、そのためにご連絡すること',
        en: 'understand your consultation, answer and advise you, and contact you for that',
      },
      {
        ja: '同じ事業者からの続くご相談に、これまでの経過を踏まえて対応すること',
        en: 'handle later consultations from the same business in the light of earlier ones',
      },
      {
        ja: '相談対応の質の向上と、個人や事業者が特定されない形に加工した統計（相談件数・傾向など）の作成・公表',
        en: 'improve how we answer, and produce and publish statistics (numbers and trends of consultations) in a form that identifies no person or business',
      },
    ],
  },
  {
    heading: { ja: '3. 情報を扱う者と第三者への提供', en: '3. Who sees it, and sharing' },
    paragraphs: [
      {
        ja: 'ご相談の記録を見ることができるのは、相談対応を行う当窓口の職員と専門の相談員に限られます。',
        en: 'Only the desk’s staff and the specialists who handle consultations can see the records.',
      },
      {
        ja: '法令に基づく場合を除き、ご本人の同意なく第三者に提供することはありません。警察その他の関係機関への相談や届出が望ましいと考えられる場合も、ご本人にお伝えし、同意をいただいてから情報をお伝えします。',
        en: 'We do not give your information to anyone else without your consent, except where the law requires it. Where we think a report to the police or another body would help, we tell you and share information only with your agreement.',
      },
      {
        ja: '相談記録は、当窓口が利用する Microsoft 365 および Microsoft Azure のサービス上で管理します。システムの運用を委託する場合は、委託先に必要な安全管理を求め、監督します。',
        en: 'Records are kept on the Microsoft 365 and Microsoft Azure services the desk uses. Where we have others operate the system for us, we require and oversee the security measures needed.',
      },
    ],
  },
  {
    heading: { ja: '4. 保存期間', en: '4. How long we keep it' },
    paragraphs: [
      {
        ja: `ご相談の記録は、対応が完了した日から${RETENTION_YEARS}年間保存し、その後は速やかに消去します。同じ事業者から続けてご相談があった場合は、最後の対応が完了した日から数えます。統計は、個人や事業者が特定されない形で保存します。`,
        en: `We keep the record of a consultation for ${RETENTION_YEARS} years from the day it was closed, then delete it promptly. When the same business consults us again, the period runs from the close of the latest consultation. Statistics are kept in a form that identifies no person or business.`,
      },
      {
        ja: '不正な大量送信を防ぐため、送信元の IP アドレスを最長10分間サーバーのメモリ上で扱いますが、記録として保存はしません。',
        en: 'To stop automated mass submissions, the server holds the sending IP address in memory for up to 10 minutes; it is not kept in any record.',
      },
    ],
  },
  {
    heading: { ja: '5. 安全管理', en: '5. Keeping it safe' },
    paragraphs: [
      {
        ja: '通信は暗号化し、記録を閲覧・変更できる者を限定したうえで、いつ誰が記録を変更したかを記録しています。システムの動作記録（ログ）には、ご相談の内容やお名前・連絡先を残しません。',
        en: 'Connections are encrypted, only those who need it can see or change records, and every change is recorded with who made it and when. The system’s operational logs never contain what you wrote, your name or your contact details.',
      },
    ],
  },
  {
    heading: { ja: '6. 任意のご記入について', en: '6. What you must give' },
    paragraphs: [
      {
        ja: 'ご記入は任意ですが、お名前と、メールアドレスまたは電話番号がない場合は、回答をお届けできないため受け付けられません。',
        en: 'Everything is voluntary, but without your name and an email address or a phone number we cannot answer you, so the form needs them.',
      },
    ],
  },
  {
    heading: {
      ja: '7. 開示・訂正・利用停止などのご請求',
      en: '7. Seeing, correcting or deleting it',
    },
    paragraphs: [
      {
        ja: 'ご本人は、当窓口が保有するご自身の情報について、開示、訂正、追加、削除、利用の停止または消去を求めることができます。受付番号を添えて、当窓口までご連絡ください。ご本人であることを確認したうえで、法令に従って対応します。',
        en: 'You may ask us to show you the information we hold about you, and to correct, add to, delete or stop using it. Contact the desk with your consultation number; we confirm that you are who you say and act as the law provides.',
      },
    ],
  },
];
