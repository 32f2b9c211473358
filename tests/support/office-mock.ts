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
 * `body.getAsync`); they are added here as Office.js defines them.
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
}

/** Outlook's REST id from an EWS id (what convertToRestId does to the characters). */
export const restIdOf = (itemId: string): string => itemId.replace(/\//g, '-').replace(/\+/g, '_');

/** The global `Office` of Outlook with one message open (or none: `email` null). */
export function mockOffice(
  email: MockEmail | null,
  opts: { displayLanguage?: string } = {},
): OfficeLike & { calls: { convertToRestId: [string, string][]; getAsync: string[] } } {
  const calls = { convertToRestId: [] as [string, string][], getAsync: [] as string[] };
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
