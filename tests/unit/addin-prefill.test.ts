import { CATEGORIES, DEFAULT_CATEGORY_ID } from '../../src/knowledge/knowledge';
import {
  cleanSubject,
  guessCategory,
  guessUrgency,
  newText,
  phoneIn,
  prefill,
} from '../../addin/src/prefill';

const from = (name: string, address = 'someone@example.jp') => ({ name, address });

describe('pre-fill from a Japanese email', () => {
  test('ransomware report with a "--" signature and the phone in the text', () => {
    const result = prefill({
      subject: '【至急】社内PCの画面に身代金要求のメッセージが表示されました',
      from: from('山田 太郎', 't.yamada@yamada-seiko.example.co.jp'),
      bodyText: [
        '東京都 サイバーセキュリティ相談窓口 御中',
        '',
        '株式会社山田精工（従業員32名、製造業、大田区）の山田です。',
        '本日朝8時半ごろ、経理担当のPC 2台で画面に英語のメッセージが表示され、共有フォルダのファイルが開けなくなっています。',
        'ファイル名の末尾が「.lockbit」に変わっています。',
        '',
        '・該当PCはLANケーブルを抜きました',
        '・まだ警察には連絡していません',
        '',
        'どのように対応すればよいか、至急ご相談させてください。',
        '電話：03-0000-1234（代表）',
        '',
        '--',
        '株式会社山田精工 総務部',
        '山田 太郎',
      ].join('\n'),
    });
    expect(result).toEqual({
      organisation: '株式会社山田精工',
      person: '山田 太郎',
      phone: '03-0000-1234',
      categoryId: 'ransomware',
      urgency: 'critical',
      subject: '【至急】社内PCの画面に身代金要求のメッセージが表示されました',
    });
  });

  test('a one-line signature 「株式会社○○ 総務部 山田太郎 TEL 03-xxxx-xxxx」', () => {
    const result = prefill({
      subject: 'ウイルス感染の疑い',
      from: from('総務部 共有', 'soumu@example.co.jp'),
      bodyText:
        '社内のPCがウイルスに感染したようです。ご相談させてください。\n\n株式会社○○ 総務部 山田太郎 TEL 03-1234-5678',
    });
    expect(result).toMatchObject({
      organisation: '株式会社○○',
      person: '山田太郎',
      phone: '03-1234-5678',
      categoryId: 'emotet-malware',
    });
  });

  test('signature after the person, the organisation with its parenthesis, TEL label', () => {
    const result = prefill({
      subject: '取引先を名乗るメールで振込先変更の依頼がありました',
      from: from('佐藤 花子'),
      bodyText: [
        'お世話になっております。',
        '有限会社佐藤商事の佐藤と申します。',
        '先週、取引先から「振込先口座を変更した」というメールが届き、新しい口座へ振り込みました。',
        '',
        '佐藤 花子',
        '有限会社佐藤商事（卸売業・従業員8名・台東区）',
        'TEL 03-0000-5678　FAX 03-0000-5679',
      ].join('\n'),
    });
    expect(result).toMatchObject({
      organisation: '有限会社佐藤商事',
      person: '佐藤 花子',
      phone: '03-0000-5678',
      categoryId: 'bec',
      urgency: 'high',
    });
  });

  test('a clinic without a legal form, a title between the names, full-width digits', () => {
    const result = prefill({
      subject: 'ホームページが改ざんされているようです',
      from: from('高橋 次郎'),
      bodyText: [
        '当院のホームページを開くと、知らない海外の通販サイトに転送されます。',
        '',
        '高橋クリニック 事務長 高橋次郎',
        '電話 ０３－００００－９０１２',
      ].join('\n'),
    });
    expect(result).toMatchObject({
      organisation: '高橋クリニック',
      // Outlook's form of the same name (with its space) is preferred.
      person: '高橋 次郎',
      phone: '03-0000-9012',
      categoryId: 'website-defacement',
      urgency: 'normal',
    });
  });

  test('(株) before the name, a FAX line first, and a mobile number', () => {
    const result = prefill({
      subject: 'ご相談',
      from: from('k.ito@example.jp', 'k.ito@example.jp'),
      bodyText: [
        '不審なメールの添付ファイルを開いてしまいました。',
        '',
        '━━━━━━━━━━━━━━',
        '(株)伊藤システム 情報システム課',
        '伊藤 健',
        'FAX：03-5555-0001',
        '携帯：090-1234-5678',
        'k.ito@example.jp',
        '━━━━━━━━━━━━━━',
      ].join('\n'),
    });
    expect(result).toMatchObject({
      organisation: '(株)伊藤システム',
      person: '伊藤 健',
      phone: '090-1234-5678',
      categoryId: 'phishing',
    });
  });

  test('the desk’s own signature in the quoted history is not taken for the consulter’s', () => {
    const result = prefill({
      subject: 'Re: 【相談番号 2026-000123】パスワード管理について',
      from: from('鈴木 一郎', 'ichiro@suzuki-design.example.com'),
      bodyText: [
        'ご回答ありがとうございました。',
        '追加で質問です。パスワード管理ツールはどれがよいでしょうか。',
        '',
        '鈴木',
        '',
        '-----Original Message-----',
        'From: サイバーセキュリティ相談窓口',
        'Sent: 2026年11月18日 15:02',
        '鈴木様',
        '一般社団法人 相談窓口事務局',
        'TEL 03-9999-9999',
      ].join('\n'),
    });
    expect(result).toMatchObject({
      organisation: '',
      person: '鈴木 一郎',
      phone: '',
      subject: '【相談番号 2026-000123】パスワード管理について',
    });
  });
});

