import type { Localized } from '../i18n/messages';
import type {
  AcknowledgementStatus,
  Action,
  Channel,
  DeliveryStatus,
  ErasureReason,
  Handling,
  State,
  Urgency,
  Role,
  Tristate,
} from './types';

/** Japanese and English names of the lifecycle's words, for cards, pages and errors. */
export const STATE_LABELS: Record<State, Localized> = {
  received: { ja: '受付', en: 'Received' },
  claimed: { ja: '一次対応中', en: 'Claimed' },
  dispatched: { ja: '二次対応中', en: 'Dispatched' },
  answered: { ja: '回答済', en: 'Answered' },
  closed: { ja: '完了', en: 'Closed' },
};

export const CHANNEL_LABELS: Record<Channel, Localized> = {
  phone: { ja: '電話', en: 'Phone' },
  web: { ja: 'Webフォーム', en: 'Web form' },
  email: { ja: 'メール', en: 'Email' },
  counter: { ja: '窓口', en: 'Counter' },
};

export const URGENCY_LABELS: Record<Urgency, Localized> = {
  low: { ja: '低', en: 'Low' },
  normal: { ja: '通常', en: 'Normal' },
  high: { ja: '高', en: 'High' },
  critical: { ja: '緊急', en: 'Critical' },
};

export const ROLE_LABELS: Record<Role, Localized> = {
  'first-line': { ja: '一次対応', en: 'First line' },
  specialist: { ja: '専門員', en: 'Specialist' },
  supervisor: { ja: '職員', en: 'Supervisor' },
};

export const ACTION_LABELS: Record<Action, Localized> = {
  create: { ja: '受付登録', en: 'create' },
  claim: { ja: '担当', en: 'claim' },
  unclaim: { ja: '担当解除', en: 'unclaim' },
  dispatch: { ja: '二次対応へ依頼', en: 'dispatch' },
  return: { ja: '一次対応へ差し戻し', en: 'return to first line' },
  answer: { ja: '回答', en: 'answer' },
  note: { ja: 'メモ追加', en: 'add a note' },
  recategorise: { ja: '分類変更', en: 'recategorise' },
  edit: { ja: '記録の修正', en: 'edit the record' },
  close: { ja: '完了', en: 'close' },
  reopen: { ja: '再開', en: 'reopen' },
  'link-email': { ja: 'メール紐付け', en: 'link an email' },
  'link-card': { ja: 'カード紐付け', en: 'link the card' },
  'send-answer': { ja: '回答メール送信', en: 'send the answer by email' },
  acknowledge: { ja: '受付確認メール送信', en: 'send the acknowledgement email' },
  erase: { ja: '個人情報の消去', en: 'erase the personal data' },
  view: { ja: '閲覧', en: 'view' },
};

export const TRISTATE_LABELS: Record<Tristate, Localized> = {
  yes: { ja: 'はい', en: 'Yes' },
  no: { ja: 'いいえ', en: 'No' },
  unknown: { ja: '不明', en: 'Unknown' },
};

export const DELIVERY_STATUS_LABELS: Record<DeliveryStatus, Localized> = {
  recorded: { ja: '記録のみ', en: 'Recorded' },
  sending: { ja: 'メール送信中', en: 'Sending' },
  sent: { ja: 'メール送信済', en: 'Emailed' },
  failed: { ja: 'メール未送信', en: 'Not sent' },
};

/** How the acknowledgement email went, as the ledger's timeline shows it. */
export const ACKNOWLEDGEMENT_LABELS: Record<AcknowledgementStatus, Localized> = {
  sent: { ja: '受付確認メール送信済', en: 'Acknowledgement emailed' },
  failed: {
    ja: '受付確認メール未送信（送信失敗）',
    en: 'Acknowledgement not sent (sending failed)',
  },
  not_configured: {
    ja: '受付確認メール未送信（メール未設定）',
    en: 'Acknowledgement not sent (mail is not set up)',
  },
};

/** Where a case was handled (`Handling`), as the ledger's statistics say it. */
export const HANDLING_LABELS: Record<Handling, Localized> = {
  firstLine: { ja: '一次対応で完結', en: 'Completed at first line' },
  secondLine: { ja: '二次対応へ依頼', en: 'Dispatched to a specialist' },
  open: { ja: '対応中（依頼なし）', en: 'Open, not dispatched' },
};

/** Why a record was erased, as cards and the ledger say it. */
export const ERASURE_LABELS: Record<ErasureReason, Localized> = {
  retention: { ja: '保存期間の終了', en: 'retention period ended' },
  request: { ja: 'ご本人からの請求', en: 'at the consulter’s request' },
};
