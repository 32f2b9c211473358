/**
 * Deterministic Japanese consultations for the storage benchmark. Everything comes from
 * one seeded generator, so a run with the same seed and size writes the same records.
 *
 * A few rare terms are planted in a known number of records, so that rare-term queries
 * have a known, small number of hits; the base text never contains them (their characters
 * are names of birds and fish that no fragment below uses).
 */
import type { Channel, Situation, State, Tristate, Urgency } from '../src/consultation/types';

/** mulberry32: small, fast and good enough for test data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Rand = () => number;
const int = (r: Rand, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
function weighted<T>(r: Rand, xs: ReadonlyArray<readonly [T, number]>): T {
  const total = xs.reduce((s, [, w]) => s + w, 0);
  let x = r() * total;
  for (const [v, w] of xs) {
    x -= w;
    if (x < 0) return v;
  }
  return xs[xs.length - 1]![0];
}

export const WARDS = [
  '千代田区',
  '中央区',
  '港区',
  '新宿区',
  '文京区',
  '台東区',
  '墨田区',
  '江東区',
  '品川区',
  '目黒区',
  '大田区',
  '世田谷区',
  '渋谷区',
  '中野区',
  '杉並区',
  '豊島区',
  '北区',
  '荒川区',
  '板橋区',
  '練馬区',
  '足立区',
  '葛飾区',
  '江戸川区',
] as const;

export const CITIES = [
  '八王子市',
  '立川市',
  '武蔵野市',
  '三鷹市',
  '青梅市',
  '府中市',
  '昭島市',
  '調布市',
  '町田市',
  '小金井市',
  '小平市',
  '日野市',
  '東村山市',
  '国分寺市',
  '国立市',
  '福生市',
  '狛江市',
  '東大和市',
  '清瀬市',
  '東久留米市',
  '武蔵村山市',
  '多摩市',
  '稲城市',
  '羽村市',
  'あきる野市',
  '西東京市',
  '瑞穂町',
  '日の出町',
  '奥多摩町',
] as const;

const ORG_STEMS = [
  '東都',
  '武蔵',
  '多摩',
  '隅田',
  '江戸',
  '日本橋',
  '丸の内',
  '城南',
  '城北',
  '湾岸',
  '青葉',
  '桜丘',
  '富士見',
  '大和',
  '協和',
  '明和',
  '北斗',
  '昭和',
  '平和',
  '中央',
  '東亜',
  '共栄',
  '三協',
  '光陽',
  '旭',
  '若葉',
  '栄進',
  '誠和',
  'みどり',
  'ひかり',
  'あおい',
  'さくら',
  'テクノ',
  'サンライズ',
  'ネクスト',
  'アクア',
  'フロンティア',
  'グリーン',
  'ユニオン',
  'パシフィック',
  'トーキョー',
  'ミナト',
  'シティ',
  'ライフ',
  'クローバー',
] as const;

/** Organisation endings, with the industry they suggest. */
const ORG_KINDS: ReadonlyArray<readonly [string, string]> = [
  ['製作所', '製造業'],
  ['工業', '製造業'],
  ['精機', '製造業'],
  ['電機', '製造業'],
  ['化成', '製造業'],
  ['印刷', '製造業'],
  ['食品', '製造業'],
  ['商事', '卸売業'],
  ['物産', '卸売業'],
  ['通商', '卸売業'],
  ['建設', '建設業'],
  ['工務店', '建設業'],
  ['設備', '建設業'],
  ['運輸', '運輸業'],
  ['ロジスティクス', '運輸業'],
  ['倉庫', '運輸業'],
  ['不動産', '不動産業'],
  ['ハウジング', '不動産業'],
  ['システムズ', '情報通信業'],
  ['ソフト', '情報通信業'],
  ['ネットワークス', '情報通信業'],
  ['デザイン', 'サービス業'],
  ['企画', 'サービス業'],
  ['サービス', 'サービス業'],
  ['フーズ', '飲食業'],
  ['ダイニング', '飲食業'],
  ['ホテル', '宿泊業'],
  ['薬局', '医療・福祉'],
  ['ストア', '小売業'],
  ['書店', '小売業'],
  ['スポーツ', '小売業'],
];

