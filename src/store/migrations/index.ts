import type { Migration } from 'kysely';
import type { Dialect } from '../store';
import { consultations } from './2026-11-26-001-consultations';
import { teams } from './2026-11-26-002-teams';
import { answerDelivery } from './2026-11-26-003-answer-delivery';
import { cardLookup } from './2026-11-26-004-card-lookup';
import { emailIntake } from './2026-11-27-005-email-intake';
import { appSecrets } from './2026-11-27-006-app-secrets';
import { historyVersion } from './2026-11-27-007-history-version';
import { cardShown } from './2026-11-27-008-card-shown';
import { notices } from './2026-11-27-009-notices';
import { ledgerExports } from './2026-11-27-010-ledger-exports';
import { erasure } from './2026-11-27-011-erasure';
import { consulterKeyColumns } from './2026-11-27-012-consulter-keys';
import { searchTrigrams } from './2026-11-27-013-search-trigrams';
import { channelDigest } from './2026-11-27-014-channel-digest';
import { threadLines } from './2026-11-27-015-thread-lines';
import { singleCharacterKeys } from './2026-11-27-016-single-character-keys';
import { cardPosting } from './2026-11-27-017-card-posting';
import { referenceTeam } from './2026-11-27-018-reference-team';

/** Every migration, in order. Names are frozen once released: add, never edit. */
export function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '2026-11-26-001-consultations': consultations(dialect),
    '2026-11-26-002-teams': teams(dialect),
    '2026-11-26-003-answer-delivery': answerDelivery(dialect),
    '2026-11-26-004-card-lookup': cardLookup(),
    '2026-11-27-005-email-intake': emailIntake(dialect),
    '2026-11-27-006-app-secrets': appSecrets(dialect),
    '2026-11-27-007-history-version': historyVersion(),
    '2026-11-27-008-card-shown': cardShown(),
    '2026-11-27-009-notices': notices(dialect),
    '2026-11-27-010-ledger-exports': ledgerExports(dialect),
    '2026-11-27-011-erasure': erasure(dialect),
    '2026-11-27-012-consulter-keys': consulterKeyColumns(),
    '2026-11-27-013-search-trigrams': searchTrigrams(dialect),
    '2026-11-27-014-channel-digest': channelDigest(dialect),
    '2026-11-27-015-thread-lines': threadLines(dialect),
    '2026-11-27-016-single-character-keys': singleCharacterKeys(dialect),
    '2026-11-27-017-card-posting': cardPosting(dialect),
    '2026-11-27-018-reference-team': referenceTeam(),
  };
}
