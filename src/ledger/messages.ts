/** The ledger's words, in Japanese and English. */
import type { Localized } from '../i18n/messages';

export const TEXT = {
  // 事例集: generalised facts
  sizeSmall: { ja: '小規模（〜20名）', en: 'Small (up to 20 employees)' },
  sizeMedium: { ja: '中規模（21〜100名）', en: 'Medium (21–100 employees)' },
  sizeMidsized: { ja: '中堅（101〜300名）', en: 'Mid-sized (101–300 employees)' },
  sizeLarge: { ja: '大規模（301名以上）', en: 'Large (301 employees or more)' },
  sizeUnknown: { ja: '規模不明', en: 'Size unknown' },
  areaWards: { ja: '東京都23区内', en: "Tokyo's 23 wards" },
  areaTama: { ja: '多摩地域', en: 'Tama area' },
  areaIslands: { ja: '島しょ部', en: 'Tokyo islands' },
  areaOutside: { ja: '東京都外', en: 'Outside Tokyo' },
  areaUnknown: { ja: '地域不明', en: 'Area unknown' },
  // 事例集: the document
  casebookTitle: { ja: '相談事例集', en: 'Casebook' },
  casebookMade: { ja: '作成日', en: 'Made on' },
  casebookCount: { ja: '事例数', en: 'Cases' },
  casebookNotice: {
    ja: '相談者や組織を特定できる情報は、削除または一般化しています。',
    en: 'Anything that could identify the consulters or their organisations has been removed or generalised.',
  },
  casebookCase: { ja: '事例', en: 'Case' },
  casebookCategory: { ja: '相談分類', en: 'Category' },
  casebookMonth: { ja: '時期', en: 'When' },
  casebookSize: { ja: '規模', en: 'Size' },
  casebookArea: { ja: '地域', en: 'Area' },
  field_title: { ja: '表題', en: 'Title' },
  field_industry: { ja: '業種', en: 'Industry' },
  field_situation: { ja: '相談内容', en: 'What the consulter told us' },
  field_answer: { ja: '回答', en: 'Answer' },
  // errors
  exportForbidden: {
    ja: 'CSV出力と事例集の作成は職員（スーパーバイザー）のみが行えます。',
    en: 'Only supervisors can export the CSV and make the casebook.',
  },
  notStaff: {
    ja: '相談台帳は窓口の職員のみが閲覧できます。管理者に役割の設定を依頼してください。',
    en: "Only the desk's staff can see the ledger. Ask an administrator to give you a role.",
  },
  badParameters: {
    ja: '指定された条件に誤りがあります。',
    en: 'Some of the conditions are not valid.',
  },
  badDay: {
    ja: '日付は YYYY-MM-DD の形式で、実在する日を指定してください。',
    en: 'Give a date as YYYY-MM-DD, and a day that exists.',
  },
  badMonth: {
    ja: '月は YYYY-MM の形式で指定してください。',
    en: 'Give a month as YYYY-MM.',
  },
  dayRequired: { ja: '日付を指定してください。', en: 'A date is required.' },
  rangeReversed: {
    ja: '終わりの日付が始まりより前になっています。',
    en: 'The end comes before the start.',
  },
  monthsTooMany: {
    ja: '統計は一度に24か月までです。',
    en: 'Statistics cover at most 24 months at a time.',
  },
  badChoice: {
    ja: '一覧にない値が含まれています: {values}',
    en: 'Not one of the choices: {values}',
  },
  badPage: {
    ja: '1以上の整数を指定してください。',
    en: 'Give a whole number of 1 or more.',
  },
  badPageSize: {
    ja: '1〜100の整数を指定してください。',
    en: 'Give a whole number from 1 to 100.',
  },
  badRecordId: {
    ja: '記録のIDを1以上の整数で指定してください。',
    en: 'Give the id of a record, a whole number of 1 or more.',
  },
  tooLong: { ja: '{max}文字以内で指定してください。', en: 'At most {max} characters.' },
  casebookIdsRequired: {
    ja: '事例集にする相談を1件以上、{max}件以内で選んでください。',
    en: 'Choose from 1 to {max} consultations for the casebook.',
  },
  casebookNotClosed: {
    ja: '完了していない相談は事例集にできません: {list}',
    en: 'Only closed consultations can go into the casebook: {list}',
  },
  casebookNotFound: {
    ja: '見つからない相談があります: {list}',
    en: 'Some consultations were not found: {list}',
  },
  casebookIdentifying: {
    ja: '特定につながる情報が残っているため、事例集を作成できません。該当箇所を修正してください。',
    en: 'The casebook was not made: something that could identify someone is still there. Please edit it out.',
  },
  casebookDuplicate: {
    ja: '同じ相談が2回含まれています: {list}',
    en: 'A consultation is there twice: {list}',
  },
  casebookEmptyField: { ja: '空欄にはできません。', en: 'Cannot be empty.' },
  casebookErased: {
    ja: '個人情報を消去した相談は事例集にできません: {list}',
    en: 'Consultations whose personal data was erased cannot go into the casebook: {list}',
  },
  // Erasure
  eraseForbidden: {
    ja: '個人情報の消去は職員（スーパーバイザー）のみが行えます。',
    en: 'Only supervisors can erase personal data.',
  },
  badVersion: {
    ja: '表示している記録の版（version）を1以上の整数で指定してください。',
    en: 'Give the version of the record you are looking at, a whole number of 1 or more.',
  },
  // Correction
  badEditValues: {
    ja: '修正する項目を、項目ごとの文字列で送ってください。',
    en: 'Send the corrected fields as text, one string per field.',
  },
  notEditable: {
    ja: 'この項目は記録の修正では変更できません。',
    en: 'This field cannot be changed by a correction.',
  },
  badRequestId: {
    ja: '要求ID（requestId）は英数字・ハイフン・下線の8〜64文字で指定してください。',
    en: 'The request id must be 8 to 64 letters, digits, hyphens or underscores.',
  },
} satisfies Record<string, Localized>;

/** A message with `{name}` parameters filled in, both languages. */
export function fill(m: Localized, params: Record<string, string | number>): Localized {
  const f = (s: string) => s.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? ''));
  return { ja: f(m.ja), en: f(m.en) };
}