const OTHER_ORGS: ReadonlyArray<readonly [(s: string) => string, string]> = [
  [(s) => `医療法人社団${s}会`, '医療・福祉'],
  [(s) => `${s}クリニック`, '医療・福祉'],
  [(s) => `${s}歯科医院`, '医療・福祉'],
  [(s) => `社会福祉法人${s}福祉会`, '医療・福祉'],
  [(s) => `${s}税理士事務所`, '士業'],
  [(s) => `${s}法律事務所`, '士業'],
  [(s) => `${s}会計事務所`, '士業'],
  [(s) => `一般社団法人${s}協会`, '団体'],
  [(s) => `${s}商店会`, '団体'],
  [(s) => `学校法人${s}学園`, '教育'],
  [(s) => `NPO法人${s}ネット`, '団体'],
];

const ROLES = [
  '代表取締役',
  '総務部 担当者',
  '情報システム担当',
  '経理課長',
  '事務長',
  '店長',
  '総務課',
  '管理部長',
  '院長',
  '所長',
  '事務局',
  'IT担当（兼任）',
  '経営企画室',
] as const;

export const CATEGORY_IDS = [
  'ransomware',
  'phishing',
  'unauthorized-access',
  'bec',
  'support-scam',
  'emotet',
  'data-leak',
  'other',
] as const;
type CategoryId = (typeof CATEGORY_IDS)[number];

interface Topic {
  subjects: readonly string[];
  sentences: readonly string[];
  what: readonly string[];
  systems: readonly string[];
  tags: readonly string[];
}

