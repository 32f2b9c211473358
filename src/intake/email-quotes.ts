import type { Store } from '../store/store';
import { EmailIntakeRepository } from './email-intake.repository';
import { emailQuote, type EmailQuote } from './email-text';

/**
 * What the 1:1 notices of a follow-up email quote of it, read from the database when
 * they go out (which may be well after the email was added: a catch-up after a restart).
 */
export class EmailQuotes {
  private readonly repo = new EmailIntakeRepository();

  constructor(private readonly store: Store) {}

  /**
   * The subject and first words of the email the `link-email` change made at `at` added
   * to the record; null when there is nothing to quote (no subject, or no such email).
   */
  async of(consultationId: number, at: string): Promise<EmailQuote | null> {
    const email = await this.repo.linkedAt(this.store.db, consultationId, at);
    return email ? emailQuote(email.subject, email.newText) : null;
  }
}
