import type { Consultation } from '../../src/consultation/types';
import { consultationRecord } from '../support/fixtures';
import { CATEGORIES } from '../../src/knowledge/knowledge';
import {
  ANSWER_TEMPLATES,
  answerSubject,
  renderEmail,
  renderTemplate,
  templateById,
  templatesFor,
} from '../../src/mail/templates';

function consultation(over: Partial<Consultation> = {}): Consultation {
  return consultationRecord({
    channel: 'email',
    state: 'dispatched',
    details: '…',
    createdBy: { id: 'a', name: 'A' },
    version: 3,
    ...over,
  });
}

describe('answer templates', () => {
  test('ransomware, phishing, BEC and support scams have their own; every category has the general one', () => {
    for (const id of ['ransomware', 'phishing', 'bec', 'support-scam']) {
      const offered = templatesFor(id);
      expect(offered.length).toBe(2);
      expect(offered[0]!.categoryIds).toContain(id);
      expect(offered[1]!.id).toBe('general');
    }
    expect(templatesFor('no-such-category').map((t) => t.id)).toEqual(['general']);
    const known = new Set(CATEGORIES.map((c) => c.id));
    for (const t of ANSWER_TEMPLATES) for (const id of t.categoryIds) expect(known).toContain(id);
    expect(new Set(ANSWER_TEMPLATES.map((t) => t.id)).size).toBe(ANSWER_TEMPLATES.length);
  });

  test.each(ANSWER_TEMPLATES.flatMap((t) => [[t.id, 'ja'] as const, [t.id, 'en'] as const]))(
    '%s (%s) fills every placeholder',
    (id, lang) => {
      const text = renderTemplate(templateById(id)!, consultation(), lang);
      expect(text).not.toMatch(/\{\{|\}\}/);
      expect(text).toContain('2026-000123');
    },
  );

  test('Japanese: the consulter by company and name, where to report, the guidebook', () => {
    const text = renderTemplate(templateById('ransomware-first-response')!, consultation(), 'ja');
    expect(text.startsWith('株式会社サンプル精工\n山田 太郎 様\n')).toBe(true);
    expect(text).toContain('ご相談（相談番号 2026-000123）');
    expect(text).toContain('・警視庁 サイバー犯罪対策課: ');
    expect(text).toContain('  電話 03-5805-1731　平日 8:30-17:15');
    expect(text).toContain('  電話 03-3581-4321（交換で管轄の警察署へ転送）');
    expect(text).toContain('・個人情報保護委員会（漏えい等報告）');
    expect(text).toContain('「中小企業向けサイバーセキュリティ対策の極意」 1-2、2-1-2、2-4、4-5');
  });

  test('the addressee without a name, or without anything', () => {
    const general = templateById('general')!;
    const noName = consultation({
      consulter: { ...consultation().consulter, person: null },
    });
    expect(renderTemplate(general, noName, 'ja')).toMatch(/^株式会社サンプル精工\nご担当者 様\n/);
    const nobody = consultation({
      consulter: { ...consultation().consulter, person: null, organisation: null },
    });
    expect(renderTemplate(general, nobody, 'ja')).toMatch(/^ご相談者 様\n/);
    expect(renderTemplate(general, nobody, 'en')).toMatch(/^Dear Sir or Madam,\n/);
  });

  test('English lists the same destinations in English', () => {
    const text = renderTemplate(
      templateById('phishing-advice')!,
      consultation({ categoryId: 'phishing' }),
      'en',
    );
    expect(text).toContain(
      '- Council of Anti-Phishing Japan: Reporting phishing mails and phishing sites',
    );
    expect(text).toContain('https://www.antiphishing.jp/registration.html');
    expect(text).toContain('sections 2-9, 2-10');
  });

  test('an unknown placeholder stays visible', () => {
    const t = { ...templateById('general')!, body: { ja: '{{number}} {{nosuch}}', en: '' } };
    expect(renderTemplate(t, consultation(), 'ja')).toBe('2026-000123 {{nosuch}}');
  });
});

describe('renderEmail', () => {
  const typed = '山田様\n<script>alert("x")</script> & \'引用\'\n\n  字下げ\tタブ\r\n最終行';

  test('escapes everything typed and keeps the line breaks', () => {
    const { html } = renderEmail(consultation(), typed);
    expect(html).not.toContain('<script>');
    expect(html).toContain(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;引用&#39;<br>',
    );
    expect(html).toContain('山田様<br>\n');
    expect(html).toContain(
      '<br>\n<br>\n&nbsp;&nbsp;字下げ&nbsp;&nbsp;&nbsp;&nbsp;タブ<br>\n最終行',
    );
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('<meta charset="utf-8">');
  });

  test('the number and the desk sign every email; the text is the same message', () => {
    const { html, text } = renderEmail(consultation(), typed);
    expect(html).toContain('相談番号: 2026-000123');
    expect(text).toBe(
      '山田様\n<script>alert("x")</script> & \'引用\'\n\n  字下げ\tタブ\n最終行\n\n--\n' +
        'サイバーセキュリティ相談窓口\n相談番号: 2026-000123\n' +
        'ご返信の際は、件名の相談番号を消さずにお送りください。\n',
    );
    const en = renderEmail(consultation(), 'Hello', {
      lang: 'en',
      deskName: { ja: '窓口', en: 'The desk' },
    });
    expect(en.text).toContain('The desk\nConsultation number: 2026-000123');
    expect(en.html).toContain('<html lang="en">');
  });

  test('a desk name with markup is escaped too', () => {
    const { html } = renderEmail(consultation(), 'x', { deskName: { ja: '<b>窓口</b>', en: '' } });
    expect(html).toContain('&lt;b&gt;窓口&lt;/b&gt;');
  });
});

describe('answerSubject', () => {
  test('a new mail: the number, then the record’s subject', () => {
    expect(answerSubject(consultation(), null)).toBe('【相談番号 2026-000123】ファイルが開けない');
  });

  test('a reply: RE:, the number, the consulter’s subject without old prefixes or tags', () => {
    const c = consultation();
    expect(answerSubject(c, '【至急】画面に身代金要求')).toBe(
      'RE: 【相談番号 2026-000123】【至急】画面に身代金要求',
    );
    expect(answerSubject(c, 'Re: RE: 返信: 【相談番号 2026-000123】パスワード管理について')).toBe(
      'RE: 【相談番号 2026-000123】パスワード管理について',
    );
    expect(answerSubject(c, 'FW：  件名\nが\t折り返し')).toBe(
      'RE: 【相談番号 2026-000123】件名 が 折り返し',
    );
  });

  test('a very long subject is cut', () => {
    const s = answerSubject(consultation(), 'あ'.repeat(500));
    expect(s.length).toBe(200);
    expect(s.endsWith('…')).toBe(true);
  });
});