const TOPICS: Record<CategoryId, Topic> = {
  ransomware: {
    subjects: [
      'ファイルが暗号化され開けない',
      'ランサムウェア感染の疑い',
      'サーバーに脅迫文が表示された',
      'LockBitを名乗る脅迫文',
      'NASのファイルの拡張子が変わった',
      '身代金を要求されている',
      'ランサムウェア被害と復旧の相談',
      'リークサイトに社名が掲載された',
      '全社のPCが起動しない',
    ],
    sentences: [
      '朝出社したところ、共有フォルダ内のファイルの拡張子が変わり、開けなくなっていた。',
      '各フォルダに身代金を要求するテキストファイルが置かれていた。',
      'VPN機器の脆弱性が悪用された可能性があると保守業者から指摘された。',
      'バックアップ用のNASも同じネットワークにあり、暗号化されてしまった。',
      '攻撃者は暗号資産での支払いを要求しており、期限は3日後とされている。',
      '取引先から、リークサイトに当社の名前が載っていると連絡があった。',
      '電子カルテのサーバーが停止し、診療を一部止めている。',
      '脅迫文にはＬｏｃｋＢｉｔ３．０と書かれていた。',
      '暗号化されたファイルの一部を復号できるツールがあるか知りたい。',
      '支払うべきかどうか、社内で意見が分かれている。',
      'ネットワークから切り離し、電源は入れたままにしてある。',
      'リモートデスクトップが外部に公開されていたことが分かった。',
      '生産管理システムが使えず、出荷が止まっている。',
    ],
    what: [
      'ファイルが暗号化された',
      '脅迫文が表示された',
      'サーバーが起動しない',
      '拡張子が変わった',
    ],
    systems: [
      'ファイルサーバ',
      'NAS',
      '業務用PC 12台',
      'VPN装置',
      '電子カルテ',
      '生産管理システム',
    ],
    tags: ['ランサムウェア', 'VPN', 'RDP', 'バックアップ'],
  },
  phishing: {
    subjects: [
      '宅配業者を装うSMSのリンクを開いた',
      '銀行を名乗るメールでパスワードを入力した',
      'フィッシングサイトにカード情報を入力',
      'Microsoft 365の偽ログイン画面',
      '通販サイトを装うメールが大量に届く',
      '不審なQRコードから偽サイトに誘導された',
      'アカウント停止を知らせる偽メール',
    ],
    sentences: [
      '宅配便の不在通知を装ったSMSが届き、リンク先でアプリをインストールしてしまった。',
      '銀行を名乗るメールのリンクからログインし、IDとパスワードを入力した。',
      'クレジットカード番号と有効期限を入力した後で、偽サイトだと気づいた。',
      'Microsoft 365のログイン画面にそっくりなページで認証情報を入力した。',
      '従業員のメールアカウントから取引先にフィッシングメールが送られていた。',
      'カード会社に連絡して利用停止の手続きを取った。',
      'パスワードは変更したが、他のサービスでも同じものを使っていた。',
      '多要素認証は設定していなかった。',
      'メールの差出人アドレスは正規のものとよく似ていた。',
      'ＵＲＬを確認せずにスマートフォンで開いてしまった。',
    ],
    what: ['偽サイトで認証情報を入力した', '不審なSMSのリンクを開いた', 'カード情報を入力した'],
    systems: ['スマートフォン', 'Microsoft 365', 'ネットバンキング', 'メールアカウント'],
    tags: ['フィッシング', 'SMS', 'Microsoft 365', '多要素認証'],
  },
  'unauthorized-access': {
    subjects: [
      'ECサイトへの不正アクセス',
      '管理画面に海外から不審なログイン',
      'Webサイトが改ざんされた',
      'リモートデスクトップへの総当たり攻撃',
      'クラウドストレージに不正アクセスの痕跡',
      '退職者のアカウントが使われていた',
      'ルーターの設定が勝手に変更された',
    ],
    sentences: [
      'ECサイトの管理画面に、海外のIPアドレスからのログイン履歴が残っていた。',
      'Webサイトのトップページが改ざんされ、不審なスクリプトが埋め込まれていた。',
      'サーバーのログに、短時間に大量のログイン試行が記録されていた。',
      '退職した従業員のアカウントが削除されずに残っており、最近使われた形跡がある。',
      'クラウドストレージの共有設定が「リンクを知っている全員」になっていた。',
      'ホスティング事業者から不正アクセスの可能性について通知を受けた。',
      '決済画面が差し替えられ、顧客のカード情報が盗まれた可能性がある。',
      'ルーターの管理画面のパスワードが初期設定のままだった。',
      'CMSのプラグインが古いまま更新されていなかった。',
      'アクセスログを保存しているが、どこを見ればよいか分からない。',
    ],
    what: ['不審なログインがあった', 'サイトが改ざんされた', '設定が変更された'],
    systems: ['ECサイト', 'Webサーバ', 'CMS', 'ルーター', 'クラウドストレージ'],
    tags: ['不正アクセス', 'Webサイト', 'ログ'],
  },
  bec: {
    subjects: [
      '取引先を装うメールで振込先口座の変更を依頼された',
      'ビジネスメール詐欺の疑い',
      '社長になりすました送金指示',
      '請求書の振込先が変更されていた',
      '海外取引先との間でメールが乗っ取られた',
    ],
    sentences: [
      '取引先の担当者を装うメールで、振込先口座を変更するよう依頼された。',
      '請求書のPDFが差し替えられ、振込先が別の銀行の口座になっていた。',
      '社長の名前で、至急送金するよう経理担当にメールが届いた。',
      '実際に約300万円を振り込んでしまい、銀行に組戻しを依頼している。',
      '差出人のドメインは取引先のものと一文字だけ違っていた。',
      '過去のメールのやり取りが引用されており、本物だと思い込んだ。',
      '電話で取引先に確認したところ、そのような依頼はしていないとのことだった。',
      'ビジネスメール詐欺について警察に相談すべきか知りたい。',
      '海外の取引先との英語のメールで、口座変更の連絡があった。',
    ],
    what: ['振込先の変更を依頼された', '送金してしまった', 'なりすましメールが届いた'],
    systems: ['メールサーバ', '会計システム', 'Microsoft 365', 'Gmail'],
    tags: ['ビジネスメール詐欺', 'BEC', '送金', '経理'],
  },
  'support-scam': {
    subjects: [
      'パソコンに警告画面が出て電話をかけた',
      'サポート詐欺で遠隔操作された',
      '偽のウイルス警告と電子マネーの請求',
      '警告音が鳴りやまない画面',
      'サポート詐欺の被害と今後の対応',
    ],
    sentences: [
      'インターネットを見ていたら、ウイルスに感染したという警告画面と警告音が出た。',
      '画面に表示された番号に電話をかけると、片言の日本語で遠隔操作ソフトを入れるよう言われた。',
      '遠隔操作の後、サポート料金として電子マネーで5万円を支払うよう求められた。',
      'コンビニでギフトカードを購入し、番号を伝えてしまった。',
      'ネットバンキングにログインするよう指示され、画面を見られていた。',
      'ブラウザを閉じても警告画面が消えなかった。',
      '遠隔操作ソフトはアンインストールしたが、まだ不安がある。',
      'サポート詐欺の手口だと後から知人に教えられた。',
    ],
    what: ['警告画面が出た', '遠隔操作された', '電子マネーを支払った'],
    systems: ['事務用PC', 'ノートPC', 'ネットバンキング'],
    tags: ['サポート詐欺', '遠隔操作', '電子マネー'],
  },
  emotet: {
    subjects: [
      'Emotetに感染したとの連絡',
      '当社を名乗る不審なメールが送られている',
      'マクロ付きのWord文書を開いてしまった',
      'EmoCheckで感染が検知された',
      '取引先からEmotetの注意喚起を受けた',
    ],
    sentences: [
      '取引先から、当社の従業員を名乗る不審なメールが届いていると連絡があった。',
      '返信を装ったメールに添付されたWord文書を開き、マクロを有効にしてしまった。',
      'EmoCheckを実行したところ、Emotetが検知された。',
      'パスワード付きZIPファイルが添付されたメールを開いた。',
      '過去のメールの件名や本文が引用されており、不審に思わなかった。',
      '感染した端末はネットワークから外し、ウイルス対策ソフトで全体をスキャンした。',
      'メールアカウントのパスワードを全員分変更する予定である。',
      '取引先への注意喚起の文面について助言がほしい。',
      'Ｅｍｏｔｅｔの感染が他の端末に広がっていないか心配している。',
    ],
    what: ['添付ファイルを開いた', '感染が検知された', 'なりすましメールが送られている'],
    systems: ['業務用PC', 'メールソフト', 'Outlook'],
    tags: ['Emotet', 'マルウェア', 'メール'],
  },
  'data-leak': {
    subjects: [
      '顧客情報が流出した可能性',
      '個人情報を含むUSBメモリを紛失',
      'メールの誤送信で個人情報が漏えい',
      'ダークウェブに自社のアカウント情報',
      '元従業員による顧客名簿の持ち出し',
      '情報漏えい時の報告義務について',
    ],
    sentences: [
      '顧客の氏名と住所、電話番号を含むファイルが外部に流出した可能性がある。',
      '個人情報を保存したUSBメモリを、移動中に紛失してしまった。',
      'メールの宛先を間違え、顧客リストを社外の人に送ってしまった。',
      'BCCにすべきところをTOで送信し、メールアドレスが見える状態になった。',
      'ダークウェブ上に当社ドメインのアカウント情報が掲載されていると通知された。',
      '退職した従業員が顧客名簿を持ち出し、競合先で使っている疑いがある。',
      '個人情報保護委員会への報告が必要か知りたい。',
      '漏えいした件数はおよそ1,200件と見込んでいる。',
      '本人への通知の方法と文面について相談したい。',
    ],
    what: ['顧客情報が漏えいした可能性', '記録媒体を紛失した', '誤送信した'],
    systems: ['顧客管理システム', 'USBメモリ', 'メール', 'ファイル共有サービス'],
    tags: ['情報漏えい', '個人情報', '誤送信'],
  },
  other: {
    subjects: [
      'セキュリティ対策の進め方',
      'UTMの導入について',
      '従業員向け研修の相談',
      'パスワード管理の方法',
      'サイバー保険について知りたい',
      '補助金で導入できる対策',
    ],
    sentences: [
      '小規模な事業者として、まず何から対策すべきか知りたい。',
      'UTMの導入を勧められたが、本当に必要か判断できない。',
      '従業員向けに標的型メール訓練を実施したい。',
      'パスワードの使い回しをやめさせる方法を相談したい。',
      'サイバー保険の補償内容と、加入の要否について教えてほしい。',
      '都の補助金を使ってセキュリティ機器を導入できるか知りたい。',
      '取引先からセキュリティ対策の状況について質問票が届いた。',
    ],
    what: ['対策について相談したい', '導入を検討している'],
    systems: ['社内ネットワーク', '業務用PC', 'Wi-Fi'],
    tags: ['対策相談', '研修', '補助金'],
  },
};

