/**
 * Numbers, dates and durations as the ledger shows them. Dates are always Tokyo time,
 * whatever the browser's zone: the desk and its records are in Tokyo.
 */
import { t, type Lang } from './messages';

const TOKYO = 'Asia/Tokyo';
const TOKYO_OFFSET_MS = 9 * 3_600_000; // Japan has no daylight saving time.

/** `1,234` in both languages. */
export const formatNumber = (n: number): string => n.toLocaleString('en-US');

/** 「1,234件」, 「1,000件以上」 when the server stopped counting. */
export function formatCount(total: number, isLowerBound: boolean, lang: Lang): string {
  const n = formatNumber(total);
  if (isLowerBound) return t('count.atLeast', lang, { n });
  return t(total === 1 ? 'count.one' : 'count.exact', lang, { n });
}

interface TokyoParts {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
}

function tokyoParts(iso: string): TokyoParts | null {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return null;
  const d = new Date(ms + TOKYO_OFFSET_MS);
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    year: String(d.getUTCFullYear()),
    month: pad(d.getUTCMonth() + 1),
    day: pad(d.getUTCDate()),
    hour: pad(d.getUTCHours()),
    minute: pad(d.getUTCMinutes()),
  };
}

/** `2026/11/26 09:05` (Tokyo) in both languages: the desk reads dates this way. */
export function formatDateTime(iso: string | null | undefined): string {
  const p = iso ? tokyoParts(iso) : null;
  if (!p) return '';
  return `${p.year}/${p.month}/${p.day} ${p.hour}:${p.minute}`;
}

/** `2026/11/26` (Tokyo). */
export function formatDate(iso: string | null | undefined): string {
  const p = iso ? tokyoParts(iso) : null;
  return p ? `${p.year}/${p.month}/${p.day}` : '';
}

/** 「2031年11月27日」 / `27 Nov 2031` (Tokyo): a day in a sentence. */
export function formatDay(iso: string | null | undefined, lang: Lang): string {
  const p = iso ? tokyoParts(iso) : null;
  if (!p) return '';
  if (lang === 'ja') return `${p.year}年${Number(p.month)}月${Number(p.day)}日`;
  const month = new Intl.DateTimeFormat('en-GB', { month: 'short', timeZone: 'UTC' }).format(
    new Date(Date.UTC(Number(p.year), Number(p.month) - 1, 1)),
  );
  return `${Number(p.day)} ${month} ${p.year}`;
}

/** A full date and time for a `<time>` element's title: with the zone's name. */
export function formatDateTimeLong(iso: string, lang: Lang): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  return new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', {
    timeZone: TOKYO,
    dateStyle: 'full',
    timeStyle: 'short',
  }).format(new Date(ms));
}

/** The Tokyo calendar day of an instant: `2026-11-26`. */
export function tokyoDay(at: Date): string {
  const p = tokyoParts(at.toISOString());
  return p ? `${p.year}-${p.month}-${p.day}` : '';
}

/** The Tokyo month of an instant: `2026-11`. */
export const tokyoMonth = (at: Date): string => tokyoDay(at).slice(0, 7);

/** `2026-11` moved by `delta` months. */
export function addMonths(month: string, delta: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + delta;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** Months from `from` to `to` inclusive (`2026-11`), or -1 when either is not a month. */
export function monthSpan(from: string, to: string): number {
  if (!isMonth(from) || !isMonth(to)) return -1;
  const index = (s: string) => {
    const [y, m] = s.split('-').map(Number) as [number, number];
    return y * 12 + m;
  };
  return index(to) - index(from) + 1;
}

export const isMonth = (s: string): boolean => /^\d{4}-(0[1-9]|1[0-2])$/.test(s);

/** A real calendar day written `YYYY-MM-DD`. */
export function isDay(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** 「2026年11月」 / `Nov 2026`. */
export function formatMonth(month: string, lang: Lang): string {
  if (!isMonth(month)) return month;
  const [y, m] = month.split('-').map(Number) as [number, number];
  if (lang === 'ja') return `${y}年${m}月`;
  const name = new Intl.DateTimeFormat('en-GB', { month: 'short', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, m - 1, 1)),
  );
  return `${name} ${y}`;
}

/** 「1分未満」「45分」「2時間5分」「1日3時間」; 「—」 when there is nothing to measure. */
export function formatMinutes(minutes: number | null | undefined, lang: Lang): string {
  if (minutes === null || minutes === undefined || !Number.isFinite(minutes)) {
    return t('duration.none', lang);
  }
  const total = Math.round(minutes);
  // Not 「0分」: something took place, within seconds.
  if (total < 1) return t('duration.underMinute', lang);
  if (total < 60) return t('duration.minutes', lang, { m: total });
  if (total < 24 * 60) {
    const h = Math.floor(total / 60);
    const m = total % 60;
    return m ? t('duration.hours', lang, { h, m }) : t('duration.wholeHours', lang, { h });
  }
  const hours = Math.round(total / 60);
  const d = Math.floor(hours / 24);
  const h = hours % 24;
  return h ? t('duration.days', lang, { d, h }) : t('duration.wholeDays', lang, { d });
}

/** 「35名」 / `35 people`. */
export const formatEmployees = (n: number, lang: Lang): string =>
  t('value.employees', lang, { n: formatNumber(n) });
