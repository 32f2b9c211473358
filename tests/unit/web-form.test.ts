/** The web form's pure parts: escaping, validation, the pages' structure, limits, signing. */
import type { Request } from 'restify';
import { consultationCard } from '../../bot/cards';
import { readableTexts } from '../support/card-reading';
import { mayAcknowledge, mayCreate, isStaff, permits } from '../../src/consultation/policy';
import { WEB_FORM } from '../../src/consultation/system-actors';
import type { Consultation } from '../../src/consultation/types';
import { acknowledgementEmail } from '../../src/intake/web-form/acknowledgement';
import { formSigner, readCookie } from '../../src/intake/web-form/csrf';
import {
  emptyValues,
  FIELDS,
  subjectFrom,
  validate,
  type FormValues,
} from '../../src/intake/web-form/form';
import { escapeHtml, markup, raw } from '../../src/intake/web-form/html';
import { MUNICIPALITIES, municipalityName } from '../../src/intake/web-form/municipalities';
import { errorPage, formPage, privacyPage, receivedPage } from '../../src/intake/web-form/pages';
import { SlidingWindowLimiter } from '../../src/intake/web-form/rate-limit';
import { clientAddress } from '../../src/intake/web-form/surface';
import { W } from '../../src/intake/web-form/messages';
import { firstLineA } from '../support/fixtures';

const frame = { lang: 'ja' as const, stylesheet: '/consult/form.css?v=test' };

function filled(overrides: Partial<FormValues> = {}): FormValues {
  return {
    ...emptyValues(),
    person: '山田 太郎',
    email: 'yamada@example.jp',
    details: '不審なメールの添付ファイルを開いてしまいました。',
    consent: 'yes',
    ...overrides,
  };
}

describe('markup', () => {
  test('escapes every interpolated value, keeps its own markup, and skips nothing-values', () => {
    const evil = `<script>alert("x")</script> & 'q' \`b\``;
    const out =
      markup`<p title="${evil}">${evil}${null}${undefined}${false}${markup`<b>${evil}</b>`}${[
        markup`<i>1</i>`,
        '<u>',
      ]}${raw('<br>')}</p>`.value;
    expect(out).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39; &#96;b&#96;">' +
        '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39; &#96;b&#96;' +
        '<b>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39; &#96;b&#96;</b>' +
        '<i>1</i>&lt;u&gt;<br></p>',
    );
    expect(escapeHtml('&amp;')).toBe('&amp;amp;');
  });
});

describe('validate', () => {
  test('a valid form becomes the record input of a web consultation', () => {
    const result = validate(
      filled({
        organisation: '  株式会社サンプル  ',
        phone: '０３－１２３４－５６７８',
        employees: '１，２００',
        municipality: '13104',
        category: 'phishing',
        urgency: 'critical',
        details: '\r\n\r\n  一行目です\u0007\r\n二行目\u0000です  ',
        since: '昨日',
        ongoing: 'no',
        dataAtRisk: 'yes',
      }),
    );
    expect(result).toEqual({
      ok: true,
      intake: {
        channel: 'web',
        consulter: {
          organisation: '株式会社サンプル',
          person: '山田 太郎',
          email: 'yamada@example.jp',
          phone: '03-1234-5678',
          industry: null,
          employees: 1200,
          municipality: '新宿区',
        },
        categoryId: 'phishing',
        urgency: 'critical',
        subject: '一行目です',
        details: '一行目です\n二行目です',
        situation: {
          whatHappened: null,
          since: '昨日',
          ongoing: 'no',
          systems: null,
          dataAtRisk: 'yes',
          actionsTaken: null,
          contacted: null,
          evidence: null,
        },
        tags: [],
      },
    });
  });

  test('「わからない」 and no answers give the default category, normal urgency, unknowns', () => {
    const result = validate(filled());
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.intake).toMatchObject({
      categoryId: 'other',
      urgency: 'normal',
      situation: { ongoing: 'unknown', dataAtRisk: 'unknown' },
    });
  });

  test('each rule names its field in both languages', () => {
    const result = validate(
      filled({
        person: '',
        email: 'x@',
        phone: 'abc',
        employees: '-3',
        municipality: '13999',
        category: 'nope',
        urgency: 'someday',
        dataAtRisk: 'perhaps',
        details: ' ',
        consent: 'no',
      }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.errors).sort()).toEqual(
      [
        'person',
        'email',
        'phone',
        'employees',
        'municipality',
        'category',
        'urgency',
        'dataAtRisk',
        'details',
        'consent',
      ].sort(),
    );
    expect(result.errors.person).toEqual({
      ja: 'お名前を入力してください。',
      en: 'Enter your name.',
    });
    expect(result.errors.municipality!.ja).toBe('所在地（区市町村）は一覧から選んでください。');
    expect(result.errors.dataAtRisk).toEqual({
      ja: '「個人情報や機密情報が漏れたおそれはありますか」の答えを選んでください。',
      en: 'Choose an answer to "Could personal or confidential data have leaked?"',
    });
    for (const e of Object.values(result.errors)) {
      expect(e!.ja).toMatch(/[ぁ-んァ-ン一-龠]/);
      expect(e!.en).toMatch(/^[\x20-\x7e]+$/);
    }
  });

  test('a way to answer is needed: email or phone, either', () => {
    const neither = validate(filled({ email: '', phone: '' }));
    expect(neither.ok ? null : neither.errors.email?.ja).toBe(
      'メールアドレスか電話番号のどちらかを入力してください。回答をお届けするために必要です。',
    );
    expect(validate(filled({ email: '', phone: '090-1234-5678' })).ok).toBe(true);
    expect(validate(filled({ email: 'a@example.jp', phone: '' })).ok).toBe(true);
  });

  test('lengths count characters as people do (an emoji is one)', () => {
    expect(validate(filled({ person: '😀'.repeat(100) })).ok).toBe(true);
    const over = validate(filled({ person: '😀'.repeat(101) }));
    expect(over.ok ? null : over.errors.person?.ja).toBe(
      'お名前は100文字以内で入力してください（現在101文字）。',
    );
  });

  test('the subject is the first line of the details, cut at 60 characters', () => {
    expect(subjectFrom('\n\n  短い件名  \n本文')).toBe('短い件名');
    const long = 'あ'.repeat(70);
    expect(subjectFrom(long)).toBe('あ'.repeat(59) + '…');
    expect(Array.from(subjectFrom(long))).toHaveLength(60);
  });
});