const COMMON_SENTENCES = [
  '従業員は約{n}名で、専任のIT担当者はいない。',
  '警察にはまだ相談していない。',
  '所轄の警察署には相談済みで、被害届の提出を検討している。',
  '取引先への影響が心配である。',
  '今後の対応について助言がほしい。',
  '保守業者に連絡したが、まだ回答がない。',
  '{d}日前の{h}時ごろに異変に気づいた。',
  '社内で同様の被害がないか確認している。',
  'ウイルス対策ソフトは導入しているが、更新していたかは分からない。',
  '取締役会への報告の仕方について相談したい。',
  '同業者からも似た話を聞いたことがある。',
  '経営者として、何を優先すべきか知りたい。',
  '顧客からの問い合わせにどう答えればよいか分からない。',
  'ログは可能な限り保存している。',
  '詐欺の被害にあったのではないかと不安に思っている。',
];

/** Common words followed by varied particles and words, so that short terms have many trigrams. */
const KEYWORDS = [
  '詐欺',
  '感染',
  '被害',
  '不正',
  '暗号化',
  '口座',
  '警察',
  '情報',
  '攻撃',
  '送金',
  'メール',
  'パスワード',
  'ウイルス',
  'ランサムウェア',
  'フィッシング',
  '漏えい',
  '請求',
  '端末',
];
const FOLLOWERS = [
  'の',
  'に',
  'が',
  'を',
  'で',
  'と',
  'は',
  'も',
  '、',
  'について',
  'への',
  'かどうか',
  'らしき',
  'と思われる',
  '対策',
  '事案',
  '手口',
  '防止',
  '関連',
  '報告',
  '相談',
  'の疑い',
  'の可能性',
  '等',
  'や',
  'より',
  'から',
  'まで',
  'ごと',
  '全般',
];
const TAILS = [
  '詳しく確認したい。',
  '心配している。',
  '対応を検討している。',
  '説明してほしい。',
  '社内で話し合っている。',
  '判断に迷っている。',
  '情報がほしい。',
  '記録を残している。',
];

