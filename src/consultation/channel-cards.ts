import type { Localized } from '../i18n/messages';
import type { Consultation } from './types';

/**
 * The desk's channel, as the other surfaces (the web form, the Outlook add-in) need it:
 * a new record's card posted there, and a card brought up to date with a line in its
 * thread. The Teams surface implements it.
 */
export interface ChannelCards {
  /**
   * Posts the card of a record made outside Teams in the intake channel and remembers
   * where it is. `no_channel` while the app has not been installed in a team.
   */
  post(c: Consultation): Promise<'posted' | 'no_channel'>;
  /**
   * Brings the record's channel card up to date (in the background, coalescing changes)
   * and, with `line`, says in the card's thread what happened (in the channel's language;
   * plain text, shown as written).
   * The 1:1 notices the change owes are delivered too.
   */
  refresh(consultationId: number, line?: Localized): Promise<void>;
  /**
   * A change made outside Teams to a record that has its card (a correction or an
   * erasure in the ledger tab): the card brought up to date and its thread told of the
   * record's last change, as the card's 最終更新 says it; the notices it owes delivered.
   */
  announce(consultationId: number): Promise<void>;
}
