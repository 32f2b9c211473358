/**
 * An Outlook mailbox for the task pane's unit tests, built with office-addin-mock.
 *
 * office-addin-mock requires office-addin-manifest, whose ESM dependencies CommonJS jest
 * cannot load; it only reads the `OfficeApp` list from it. Each test file that imports
 * this module mocks it first:
 *
 *   jest.mock('office-addin-manifest', () => jest.requireActual('../support/office-addin-manifest-stub'));
 *
 * office-addin-mock leaves out what Outlook's API needs beyond plain values
 * (`AsyncResultStatus`, `CoercionType`, `MailboxEnums`, `convertToRestId`,
 * `body.getAsync`, `getSharedPropertiesAsync`); they are added here as Office.js defines them.
 */
import { OfficeMockObject } from 'office-addin-mock';
import type { OfficeLike } from '../../addin/src/mailbox';

export interface MockEmail {
  itemId?: string;
  internetMessageId?: string;
  conversationId?: string;
  subject?: string;
  from?: { displayName: string; emailAddress: string } | null;
  dateTimeCreated?: Date;
  bodyText?: string;
  /** Makes body.getAsync fail as Office does (status Failed, with an error). */
  bodyFails?: string;
  /**
   * An item of a shared folder or mailbox: Outlook then offers
   * `item.getSharedPropertiesAsync`, which gives these properties, or fails with this
   * message (`{ fails }`). Left out: the person's own mailbox, and no such method.
   */
  shared?: { targetMailbox?: string; owner?: string } | { fails: string };
}

/** Outlook's REST id from an EWS id (what convertToRestId does to the characters). */
export const restIdOf = (itemId: string): string => itemId.replace(/\//g, '-').replace(/\+/g, '_');

/** The global `Office` of Outlook with one message open (or none: `email` null). */
export function mockOffice(
  email: MockEmail | null,
  opts: { displayLanguage?: string } = {},
): OfficeLike & {
  calls: { convertToRestId: [string, string][]; getAsync: string[]; getSharedProperties: number };
} {
  const calls = {
    convertToRestId: [] as [string, string][],
    getAsync: [] as string[],
    getSharedProperties: 0,
  };
  const shared = email?.shared;
  const item = email && {
    itemId: email.itemId ?? 'AAMkAGI2TG93AAA/0001+a=',
    internetMessageId: email.internetMessageId ?? '<ransom1.1@mail.example.co.jp>',
    conversationId: email.conversationId ?? 'AAQkAGI2RANSOM1=',
    subject: email.subject ?? '',
    // office-addin-mock cannot hold a null object: no sender is no property at all.
    ...(email.from ? { from: email.from } : {}),
    dateTimeCreated: email.dateTimeCreated ?? new Date('2026-11-24T23:47:12Z'),
    body: {
      getAsync(
        coercionType: string,
        callback: (r: { status: string; value: string; error?: { message: string } }) => void,
      ) {
        calls.getAsync.push(coercionType);
        if (email.bodyFails) {
          callback({ status: 'failed', value: '', error: { message: email.bodyFails } });
        } else {
          callback({ status: 'succeeded', value: email.bodyText ?? '' });
        }
      },
    },
    ...(shared
      ? {
          getSharedPropertiesAsync(
            callback: (r: {
              status: string;
              value: unknown;
              error?: { name: string; message: string; code: number };
            }) => void,
          ) {
            calls.getSharedProperties++;
            if ('fails' in shared) {
              callback({
                status: 'failed',
                value: undefined,
                error: { name: 'GenericResponseError', message: shared.fails, code: 9020 },
              });
            } else {
              // Office.SharedProperties of a shared mailbox (DelegatePermissions: Read | Write).
              callback({
                status: 'succeeded',
                value: {
                  targetMailbox: shared.targetMailbox,
                  owner: shared.owner,
                  targetRestUrl: 'https://outlook.office.com/api',
                  delegatePermissions: 3,
                },
              });
            }
          },
        }
      : {}),
  };
  const data = {
    host: 'outlook',
    AsyncResultStatus: { Succeeded: 'succeeded', Failed: 'failed' },
    CoercionType: { Text: 'text', Html: 'html' },
    MailboxEnums: { RestVersion: { v1_0: 'v1.0', v2_0: 'v2.0', Beta: 'beta' } },
    context: {
      displayLanguage: opts.displayLanguage ?? 'ja-JP',
      mailbox: {
        ...(item ? { item } : {}),
        convertToRestId(itemId: string, version: string) {
          calls.convertToRestId.push([itemId, version]);
          return restIdOf(itemId);
        },
      },
    },
  };
  const office = new OfficeMockObject(data) as unknown as OfficeLike & { calls: typeof calls };
  office.calls = calls;
  return office;
}