const NOTE_TEXTS = [
  '折り返し電話の約束。{d}日の午後に連絡する。',
  'JPCERT/CCへの報告を案内済み。',
  '警察のサイバー犯罪相談窓口を案内した。',
  '専門員に引き継ぎ。ログの確認が必要。',
  '相談者からメールで追加の資料が届いた。',
  '保守業者と三者で打ち合わせ予定。',
  '同様の相談が今週{n}件目。注意喚起を検討。',
  '証拠保全の方法を説明した。',
];

const ANSWER_TEXTS = [
  '感染した端末をネットワークから切り離し、電源は切らずに保全するよう案内した。',
  '身代金は支払わないよう助言し、警察への相談と被害届の提出を勧めた。',
  'パスワードの変更と多要素認証の設定を案内した。',
  '取引先への注意喚起の文例を送付した。',
  '個人情報保護委員会への報告要否と期限について説明した。',
  '遠隔操作ソフトの削除と、ネットバンキングのパスワード変更を案内した。',
  '銀行に組戻しを依頼し、警察に相談するよう案内した。',
];

const SINCE = ['本日 8:30', '昨日の夕方', '3日前', '先週から', '今月初め', '不明'];
const ACTIONS_TAKEN = [
  'LANケーブルを抜いた',
  'パスワードを変更した',
  'ウイルス対策ソフトでスキャンした',
  'カード会社に連絡した',
  '銀行に連絡した',
  'まだ何もしていない',
];
const CONTACTED = ['警察', '保守業者', '取引先', '銀行', 'カード会社', null, null];
const EVIDENCE = ['脅迫文の写真', 'メールの原本', 'アクセスログ', '画面のスクリーンショット', null];
const GENERIC_TAGS = ['中小企業', '再相談', '警察連携', '医療機関', '至急'];