describe('municipalities', () => {
  test("Tokyo's 62: 23 wards, 26 cities, 5 towns, 8 villages, unique codes and names", () => {
    const count = (k: string) => MUNICIPALITIES.filter((m) => m.kind === k).length;
    expect([
      MUNICIPALITIES.length,
      count('ward'),
      count('city'),
      count('town'),
      count('village'),
    ]).toEqual([62, 23, 26, 5, 8]);
    expect(new Set(MUNICIPALITIES.map((m) => m.code)).size).toBe(62);
    expect(new Set(MUNICIPALITIES.map((m) => m.name.ja)).size).toBe(62);
    expect(new Set(MUNICIPALITIES.map((m) => m.name.en)).size).toBe(62);
    for (const m of MUNICIPALITIES) {
      expect(m.code).toMatch(/^13\d{3}$/);
      expect(m.name.ja).toMatch({ ward: /区$/, city: /市$/, town: /町$/, village: /村$/ }[m.kind]);
    }
    expect(municipalityName('13421')).toBe('小笠原村');
    expect(municipalityName('outside')).toBe('東京都外');
    expect(municipalityName('13000')).toBeUndefined();
  });
});

/** Every id on a page, and what refers to one. */
function structure(page: string) {
  const ids = [...page.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!);
  const labelFor = [...page.matchAll(/<label[^>]*\sfor="([^"]+)"/g)].map((m) => m[1]!);
  const links = [...page.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]!);
  const described = [...page.matchAll(/aria-describedby="([^"]+)"/g)].flatMap((m) =>
    m[1]!.split(' '),
  );
  return { ids, labelFor, links, described };
}

