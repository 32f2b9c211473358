jest.mock('office-addin-manifest', () =>
  jest.requireActual<object>('../support/office-addin-manifest-stub'),
);

import { createMailbox, OutlookError, officeAsync } from '../../addin/src/mailbox';
import { languageOf } from '../../addin/src/messages';
import { mockOffice, restIdOf } from '../support/office-mock';

describe('the mailbox through Office.js (office-addin-mock)', () => {
  test('reads the open message: ids, REST id (v2.0), sender, time and the text body', async () => {
    const office = mockOffice({
      itemId: 'AAMkAD/abc+def=',
      internetMessageId: '<a1@example.jp>',
      conversationId: 'AAQkConv=',
      subject: '不審なメール',
      from: { displayName: '山田 太郎', emailAddress: 't.yamada@example.jp' },
      dateTimeCreated: new Date('2026-11-24T23:47:12Z'),
      bodyText: '本文です',
    });
    const email = await createMailbox(office).readCurrent();
    expect(email).toEqual({
      itemId: 'AAMkAD/abc+def=',
      restId: 'AAMkAD-abc_def=',
      internetMessageId: '<a1@example.jp>',
      conversationId: 'AAQkConv=',
      subject: '不審なメール',
      from: { name: '山田 太郎', address: 't.yamada@example.jp' },
      receivedAt: '2026-11-24T23:47:12.000Z',
      bodyText: '本文です',
      // The person's own mailbox: Outlook offers no shared properties.
      mailbox: null,
      sharedLookupFailed: null,
    });
    expect(office.calls.convertToRestId).toEqual([['AAMkAD/abc+def=', 'v2.0']]);
    expect(office.calls.getAsync).toEqual(['text']);
    expect(office.calls.getSharedProperties).toBe(0);
    expect(restIdOf('a/b+c')).toBe('a-b_c');
  });

  test('an email in the desk’s shared mailbox: its targetMailbox, and the same REST id', async () => {
    const office = mockOffice({
      itemId: 'AAMkAGShared/desk+1=',
      subject: '共有メールボックスの相談',
      shared: { targetMailbox: 'soudan@desk.example.lg.jp', owner: 'soudan@desk.example.lg.jp' },
    });
    const email = await createMailbox(office).readCurrent();
    expect(email).toMatchObject({
      itemId: 'AAMkAGShared/desk+1=',
      restId: 'AAMkAGShared-desk_1=',
      mailbox: 'soudan@desk.example.lg.jp',
      sharedLookupFailed: null,
    });
    expect(office.calls.getSharedProperties).toBe(1);
    expect(office.calls.convertToRestId).toEqual([['AAMkAGShared/desk+1=', 'v2.0']]);
  });

  test('a targetMailbox that is no address (it differs by client): the owner’s address', async () => {
    const office = mockOffice({
      subject: 'x',
      shared: { targetMailbox: 'AAMkADeskMailboxGuid==', owner: ' soudan@desk.example.lg.jp ' },
    });
    expect(await createMailbox(office).readCurrent()).toMatchObject({
      mailbox: 'soudan@desk.example.lg.jp',
      sharedLookupFailed: null,
    });

    const neither = mockOffice({ subject: 'x', shared: { targetMailbox: '', owner: '' } });
    expect(await createMailbox(neither).readCurrent()).toMatchObject({
      mailbox: null,
      sharedLookupFailed: 'no targetMailbox',
    });
  });

  test('getSharedPropertiesAsync fails: the own mailbox is assumed, and the failure kept', async () => {
    // Office's own samples read a failure as "the folder or mailbox isn't shared"; some
    // clients offer the method on every item. The email still opens; the pane says more
    // should the email then not be found in the person's mailbox.
    const office = mockOffice({
      subject: '不審なメール',
      bodyText: '本文',
      shared: { fails: 'The operation failed.' },
    });
    const email = await createMailbox(office).readCurrent();
    expect(email).toMatchObject({
      subject: '不審なメール',
      bodyText: '本文',
      mailbox: null,
      sharedLookupFailed: 'The operation failed.',
    });
    expect(office.calls.getSharedProperties).toBe(1);
  });

  test('a failed body.getAsync rejects with Office’s message', async () => {
    const office = mockOffice({ subject: 'x', bodyFails: 'The item could not be loaded.' });
    const attempt = createMailbox(office).readCurrent();
    await expect(attempt).rejects.toBeInstanceOf(OutlookError);
    await expect(attempt).rejects.toMatchObject({
      problem: 'failed',
      detail: 'The item could not be loaded.',
    });
  });

  test('no message open: no_item', async () => {
    await expect(createMailbox(mockOffice(null)).readCurrent()).rejects.toMatchObject({
      problem: 'no_item',
    });
    await expect(createMailbox({}).readCurrent()).rejects.toMatchObject({ problem: 'no_item' });
  });

  test('officeAsync: a callback API that throws is a rejection, not a crash', async () => {
    const office = mockOffice(null);
    await expect(
      officeAsync(office, () => {
        throw new Error('not supported');
      }),
    ).rejects.toMatchObject({ problem: 'failed', detail: 'not supported' });
    await expect(
      officeAsync<string>(office, (cb) => cb({ status: 'succeeded', value: 'ok' })),
    ).resolves.toBe('ok');
  });

  test('the language: Japanese for ja-*, and when Outlook does not say; English otherwise', () => {
    expect(createMailbox(mockOffice(null, { displayLanguage: 'en-US' })).displayLanguage()).toBe(
      'en-US',
    );
    expect(languageOf('ja-JP')).toBe('ja');
    expect(languageOf('en-US')).toBe('en');
    expect(languageOf('fr-FR')).toBe('en');
    expect(languageOf(null)).toBe('ja');
  });
});
