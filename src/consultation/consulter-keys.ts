/**
 * What says two records are of the same consulter: the organisation's name without its
 * legal form, spaces, width or case (株式会社サンプル = ㈱ サンプル = サンプル), the email
 * address in any case, or the phone number's digits. Kept on each record (normalised, so
 * indexes find them) for the consulter's other consultations and for the retention
 * period, which runs from the latest close of the same consulter. Pure functions.
 */
import type { Consulter } from './types';

/** Japanese legal forms, as a regular expression's alternatives (after NFKC). */
export const LEGAL_FORMS =
  '株式会社|有限会社|合同会社|合資会社|合名会社|(?:一般|公益)(?:社団|財団)法人|社会福祉法人|' +
  '医療法人(?:社団|財団)?|学校法人|宗教法人|特定非営利活動法人|NPO法人|' +
  '\\((?:株|有|合|同|資|名|社|財|医|学|福)\\)';

/** English legal forms, as a regular expression's alternatives. */
export const ENGLISH_FORMS =
  'Co\\.,?\\s?Ltd\\.?|Inc\\.?|Corp\\.?|Corporation|LLC|Ltd\\.?|K\\.K\\.|G\\.K\\.';

/** Legal forms removed to find an organisation's name on its own: 株式会社サンプル → サンプル. */
export function organisationCore(org: string): string {
  return org
    .normalize('NFKC')
    .replace(new RegExp(LEGAL_FORMS, 'gu'), '')
    .replace(new RegExp(`(?:,?\\s*(?:${ENGLISH_FORMS}))+$`, 'iu'), '')
    .trim();
}

/** The keys, in the order they are shown. */
export const CONSULTER_KEYS = ['organisation', 'email', 'phone'] as const;
export type ConsulterKey = (typeof CONSULTER_KEYS)[number];

/** A record's keys; null where the record says nothing that identifies. */
export type ConsulterKeys = Record<ConsulterKey, string | null>;

export function consulterKeys(
  c: Pick<Consulter, 'organisation' | 'email' | 'phone'>,
): ConsulterKeys {
  const org = c.organisation
    ? organisationCore(c.organisation).replace(/\s+/gu, '').toLowerCase()
    : '';
  const email = c.email?.normalize('NFKC').trim().toLowerCase() ?? '';
  const phone = c.phone?.normalize('NFKC').replace(/\D/gu, '') ?? '';
  return {
    // A legal form alone, or one character, says nothing about who it is.
    organisation: [...org].length >= 2 ? org : null,
    email: email || null,
    // Fewer digits than any number a business can be called on.
    phone: phone.length >= 6 ? phone : null,
  };
}
