import type { Localized } from '../i18n/messages';

/** Names of the record's fields as users see them, keyed by the input's path. */
export const FIELD_LABELS: Record<string, Localized> = {
  channel: { ja: '受付経路', en: 'Channel' },
  receivedAt: { ja: '受付日時', en: 'Received at' },
  'consulter.organisation': { ja: '事業者名', en: 'Organisation' },
  'consulter.person': { ja: '相談者名', en: 'Person' },
  'consulter.email': { ja: 'メールアドレス', en: 'Email' },
  'consulter.phone': { ja: '電話番号', en: 'Phone' },
  'consulter.industry': { ja: '業種', en: 'Industry' },
  'consulter.employees': { ja: '従業員数', en: 'Employees' },
  'consulter.municipality': { ja: '所在地（区市町村）', en: 'Municipality' },
  categoryId: { ja: '相談分類', en: 'Category' },
  urgency: { ja: '緊急度', en: 'Urgency' },
  subject: { ja: '件名', en: 'Subject' },
  details: { ja: '相談内容', en: 'Details' },
  'situation.whatHappened': { ja: '何が起きたか', en: 'What happened' },
  'situation.since': { ja: 'いつから', en: 'Since when' },
  'situation.ongoing': { ja: '被害は継続中か', en: 'Still ongoing' },
  'situation.systems': { ja: '影響を受けた機器・システム', en: 'Affected systems' },
  'situation.dataAtRisk': { ja: '情報漏えいの可能性', en: 'Data possibly leaked' },
  'situation.actionsTaken': { ja: 'すでに行った対応', en: 'Actions already taken' },
  'situation.contacted': { ja: 'すでに連絡した先', en: 'Already contacted' },
  'situation.evidence': { ja: '保存している証拠', en: 'Evidence kept' },
  tags: { ja: 'タグ', en: 'Tags' },
  specialistId: { ja: '依頼先の専門員', en: 'Specialist' },
  coordinationNeeded: { ja: '調整の必要', en: 'Coordination needed' },
  reason: { ja: '理由', en: 'Reason' },
  body: { ja: '本文', en: 'Text' },
  delivery: { ja: '回答方法', en: 'How it was answered' },
  text: { ja: '検索語', en: 'Search words' },
  emailConsulter: { ja: '相談者へのメール送信', en: 'Email the consulter' },
  cc: { ja: 'CC', en: 'CC' },
  templateId: { ja: 'テンプレート', en: 'Template' },
  confirmNumber: { ja: '確認のための受付番号', en: 'The number typed to confirm' },
};

/** Fields a person fills in by choosing from a list (a missing one is "chosen", not "typed"). */
const CHOSEN: ReadonlySet<string> = new Set([
  'channel',
  'categoryId',
  'urgency',
  'situation.ongoing',
  'situation.dataAtRisk',
  'specialistId',
  'delivery',
  'templateId',
]);

export const isChosen = (path: string): boolean => CHOSEN.has(path);

/** A field's name; an item of a list (`cc.1`) is named by its list. */
export const fieldLabel = (path: string): Localized =>
  FIELD_LABELS[path] ?? FIELD_LABELS[path.replace(/\.\d+$/, '')] ?? { ja: path, en: path };
