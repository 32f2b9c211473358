import { ConsultationService, type Directory } from '../../src/consultation/consultation.service';
import type { Actor, Consultation, Role, Situation } from '../../src/consultation/types';
import type { Store } from '../../src/store/store';

export const firstLineA: Actor = { id: 'oid-fl-a', name: '受付担当A', roles: ['first-line'] };
export const firstLineB: Actor = { id: 'oid-fl-b', name: '受付担当B', roles: ['first-line'] };
export const specialistC: Actor = { id: 'oid-sp-c', name: '専門員C', roles: ['specialist'] };
export const specialistD: Actor = { id: 'oid-sp-d', name: '専門員D', roles: ['specialist'] };
export const supervisorE: Actor = { id: 'oid-sv-e', name: '職員E', roles: ['supervisor'] };
export const outsider: Actor = { id: 'oid-x', name: '部外者', roles: [] };

export const ACTORS = [firstLineA, firstLineB, specialistC, specialistD, supervisorE, outsider];

export const directory: Directory = {
  rolesOf: (id: string): readonly Role[] => ACTORS.find((a) => a.id === id)?.roles ?? [],
  nameOf: (id: string) => ACTORS.find((a) => a.id === id)?.name,
};

export const CATEGORY_IDS = new Set(['ransomware', 'phishing', 'bec', 'data-leak', 'other']);

/** A fixed clock that tests can move. */
export function testClock(start = '2026-11-26T01:00:00.000Z') {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    advance(ms: number) {
      t += ms;
    },
  };
}

export function makeService(store: Store, clock = testClock()): ConsultationService {
  return new ConsultationService({ store, directory, categoryIds: CATEGORY_IDS, clock: clock.now });
}

/** A valid phone consultation; override any part. */
export function intake(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    channel: 'phone',
    consulter: {
      organisation: '株式会社サンプル製作所',
      person: '山田 太郎',
      email: 'yamada@sample.example.jp',
      phone: '03-1234-5678',
      industry: '製造業',
      employees: '35',
      municipality: '大田区',
    },
    categoryId: 'ransomware',
    urgency: 'high',
    subject: 'ファイルが開けない',
    details:
      '朝出社したら共有フォルダのファイルが暗号化され、ランサムウェアの脅迫文が表示されていた。',
    situation: {
      whatHappened: '拡張子が .lockbit に変わった',
      since: '本日 8:30',
      ongoing: 'yes',
      systems: 'ファイルサーバ',
      dataAtRisk: 'unknown',
      actionsTaken: 'LANケーブルを抜いた',
      contacted: null,
      evidence: '脅迫文の写真',
    },
    ...overrides,
  };
}

/** A consulter of whom nothing is known (or everything was erased). */
export const NO_CONSULTER: Consultation['consulter'] = {
  organisation: null,
  person: null,
  email: null,
  phone: null,
  industry: null,
  employees: null,
  municipality: null,
};

/** A checklist with nothing filled in. */
export const EMPTY_SITUATION: Situation = {
  whatHappened: null,
  since: null,
  ongoing: 'unknown',
  systems: null,
  dataAtRisk: 'unknown',
  actionsTaken: null,
  contacted: null,
  evidence: null,
};

/** A record as the service returns it, for tests of pure code (cards, templates); override any part. */
export function consultationRecord(over: Partial<Consultation> = {}): Consultation {
  return {
    id: 7,
    number: '2026-000123',
    fiscalYear: 2026,
    channel: 'phone',
    state: 'received',
    receivedAt: '2026-11-25T00:00:00.000Z',
    consulter: {
      organisation: '株式会社サンプル精工',
      person: '山田 太郎',
      email: 'yamada@sample.example.jp',
      phone: null,
      industry: null,
      employees: null,
      municipality: null,
    },
    categoryId: 'ransomware',
    urgency: 'high',
    subject: 'ファイルが開けない',
    details: '共有フォルダのファイルが暗号化された。',
    situation: EMPTY_SITUATION,
    firstLineOwner: null,
    specialist: null,
    coordinationNeeded: null,
    coordinationReason: null,
    tags: [],
    teamsCard: null,
    createdBy: { id: firstLineA.id, name: firstLineA.name },
    createdAt: '2026-11-25T00:00:00.000Z',
    updatedAt: '2026-11-25T00:00:00.000Z',
    closedAt: null,
    erasure: null,
    version: 1,
    ...over,
  };
}
