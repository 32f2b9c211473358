/**
 * The 事例集 (casebook): closed cases written up for others to learn from, with nothing
 * that identifies the consulter. A draft is generalised (size band, area, month) and
 * scrubbed (see identifiers.ts); a supervisor reviews it; the reviewed text is checked
 * again before it becomes a Markdown document. Pure functions: no I/O.
 */
import type { Lang, Localized } from '../i18n/messages';
import { TRISTATE_LABELS } from '../consultation/labels';
import { FIELD_LABELS } from '../consultation/fields';
import { isSystemActorId } from '../consultation/system-actors';
import type { Answer, Consultation, PersonRef } from '../consultation/types';
import {
  IDENTIFIER_LABELS,
  findIdentifiers,
  scrub,
  type Finding,
  type IdentifierKind,
  type KnownIdentifiers,
} from './identifiers';
import { INTAKE_CHECKLIST } from '../knowledge/knowledge';
import { TEXT } from './messages';
import { tokyoMonth } from './tokyo';

/** The text fields a supervisor reviews and may edit. */
export const CASE_TEXT_FIELDS = ['title', 'industry', 'situation', 'answer'] as const;
export type CaseTextField = (typeof CASE_TEXT_FIELDS)[number];
export type CaseText = Record<CaseTextField, string>;

/** A case as the casebook shows it: generalised facts and anonymised text. */
export interface CaseDraft extends CaseText {
  id: number;
  /** The record's number, for the reviewer; never printed in the document. */
  number: string;
  category: { id: string; label: Localized };
  sizeBand: Localized;
  /** 東京都23区内 / 多摩地域 / 島しょ部 / 東京都外; absent when the record has no municipality. */
  municipalityArea?: Localized;
  /** Tokyo month received: `2026-11`. */
  month: string;
}

/** Employee count as a band: the exact number would help identify a company. */
export function sizeBand(employees: number | null): Localized {
  if (employees === null) return TEXT.sizeUnknown;
  if (employees <= 20) return TEXT.sizeSmall;
  if (employees <= 100) return TEXT.sizeMedium;
  if (employees <= 300) return TEXT.sizeMidsized;
  return TEXT.sizeLarge;
}

const words = (text: string) => text.split(/\s+/).filter(Boolean);

/** Tokyo's 23 special wards. */
const WARDS = words(`
  千代田区 中央区 港区 新宿区 文京区 台東区 墨田区 江東区 品川区 目黒区
  大田区 世田谷区 渋谷区 中野区 杉並区 豊島区 北区 荒川区 板橋区 練馬区
  足立区 葛飾区 江戸川区
`);

/** The Tama area: 26 cities, 3 towns and a village. */
const TAMA = words(`
  八王子市 立川市 武蔵野市 三鷹市 青梅市 府中市 昭島市 調布市 町田市
  小金井市 小平市 日野市 東村山市 国分寺市 国立市 福生市 狛江市 東大和市
  清瀬市 東久留米市 武蔵村山市 多摩市 稲城市 羽村市 あきる野市 西東京市
  瑞穂町 日の出町 檜原村 奥多摩町
`);

/** The islands: Izu and Ogasawara. */
const ISLANDS = words(`
  大島町 利島村 新島村 神津島村 三宅村 御蔵島村 八丈町 青ヶ島村 小笠原村
`);

const OTHER_PREFECTURE = /(?:北海道|京都府|大阪府|\p{Script=Han}{2,3}県)/u;

/** Where in Tokyo a municipality is, at the level a casebook may say. */
export function municipalityArea(municipality: string | null): Localized | undefined {
  if (!municipality?.trim()) return undefined;
  const m = municipality
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/^東京都/, '');
  const within = (names: string[]) =>
    names.some((n) => m.startsWith(n) || m === n.slice(0, -1) || m.includes(n));
  // Wards last: the shortest names (北区, 港区) are the likeliest to occur inside another.
  if (within(ISLANDS)) return TEXT.areaIslands;
  if (within(TAMA)) return TEXT.areaTama;
  if (within(WARDS)) return TEXT.areaWards;
  if (OTHER_PREFECTURE.test(m)) return TEXT.areaOutside;
  return TEXT.areaUnknown;
}

/** What the record knows that identifies people: removed wherever it appears. */
export function knownIdentifiersOf(
  c: Consultation,
  answers: readonly Answer[],
  staff: readonly PersonRef[],
  /** Addresses the record's emails came from. */
  senders: readonly string[] = [],
): KnownIdentifiers {
  const area = municipalityArea(c.consulter.municipality);
  const present = (xs: Array<string | null | undefined>) => [
    ...new Set(xs.filter((x): x is string => !!x && x.trim().length > 0)),
  ];
  return {
    names: present([
      c.consulter.person,
      // Madoguchi's own parts (the web form) are not people: their names are ordinary words.
      ...[c.createdBy, c.firstLineOwner, c.specialist, ...answers.map((a) => a.author), ...staff]
        .filter((p): p is PersonRef => !!p && !isSystemActorId(p.id))
        .map((p) => p.name),
    ]),
    organisations: present([c.consulter.organisation]),
    emails: present([
      c.consulter.email,
      ...answers.flatMap((a) => [...(a.email?.to ?? []), ...(a.email?.cc ?? [])]),
      ...senders,
    ]),
    phones: present([c.consulter.phone]),
    places:
      c.consulter.municipality && area
        ? [{ text: c.consulter.municipality, replacement: area }]
        : [],
  };
}