/** Rare terms planted into details; none of their characters occurs in the fragments above. */
export interface Markers {
  rare2: string[];
  rare3: string[];
  rare6: string[];
  /** Which record (0-based position in the fill) carries which terms. */
  byRecord: Map<number, string[]>;
  /** How many records each term was planted in. */
  perTerm: number;
}

const RARE_CHARS = '鶫鵯鶺鴒鷦鷯鴗鵟鶚鷂鳰鸊鷉鴴鷸鷗鵜鶉鷽鵐鰈鰆鱚鰤鯱鰊鱈鰯鰹鯵鯰鱧';

/** Chooses the rare terms and the records they go into. */
export function plantMarkers(
  n: number,
  perTerm: number,
  termsPerClass: number,
  seed: number,
): Markers {
  const r = rng(seed ^ 0x5eed);
  const chars = [...RARE_CHARS];
  const term = (len: number) => Array.from({ length: len }, () => pick(r, chars)).join('');
  const distinct = (len: number, taken: Set<string>) => {
    const out: string[] = [];
    while (out.length < termsPerClass) {
      const t = term(len);
      // No term may contain another, or a query for one would find the other's records.
      if ([...taken].some((x) => x.includes(t) || t.includes(x))) continue;
      taken.add(t);
      out.push(t);
    }
    return out;
  };
  const taken = new Set<string>();
  const rare6 = distinct(6, taken);
  const rare3 = distinct(3, taken);
  const rare2 = distinct(2, taken);
  const byRecord = new Map<number, string[]>();
  for (const t of [...rare2, ...rare3, ...rare6]) {
    const used = new Set<number>();
    while (used.size < Math.min(perTerm, n)) used.add(Math.floor(r() * n));
    for (const i of used) byRecord.set(i, [...(byRecord.get(i) ?? []), t]);
  }
  return { rare2, rare3, rare6, byRecord, perTerm };
}

export interface GeneratedRecord {
  channel: Channel;
  state: State;
  receivedAt: string;
  consulter: {
    organisation: string | null;
    person: string | null;
    email: string | null;
    phone: string | null;
    industry: string | null;
    employees: number | null;
    municipality: string | null;
  };
  categoryId: CategoryId;
  urgency: Urgency;
  subject: string;
  details: string;
  situation: Situation;
  tags: string[];
  notes: string[];
  answers: string[];
  /** Whether it went to a second-line specialist. */
  dispatched: boolean;
}

const fill = (r: Rand, s: string) =>
  s
    .replace('{n}', String(int(r, 2, 300)))
    .replace('{d}', String(int(r, 1, 28)))
    .replace('{h}', String(int(r, 7, 22)));

function organisation(r: Rand): { name: string; industry: string } {
  const stem = pick(r, ORG_STEMS);
  if (r() < 0.2) {
    const [make, industry] = pick(r, OTHER_ORGS);
    return { name: make(stem), industry };
  }
  const [kind, industry] = pick(r, ORG_KINDS);
  const form = weighted(r, [
    ['株式会社', 6],
    ['有限会社', 2],
    ['合同会社', 1],
  ] as const);
  return { name: r() < 0.7 ? `${form}${stem}${kind}` : `${stem}${kind}${form}`, industry };
}

function details(r: Rand, topic: Topic, other: Topic, markers: readonly string[]): string {
  const target = Math.round(100 + 500 * Math.pow(r(), 1.3)); // more short texts than long ones
  const parts: string[] = [];
  let len = 0;
  const budget = 600 - markers.reduce((s, m) => s + m.length + 16, 0);
  while (len < Math.min(target, budget)) {
    const x = r();
    const s =
      x < 0.55
        ? pick(r, topic.sentences)
        : x < 0.7
          ? pick(r, other.sentences)
          : x < 0.85
            ? fill(r, pick(r, COMMON_SENTENCES))
            : `${pick(r, KEYWORDS)}${pick(r, FOLLOWERS)}${pick(r, TAILS)}`;
    if (len + s.length > budget && len >= 100) break;
    parts.push(s);
    len += s.length;
  }
  for (const m of markers) {
    const at = int(r, 0, parts.length);
    parts.splice(
      at,
      0,
      r() < 0.5 ? `攻撃者は「${m}」と名乗っていた。` : `関連する識別子${m}を確認。`,
    );
  }
  let text = parts.join('');
  if ([...text].length > 600) text = [...text].slice(0, 600).join('');
  return text;
}

