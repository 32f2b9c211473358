/**
 * The ledger as CSV for spreadsheets: Japanese headers, one row per consultation,
 * UTF-8 with a byte order mark (so that Excel reads Japanese correctly), CRLF between
 * rows, every cell quoted (commas, quotes and line breaks inside a cell survive), and
 * cells that a spreadsheet would run as a formula made inert. Pure functions: no I/O.
 */
import { stringify } from 'csv-stringify/sync';
import {
  CHANNEL_LABELS,
  ERASURE_LABELS,
  STATE_LABELS,
  TRISTATE_LABELS,
  URGENCY_LABELS,
} from '../consultation/labels';
import type { Consultation, PersonRef } from '../consultation/types';
import type { Localized } from '../i18n/messages';
import { tokyoDateTime } from './tokyo';

export const BOM = '\uFEFF';

/**
 * An answer as the export needs it. An erased record's answers are known from its
 * history only: who answered and when, without the text (`body` null).
 */
export interface AnswerFact {
  createdAt: string;
  author: PersonRef;
  body: string | null;
}

/** A record with its answers, as one row of the export. */
export interface ExportRecord {
  consultation: Consultation;
  answers: readonly AnswerFact[];
}

export interface CsvColumn {
  /** The header is the Japanese; the English is for docs/ledger-api.md. */
  header: Localized;
  value: (r: ExportRecord, category: (id: string) => Localized | undefined) => string;
}

const at = (iso: string | null | undefined) => (iso ? tokyoDateTime(iso) : '');
const text = (s: string | null | undefined) => s ?? '';
const lastAnswer = (r: ExportRecord) => r.answers[r.answers.length - 1];

