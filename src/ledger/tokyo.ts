/**
 * Calendar days and months as the desk counts them: in Tokyo. Japan keeps no daylight
 * saving time, so a Tokyo day is always the UTC interval starting at 15:00 the day before.
 */

const TOKYO_OFFSET_MS = 9 * 60 * 60 * 1000;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH = /^(\d{4})-(\d{2})$/;

/** `YYYY-MM-DD` when it names a real calendar day, else null. */
export function parseDay(text: string): string | null {
  const m = DAY.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d)
    return null;
  if (y < 2000 || y > 2999) return null;
  return text;
}

/** `YYYY-MM` when it names a real month, else null. */
export function parseMonth(text: string): string | null {
  const m = MONTH.exec(text);
  if (!m) return null;
  const [y, mo] = [Number(m[1]), Number(m[2])];
  if (mo < 1 || mo > 12 || y < 2000 || y > 2999) return null;
  return text;
}

/** The instant (ISO, UTC) at which a Tokyo calendar day starts. */
export function dayStart(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) - TOKYO_OFFSET_MS).toISOString();
}

/** The instant at which the Tokyo day after `day` starts: the exclusive end of `day`. */
export function dayEnd(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1) - TOKYO_OFFSET_MS).toISOString();
}

/** The instant at which a Tokyo month starts. */
export function monthStart(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1, 1) - TOKYO_OFFSET_MS).toISOString();
}

/** The month after `month`. */
export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** Every month from `from` to `to`, both included (empty when `to` is before `from`). */
export function monthsFrom(from: string, to: string): string[] {
  const months: string[] = [];
  for (let m = from; m <= to; m = nextMonth(m)) months.push(m);
  return months;
}

/** The month `n` months before `month`. */
export function monthsBefore(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) - n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

function shifted(instant: string | Date): Date {
  return new Date(new Date(instant).getTime() + TOKYO_OFFSET_MS);
}

/** The Tokyo month an instant falls in: `2026-11`. */
export function tokyoMonth(instant: string | Date): string {
  return shifted(instant).toISOString().slice(0, 7);
}

/** The Tokyo calendar day an instant falls in: `2026-11-26`. */
export function tokyoDay(instant: string | Date): string {
  return shifted(instant).toISOString().slice(0, 10);
}

/** The Tokyo day of the week an instant falls on: 0 Sunday … 6 Saturday. */
export function tokyoWeekday(instant: string | Date): number {
  return shifted(instant).getUTCDay();
}

/** Minutes since midnight, Tokyo time: 09:30 is 570. */
export function tokyoMinuteOfDay(instant: string | Date): number {
  const t = shifted(instant);
  return t.getUTCHours() * 60 + t.getUTCMinutes();
}

/** Tokyo wall-clock time to the minute: `2026-11-26 10:05`. */
export function tokyoDateTime(instant: string | Date): string {
  const iso = shifted(instant).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
}