const YEAR_MS = 365.25 * 24 * 3600_000;

/**
 * The i-th of n records. Received times run from about five and a half years before
 * `end` up to `end`, in order with some jitter (records are entered as they come in).
 */
export function generate(
  r: Rand,
  i: number,
  n: number,
  end: Date,
  markers: readonly string[],
): GeneratedRecord {
  const span = 5.5 * YEAR_MS;
  const base = end.getTime() - span + (span * (i + 0.5)) / n;
  const received = new Date(Math.min(end.getTime(), base + (r() - 0.5) * 2 * 3600_000));
  const ageDays = (end.getTime() - received.getTime()) / 86400_000;

  const categoryId = weighted(r, [
    ['phishing', 22],
    ['support-scam', 16],
    ['bec', 10],
    ['ransomware', 12],
    ['unauthorized-access', 12],
    ['emotet', 8],
    ['data-leak', 10],
    ['other', 10],
  ] as const);
  const topic = TOPICS[categoryId];
  const other = TOPICS[pick(r, CATEGORY_IDS)];

  const org = r() < 0.85 ? organisation(r) : null;
  const municipality = r() < 0.9 ? (r() < 0.7 ? pick(r, WARDS) : pick(r, CITIES)) : null;
  const phone =
    r() < 0.8
      ? `0${pick(r, ['3', '42', '422', '44', '90', '80'])}-${int(r, 1000, 9999)}-${int(r, 1000, 9999)}`
      : null;

  const state: State =
    ageDays > 60
      ? weighted(r, [
          ['closed', 96],
          ['answered', 3],
          ['dispatched', 1],
        ] as const)
      : weighted(r, [
          ['received', 10],
          ['claimed', 15],
          ['dispatched', 15],
          ['answered', 20],
          ['closed', 40],
        ] as const);
  const answered = state === 'answered' || state === 'closed';
  const dispatched = state === 'dispatched' || (answered && r() < 0.35);

  let subject = pick(r, topic.subjects);
  if (r() < 0.3 && municipality) subject = `${municipality}の事業者より: ${subject}`;
  if (r() < 0.15) subject = `【至急】${subject}`;

  const tristate = (): Tristate => pick(r, ['yes', 'no', 'unknown'] as const);
  const tags =
    r() < 0.6 ? [pick(r, topic.tags), ...(r() < 0.3 ? [pick(r, GENERIC_TAGS)] : [])] : [];
  const notes =
    r() < 0.3 ? Array.from({ length: int(r, 1, 2) }, () => fill(r, pick(r, NOTE_TEXTS))) : [];
  const answers = answered ? [pick(r, ANSWER_TEXTS)] : [];

  return {
    channel: weighted(r, [
      ['phone', 45],
      ['web', 25],
      ['email', 25],
      ['counter', 5],
    ] as const),
    state,
    receivedAt: received.toISOString(),
    consulter: {
      organisation: org?.name ?? null,
      person: r() < 0.8 ? pick(r, ROLES) : null,
      email: r() < 0.6 ? `contact${int(r, 1, 9999)}@corp${int(r, 1, 50000)}.example.jp` : null,
      phone,
      industry: org?.industry ?? (r() < 0.5 ? '個人事業主' : null),
      employees: org ? Math.round(Math.exp(r() * Math.log(500))) : null,
      municipality,
    },
    categoryId,
    urgency: weighted(r, [
      ['low', 15],
      ['normal', 55],
      ['high', 22],
      ['critical', 8],
    ] as const),
    subject,
    details: details(r, topic, other, markers),
    situation: {
      whatHappened: pick(r, topic.what),
      since: pick(r, SINCE),
      ongoing: tristate(),
      systems: pick(r, topic.systems),
      dataAtRisk: tristate(),
      actionsTaken: r() < 0.8 ? pick(r, ACTIONS_TAKEN) : null,
      contacted: pick(r, CONTACTED),
      evidence: pick(r, EVIDENCE),
    },
    tags,
    notes,
    answers,
    dispatched,
  };
}