/** The columns, in order. docs/ledger-api.md lists them with their English meaning. */
export const CSV_COLUMNS: readonly CsvColumn[] = [
  { header: { ja: '相談番号', en: 'Consultation number' }, value: (r) => r.consultation.number },
  {
    header: { ja: '受付日時', en: 'Received (Tokyo time)' },
    value: (r) => at(r.consultation.receivedAt),
  },
  {
    header: { ja: '受付経路', en: 'Channel' },
    value: (r) => CHANNEL_LABELS[r.consultation.channel].ja,
  },
  { header: { ja: '状態', en: 'State' }, value: (r) => STATE_LABELS[r.consultation.state].ja },
  {
    header: { ja: '相談分類', en: 'Category' },
    value: (r, category) => category(r.consultation.categoryId)?.ja ?? r.consultation.categoryId,
  },
  {
    header: { ja: '緊急度', en: 'Urgency' },
    value: (r) => URGENCY_LABELS[r.consultation.urgency].ja,
  },
  { header: { ja: '件名', en: 'Subject' }, value: (r) => r.consultation.subject },
  { header: { ja: '相談内容', en: 'Details' }, value: (r) => r.consultation.details },
  {
    header: { ja: '事業者名', en: 'Organisation' },
    value: (r) => text(r.consultation.consulter.organisation),
  },
  {
    header: { ja: '相談者名', en: 'Consulter' },
    value: (r) => text(r.consultation.consulter.person),
  },
  {
    header: { ja: 'メールアドレス', en: 'Email' },
    value: (r) => text(r.consultation.consulter.email),
  },
  { header: { ja: '電話番号', en: 'Phone' }, value: (r) => text(r.consultation.consulter.phone) },
  { header: { ja: '業種', en: 'Industry' }, value: (r) => text(r.consultation.consulter.industry) },
  {
    header: { ja: '従業員数', en: 'Employees' },
    value: (r) =>
      r.consultation.consulter.employees === null ? '' : String(r.consultation.consulter.employees),
  },
  {
    header: { ja: '所在地（区市町村）', en: 'Municipality' },
    value: (r) => text(r.consultation.consulter.municipality),
  },
  {
    header: { ja: '何が起きたか', en: 'What happened' },
    value: (r) => text(r.consultation.situation.whatHappened),
  },
  {
    header: { ja: 'いつから', en: 'Since when' },
    value: (r) => text(r.consultation.situation.since),
  },
  {
    header: { ja: '被害は継続中か', en: 'Still ongoing' },
    value: (r) => TRISTATE_LABELS[r.consultation.situation.ongoing]?.ja ?? '',
  },
  {
    header: { ja: '影響を受けた機器・システム', en: 'Affected systems' },
    value: (r) => text(r.consultation.situation.systems),
  },
  {
    header: { ja: '情報漏えいの可能性', en: 'Data possibly leaked' },
    value: (r) => TRISTATE_LABELS[r.consultation.situation.dataAtRisk]?.ja ?? '',
  },
  {
    header: { ja: 'すでに行った対応', en: 'Actions already taken' },
    value: (r) => text(r.consultation.situation.actionsTaken),
  },
  {
    header: { ja: 'すでに連絡した先', en: 'Already contacted' },
    value: (r) => text(r.consultation.situation.contacted),
  },
  {
    header: { ja: '保存している証拠', en: 'Evidence kept' },
    value: (r) => text(r.consultation.situation.evidence),
  },
  {
    header: { ja: '一次対応者', en: 'First-line owner' },
    value: (r) => text(r.consultation.firstLineOwner?.name),
  },
  {
    header: { ja: '二次対応の専門員', en: 'Specialist' },
    value: (r) => text(r.consultation.specialist?.name),
  },
  {
    header: { ja: '調整の必要', en: 'Coordination needed' },
    value: (r) =>
      r.consultation.coordinationNeeded === null
        ? ''
        : r.consultation.coordinationNeeded
          ? '要'
          : '不要',
  },
  {
    header: { ja: '調整の理由', en: 'Reason for coordination' },
    value: (r) => text(r.consultation.coordinationReason),
  },
  { header: { ja: 'タグ', en: 'Tags' }, value: (r) => r.consultation.tags.join(' ') },
  { header: { ja: '回答数', en: 'Number of answers' }, value: (r) => String(r.answers.length) },
  {
    header: { ja: '最新の回答日時', en: 'Latest answer (Tokyo time)' },
    value: (r) => at(lastAnswer(r)?.createdAt),
  },
  {
    header: { ja: '最新の回答者', en: 'Latest answer by' },
    value: (r) => text(lastAnswer(r)?.author.name),
  },
  { header: { ja: '最新の回答', en: 'Latest answer' }, value: (r) => text(lastAnswer(r)?.body) },
  {
    header: { ja: '完了日時', en: 'Closed (Tokyo time)' },
    value: (r) => at(r.consultation.closedAt),
  },
  { header: { ja: '登録者', en: 'Recorded by' }, value: (r) => r.consultation.createdBy.name },
  {
    header: { ja: '登録日時', en: 'Recorded (Tokyo time)' },
    value: (r) => at(r.consultation.createdAt),
  },
  {
    // Last, so that spreadsheets built on the earlier columns keep working.
    header: { ja: '消去', en: 'Erased' },
    value: (r) => {
      const e = r.consultation.erasure;
      return e ? `${at(e.at)}（${ERASURE_LABELS[e.reason].ja}）` : '';
    },
  },
];

/**
 * A cell a spreadsheet would not take as a formula. Cells starting with = + - @ (or
 * their full-width forms), a tab or a carriage return get a leading apostrophe, as
 * OWASP recommends against CSV injection.
 */
export function neutralise(cell: string): string {
  return /^[=+\-@\t\r＝＋－＠]/.test(cell) ? `'${cell}` : cell;
}

const OPTIONS = { quoted: true, record_delimiter: 'windows' } as const;

/** The header row, CRLF-terminated. */
export function csvHeader(): string {
  return stringify([CSV_COLUMNS.map((c) => c.header.ja)], OPTIONS);
}

/** Rows for these records, CRLF-terminated. */
export function csvRows(
  records: readonly ExportRecord[],
  category: (id: string) => Localized | undefined,
): string {
  if (records.length === 0) return '';
  return stringify(
    records.map((r) => CSV_COLUMNS.map((c) => neutralise(c.value(r, category)))),
    OPTIONS,
  );
}