describe('pre-fill from an English email', () => {
  test('closing, name, title, company with "Co., Ltd.", phone with +81, fax left out', () => {
    const result = prefill({
      subject: 'FW: Suspicious login to our VPN',
      from: from('John Smith', 'john@acme.example'),
      bodyText: [
        'Hello,',
        '',
        'Someone logged in to our VPN from abroad last night. Please advise as soon as possible.',
        '',
        'Best regards,',
        'John Smith',
        'IT Manager',
        'Acme Trading Co., Ltd.',
        'Fax: +81-3-1234-5679',
        'Tel: +81-3-1234-5678',
      ].join('\n'),
    });
    expect(result).toEqual({
      organisation: 'Acme Trading Co., Ltd.',
      person: 'John Smith',
      phone: '+81-3-1234-5678',
      categoryId: 'unauthorized-access',
      urgency: 'high',
      subject: 'Suspicious login to our VPN',
    });
  });

  test('title and company on one line; a shared mailbox as sender; not urgent', () => {
    const result = prefill({
      subject: 'question',
      from: from('Support Desk', 'support@clark.example'),
      bodyText: [
        'Hi, a fake warning appeared on our PC asking us to call a number. Not urgent.',
        '',
        'Regards,',
        'Emily Clark',
        'Office Manager, Clark & Sons Ltd',
        'Mobile (090) 1234 5678',
        '',
        'On Mon, 24 Nov 2026 at 10:00, Desk <desk@example.jp> wrote:',
        '> Tel 03-9999-9999',
      ].join('\n'),
    });
    expect(result).toMatchObject({
      organisation: 'Clark & Sons Ltd',
      person: 'Emily Clark',
      phone: '(090) 1234 5678',
      categoryId: 'support-scam',
      urgency: 'low',
    });
  });

  test('no signature at all: the sender’s name, nothing invented', () => {
    expect(
      prefill({ subject: 'Hello', from: from('Megan Bowen'), bodyText: 'Can you call me back?' }),
    ).toEqual({
      organisation: '',
      person: 'Megan Bowen',
      phone: '',
      categoryId: DEFAULT_CATEGORY_ID,
      urgency: 'normal',
      subject: 'Hello',
    });
    expect(prefill({ subject: '', from: null, bodyText: '' })).toMatchObject({
      organisation: '',
      person: '',
      phone: '',
    });
  });
});

describe('the parts', () => {
  test('the quoted history is cut at Outlook’s, Gmail’s and Japanese markers', () => {
    expect(newText('新しい本文\n\n-----元のメッセージ-----\n古い本文')).toBe('新しい本文');
    expect(newText('本文\n差出人: 窓口\n送信日時: 2026年11月18日\n件名: RE')).toBe('本文');
    expect(newText('本文\n2026年11月18日(水) 15:02 窓口 <desk@example.jp>:\n> 引用')).toBe('本文');
    expect(newText('New\nOn Tue, Nov 18, 2026, Desk <d@example.jp> wrote:\n> old')).toBe('New');
    expect(newText('本文だけ')).toBe('本文だけ');
  });

  test('phone numbers: labelled first, faxes never, and what the API accepts', () => {
    expect(phoneIn('FAX 03-1111-2222\nTEL 03-3333-4444')).toBe('03-3333-4444');
    expect(phoneIn('TEL：03（1234）5678')).toBe('03(1234)5678');
    expect(phoneIn('代表 03−1234−5678')).toBe('03-1234-5678');
    expect(phoneIn('お問い合わせ番号 12345')).toBeNull();
    expect(phoneIn('FAX: 03-1111-2222')).toBeNull();
  });

  test('urgency: "not urgent" wins, then 至急/ransom, then 漏えい/急ぎ', () => {
    expect(guessUrgency('急ぎませんが、至急ではありません')).toBe('low');
    expect(guessUrgency('至急ご連絡ください')).toBe('critical');
    expect(guessUrgency('Our files were encrypted by ransomware')).toBe('critical');
    expect(guessUrgency('顧客情報が漏えいした可能性')).toBe('high');
    expect(guessUrgency('ご相談です')).toBe('normal');
  });

  test('category: most keywords wins; Latin keywords only where a word starts', () => {
    expect(guessCategory('偽の警告画面に「ウイルスに感染しています。電話してください」')).toBe(
      'support-scam',
    );
    expect(guessCategory('What an idiot')).toBe(DEFAULT_CATEGORY_ID);
    expect(guessCategory('Our IoT camera')).toBe('smartphone-iot');
    expect(guessCategory('ＰＨＩＳＨＩＮＧ mail')).toBe('phishing');
  });

  test('every category but the fallback has lower-case keywords', () => {
    for (const c of CATEGORIES) {
      if (c.id === DEFAULT_CATEGORY_ID) continue;
      expect([c.id, (c.keywords ?? []).length > 0]).toEqual([c.id, true]);
      for (const k of c.keywords ?? []) expect(k).toBe(k.toLowerCase());
    }
  });

  test('subject: reply and forward prefixes go, length is capped', () => {
    expect(cleanSubject('RE: FW: Re[2]: 件名')).toBe('件名');
    expect(cleanSubject('転送: 返信: 不審なメール')).toBe('不審なメール');
    expect(cleanSubject('Fwd:  Suspicious   login ')).toBe('Suspicious login');
    expect([...cleanSubject('あ'.repeat(300))]).toHaveLength(200);
  });
});
