import type { Actor, SystemActorId } from './types';

/** An actor that is a part of Madoguchi, not a person; never staff. */
export interface SystemActor extends Actor {
  system: SystemActorId;
  roles: readonly [];
}

/**
 * The public web form (`/consult`): it records consultations that consulters file on the
 * web, and emails them an acknowledgement. What it may do is `SYSTEM_POLICY['web-form']`.
 * Its name is what the history and the ledger show as the one who acted.
 */
export const WEB_FORM: SystemActor = Object.freeze({
  id: 'system:web-form',
  name: 'Webフォーム',
  roles: [] as const,
  system: 'web-form',
});

/**
 * The retention schedule: it erases the personal data of records whose retention period
 * has ended (`RetentionService`). It can do nothing else (`SYSTEM_POLICY['retention']`).
 */
export const RETENTION: SystemActor = Object.freeze({
  id: 'system:retention',
  name: '保存期間の管理',
  roles: [] as const,
  system: 'retention',
});

export const SYSTEM_ACTORS: Readonly<Record<SystemActorId, SystemActor>> = {
  'web-form': WEB_FORM,
  retention: RETENTION,
};

/** Whether a history entry's actor (`{ id, name }`) is one of Madoguchi's own parts. */
export const isSystemActorId = (id: string): boolean =>
  Object.values(SYSTEM_ACTORS).some((a) => a.id === id);
