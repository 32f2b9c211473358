import { describeEachDialect } from '../support/dialects';
import {
  firstLineA as A,
  supervisorE as E,
  outsider,
  intake,
  makeService,
  testClock,
} from '../support/fixtures';

describeEachDialect('similar past cases', (db) => {
  test('the answered, closed cases of the category whose text reads most alike, each with its latest answer', async () => {
    const store = db().store;
    const clock = testClock('2026-04-01T01:00:00.000Z');
    const svc = makeService(store, clock);
    const record = async (over: Record<string, unknown>, answers: string[] = [], close = true) => {
      clock.advance(3_600_000);
      const { consultation: c } = await svc.create(A, intake(over));
      await svc.claim(A, c.id);
      for (const [i, body] of answers.entries()) {
        if (i > 0) {
          // A second answer: the consulter wrote again.
          await svc.close(E, c.id, {});
          const { consultation: reopened } = await svc.reopen(A, c.id);
          if (reopened.state === 'received') await svc.claim(A, c.id);
        }
        await svc.answer(A, c.id, { body, delivery: 'phone' });
      }
      // Closing without an answer needs a reason.
      if (close)
        await svc.close(E, c.id, { reason: answers.length ? undefined : '連絡がつかない' });
      return c;
    };
    const ransom = (subject: string, details: string) => ({
      categoryId: 'ransomware',
      subject,
      details,
    });

    const alike = await record(
      ransom(
        'サーバのファイルが暗号化された',
        '共有フォルダのファイルが暗号化され、脅迫文が出た。',
      ),
      ['まず LAN から切り離してください。', 'バックアップの確認を案内した。'],
    );
    const lessAlike = await record(
      ransom(
        '身代金を要求するメール',
        'ファイルは暗号化されていないが、支払わないと公開すると書かれていた。',
      ),
      ['支払わずに警察に相談してください。'],
    );
    const unrelated = await record(ransom('ＵＳＢ の扱い', '社内規程の相談。'), [
      '規程の例を紹介。',
    ]);
    // Not among them: unanswered, still open, another category, erased.
    await record(ransom('ファイルが暗号化された', '共有フォルダのファイルが暗号化された。'));
    await record(
      ransom('ファイルが暗号化された（対応中）', '共有フォルダのファイルが暗号化された。'),
      ['確認中'],
      false,
    );
    await record(
      {
        ...ransom('ファイルが暗号化された', '共有フォルダのファイルが暗号化された。'),
        categoryId: 'phishing',
      },
      ['別分類'],
    );
    const erased = await record(
      ransom('ファイルが暗号化された', '共有フォルダのファイルが暗号化された。'),
      ['消える回答'],
    );
    await svc.erase(E, erased.id, { confirmNumber: erased.number });

    const { consultation: now } = await svc.create(
      A,
      intake(
        ransom(
          'ファイルが暗号化されました',
          '朝から共有フォルダのファイルが開けず、暗号化されたようです。',
        ),
      ),
    );
    const found = await svc.similar(A, now);
    expect(found.map((s) => s.consultation.id)).toEqual([alike.id, lessAlike.id, unrelated.id]);
    expect(found[0]!.likeness).toBeGreaterThan(found[1]!.likeness);
    expect(found[0]!.likeness).toBeGreaterThan(0.3);
    expect(found[2]!.likeness).toBe(0);
    expect(found.map((s) => s.answer.body)).toEqual([
      'バックアップの確認を案内した。',
      '支払わずに警察に相談してください。',
      '規程の例を紹介。',
    ]);
    expect(await svc.similar(A, now, 1)).toHaveLength(1);
    // A closed case is not its own past case.
    expect((await svc.similar(A, alike)).map((s) => s.consultation.id)).not.toContain(alike.id);
    // An erased record has nothing to compare; outsiders are refused.
    expect(await svc.similar(E, await svc.get(E, erased.id))).toEqual([]);
    await expect(svc.similar(outsider, now)).rejects.toMatchObject({ status: 403 });
  });

  test('of a category with no answered case yet, none', async () => {
    const svc = makeService(db().store);
    const { consultation: c } = await svc.create(A, intake({ categoryId: 'bec' }));
    expect(await svc.similar(A, c)).toEqual([]);
  });
});
