/**
 * The Teams app's own notices, for the people who use Madoguchi at the desk (staff,
 * specialists, supervisors): its privacy statement (`/privacy`) and terms of use
 * (`/terms`), which the app package names as the developer's `privacyUrl` and
 * `termsOfUseUrl`. What the desk does with consulters' information is the web form's
 * notice (`privacy.ts`), which the privacy statement points to.
 */
import type { Localized } from '../../i18n/messages';
import { RETENTION_YEARS, type NoticeSection } from './privacy';

export interface Notice {
  title: Localized;
  intro: Localized;
  sections: readonly NoticeSection[];
}

export const APP_PRIVACY: Notice = {
  title: {
    ja: '窓口アプリのプライバシーに関する説明',
    en: 'Madoguchi: privacy statement',
  },
  intro: {
    ja: '窓口アプリ（Madoguchi）は、サイバーセキュリティ相談窓口（以下「当窓口」）の職員・専門員が Microsoft Teams と Outlook で相談を受け付け、対応し、記録するための業務システムです。ここでは、アプリを使う方について記録する情報とその扱いを説明します。相談者の情報の扱いは「個人情報の取扱いについて」（相談フォーム）のとおりです。',
    en: 'Madoguchi is the system with which the staff and specialists of the Cybersecurity Consultation Desk ("the desk") take, handle and record consultations in Microsoft Teams and Outlook. This statement says what it records about the people who use it, and how. How the desk handles consulters’ information is set out in "How we handle your personal information" (the consultation form).',
  },
  sections: [
    {
      heading: { ja: '1. 記録する情報', en: '1. What it records about you' },
      paragraphs: [],
      items: [
        {
          ja: 'Microsoft Entra ID のオブジェクト ID、表示名、Teams のユーザー ID、Teams の言語設定とボットで選んだ言語',
          en: 'your Microsoft Entra object ID, display name and Teams user ID, your Teams language and the language you chose in the bot',
        },
        {
          ja: 'ボットとの 1:1 チャットの宛先（通知を届けるため）',
          en: 'the address of your 1:1 chat with the bot (to deliver notices)',
        },
        {
          ja: '相談に対して行った操作（担当、依頼、回答、修正、完了など）と、その日時。相談記録の履歴として残ります',
          en: 'what you did on a consultation (claim, dispatch, answer, correction, close and so on) and when, kept in the record’s history',
        },
        {
          ja: 'あなたが書いたメモ・回答、Outlook から登録したメール',
          en: 'the notes and answers you write, and the emails you register from Outlook',
        },
      ],
    },
    {
      heading: { ja: '2. 利用の目的', en: '2. Why' },
      paragraphs: [
        {
          ja: '相談の割り当てと通知、誰がいつ何をしたかの記録（対応の説明責任）、業務量の統計のためにのみ利用します。',
          en: 'Only to assign consultations and tell people about them, to keep a record of who did what and when (the desk’s accountability), and for statistics of the desk’s workload.',
        },
      ],
    },
    {
      heading: { ja: '3. 見ることができる者', en: '3. Who sees it' },
      paragraphs: [
        {
          ja: '当窓口の職員・専門員・管理者が、役割に応じて見ることができます。当窓口の外に提供することはありません（法令に基づく場合を除きます）。メッセージとメールは、当窓口が利用する Microsoft 365（Teams、Outlook、Microsoft Graph）を通じてやり取りされます。',
          en: 'The desk’s staff, specialists and supervisors, as their roles allow. It is not given to anyone outside the desk, except where the law requires it. Messages and emails go through the Microsoft 365 services the desk uses (Teams, Outlook, Microsoft Graph).',
        },
      ],
    },
    {
      heading: { ja: '4. 保存期間', en: '4. How long' },
      paragraphs: [
        {
          ja: `操作の履歴は相談記録とともに保存します。相談者の個人情報は完了から${RETENTION_YEARS}年で消去しますが、担当した職員・専門員の名前と操作の履歴は、当窓口の業務の記録として残ります。システムの動作記録（ログ）には、メッセージの本文や個人情報を残しません。`,
          en: `The history of what was done is kept with the consultation’s record. Consulters’ personal data is erased ${RETENTION_YEARS} years after the consultation was closed; the names of the staff and specialists who handled it, and what they did, stay as the desk’s record of its work. The system’s operational logs never contain message texts or personal data.`,
        },
      ],
    },
    {
      heading: { ja: '5. お問い合わせ', en: '5. Questions' },
      paragraphs: [
        {
          ja: 'この説明や記録された情報についてのお問い合わせは、当窓口の管理者にご連絡ください。',
          en: 'Ask the desk’s supervisors about this statement or about what is recorded.',
        },
      ],
    },
  ],
};

export const APP_TERMS: Notice = {
  title: { ja: '窓口アプリの利用条件', en: 'Madoguchi: terms of use' },
  intro: {
    ja: '窓口アプリ（Madoguchi）を使う方は、次の条件に従ってください。',
    en: 'Whoever uses Madoguchi agrees to the following.',
  },
  sections: [
    {
      heading: { ja: '1. 利用できる方', en: '1. Who may use it' },
      paragraphs: [
        {
          ja: '当窓口が役割（一次対応、専門員、管理者）を設定した職員・専門員に限ります。役割のない方はアプリを開けますが、相談を操作することも相談台帳を見ることもできません。',
          en: 'The desk’s staff and specialists to whom the desk has given a role (first line, specialist, supervisor). Anyone else can open the app but can neither act on consultations nor open the ledger.',
        },
      ],
    },
    {
      heading: { ja: '2. 目的', en: '2. What for' },
      paragraphs: [
        {
          ja: '当窓口の相談対応の業務にのみ使ってください。',
          en: 'Only for the desk’s consultation work.',
        },
      ],
    },
    {
      heading: { ja: '3. 秘密の保持', en: '3. Confidentiality' },
      paragraphs: [
        {
          ja: '相談には事業者の秘密や個人情報が含まれます。業務に必要な範囲を超えて、複製したり当窓口の外に伝えたりしないでください。相談について話すときは、カードのスレッドかメモに書いてください。相談記録の一部として残ります。',
          en: 'Consultations contain businesses’ secrets and personal data. Do not copy them or tell anyone outside the desk beyond what the work needs. Talk about a consultation in its card’s thread or in a note: it becomes part of the record.',
        },
      ],
    },
    {
      heading: { ja: '4. 記録', en: '4. The record' },
      paragraphs: [
        {
          ja: 'アプリでの操作は、誰がいつ行ったかとともに相談記録の履歴に残り、消すことはできません。誤りは「記録を修正」で直し、修正したことも履歴に残ります。',
          en: 'Everything done in the app stays in the record’s history with who did it and when, and cannot be deleted. Mistakes are put right with "Edit the record", which the history also keeps.',
        },
        {
          ja: '相談者への回答は、当窓口の名で送られます。',
          en: 'Answers to consulters go out in the desk’s name.',
        },
      ],
    },
    {
      heading: { ja: '5. 変更', en: '5. Changes' },
      paragraphs: [
        {
          ja: '当窓口はこの条件を変更することがあります。最新の条件は、このページに掲載します。',
          en: 'The desk may change these terms. The current terms are always on this page.',
        },
      ],
    },
  ],
};
