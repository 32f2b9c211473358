/**
 * Every word the task pane shows, Japanese first. The pane picks one language at start
 * from Outlook's display language (`Office.context.displayLanguage`).
 */
import type { Lang, Localized } from '../../src/i18n/messages';

export type { Lang, Localized };

/** 'ja' for Japanese and when Outlook does not say; English for any other language. */
export function languageOf(displayLanguage: string | null | undefined): Lang {
  if (!displayLanguage) return 'ja';
  return displayLanguage.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

type Params = Record<string, string | number>;

const fill = (text: string, params: Params): string =>
  text.replace(/\{(\w+)\}/g, (whole, key: string) => (key in params ? String(params[key]) : whole));

export const PANE_MESSAGES = {
  title: { ja: '窓口 — 相談として登録', en: 'Madoguchi — register as a consultation' },
  'email.from': { ja: '差出人', en: 'From' },
  'email.subject': { ja: '件名', en: 'Subject' },
  'email.received': { ja: '受信日時', en: 'Received' },
  'email.noSubject': { ja: '（件名なし）', en: '(no subject)' },
  'email.sharedMailbox': { ja: '共有メールボックス', en: 'Shared mailbox' },

  'loading.mail': { ja: 'メールを読み込んでいます…', en: 'Reading the email…' },
  'loading.signIn': { ja: '窓口にサインインしています…', en: 'Signing in to Madoguchi…' },
  'loading.status': {
    ja: 'このメールが登録済みか確認しています…',
    en: 'Checking whether this email is already registered…',
  },

  'signedOut.heading': { ja: 'サインインが必要です', en: 'Please sign in' },
  'signedOut.button': { ja: 'サインイン', en: 'Sign in' },
  'local.heading': { ja: 'だれとして使いますか', en: 'Who are you?' },
  'local.hint': {
    ja: 'ローカルモードです。設定された利用者から選んでください（Outlook の中では組織のアカウントで自動的にサインインします）。',
    en: 'Local mode: choose one of the configured people (inside Outlook, your organisation account signs you in).',
  },
  'office.missing': {
    ja: 'Office のスクリプト（office.js）を読み込めませんでした。Outlook でこの画面を開き直してください。',
    en: 'Office’s script (office.js) could not be loaded. Open this pane again in Outlook.',
  },

  'registered.heading': {
    ja: 'このメールは登録済みです',
    en: 'This email is already registered',
  },
  'registered.text': {
    ja: 'このメールはすでに相談 {number} として登録されています。もう一度登録する必要はありません。',
    en: 'This email is already consultation {number}. There is no need to register it again.',
  },

  'followUp.heading': { ja: '相談の続きのメールです', en: 'A follow-up to a consultation' },
  'followUp.text': {
    ja: 'このメールは相談 {number}（{subject}）の続きのようです。相談記録に追加すると、経過に残り、Teams のカードにも知らせます。',
    en: 'This email seems to continue consultation {number} ({subject}). Adding it keeps it in the record and tells the Teams card.',
  },
  'followUp.append': { ja: '{number} に追加', en: 'Add to {number}' },
  'followUp.registerNew': {
    ja: '別の新しい相談として登録する',
    en: 'Register as a new consultation instead',
  },

  'form.heading': { ja: '相談として登録', en: 'Register as a consultation' },
  'form.hint': {
    ja: 'メールの署名や本文から入力しました。確認して、必要なら直してください。本文と添付ファイルは窓口がメールから読み取ります。',
    en: 'Filled in from the signature and text of the email. Check and correct as needed. Madoguchi reads the text and attachments from the email itself.',
  },
  'form.organisation': { ja: '事業者名', en: 'Organisation' },
  'form.person': { ja: '相談者名', en: 'Person' },
  'form.phone': { ja: '電話番号', en: 'Phone' },
  'form.category': { ja: '相談分類', en: 'Category' },
  'form.urgency': { ja: '緊急度', en: 'Urgency' },
  'form.subject': { ja: '件名', en: 'Subject' },
  'form.details': { ja: '最初のメモ（任意）', en: 'First note (optional)' },
  'form.detailsHint': {
    ja: '記録の相談内容の先頭に入ります。メールの本文はその後に続きます。',
    en: 'Goes first in the record’s details; the email’s text follows it.',
  },
  'form.required': { ja: '必須', en: 'required' },
  'form.submit': { ja: '相談として登録', en: 'Register as a consultation' },
  'form.fieldErrorsSummary': {
    ja: '入力内容を確認してください（{count} 件）。',
    en: 'Please check the form ({count} problems).',
  },

  'submitting.convert': { ja: '登録しています…', en: 'Registering…' },
  'submitting.append': { ja: '追加しています…', en: 'Adding…' },

  'done.created': {
    ja: '相談 {number} として登録しました。',
    en: 'Registered as consultation {number}.',
  },
  'done.existing': {
    ja: 'このメールはすでに相談 {number} として登録されていました。二重には登録していません。',
    en: 'This email was already consultation {number}; nothing was registered twice.',
  },
  'done.appended': {
    ja: 'このメールを相談 {number} に追加しました。',
    en: 'This email was added to consultation {number}.',
  },
  'done.alreadyAppended': {
    ja: 'このメールはすでに相談 {number} に追加されています。',
    en: 'This email was already part of consultation {number}.',
  },

  'done.cardNoChannel': {
    ja: 'Teams の受付チャネルが設定されていないため、カードはまだ投稿されていません。記録は登録済みです。',
    en: 'No Teams intake channel is set, so no card was posted yet. The record is saved.',
  },
  'done.cardFailed': {
    ja: 'Teams へのカードの投稿に失敗しました。記録は登録済みです。台帳から確認できます。',
    en: 'Posting the card to Teams failed. The record is saved and can be found in the ledger.',
  },
  'done.attachments': { ja: '添付ファイル', en: 'Attachments' },
  'done.attachmentKept': { ja: '保存しました', en: 'kept' },

  'consultation.number': { ja: '相談番号', en: 'Number' },
  'consultation.state': { ja: '状態', en: 'State' },
  'consultation.subject': { ja: '件名', en: 'Subject' },
  'consultation.openCard': { ja: 'Teams でカードを開く', en: 'Open the card in Teams' },
  'consultation.noCard': {
    ja: 'Teams のカードはまだありません（受付チャネルが設定されると届きます）。',
    en: 'There is no Teams card yet (it arrives once the intake channel is set).',
  },

  retry: { ja: 'もう一度試す', en: 'Try again' },
  requestId: { ja: '要求ID', en: 'Request ID' },

  'problem.network': {
    ja: '窓口のサーバーに接続できません。ネットワークを確認して、もう一度お試しください。入力した内容は残っています。',
    en: 'Madoguchi cannot be reached. Check the network and try again. What you entered is kept.',
  },
  'problem.signedOut': {
    ja: '窓口にサインインしていないか、サインインの期限が切れました。「サインイン」を押してください。入力した内容は残っています。',
    en: 'You are not signed in to Madoguchi, or the sign-in has expired. Press "Sign in". What you entered is kept.',
  },
  'problem.consent': {
    ja: '窓口があなたのメールを読むには同意が必要です。「サインイン」を押して同意してください。同意の画面が出ない場合や許可できない場合は、管理者に連絡してください。',
    en: 'Madoguchi needs your consent to read your email. Press "Sign in" and give consent. If no consent screen appears, or you may not give it, contact your administrator.',
  },
  'problem.consentShared': {
    ja: '窓口が共有メールボックス {mailbox} のメールを読むには、あなたの同意（Microsoft Graph の {permission}）が必要です。「サインイン」を押して同意してください。同意の画面が出ない場合や許可できない場合は、管理者に連絡してください。',
    en: 'Madoguchi needs your consent (Microsoft Graph {permission}) to read email in the shared mailbox {mailbox}. Press "Sign in" and give consent. If no consent screen appears, or you may not give it, contact your administrator.',
  },
  'problem.forbidden': {
    ja: 'メールを相談として登録する権限がありません（一次対応または職員の役割が必要です）。窓口の管理者に連絡してください。',
    en: 'You may not register emails as consultations (this needs the first-line or supervisor role). Contact the desk’s administrator.',
  },
  'problem.mailPermission': {
    ja: '窓口にこのメールを読む権限（Microsoft Graph の Mail.ReadWrite）がありません。管理者に連絡してください。',
    en: 'Madoguchi lacks the permission to read this email (Microsoft Graph Mail.ReadWrite). Contact your administrator.',
  },
  'problem.mailPermissionShared': {
    ja: '窓口が共有メールボックス {mailbox} のこのメールを読めませんでした。あなたがこのメールボックスを開く権限を持っていること、窓口に Microsoft Graph の {permission} が許可されていることを、管理者に確認してください。',
    en: 'Madoguchi could not read this email in the shared mailbox {mailbox}. Ask your administrator to check that you have access to this mailbox and that Madoguchi is granted Microsoft Graph {permission}.',
  },
  'problem.notFoundShared': {
    ja: 'このメールが共有メールボックス {mailbox} に見つかりません。移動または削除された可能性があります。メールを開き直してから、もう一度お試しください。入力した内容は残っています。',
    en: 'This email was not found in the shared mailbox {mailbox}; it may have been moved or deleted. Open it again and retry. What you entered is kept.',
  },
  'problem.notFoundSharedUnknown': {
    ja: 'このメールがあなたのメールボックスに見つかりません。Outlook から、このメールがどのメールボックスにあるかを読み取れませんでした（{detail}）。共有メールボックスのメールであれば、Outlook で開き直してから、もう一度お試しください。入力した内容は残っています。',
    en: 'This email was not found in your mailbox. Outlook could not say which mailbox it is in ({detail}). If it is in a shared mailbox, open it again in Outlook and retry. What you entered is kept.',
  },
  'problem.mailNotConfigured': {
    ja: '窓口のメール連携（Microsoft Graph）が設定されていないため、メールから相談を登録できません。管理者に連絡してください。入力した内容は残っています。',
    en: 'Madoguchi’s mail connection (Microsoft Graph) is not set up, so emails cannot be registered. Contact your administrator. What you entered is kept.',
  },
  'problem.unavailable': {
    ja: '窓口が一時的に利用できません。しばらくしてから、もう一度お試しください。入力した内容は残っています。',
    en: 'Madoguchi is temporarily unavailable. Please try again shortly. What you entered is kept.',
  },
  'problem.server': {
    ja: '窓口のサーバーでエラーが発生しました（HTTP {status}）。もう一度お試しください。続く場合は、要求ID を管理者に伝えてください。',
    en: 'Madoguchi’s server had an error (HTTP {status}). Please try again. If it continues, give the request ID to your administrator.',
  },
  'problem.validation': {
    ja: '入力内容を確認してください。',
    en: 'Please check what you entered.',
  },
  'problem.notFound': {
    ja: '相談記録が見つかりません。削除されたか、番号が変わった可能性があります。',
    en: 'The consultation was not found.',
  },
  'problem.noItem': {
    ja: 'メールが選択されていません。登録するメールを開いてから、もう一度「相談として登録」を押してください。',
    en: 'No email is selected. Open the email to register and press "Register as a consultation" again.',
  },
  'problem.outlook': {
    ja: 'Outlook からメールの情報を読み取れませんでした（{detail}）。メールを開き直して、もう一度お試しください。',
    en: 'The email’s details could not be read from Outlook ({detail}). Open the email again and retry.',
  },
  'problem.other': {
    ja: '要求を処理できませんでした（HTTP {status}）。',
    en: 'The request could not be completed (HTTP {status}).',
  },

  'field.subjectRequired': { ja: '件名を入力してください。', en: 'Enter a subject.' },
  'field.subjectTooLong': {
    ja: '件名は {max} 文字以内にしてください。',
    en: 'The subject may have at most {max} characters.',
  },
  'field.phoneFormat': {
    ja: '電話番号は数字とハイフンで入力してください（例: 03-1234-5678）。',
    en: 'Enter the phone number with digits and hyphens (e.g. 03-1234-5678).',
  },
  'field.tooLong': {
    ja: '{max} 文字以内にしてください。',
    en: 'At most {max} characters.',
  },
  'field.choose': { ja: '一覧から選んでください。', en: 'Choose one from the list.' },
} satisfies Record<string, Localized>;

export type PaneMessageKey = keyof typeof PANE_MESSAGES;

/** One message in the pane's language, with `{name}` filled in. */
export function t(key: PaneMessageKey, lang: Lang, params: Params = {}): string {
  return fill(PANE_MESSAGES[key][lang], params);
}

/** Both languages of a message, for errors kept as `{ ja, en }`. */
export function both(key: PaneMessageKey, params: Params = {}): Localized {
  return { ja: t(key, 'ja', params), en: t(key, 'en', params) };
}
