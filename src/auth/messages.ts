import type { Localized } from '../i18n/messages';

/** Why a token was refused: each has its own error code and words. */
export const TOKEN_PROBLEMS = [
  'missing',
  'malformed',
  'expired',
  'audience',
  'issuer',
  'tenant',
  'signature',
  'algorithm',
  'unavailable',
] as const;
export type TokenProblem = (typeof TOKEN_PROBLEMS)[number];

const SIGN_IN_AGAIN = {
  ja: 'もう一度サインインしてください。',
  en: 'Please sign in again.',
};

export const TOKEN_MESSAGES: Record<TokenProblem, Localized> = {
  missing: {
    ja: 'サインインが必要です（アクセストークンがありません）。',
    en: 'Sign-in is required (no access token was sent).',
  },
  malformed: {
    ja: `アクセストークンを読み取れません。${SIGN_IN_AGAIN.ja}`,
    en: `The access token cannot be read. ${SIGN_IN_AGAIN.en}`,
  },
  expired: {
    ja: `サインインの有効期限が切れました。${SIGN_IN_AGAIN.ja}`,
    en: `Your sign-in has expired. ${SIGN_IN_AGAIN.en}`,
  },
  audience: {
    ja: 'このアクセストークンは窓口のためのものではありません。管理者にアプリ登録の設定を確認してください。',
    en: 'This access token is not meant for Madoguchi. Ask an administrator to check the app registration.',
  },
  issuer: {
    ja: 'このアクセストークンの発行元は信頼されていません。',
    en: 'The issuer of this access token is not trusted.',
  },
  tenant: {
    ja: 'この組織のアカウントでは窓口を利用できません。',
    en: 'Accounts of this organisation cannot use Madoguchi.',
  },
  signature: {
    ja: `アクセストークンの署名を確認できません。${SIGN_IN_AGAIN.ja}`,
    en: `The access token's signature could not be verified. ${SIGN_IN_AGAIN.en}`,
  },
  algorithm: {
    ja: 'このアクセストークンの署名方式は受け付けられません。',
    en: "This access token's signing algorithm is not accepted.",
  },
  unavailable: {
    ja: 'サインインの確認に必要な Entra ID の公開鍵を取得できません。しばらくしてからもう一度お試しください。',
    en: 'The Entra ID keys needed to check your sign-in cannot be fetched. Please try again shortly.',
  },
};

export const NO_ROLE: Localized = {
  ja: 'この画面は窓口の職員だけが使えます。役割が必要な場合は管理者に依頼してください。',
  en: 'Only the desk’s staff can use this. Ask an administrator if you need a role.',
};

export const ROLE_REQUIRED: Localized = {
  ja: 'この操作は {roles} だけが行えます。',
  en: 'Only {roles} can do this.',
};

export const UNKNOWN_LOCAL_USER: Localized = {
  ja: 'この人はローカルのサインインに登録されていません（env/.env.local の ROLE_* に含まれていません）。',
  en: 'This person cannot sign in locally (not in the ROLE_* settings of env/.env.local).',
};