describe('the form page', () => {
  const page = (errors = {}) =>
    formPage(frame, {
      values: emptyValues(),
      errors,
      csrfToken: 'tok',
      formId: '00000000-0000-4000-8000-000000000000',
    });

  test('every label, link and description points at an element that exists, once', () => {
    const result = validate({ ...emptyValues(), urgency: 'x', ongoing: 'x' });
    if (result.ok) throw new Error('expected errors');
    for (const html of [page(), page(result.errors)]) {
      const s = structure(html);
      expect(new Set(s.ids).size).toBe(s.ids.length);
      for (const ref of [...s.labelFor, ...s.links, ...s.described]) expect(s.ids).toContain(ref);
    }
  });

  test('every field the consulter fills in has a label or a legend', () => {
    const html = page();
    for (const f of FIELDS) {
      const labelled =
        html.includes(`<label class="label" for="f-${f}">`) ||
        html.includes(`<label for="f-${f}">`);
      const grouped = new RegExp(
        `<fieldset class="radios"[^>]*>\\n<legend>[^<]+</legend>[\\s\\S]*?name="${f}"`,
      ).test(html);
      expect({ f, ok: labelled || grouped }).toEqual({ f, ok: true });
    }
  });

  test('errors: the summary lists each once, the fields are marked invalid and described', () => {
    const result = validate(filled({ person: '', consent: '', ongoing: 'x' }));
    if (result.ok) throw new Error('expected errors');
    const html = page(result.errors);
    expect(html).toContain('<title>エラー：相談フォーム | サイバーセキュリティ相談窓口</title>');
    expect([...html.matchAll(/<li><a href="#f-(\w+)">/g)].map((m) => m[1])).toEqual([
      'person',
      'ongoing',
      'consent',
    ]);
    expect(html).toMatch(
      /id="f-person" name="person"[^>]*aria-describedby="f-person-error" aria-invalid="true"/,
    );
    expect(html).toContain('<fieldset class="radios" aria-describedby="f-ongoing-error">');
    expect(html.match(/aria-invalid="true"/g)).toHaveLength(2);
  });

  test('a textarea keeps a value that starts with a line break', () => {
    const html = formPage(frame, {
      values: { ...emptyValues(), details: '\n二行目から' },
      errors: {},
      csrfToken: 't',
      formId: 'f',
    });
    expect(html).toContain(
      'name="details" rows="8" maxlength="8000" required aria-required="true" aria-describedby="f-details-hint">\n\n二行目から</textarea>',
    );
  });

  test('the other pages: English, the number, the notice, an error', () => {
    const en = { ...frame, lang: 'en' as const };
    expect(
      receivedPage(en, { number: '2026-000042', query: { n: '2026-000042', s: 'sig' } }),
    ).toContain('href="/consult/received?n=2026-000042&amp;s=sig"');
    expect(privacyPage(en)).toContain('<html lang="en">');
    const error = errorPage(frame, { title: W.tooLargeTitle, message: W.tooLarge });
    expect(error).toContain('<h1 id="alert-title">送信された内容が大きすぎます</h1>');
    expect(error).toContain('href="tel:0353204773"');
  });
});

describe('SlidingWindowLimiter', () => {
  test('allows the limit per window, says when to come back, and forgets the old', () => {
    let now = 1_000_000;
    const limiter = new SlidingWindowLimiter({ limit: 2, windowMs: 10_000 }, () => now);
    expect(limiter.take('a').ok).toBe(true);
    now += 4_000;
    expect(limiter.take('a').ok).toBe(true);
    expect(limiter.take('a')).toEqual({ ok: false, retryAfterSeconds: 6 });
    expect(limiter.take('b').ok).toBe(true);
    now += 6_001;
    expect(limiter.take('a').ok).toBe(true);
    expect(limiter.take('a').ok).toBe(false);
  });

  test('a released slot is given back once', () => {
    const limiter = new SlidingWindowLimiter({ limit: 1, windowMs: 10_000 }, () => 5);
    const slot = limiter.take('a');
    if (!slot.ok) throw new Error('expected a slot');
    slot.release();
    slot.release();
    expect(limiter.take('a').ok).toBe(true);
    expect(limiter.take('a').ok).toBe(false);
  });

  test('remembers at most maxKeys addresses, forgetting the least recently seen', () => {
    const limiter = new SlidingWindowLimiter({ limit: 1, windowMs: 10_000 }, () => 5, 2);
    limiter.take('a');
    limiter.take('b');
    limiter.take('c');
    expect(limiter.take('a').ok).toBe(true);
    expect(limiter.take('c').ok).toBe(false);
  });
});

