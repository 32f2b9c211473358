import type { Localized } from '../i18n/messages';

/**
 * Words written into stored text when an email becomes a record (markers in the text,
 * headings in the details). Stored text is read by everyone on the desk, so a marker
 * carries both languages unless it is the same in both.
 */
export const INTAKE_TEXT = {
  image: { ja: '[画像]', en: '[画像]' },
  body_cut: {
    ja: '【本文が上限（{limit}）を超えたため、ここから先は保存していません】',
    en: '[The body exceeds the {limit} limit; the rest was not kept]',
  },
  details_cut: {
    ja: '【長いため、ここから先はメールの記録をご覧ください】',
    en: '[Cut for length; the email on the record has the full text]',
  },
  heading_email: { ja: '――― 受信メール ―――', en: '--- The email ---' },
  heading_quoted: {
    ja: '――― 以前のやりとり（引用） ―――',
    en: '--- Earlier messages (quoted) ---',
  },
  no_text: { ja: '（本文なし）', en: '(no text)' },
} as const satisfies Record<string, Localized>;

export type IntakeText = keyof typeof INTAKE_TEXT;

type Params = Record<string, string | number>;
const fill = (s: string, p: Params) =>
  s.replace(/\{(\w+)\}/g, (_, k: string) => String(p[k] ?? ''));

/** Sentences people see about email intake (the Outlook pane, the card, the API's errors). */
export const INTAKE_MESSAGES = {
  not_configured: {
    ja: 'メールの読み取りが設定されていないため、メールを相談として登録できません。管理者に GRAPH_TENANT_ID、GRAPH_CLIENT_ID とクライアント シークレット（または証明書）の設定を依頼してください。',
    en: 'Reading email is not set up, so emails cannot be recorded as consultations. Ask an administrator to set GRAPH_TENANT_ID, GRAPH_CLIENT_ID and the client secret (or certificate).',
  },
  consent_required: {
    ja: 'Madoguchi がメールを読み取る許可（{permission}）がまだ与えられていません。もう一度サインインして同意するか、管理者に同意を依頼してください。',
    en: 'Madoguchi has not yet been allowed to read your email ({permission}). Sign in again and consent, or ask an administrator to grant consent.',
  },
  graph_permission: {
    ja: 'Microsoft Graph がメールの読み取りを拒否しました（{status} {code}）。委任されたアクセス許可 {permission} が付与されているか、管理者に確認を依頼してください。',
    en: 'Microsoft Graph refused to read the email ({status} {code}). Ask an administrator to check that the delegated permission {permission} is granted.',
  },
  message_not_found: {
    ja: 'このメールが見つかりません。移動または削除された可能性があります。メールを開き直してからもう一度お試しください。',
    en: 'This email was not found; it may have been moved or deleted. Open it again and retry.',
  },
  graph_unavailable: {
    ja: 'Microsoft Graph に接続できません（{code}）。入力内容は失われていません。しばらくしてからもう一度お試しください。',
    en: 'Microsoft Graph cannot be reached ({code}). Nothing you entered was lost; please try again shortly.',
  },
  graph_rejected: {
    ja: 'Microsoft Graph がメールの読み取りを受け付けませんでした（{status} {code}）。',
    en: 'Microsoft Graph did not accept the request to read the email ({status} {code}).',
  },
  token_failed: {
    ja: 'メールを読むためのトークンを取得できませんでした（{code}）。管理者にアプリの登録内容の確認を依頼してください。',
    en: 'No token to read the email could be obtained ({code}). Ask an administrator to check the app registration.',
  },
  attachment_too_big: {
    ja: '{limit}を超えるため保存していません',
    en: 'Not kept: larger than {limit}',
  },
  attachment_kind: {
    ja: 'ファイル以外の添付（{kind}）のため保存していません',
    en: 'Not kept: not a file ({kind})',
  },
  attachment_failed: {
    ja: '取得できなかったため保存していません（{code}）',
    en: 'Not kept: it could not be downloaded ({code})',
  },
  new_email_line: {
    ja: '新しいメールが届きました（{by}さんが追加）: {summary}',
    en: 'A new email arrived (added by {by}): {summary}',
  },
  new_email_closed_line: {
    ja: '終了した相談に新しいメールが届きました（{by}さんが追加。相談は終了のままです）: {summary}',
    en: 'A new email arrived on this closed consultation (added by {by}; it stays closed): {summary}',
  },
  not_same_case: {
    ja: 'このメールはすでに相談 {number} に登録されています。',
    en: 'This email is already recorded on consultation {number}.',
  },
  forbidden_intake: {
    ja: 'メールを相談として登録できるのは一次対応の担当者と職員だけです。',
    en: 'Only first-line staff and supervisors can record emails as consultations.',
  },
} as const satisfies Record<string, Localized>;

export type IntakeMessage = keyof typeof INTAKE_MESSAGES;

/** One sentence in both languages, parameters filled in. */
export function intakeMessage(key: IntakeMessage, params: Params = {}): Localized {
  const m = INTAKE_MESSAGES[key];
  return { ja: fill(m.ja, params), en: fill(m.en, params) };
}
