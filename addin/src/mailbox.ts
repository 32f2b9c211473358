/**
 * The Office.js calls the task pane makes, each wrapped in a Promise that rejects when
 * Office reports `AsyncResultStatus.Failed`. Only the narrow shapes used here are
 * declared, so the pane runs the same on office.js, on office-addin-mock, and on a fake
 * mailbox in a browser test.
 */

/** What Office.js hands an async callback. */
export interface AsyncResultLike<T> {
  status: string;
  value: T;
  error?: { name?: string; message?: string; code?: number } | null;
}

export interface MessageReadLike {
  itemId?: string | null;
  internetMessageId?: string | null;
  conversationId?: string | null;
  subject?: string | null;
  from?: { displayName?: string | null; emailAddress?: string | null } | null;
  dateTimeCreated?: Date | string | null;
  body?: {
    getAsync(coercionType: string, callback: (result: AsyncResultLike<string>) => void): void;
  } | null;
  /**
   * Mailbox 1.8 (shared folders) / 1.13 (shared mailboxes): only offered by Outlook on
   * items of a shared folder or mailbox (some clients offer it on every item and fail it
   * for one's own).
   */
  getSharedPropertiesAsync?(
    callback: (result: AsyncResultLike<SharedPropertiesLike>) => void,
  ): void;
}

/** Office.SharedProperties, as far as the pane reads it. */
export interface SharedPropertiesLike {
  /** The mailbox the item is in (an SMTP address on the clients that serve Graph). */
  targetMailbox?: string | null;
  /** The email address of the shared item's owner. */
  owner?: string | null;
}

export interface MailboxLike {
  item?: MessageReadLike | null;
  convertToRestId?(itemId: string, restVersion: string): string;
}

/** The part of the global `Office` object the pane uses. */
export interface OfficeLike {
  context?: { mailbox?: MailboxLike | null; displayLanguage?: string | null } | null;
  AsyncResultStatus?: { Failed?: string; Succeeded?: string };
  CoercionType?: { Text?: string };
  MailboxEnums?: { RestVersion?: { v2_0?: string } };
}

/** The email open in Outlook, as the pane needs it. */
export interface CurrentEmail {
  /** Outlook's own id (EWS format on most clients). */
  itemId: string;
  /** The id Microsoft Graph knows the message by; what the API is sent. */
  restId: string;
  internetMessageId: string;
  conversationId: string;
  subject: string;
  from: { name: string; address: string } | null;
  /** ISO time the item was created in the mailbox (≈ when it was received), or null. */
  receivedAt: string | null;
  /** The body as plain text, for the form's guesses; never sent to the API. */
  bodyText: string;
  /**
   * The shared mailbox the item is in (Outlook's `targetMailbox`, an SMTP address): what
   * the API is sent as `mailbox`. Null for the person's own mailbox.
   */
  mailbox: string | null;
  /**
   * Outlook offers the item's shared properties but could not give them (its message):
   * the item is taken to be in the person's own mailbox, as Office's own samples read a
   * failure ("the folder or mailbox isn't shared"); said again if the email is then not found.
   */
  sharedLookupFailed: string | null;
}

export type OutlookProblem = 'no_item' | 'failed';

/** Outlook could not tell the pane what it needs. */
export class OutlookError extends Error {
  constructor(
    readonly problem: OutlookProblem,
    readonly detail: string,
  ) {
    super(`${problem}: ${detail}`);
    this.name = 'OutlookError';
  }
}

/** More text than this is of no use to the form's guesses; the rest stays in Outlook. */
export const BODY_TEXT_LIMIT = 200_000;

/** Wraps an Office callback API in a Promise that rejects on `AsyncResultStatus.Failed`. */
export function officeAsync<T>(
  office: OfficeLike,
  call: (callback: (result: AsyncResultLike<T>) => void) => void,
): Promise<T> {
  const failed = office.AsyncResultStatus?.Failed ?? 'failed';
  return new Promise<T>((resolve, reject) => {
    try {
      call((result) => {
        if (result.status === failed) {
          const e = result.error;
          reject(new OutlookError('failed', e?.message || e?.name || String(e?.code ?? 'failed')));
        } else {
          resolve(result.value);
        }
      });
    } catch (err) {
      reject(new OutlookError('failed', err instanceof Error ? err.message : String(err)));
    }
  });
}

