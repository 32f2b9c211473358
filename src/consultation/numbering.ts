/** Consultation numbers: `2026-000123`, counted per Japanese fiscal year (April to March). */

const TOKYO_OFFSET_MS = 9 * 60 * 60 * 1000; // Japan keeps no daylight saving time.

/** The fiscal year an instant falls in, by the calendar in Tokyo. */
export function fiscalYearOf(instant: Date): number {
  const tokyo = new Date(instant.getTime() + TOKYO_OFFSET_MS);
  const year = tokyo.getUTCFullYear();
  return tokyo.getUTCMonth() >= 3 ? year : year - 1;
}

export function formatNumber(fiscalYear: number, seq: number): string {
  return `${fiscalYear}-${String(seq).padStart(6, '0')}`;
}

const NUMBER_PATTERN = /^(\d{4})-(\d{6})$/;

/** Whether a string is a consultation number (half- or full-width digits are accepted). */
export function parseNumber(text: string): string | null {
  const m = NUMBER_PATTERN.exec(text.normalize('NFKC').trim());
  return m ? `${m[1]}-${m[2]}` : null;
}
