/**
 * Every sentence a user can see, in Japanese first and English second.
 * Keys are stable; surfaces pick the language, never the wording.
 */
export type Lang = 'ja' | 'en';
export type Localized = { ja: string; en: string };

type Params = Record<string, string | number | undefined>;
type Template = { ja: string | ((p: Params) => string); en: string | ((p: Params) => string) };

const fill = (t: string | ((p: Params) => string), p: Params): string =>
  typeof t === 'function' ? t(p) : t.replace(/\{(\w+)\}/g, (_, k: string) => String(p[k] ?? ''));

export const messages = {
  'error.validation': {
    ja: '入力内容に誤りがあります。',
    en: 'Some fields are not valid.',
  },
  'error.not_found': {
    ja: '相談記録 {ref} は見つかりません。',
    en: 'Consultation {ref} was not found.',
  },
  'error.forbidden': {
    ja: 'この操作（{actionJa}）を行う権限がありません。',
    en: 'You are not allowed to do this ({actionEn}).',
  },
  'error.conflict': {
    ja: 'すでに{byName}さんが「{actionJa}」を行いました（現在の状態: {stateJa}）。',
    en: '{byName} has already done "{actionEn}" (current state: {stateEn}).',
  },
  'error.invalid_transition': {
    ja: '状態が「{stateJa}」の相談には「{actionJa}」はできません。',
    en: 'A consultation that is "{stateEn}" cannot be "{actionEn}".',
  },
  'error.unavailable': {
    ja: '一時的に利用できません（{what}）。入力内容は失われていません。しばらくしてからもう一度お試しください。',
    en: 'Temporarily unavailable ({what}). Nothing you entered was lost; please try again shortly.',
  },
  'error.internal': {
    ja: '内部エラーが発生しました。問題が続く場合は管理者に連絡してください。',
    en: 'An internal error occurred. If it persists, contact the administrator.',
  },
  'error.bad_request': {
    ja: 'リクエストの形式が正しくありません。',
    en: 'The request is malformed.',
  },
  'error.route_not_found': {
    ja: 'このアドレスには何もありません。',
    en: 'Nothing is here.',
  },
} satisfies Record<string, Template>;

export type MessageKey = keyof typeof messages;

/** Both languages of one message, with its parameters filled in. */
export function localize(key: MessageKey, params: Params = {}): Localized {
  const t: Template = messages[key];
  return { ja: fill(t.ja, params), en: fill(t.en, params) };
}
