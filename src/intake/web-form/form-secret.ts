import { randomBytes } from 'node:crypto';
import type { Store } from '../../store/store';

const NAME = 'web-form-signing';

/**
 * The web form's signing key, shared by every instance through the database: made once
 * (32 random bytes) by whichever instance asks first; two asking at once agree on the one
 * that was stored.
 */
export async function loadFormSecret(
  store: Store,
  clock: () => Date = () => new Date(),
): Promise<Buffer> {
  await store.db
    .insertInto('app_secret')
    .values({
      name: NAME,
      value: randomBytes(32).toString('base64url'),
      created_at: clock().toISOString(),
    })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await store.db
    .selectFrom('app_secret')
    .select('value')
    .where('name', '=', NAME)
    .executeTakeFirstOrThrow();
  return Buffer.from(row.value, 'base64url');
}
