import { directoryFromRoles, staffIds } from '../../src/consultation/directory';

describe('roles from configuration', () => {
  const roles = {
    'first-line': ['a', 'b'],
    specialist: ['c'],
    supervisor: ['a', 'd'],
  } as const;

  test('one person may hold several roles; others hold none', () => {
    const dir = directoryFromRoles(roles);
    expect(dir.rolesOf('a')).toEqual(['first-line', 'supervisor']);
    expect(dir.rolesOf('c')).toEqual(['specialist']);
    expect(dir.rolesOf('stranger')).toEqual([]);
    expect(directoryFromRoles({ ...roles, specialist: ['AbC'] }).rolesOf('aBc')).toEqual([
      'specialist',
    ]);
  });

  test('staff are listed once each', () => {
    expect(staffIds(roles).sort()).toEqual(['a', 'b', 'c', 'd']);
  });
});
