/**
 * Correcting a record (記録を修正), as both the Teams card and the ledger tab offer it: the
 * fields a correction form has, a record's values as the form shows them, and the merge
 * of a save made on a record someone else corrected meanwhile. Pure: the ledger tab's
 * page bundles it too.
 */
import type { Consultation } from './types';

/** The fields of a correction form, by their path in the service's validation errors. */
export const EDIT_FIELDS = [
  'consulter.organisation',
  'consulter.person',
  'consulter.email',
  'consulter.phone',
  'consulter.industry',
  'consulter.employees',
  'consulter.municipality',
  'subject',
  'details',
  'situation.whatHappened',
  'situation.since',
  'situation.ongoing',
  'situation.systems',
  'situation.dataAtRisk',
  'situation.actionsTaken',
  'situation.contacted',
  'situation.evidence',
] as const;
export type EditField = (typeof EDIT_FIELDS)[number];

/** A correction form's inputs: every field a string, as a form sends them. */
export type EditValues = Partial<Record<EditField, string>>;

/** A record's values as the form to correct it shows them (a field not given is left out). */
export function editValues(
  c: Pick<Consultation, 'consulter' | 'subject' | 'details' | 'situation'>,
): EditValues {
  const values: EditValues = { subject: c.subject, details: c.details };
  for (const [k, v] of Object.entries(c.consulter)) {
    if (v !== null) values[`consulter.${k}` as EditField] = String(v);
  }
  for (const [k, v] of Object.entries(c.situation)) {
    if (v !== null) values[`situation.${k}` as EditField] = String(v);
  }
  return values;
}

/**
 * A short fingerprint of a field's value (FNV-1a): the form carries one per field as it
 * was shown, so a save on a record someone corrected meanwhile can tell who changed what.
 */
export function fingerprint(value: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(36);
}

/** Each field's fingerprint, as the form shows the values. */
export function fingerprints(values: EditValues): Record<string, string> {
  return Object.fromEntries(EDIT_FIELDS.map((f) => [f, fingerprint(values[f] ?? '')]));
}

/**
 * A save on a record corrected meanwhile, merged field by field: what the person changed
 * is kept, what they left as it was takes the record's value now. A field both changed,
 * differently, keeps the person's text and is named in `clashes`, to be looked at.
 */
export function mergeEdit(
  typed: EditValues,
  shown: Readonly<Record<string, string>>,
  now: EditValues,
): { values: EditValues; clashes: EditField[] } {
  const values: EditValues = {};
  const clashes: EditField[] = [];
  for (const f of EDIT_FIELDS) {
    const mine = typed[f];
    const theirs = now[f] ?? '';
    const was = shown[f];
    // A field the form did not send (too long for it), or an old form without fingerprints.
    if (mine === undefined) {
      if (theirs) values[f] = theirs;
      continue;
    }
    const changedByMe = was === undefined || fingerprint(mine) !== was;
    const changedByThem = was !== undefined && fingerprint(theirs) !== was;
    const value = changedByMe ? mine : theirs;
    if (value) values[f] = value;
    if (changedByMe && changedByThem && mine !== theirs) clashes.push(f);
  }
  return { values, clashes };
}

/** `{ 'consulter.email': 'x' }` → `{ consulter: { email: 'x' } }`, as the service takes it. */
export function nestValues(values: Readonly<Record<string, string | undefined>>): {
  [key: string]: unknown;
} {
  const out: Record<string, unknown> = {};
  for (const [path, v] of Object.entries(values)) {
    const [head, tail] = path.split('.', 2) as [string, string | undefined];
    if (tail === undefined) out[head] = v;
    else out[head] = { ...((out[head] as Record<string, unknown>) ?? {}), [tail]: v };
  }
  return out;
}
