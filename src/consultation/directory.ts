import type { Directory } from './consultation.service';
import { ROLES, type Role } from './types';

/** Roles as configuration gives them: Entra object ids per role. Names come from elsewhere. */
export function directoryFromRoles(roles: Readonly<Record<Role, readonly string[]>>): Directory {
  const byId = new Map<string, Role[]>();
  for (const role of ROLES) {
    for (const id of roles[role])
      byId.set(id.toLowerCase(), [...(byId.get(id.toLowerCase()) ?? []), role]);
  }
  return {
    // Entra object ids are GUIDs: the same id may arrive in either case.
    rolesOf: (id) => byId.get(id.toLowerCase()) ?? [],
    nameOf: () => undefined,
  };
}

/** Everyone who holds a role, with their roles. */
export function staffIds(roles: Readonly<Record<Role, readonly string[]>>): string[] {
  return [...new Set(ROLES.flatMap((r) => roles[r]))];
}
