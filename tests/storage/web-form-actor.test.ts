/** The web form's system actor, through the real service on every dialect. */
import { ForbiddenError } from '../../src/errors';
import { AcknowledgementService } from '../../src/intake/web-form/acknowledgement';
import { captureLogs } from '../support/mail';
import { WEB_FORM } from '../../src/consultation/system-actors';
import { firstLineA, intake, makeService, supervisorE } from '../support/fixtures';
import { describeEachDialect } from '../support/dialects';

describeEachDialect('the web form acting by itself', (db) => {
  test('records web consultations, with its name in the history, and nothing else', async () => {
    const svc = makeService(db().store);
    const { consultation } = await svc.create(WEB_FORM, intake({ channel: 'web' }), {
      historyFacts: { privacyNotice: '2026-11' },
    });
    expect(consultation).toMatchObject({
      channel: 'web',
      state: 'received',
      createdBy: { id: 'system:web-form', name: 'Webフォーム' },
    });
    const { history } = await svc.details(supervisorE, consultation.id);
    expect(history.map((h) => [h.action, h.actor.id, h.after])).toEqual([
      [
        'create',
        'system:web-form',
        { privacyNotice: '2026-11', channel: 'web', categoryId: 'ransomware', urgency: 'high' },
      ],
    ]);

    // Not another channel, not reading, not acting on a record.
    for (const channel of ['phone', 'email', 'counter']) {
      await expect(svc.create(WEB_FORM, intake({ channel }))).rejects.toBeInstanceOf(
        ForbiddenError,
      );
    }
    await expect(svc.get(WEB_FORM, consultation.id)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(svc.list(WEB_FORM, {})).rejects.toBeInstanceOf(ForbiddenError);
    await expect(svc.claim(WEB_FORM, consultation.id)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(svc.addNote(WEB_FORM, consultation.id, { body: 'メモ' })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    expect((await svc.list(supervisorE, {})).total).toBe(1);
  });

  test('a system actor given roles is still not staff', async () => {
    const svc = makeService(db().store);
    const dressedUp = { ...WEB_FORM, roles: ['supervisor' as const] };
    const { consultation } = await svc.create(firstLineA, intake());
    await expect(svc.get(dressedUp, consultation.id)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(svc.create(dressedUp, intake())).rejects.toBeInstanceOf(ForbiddenError);
  });

  test('the acknowledgement is in the history, but the last change a card shows stays the creation', async () => {
    const { store } = db();
    const svc = makeService(store);
    const { consultation } = await svc.create(WEB_FORM, intake({ channel: 'web' }));
    const acks = new AcknowledgementService({
      store,
      mail: null,
      mailbox: null,
      logger: captureLogs().logger,
    });
    await expect(acks.acknowledge(firstLineA, consultation, 'ja')).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    expect(await acks.acknowledge(WEB_FORM, consultation, 'ja')).toBe('not_configured');
    const { history } = await svc.details(supervisorE, consultation.id);
    expect(history.map((h) => h.action)).toEqual(['create', 'acknowledge']);
    const { lastChange } = await svc.withLastChange(supervisorE, consultation.id);
    expect(lastChange).toMatchObject({ action: 'create', by: { id: 'system:web-form' } });
  });
});
