import {
  EDIT_FIELDS,
  editValues,
  fingerprint,
  fingerprints,
  mergeEdit,
  nestValues,
} from '../../src/consultation/correction';

describe('a correction saved on a record corrected meanwhile', () => {
  const shownValues = { subject: '件名', 'consulter.email': 'a@x.jp', 'consulter.phone': '03-1' };
  const shown = fingerprints(shownValues);

  test('keeps what the person changed and takes the rest as the record has it now', () => {
    const typed = { ...shownValues, subject: '件名（訂正）' };
    const now = { ...shownValues, 'consulter.email': 'b@x.jp' };
    expect(mergeEdit(typed, shown, now)).toEqual({
      values: { subject: '件名（訂正）', 'consulter.email': 'b@x.jp', 'consulter.phone': '03-1' },
      clashes: [],
    });
  });

  test('a field both changed, differently, keeps the person’s text and is named; the same change is not', () => {
    const typed = { ...shownValues, subject: 'Aの件名', 'consulter.phone': '03-2' };
    const now = { ...shownValues, subject: 'Bの件名', 'consulter.phone': '03-2' };
    expect(mergeEdit(typed, shown, now)).toEqual({
      values: { subject: 'Aの件名', 'consulter.email': 'a@x.jp', 'consulter.phone': '03-2' },
      clashes: ['subject'],
    });
  });

  test('a field the form left out takes the record’s value; without fingerprints the typed text stays', () => {
    const typed = { 'consulter.email': shownValues['consulter.email'] };
    const now = { ...shownValues, subject: '新しい件名' };
    expect(mergeEdit(typed, shown, now).values.subject).toBe('新しい件名');
    const old = mergeEdit({ ...shownValues, 'consulter.email': '' }, {}, now);
    expect(old.values).toEqual({ subject: '件名', 'consulter.phone': '03-1' });
    expect(old.clashes).toEqual([]);
  });

  test('every field of the form has a fingerprint, the same for the same text', () => {
    expect(Object.keys(fingerprints({}))).toEqual([...EDIT_FIELDS]);
    expect(fingerprint('件名')).toBe(fingerprint('件名'));
    expect(fingerprint('件名')).not.toBe(fingerprint('件名 '));
  });
});

describe('a record as the correction form shows it, and back', () => {
  test('every field given is a string under its path; a field not given is left out', () => {
    const values = editValues({
      subject: '件名',
      details: '内容',
      consulter: {
        organisation: '株式会社A',
        person: null,
        email: 'a@x.jp',
        phone: null,
        industry: null,
        employees: 12,
        municipality: null,
      },
      situation: {
        whatHappened: null,
        since: '昨日',
        ongoing: 'yes',
        systems: null,
        dataAtRisk: 'unknown',
        actionsTaken: null,
        contacted: null,
        evidence: null,
      },
    });
    expect(values).toEqual({
      subject: '件名',
      details: '内容',
      'consulter.organisation': '株式会社A',
      'consulter.email': 'a@x.jp',
      'consulter.employees': '12',
      'situation.since': '昨日',
      'situation.ongoing': 'yes',
      'situation.dataAtRisk': 'unknown',
    });
    expect(nestValues(values)).toEqual({
      subject: '件名',
      details: '内容',
      consulter: { organisation: '株式会社A', email: 'a@x.jp', employees: '12' },
      situation: { since: '昨日', ongoing: 'yes', dataAtRisk: 'unknown' },
    });
  });
});