describe('signing', () => {
  test('a token fits its own browser id and secret only', () => {
    const signer = formSigner(Buffer.alloc(32, 1));
    const id = signer.newBrowserId();
    expect(signer.isBrowserId(id)).toBe(true);
    const token = signer.tokenFor(id);
    expect(signer.verify(id, token)).toBe(true);
    expect(signer.verify(signer.newBrowserId(), token)).toBe(false);
    expect(signer.verify(id, token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A'))).toBe(false);
    expect(signer.verify(id, '')).toBe(false);
    expect(signer.verify(undefined, token)).toBe(false);
    expect(signer.verify('short', signer.tokenFor('short'))).toBe(false);
    expect(formSigner(Buffer.alloc(32, 2)).verify(id, token)).toBe(false);
    expect(signer.verifySigned('received', 'n', signer.sign('received', 'n'))).toBe(true);
    expect(signer.verifySigned('received', 'n', signer.sign('csrf', 'n'))).toBe(false);
  });

  test('readCookie finds one cookie among several', () => {
    expect(readCookie('a=1; madoguchi-form=xyz; b=2', 'madoguchi-form')).toBe('xyz');
    expect(readCookie('xmadoguchi-form=1', 'madoguchi-form')).toBeUndefined();
    expect(readCookie(undefined, 'a')).toBeUndefined();
  });
});

describe('clientAddress', () => {
  const req = (xff: string | undefined, remote = '10.0.0.9') =>
    ({
      headers: xff === undefined ? {} : { 'x-forwarded-for': xff },
      socket: { remoteAddress: remote },
    }) as unknown as Request;

  test('behind the front end: the address it appended, without the port', () => {
    expect(clientAddress(req('1.2.3.4, 203.0.113.7:52311'), true)).toBe('203.0.113.7');
    expect(clientAddress(req('[2001:db8::1]:443'), true)).toBe('2001:db8::1');
    expect(clientAddress(req('2001:db8::2'), true)).toBe('2001:db8::2');
    expect(clientAddress(req(undefined), true)).toBe('10.0.0.9');
  });

  test('directly: the socket, whatever the header claims', () => {
    expect(clientAddress(req('203.0.113.7'), false)).toBe('10.0.0.9');
  });
});

describe('the policy for the web form', () => {
  test('creates web records and acknowledges them; is never staff', () => {
    expect(mayCreate(WEB_FORM, 'web')).toBe(true);
    expect(mayCreate(WEB_FORM, 'phone')).toBe(false);
    expect(mayCreate(WEB_FORM)).toBe(true);
    expect(mayAcknowledge(WEB_FORM)).toBe(true);
    expect(mayAcknowledge(firstLineA)).toBe(false);
    expect(isStaff(WEB_FORM)).toBe(false);
    expect(isStaff({ ...WEB_FORM, roles: ['supervisor'] })).toBe(false);
    expect(mayCreate(firstLineA, 'phone')).toBe(true);
    expect(mayCreate({ id: 'x', name: 'x', roles: [] })).toBe(false);
    const c = {
      state: 'received',
      firstLineOwner: null,
      specialist: null,
    } as unknown as Consultation;
    expect(permits(WEB_FORM, 'claim', c)).toBe(false);
  });
});

describe('acknowledgementEmail', () => {
  const c = {
    id: 1,
    number: '2026-000007',
    receivedAt: '2026-11-27T01:05:00.000Z',
    categoryId: 'phishing',
    consulter: { person: '<b>山田</b> https://spam.example', email: 'y@example.jp' },
    subject: '件名 http://spam.example',
    details: '本文 http://spam.example',
  } as unknown as Consultation;

  test('Japanese: the number, the time in Tokyo, the category; nothing the consulter typed', () => {
    const mail = acknowledgementEmail(c, 'ja');
    expect(mail.subject).toBe('【相談番号 2026-000007】ご相談を受け付けました');
    expect(mail.text).toContain('受付番号：2026-000007');
    expect(mail.text).toContain('受付日時：2026/11/27 10:05');
    expect(mail.text).toContain('ご相談の分類：フィッシング・不審メール');
    expect(mail.text).not.toContain('Consultation number');
    for (const s of [mail.subject, mail.text, mail.html]) {
      expect(s).not.toContain('spam.example');
      expect(s).not.toContain('山田');
    }
  });

  test('English after Japanese for a consulter who used English', () => {
    const mail = acknowledgementEmail(c, 'en');
    expect(mail.subject).toBe(
      '【相談番号 2026-000007】ご相談を受け付けました / We have received your consultation',
    );
    expect(mail.text.indexOf('受付番号')).toBeLessThan(mail.text.indexOf('Consultation number'));
    expect(mail.text).toContain('About: Phishing / suspicious mail');
    expect(mail.html).toContain('<html lang="en">');
  });
});

describe('the channel card of a web consultation', () => {
  test('names the web form without the honorific a person gets', () => {
    const consultation = {
      id: 9,
      number: '2026-000009',
      channel: 'web',
      state: 'received',
      categoryId: 'other',
      urgency: 'normal',
      subject: '件名',
      details: '本文',
      receivedAt: '2026-11-27T01:00:00.000Z',
      consulter: { organisation: null, person: '山田' },
      firstLineOwner: null,
      specialist: null,
      coordinationNeeded: null,
      closedAt: null,
      erasure: null,
      version: 1,
    } as const;
    const lastChange = {
      action: 'create' as const,
      by: { id: WEB_FORM.id, name: WEB_FORM.name },
      at: '2026-11-27T01:00:00.000Z',
    };
    const texts = (lang: 'ja' | 'en') =>
      readableTexts(
        consultationCard(
          { consultation, lastChange, actions: [], specialists: [], refreshUserIds: [] },
          lang,
        ),
      ).join('\n');
    expect(texts('ja')).toContain('Webフォームが受付登録しました');
    expect(texts('ja')).not.toContain('Webフォームさん');
    expect(texts('en')).toContain('Webフォーム recorded it');
  });
});