/** Enough of an address to be a mailbox Graph can be asked for (`/users/{address}`). */
const ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Which mailbox the item is in: `targetMailbox` of `item.getSharedPropertiesAsync()` when
 * Outlook offers it (the item is in a shared folder or mailbox), else the person's own.
 * `targetMailbox` "may differ based on the Outlook client"; when it is no address, the
 * owner's address (the shared mailbox itself) is used instead.
 */
export async function sharedMailboxOf(
  office: OfficeLike,
  item: MessageReadLike,
): Promise<{ mailbox: string | null; failed: string | null }> {
  if (typeof item.getSharedPropertiesAsync !== 'function') return { mailbox: null, failed: null };
  let props: SharedPropertiesLike | null;
  try {
    props = await officeAsync<SharedPropertiesLike>(office, (cb) =>
      item.getSharedPropertiesAsync!(cb),
    );
  } catch (err) {
    return { mailbox: null, failed: err instanceof OutlookError ? err.detail : String(err) };
  }
  for (const candidate of [props?.targetMailbox, props?.owner]) {
    const address = typeof candidate === 'string' ? candidate.trim() : '';
    if (ADDRESS.test(address)) return { mailbox: address, failed: null };
  }
  return { mailbox: null, failed: 'no targetMailbox' };
}

export interface Mailbox {
  /** The display language Outlook runs in (`ja-JP`, `en-US`), when it says. */
  displayLanguage(): string | null;
  /** The selected email with its ids, plain-text body and the mailbox it is in. */
  readCurrent(): Promise<CurrentEmail>;
}

/** The pane's view of Outlook through `office` (the global `Office` in the browser). */
export function createMailbox(office: OfficeLike): Mailbox {
  return {
    displayLanguage: () => office.context?.displayLanguage ?? null,

    async readCurrent() {
      const mailbox = office.context?.mailbox;
      const item = mailbox?.item;
      if (!mailbox || !item) throw new OutlookError('no_item', 'no item');
      const itemId = item.itemId ?? '';
      if (!itemId) throw new OutlookError('no_item', 'no itemId');
      if (!item.internetMessageId) throw new OutlookError('failed', 'no internetMessageId');
      if (typeof mailbox.convertToRestId !== 'function') {
        throw new OutlookError('failed', 'convertToRestId is not available (Mailbox 1.3)');
      }
      let restId: string;
      try {
        restId = mailbox.convertToRestId(itemId, office.MailboxEnums?.RestVersion?.v2_0 ?? 'v2.0');
      } catch (err) {
        throw new OutlookError('failed', err instanceof Error ? err.message : String(err));
      }
      if (!restId) throw new OutlookError('failed', 'convertToRestId returned nothing');

      const body = item.body;
      const text = body
        ? await officeAsync<string>(office, (cb) =>
            body.getAsync(office.CoercionType?.Text ?? 'text', cb),
          )
        : '';

      const shared = await sharedMailboxOf(office, item);

      const from = item.from;
      const created = item.dateTimeCreated;
      const receivedAt =
        created instanceof Date
          ? created.toISOString()
          : typeof created === 'string' && !Number.isNaN(Date.parse(created))
            ? new Date(created).toISOString()
            : null;
      return {
        itemId,
        restId,
        internetMessageId: item.internetMessageId,
        conversationId: item.conversationId ?? '',
        subject: item.subject ?? '',
        from:
          from && (from.emailAddress || from.displayName)
            ? { name: from.displayName ?? '', address: from.emailAddress ?? '' }
            : null,
        receivedAt,
        bodyText: (text ?? '').slice(0, BODY_TEXT_LIMIT),
        mailbox: shared.mailbox,
        sharedLookupFailed: shared.failed,
      };
    },
  };
}