/** The consulter's account: the details, then the checklist's answers, one per line. */
export function situationText(c: Consultation, lang: Lang): string {
  const lines: string[] = [];
  for (const { id: key } of INTAKE_CHECKLIST) {
    const value = c.situation[key];
    if (value === null || value === '') continue;
    if ((key === 'ongoing' || key === 'dataAtRisk') && value === 'unknown') continue;
    const shown =
      key === 'ongoing' || key === 'dataAtRisk'
        ? TRISTATE_LABELS[value as keyof typeof TRISTATE_LABELS][lang]
        : value;
    lines.push(`${FIELD_LABELS[`situation.${key}`]![lang]}: ${shown}`);
  }
  return lines.length ? `${c.details}\n\n${lines.join('\n')}` : c.details;
}

/** A closed case as a first draft: generalised and scrubbed, for a supervisor to review. */
export function caseDraft(
  c: Consultation,
  answers: readonly Answer[],
  known: KnownIdentifiers,
  category: Localized,
  lang: Lang,
): CaseDraft {
  const area = municipalityArea(c.consulter.municipality);
  const clean = (text: string) => scrub(text, known, lang);
  return {
    id: c.id,
    number: c.number,
    category: { id: c.categoryId, label: category },
    sizeBand: sizeBand(c.consulter.employees),
    ...(area ? { municipalityArea: area } : {}),
    month: tokyoMonth(c.receivedAt),
    title: clean(c.subject),
    industry: clean(c.consulter.industry ?? ''),
    situation: clean(situationText(c, lang)),
    answer: clean(answers.map((a) => a.body).join('\n\n')),
  };
}

export interface CaseProblem {
  field: CaseTextField;
  kind: IdentifierKind;
  text: string;
}

/** What still identifies someone in a reviewed case. */
export function caseProblems(text: CaseText, known: KnownIdentifiers): CaseProblem[] {
  return CASE_TEXT_FIELDS.flatMap((field) =>
    findIdentifiers(text[field], known).map((f: Finding) => ({
      field,
      kind: f.kind,
      text: f.text,
    })),
  );
}

/** A problem as one line: 「回答: 電話番号 03-1234-5678」. */
export function describeProblem(p: CaseProblem): Localized {
  const field = TEXT[`field_${p.field}`];
  const kind = IDENTIFIER_LABELS[p.kind];
  return {
    ja: `${field.ja}: ${kind.ja}「${p.text}」`,
    en: `${field.en}: ${kind.en} "${p.text}"`,
  };
}

/**
 * Backslash before what Markdown would read as markup, so that a case's text stays text
 * wherever the document is rendered (no links, no HTML, no headings of its own).
 */
export function markdownText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) =>
      line
        .replace(/[\\`*_{}[\]<>#|~!]/g, (c) => '\\' + c)
        .replace(/^(\s*)([-+]|\d+[.)])(\s)/, '$1\\$2$3')
        .replace(/^(\s*)(=+|-+)\s*$/, '$1\\$2'),
    )
    .join('  \n');
}

function monthLabel(month: string, lang: Lang): string {
  const [y, m] = month.split('-');
  return lang === 'ja' ? `${y}年${Number(m)}月` : `${y}-${m}`;
}

export interface CasebookCase extends CaseText {
  category: Localized;
  sizeBand: Localized;
  municipalityArea?: Localized;
  month: string;
}

/** The casebook as a Markdown document. */
export function casebookMarkdown(cases: readonly CasebookCase[], made: string, lang: Lang): string {
  const t = (k: keyof typeof TEXT) => TEXT[k][lang];
  const out: string[] = [
    `# ${t('casebookTitle')}`,
    '',
    `${t('casebookMade')}: ${made} / ${t('casebookCount')}: ${cases.length}`,
    '',
    `> ${t('casebookNotice')}`,
    '',
  ];
  cases.forEach((c, i) => {
    out.push(`## ${t('casebookCase')} ${i + 1}: ${markdownText(c.title)}`, '');
    out.push(`- ${t('casebookCategory')}: ${markdownText(c.category[lang])}`);
    out.push(`- ${t('casebookMonth')}: ${monthLabel(c.month, lang)}`);
    if (c.industry.trim()) out.push(`- ${t('field_industry')}: ${markdownText(c.industry)}`);
    out.push(`- ${t('casebookSize')}: ${c.sizeBand[lang]}`);
    if (c.municipalityArea) out.push(`- ${t('casebookArea')}: ${c.municipalityArea[lang]}`);
    out.push('', `### ${t('field_situation')}`, '', markdownText(c.situation.trim()), '');
    out.push(`### ${t('field_answer')}`, '', markdownText(c.answer.trim()), '');
  });
  return out.join('\n');
}
