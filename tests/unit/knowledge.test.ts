import {
  CATEGORIES,
  DESTINATIONS,
  INTAKE_CHECKLIST,
  categoryById,
  destinationById,
  destinationsFor,
} from '../../src/knowledge/knowledge';

describe('knowledge', () => {
  it('has unique ids and every category points at known destinations', () => {
    expect(new Set(CATEGORIES.map((c) => c.id)).size).toBe(CATEGORIES.length);
    expect(new Set(DESTINATIONS.map((d) => d.id)).size).toBe(DESTINATIONS.length);
    for (const c of CATEGORIES) {
      for (const id of c.destinations)
        expect({ category: c.id, found: !!destinationById(id) }).toEqual({
          category: c.id,
          found: true,
        });
      expect(c.ja).not.toBe('');
      expect(c.en).not.toBe('');
    }
  });

  it('has a name in both languages and a way to reach every destination', () => {
    for (const d of DESTINATIONS) {
      expect(d.name.ja).not.toBe('');
      expect(d.name.en).not.toBe('');
      expect(d.url ?? d.tel).toBeTruthy();
      if (d.url) expect(d.url).toMatch(/^https:\/\//);
    }
  });

  it('finds a category and its destinations in order', () => {
    expect(categoryById('phishing')).toMatchObject({
      ja: 'フィッシング・不審メール',
      guidebook: ['2-9', '2-10'],
    });
    expect(destinationsFor('ransomware').map((d) => d.id)).toEqual([
      'mpd-cyber',
      'police-station',
      'ipa-todokede',
      'jpcert',
      'ppc',
    ]);
    expect(destinationsFor('ransomware')[0]).toMatchObject({
      tel: '03-5805-1731',
      name: { ja: '警視庁 サイバー犯罪対策課' },
    });
    expect(categoryById('nope')).toBeUndefined();
    expect(destinationsFor('nope')).toEqual([]);
  });

  it('has the eight checklist items of the intake', () => {
    expect(INTAKE_CHECKLIST.map((i) => i.id)).toEqual([
      'whatHappened',
      'since',
      'ongoing',
      'systems',
      'dataAtRisk',
      'actionsTaken',
      'contacted',
      'evidence',
    ]);
  });
});
