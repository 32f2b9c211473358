import { readFileSync } from 'node:fs';
import {
  cutUtf8,
  emailSummary,
  emailText,
  recordDetails,
  type GraphBody,
} from '../../src/intake/email-text';

const html = (content: string): GraphBody => ({ contentType: 'html', content });
const LIMIT = { maxBytes: 1_000_000 };

/** The sample emails as Graph returns them (made-up people and companies). */
function sample(n: number): { subject: string; body: GraphBody } {
  return JSON.parse(
    readFileSync(`/work/shared/samples/graph-messages/message-${n}.json`, 'utf8'),
  ) as { subject: string; body: GraphBody };
}

describe('email bodies become clean text', () => {
  test('scripts, styles, head and remote images are dropped; inline images say 「[画像]」; links keep their text', () => {
    const t = emailText(
      html(
        `<html><head><title>題名</title><style>p{color:red}</style>
         <script>alert("head")</script></head><body>
         <style>.x{display:none}</style>
         <p>社内のPCが<b>突然</b>再起動しました。</p>
         <script>document.write("本文のスクリプト")</script>
         <p><img src="cid:image001.png@01DB1234.5678"></p>
         <p><img src="https://tracker.example.com/pixel.gif" alt="追跡"></p>
         <p>詳しくは<a href="https://evil.example.com/login">こちらのページ</a>をご覧ください。</p>
         <noscript>スクリプトなし</noscript>
         </body></html>`,
      ),
      null,
      LIMIT,
    );
    expect(t.newText).toBe(
      '社内のPCが突然再起動しました。\n[画像]\n\n詳しくはこちらのページをご覧ください。',
    );
    expect(t.quoted).toBe('');
    for (const gone of [
      'alert',
      'color',
      'display',
      '本文のスクリプト',
      '追跡',
      'evil',
      '題名',
      'スクリプトなし',
    ]) {
      expect(t.newText).not.toContain(gone);
    }
  });

  test('a body declaring shift_jis or iso-2022-jp in a meta tag stays readable Japanese', () => {
    for (const charset of ['shift_jis', 'iso-2022-jp', 'Shift-JIS']) {
      const t = emailText(
        html(
          `<html><head><meta http-equiv="Content-Type" content="text/html; charset=${charset}">` +
            `<meta charset="${charset}"></head><body><div>ウイルス対策ソフトが警告を出しました。</div>` +
            `<div>ＰＣ名：ＳＥＩＫＯ－０１\u3000（全角）</div></body></html>`,
        ),
        null,
        LIMIT,
      );
      expect(t.newText).toBe(
        'ウイルス対策ソフトが警告を出しました。\nＰＣ名：ＳＥＩＫＯ－０１\u3000（全角）',
      );
    }
  });

  // Outlook writes every line as a paragraph (<p class=MsoNormal>): one break each, not two.
  test('line breaks are kept: <br>, paragraphs, and a plain-text body with CRLF', () => {
    expect(emailText(html('<div>一行目<br>二行目</div><p>段落</p>'), null, LIMIT).newText).toBe(
      '一行目\n二行目\n段落',
    );
    const plain = sample(4);
    const t = emailText(plain.body, null, LIMIT);
    expect(t.newText.split('\n')).toEqual([
      '当院のホームページを開くと、知らない海外の通販サイトに転送されます。',
      'WordPressで作成しており、管理は外部の業者に委託しています。',
      '患者さんの予約フォームもあるので、個人情報が漏れていないか心配です。',
      '',
      '高橋クリニック 事務長 高橋次郎',
      '電話 03-0000-9012',
    ]);
  });

  test('the quoted history goes to `quoted`: <blockquote> with 「-----Original Message-----」 (sample 3)', () => {
    const { body, subject } = sample(3);
    const t = emailText(body, null, LIMIT);
    expect(t.newText).toBe(
      'ご回答ありがとうございました。追加で質問です。\n' +
        '社員10名でパスワード管理ツールを導入する場合、クラウド型と端末保存型のどちらがよいでしょうか。\n' +
        '鈴木',
    );
    expect(t.quoted).toContain('-----Original Message-----');
    expect(t.quoted).toContain('お問い合わせいただいた件について回答いたします。');
    const summary = emailSummary(subject, t.newText);
    expect(summary).toBe(
      'Re: 【相談番号 2026-000123】パスワード管理について\n' +
        'ご回答ありがとうございました。追加で質問です。 社員10名でパスワード管理ツールを導入する場合、クラウド型と端末保存型のどちらがよいでしょうか。 鈴木',
    );
    expect(summary).not.toContain('回答いたします');
  });

  test.each([
    [
      "Outlook's divRplyFwdMsg (with the rule above it)",
      '<div>承知しました。明日伺います。</div><hr style="display:inline-block;width:98%"><div id="divRplyFwdMsg" dir="ltr"><b>差出人:</b> 相談窓口<br><b>送信日時:</b> 2026年11月18日 15:02</div><div>先日の件について回答いたします。</div>',
    ],
    [
      "OWA's appendonsend",
      '<div>承知しました。明日伺います。</div><div id="appendonsend"></div><div>From: 相談窓口</div><div>先日の件について回答いたします。</div>',
    ],
    [
      'Gmail (gmail_quote, 「…のメッセージ:」)',
      '<div dir="ltr">承知しました。明日伺います。</div><br><div class="gmail_quote"><div class="gmail_attr">2026年11月18日(水) 15:02 相談窓口 &lt;soudan@example.lg.jp&gt;:</div><blockquote>先日の件について回答いたします。</blockquote></div>',
    ],
    [
      'plain lines 「-----元のメッセージ-----」',
      '<div>承知しました。明日伺います。</div><div>-----元のメッセージ-----</div><div>差出人: 相談窓口</div><div>先日の件について回答いたします。</div>',
    ],
    [
      '「… wrote:」 in text',
      '<p>承知しました。明日伺います。</p><p>On Wed, Nov 18, 2026 at 3:02 PM 相談窓口 wrote:</p><p>先日の件について回答いたします。</p>',
    ],
    [
      '「…のメッセージ:」 in text',
      '<p>承知しました。明日伺います。</p><p>2026/11/18 15:02、相談窓口 のメッセージ:</p><p>先日の件について回答いたします。</p>',
    ],
    [
      'a 差出人/送信日時 header block in text',
      '<p>承知しました。明日伺います。</p><p>差出人: 相談窓口<br>送信日時: 2026年11月18日 15:02<br>件名: 回答</p><p>先日の件について回答いたします。</p>',
    ],
  ])('%s', (_name, body) => {
    const t = emailText(html(body), null, LIMIT);
    expect(t.newText).toBe('承知しました。明日伺います。');
    expect(t.quoted).toContain('先日の件について回答いたします。');
  });

  test('plain text with > quotes', () => {
    const t = emailText(
      {
        contentType: 'text',
        content: 'ありがとうございます。\r\n\r\n> 先日の件について\r\n> 回答いたします。',
      },
      null,
      LIMIT,
    );
    expect(t).toMatchObject({
      newText: 'ありがとうございます。',
      quoted: '> 先日の件について\n> 回答いたします。',
    });
  });

  test("Graph's uniqueBody is the new part when given; the quoted history still comes from the body", () => {
    const t = emailText(
      html('<div>新しい本文です。</div><blockquote>古いやりとり</blockquote>'),
      html('<div>uniqueBody が示す新しい本文です。</div>'),
      LIMIT,
    );
    expect(t.newText).toBe('uniqueBody が示す新しい本文です。');
    expect(t.quoted).toBe('> 古いやりとり');
  });

  test('a forward with nothing new keeps the forwarded message as its text', () => {
    const t = emailText(
      html('<div id="divRplyFwdMsg">From: 相談者</div><div>転送された相談内容</div>'),
      null,
      LIMIT,
    );
    expect(t.newText).toContain('転送された相談内容');
    expect(t.quoted).toBe('');
  });

  test('a 5 MB body is cut at the limit with a clear marker, quickly and without a broken character', () => {
    const paragraph = '<p>ログに不審なアクセスが記録されています。確認をお願いします。</p>\n';
    const big =
      '<html><body>' +
      paragraph.repeat(Math.ceil(5_000_000 / Buffer.byteLength(paragraph))) +
      '</body></html>';
    expect(Buffer.byteLength(big)).toBeGreaterThan(5_000_000);
    const started = Date.now();
    const t = emailText(html(big), null, LIMIT);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(t.truncated).toBe(true);
    expect(t.receivedBytes).toBe(Buffer.byteLength(big));
    expect(t.newText.startsWith('ログに不審なアクセスが記録されています。')).toBe(true);
    expect(t.newText).toMatch(
      /【本文が上限（1 MB）を超えたため、ここから先は保存していません】 \/ \[The body exceeds the 1 MB limit; the rest was not kept\]$/,
    );
    expect(t.newText).not.toContain('\ufffd');
    expect(Buffer.byteLength(t.newText)).toBeLessThan(1_000_000);
  });

  test('cutUtf8 never splits a character', () => {
    expect(cutUtf8('あいう', 7)).toBe('あい'); // 3 bytes each
    expect(cutUtf8('あいう', 9)).toBe('あいう');
    expect(cutUtf8('a😀b', 4)).toBe('a');
  });

  test('the record details: staff text, the email, the quoted history under its heading, cut to fit', () => {
    const t = emailText(sample(3).body, null, LIMIT);
    const details = recordDetails(t, '追加の質問（パスワード管理）', 20_000);
    expect(details.indexOf('追加の質問（パスワード管理）')).toBe(0);
    expect(details.indexOf('――― 受信メール ―――')).toBeLessThan(
      details.indexOf('ご回答ありがとうございました'),
    );
    expect(details.indexOf('――― 以前のやりとり（引用） ―――')).toBeGreaterThan(
      details.indexOf('鈴木'),
    );
    expect(details).toContain('-----Original Message-----');

    const long = recordDetails({ ...t, newText: 'あ'.repeat(30_000) }, null, 20_000);
    expect([...long]).toHaveLength(20_000);
    expect(long).toMatch(/【長いため、ここから先はメールの記録をご覧ください】/);
  });
});
