/**
 * The desk's seed knowledge: a category taxonomy mapped to the sections of the
 * Tokyo guidebook 「中小企業向けサイバーセキュリティ対策の極意」 Ver.3.0a and to its
 * quick list of where to report (INFORMATION 6-1 「もしかしてサイバー攻撃？ ここに連絡を！」,
 * 6-2). Contacts are as printed in that guidebook. The desk will edit them in the
 * product; this module is the initial data and the shape of it.
 *
 * English names are the organisations' own where they have one, otherwise a plain
 * translation; a name with no sensible English stays in Japanese.
 */
import type { Localized } from '../i18n/messages';

export interface Destination {
  id: string;
  name: Localized;
  /** What to contact them for. */
  purpose: Localized;
  url?: string;
  tel?: string;
  /** A remark printed next to the number (e.g. that a switchboard forwards the call). */
  telNote?: Localized;
  fax?: string;
  email?: string;
  hours?: Localized;
}

export interface Category {
  id: string;
  ja: string;
  en: string;
  /** Section numbers of the guidebook, as the guidebook prints them. */
  guidebook: readonly string[];
  /** Destination ids, most relevant first. */
  destinations: readonly string[];
  /**
   * Words that suggest this category in a consulter's own text, in lower case, used to
   * pre-select the category of an intake (a guess for staff to confirm, never a
   * decision). Matched case-insensitively; a word in Latin letters only where a word
   * starts (`iot` is not found in "idiot"), a Japanese one anywhere. None: never guessed.
   */
  keywords?: readonly string[];
}

/** One item of the intake checklist (the structured part of every consultation). */
export interface ChecklistItem {
  id:
    | 'whatHappened'
    | 'since'
    | 'ongoing'
    | 'systems'
    | 'dataAtRisk'
    | 'actionsTaken'
    | 'contacted'
    | 'evidence';
  label: Localized;
}

export const DESTINATIONS: readonly Destination[] = [
  {
    id: 'mpd-cyber',
    name: {
      ja: '警視庁 サイバー犯罪対策課',
      en: 'Tokyo Metropolitan Police Department, Cybercrime Control Division',
    },
    purpose: {
      ja: 'サイバーセキュリティに関連した犯罪の可能性がある場合の相談',
      en: 'Consultation when a cybersecurity incident may be a crime',
    },
    url: 'https://www.keishicho.metro.tokyo.lg.jp/kurashi/cyber/cyber_sodan.html',
    tel: '03-5805-1731',
    hours: { ja: '平日 8:30-17:15', en: 'Weekdays 8:30-17:15' },
  },
  {
    id: 'police-station',
    name: { ja: '所轄の警察署（被害届）', en: 'Local police station (report of damage)' },
    purpose: {
      ja: 'サイバー犯罪の届出。犯罪の証拠となる資料（エビデンス）を用意して届け出る',
      en: 'Reporting a cybercrime; bring the evidence of the crime',
    },
    url: 'https://www.keishicho.metro.tokyo.lg.jp/about_mpd/shokai/ichiran/index.html',
    tel: '03-3581-4321',
    telNote: {
      ja: '交換で管轄の警察署へ転送',
      en: 'the switchboard forwards the call to the competent station',
    },
  },
  {
    id: 'ipa-anshin',
    name: {
      ja: 'IPA 情報セキュリティ安心相談窓口',
      en: 'IPA Information Security Consultation Desk (Anshin Sodan)',
    },
    purpose: {
      ja: '一般的な情報セキュリティ相談（ウイルス・不正アクセス等の技術的な相談）',
      en: 'General information security questions (technical questions on viruses, unauthorised access and the like)',
    },
    url: 'https://www.ipa.go.jp/security/anshin/about.html',
    tel: '03-5978-7509',
    fax: '03-5978-7518',
    email: 'anshin@ipa.go.jp',
    hours: {
      ja: '10:00-12:00, 13:30-17:00（土日祝日・年末年始を除く）',
      en: '10:00-12:00, 13:30-17:00 (except weekends, public holidays and the New Year break)',
    },
  },
  {
    id: 'ipa-todokede',
    name: {
      ja: 'IPA コンピュータウイルス・不正アクセスに関する届出窓口',
      en: 'IPA Reporting Desk for Computer Viruses and Unauthorised Access',
    },
    purpose: {
      ja: 'ウイルス感染・不正アクセスの届出（被害の拡大防止）',
      en: 'Reporting virus infections and unauthorised access (to stop the damage spreading)',
    },
    url: 'https://www.ipa.go.jp/security/todokede/crack-virus/about.html',
  },
  {
    id: 'ipa-jcrat',
    name: {
      ja: 'IPA J-CRAT／標的型サイバー攻撃特別相談窓口',
      en: 'IPA J-CRAT / Special Desk for Targeted Cyber Attacks',
    },
    purpose: {
      ja: '標的型サイバー攻撃を受けている組織の支援依頼・相談',
      en: 'Help and advice for organisations under a targeted cyber attack',
    },
    url: 'https://www.ipa.go.jp/security/todokede/tokubetsu.html',
  },
  {
    id: 'jpcert',
    name: { ja: 'JPCERT/CC インシデント報告', en: 'JPCERT/CC incident reporting' },
    purpose: {
      ja: 'インシデントの報告・対応依頼（サイト改ざん箇所の特定、復旧手順の相談など）',
      en: 'Reporting an incident and asking for coordination (locating a defacement, recovery steps and the like)',
    },
    url: 'https://www.jpcert.or.jp/menu_reporttojpcert.html',
  },
  {
    id: 'antiphishing',
    name: { ja: 'フィッシング対策協議会', en: 'Council of Anti-Phishing Japan' },
    purpose: {
      ja: 'フィッシングメール・フィッシングサイトの情報提供',
      en: 'Reporting phishing mails and phishing sites',
    },
    url: 'https://www.antiphishing.jp/registration.html',
  },
  {
    id: 'mpd-phishing110',
    name: {
      ja: '警視庁 フィッシング110番',
      en: 'Tokyo Metropolitan Police Department, Phishing 110',
    },
    purpose: {
      ja: 'フィッシングと思われるメール・サイト、フィッシング被害',
      en: 'Suspected phishing mails and sites, damage from phishing',
    },
    url: 'https://www.cybersecurity.metro.tokyo.lg.jp/security/guidebook/355/index.html#CHECK3-01',
  },
  {
    id: 'houterasu',
    name: {
      ja: '日本司法支援センター 法テラス',
      en: 'Japan Legal Support Center (Houterasu)',
    },
    purpose: { ja: '権利侵害などの法律相談', en: 'Legal advice, e.g. on infringed rights' },
    url: 'https://www.houterasu.or.jp/',
    tel: '0570-078374',
  },
  {
    id: 'dekyo',
    name: {
      ja: '日本データ通信協会 迷惑メール相談センター',
      en: 'Japan Data Communications Association, Spam Mail Consultation Center',
    },
    purpose: {
      ja: '同意なく送られる広告宣伝目的メールの相談',
      en: 'Advertising mail sent without consent',
    },
    url: 'https://www.dekyo.or.jp/soudan/index.html',
  },
  {
    id: 'saferinternet-ec',
    name: {
      ja: 'なりすましECサイト対策協議会（セーファーインターネット協会）',
      en: 'Council against Fake Online Shops (Safer Internet Association)',
    },
    purpose: {
      ja: 'なりすましECサイトの対策・違法情報の通報',
      en: 'Countering fake online shops; reporting illegal information',
    },
    url: 'https://www.saferinternet.or.jp/e-commerce/narisumashi/',
  },
  {
    id: 'ppc',
    name: {
      ja: '個人情報保護委員会（漏えい等報告）',
      en: 'Personal Information Protection Commission (breach reports)',
    },
    purpose: {
      ja: '個人データの漏えい等の報告・相談（APPI: 速報はおおむね3〜5日以内、確報は30日以内、不正目的の場合60日以内）',
      en: 'Reporting and asking about personal data breaches (APPI: preliminary report within about 3-5 days, final report within 30 days, 60 days for malicious cases)',
    },
    url: 'https://www.ppc.go.jp/',
  },
  {
    id: 'tokyo-desk',
    name: {
      ja: '東京都 中小企業サイバーセキュリティ相談窓口（Tcyss事務局）',
      en: 'Tokyo Metropolitan Government SME Cybersecurity Consultation Desk (Tcyss office)',
    },
    purpose: {
      ja: '東京都・警視庁・支援機関が連携して開設した中小企業のための相談窓口',
      en: 'The desk for SMEs run jointly by the Tokyo Metropolitan Government, the police and support organisations',
    },
    tel: '03-5320-4773',
    hours: {
      ja: '都庁開庁日 9:00-12:00, 13:00-17:00',
      en: 'Tokyo Metropolitan Government working days 9:00-12:00, 13:00-17:00',
    },
    url: 'https://www.sangyo-rodo.metro.tokyo.lg.jp/chushou/shoko/cyber/soudan/',
  },
  {
    id: 'ihaho',
    name: {
      ja: 'インターネット違法・有害情報相談センター',
      en: 'Internet Illegal and Harmful Information Consultation Center',
    },
    purpose: { ja: '違法・有害情報の相談', en: 'Illegal or harmful information online' },
    url: 'https://www.ihaho.jp/',
  },
  {
    id: 'otasuketai',
    name: {
      ja: 'サイバーセキュリティお助け隊サービス（IPA）',
      en: 'Cybersecurity Otasuketai Service (IPA)',
    },
    purpose: {
      ja: '中小企業向けの見守り・駆付け・相談等のワンパッケージサービス',
      en: 'One-package monitoring, on-site response and advice services for SMEs',
    },
    url: 'https://www.ipa.go.jp/security/otasuketai-pr/',
  },
];

export const CATEGORIES: readonly Category[] = [
  {
    id: 'ransomware',
    ja: 'ランサムウェア',
    en: 'Ransomware',
    guidebook: ['1-2', '2-1-2', '2-4', '4-5'],
    destinations: ['mpd-cyber', 'police-station', 'ipa-todokede', 'jpcert', 'ppc'],
    keywords: [
      'ランサム',
      '身代金',
      '暗号化され',
      '拡張子が変',
      '復号',
      'ransom',
      'encrypted',
      'lockbit',
      'decrypt',
    ],
  },
  {
    id: 'emotet-malware',
    ja: 'ウイルス感染（Emotet等）',
    en: 'Malware infection (Emotet etc.)',
    guidebook: ['2-3', '2-9', '2-10', '4-5'],
    destinations: ['ipa-anshin', 'ipa-todokede', 'jpcert'],
    keywords: [
      'ウイルス',
      'ウィルス',
      'マルウェア',
      'エモテット',
      'emotet',
      'malware',
      'virus',
      'トロイ',
      '感染',
    ],
  },
  {
    id: 'targeted-attack',
    ja: '標的型攻撃',
    en: 'Targeted attack',
    guidebook: ['1-1', '2-1-1', '2-10'],
    destinations: ['ipa-jcrat', 'jpcert', 'mpd-cyber'],
    keywords: ['標的型', 'apt攻撃', 'targeted attack', 'spear phishing'],
  },
  {
    id: 'unauthorized-access',
    ja: '不正アクセス・不正ログイン',
    en: 'Unauthorised access / login',
    guidebook: ['1-10', '2-1-10', '2-5', '2-6'],
    destinations: ['mpd-cyber', 'ipa-todokede', 'jpcert'],
    keywords: [
      '不正アクセス',
      '不正ログイン',
      '乗っ取',
      'ログインされ',
      'パスワードが変更',
      'unauthorized access',
      'unauthorised access',
      'hacked',
      'account takeover',
      'vpn',
    ],
  },
  {
    id: 'data-leak',
    ja: '情報漏えい',
    en: 'Data leak',
    guidebook: ['1-3', '1-5', '4-3', '4-6'],
    destinations: ['ppc', 'mpd-cyber', 'jpcert'],
    keywords: ['漏えい', '漏洩', '流出', '誤送信', '個人情報', 'leak', 'breach', 'exposed'],
  },
  {
    id: 'website-defacement',
    ja: 'Webサイト改ざん',
    en: 'Website defacement',
    guidebook: ['1-6', '2-1-6', '4-4'],
    destinations: ['jpcert', 'ipa-todokede', 'mpd-cyber'],
    keywords: [
      '改ざん',
      '改竄',
      'ホームページが',
      'サイトが書き換',
      'defac',
      'website was altered',
    ],
  },
  {
    id: 'ddos',
    ja: '集中アクセスによるサービス停止',
    en: 'DDoS / service outage',
    guidebook: ['1-4', '2-1-4', '4-4'],
    destinations: ['jpcert', 'mpd-cyber'],
    keywords: [
      'ddos',
      'dos攻撃',
      '大量のアクセス',
      'アクセスが集中',
      'サーバーが落ち',
      'サービス停止',
      'service outage',
    ],
  },
  {
    id: 'phishing',
    ja: 'フィッシング・不審メール',
    en: 'Phishing / suspicious mail',
    guidebook: ['2-9', '2-10'],
    destinations: ['antiphishing', 'mpd-phishing110'],
    keywords: [
      'フィッシング',
      '不審なメール',
      '不審メール',
      '偽サイト',
      '偽のログイン',
      'phishing',
      'suspicious mail',
      'suspicious email',
    ],
  },
  {
    id: 'bec',
    ja: 'ビジネスメール詐欺（BEC）',
    en: 'Business email compromise',
    guidebook: ['1-15'],
    destinations: ['mpd-cyber', 'police-station'],
    keywords: [
      'ビジネスメール詐欺',
      '振込先',
      '口座変更',
      '送金先の変更',
      '請求書の口座',
      'business email compromise',
      'invoice fraud',
    ],
  },
  {
    id: 'banking-fraud',
    ja: 'インターネットバンキング不正送金',
    en: 'Online banking fraud',
    guidebook: ['1-7', '2-1-7'],
    destinations: ['mpd-cyber', 'police-station'],
    keywords: [
      '不正送金',
      'ネットバンキング',
      'インターネットバンキング',
      '預金',
      'online banking',
      'bank transfer fraud',
    ],
  },
  {
    id: 'support-scam',
    ja: 'サポート詐欺（偽の警告画面）',
    en: 'Tech-support scam',
    guidebook: ['1-9'],
    destinations: ['mpd-cyber', 'ipa-anshin'],
    keywords: [
      'サポート詐欺',
      '警告画面',
      '偽の警告',
      'ウイルスに感染しています',
      '電話してください',
      'tech support scam',
      'fake warning',
    ],
  },
  {
    id: 'one-click-fraud',
    ja: 'ワンクリック詐欺・架空請求',
    en: 'One-click billing fraud',
    guidebook: ['1-9', '2-1-9'],
    destinations: ['ipa-anshin', 'mpd-cyber'],
    keywords: ['ワンクリック', '架空請求', '登録完了', '料金を請求', 'one-click', 'billing fraud'],
  },
  {
    id: 'spam-extortion',
    ja: '迷惑メール・脅迫メール',
    en: 'Spam / extortion mail',
    guidebook: ['2-11'],
    destinations: ['dekyo', 'mpd-cyber'],
    keywords: [
      '迷惑メール',
      'スパム',
      '脅迫',
      'ビットコインを',
      'sextortion',
      'spam',
      'extortion',
      'blackmail',
    ],
  },
  {
    id: 'fake-ec-site',
    ja: 'なりすましECサイト',
    en: 'Fake online shop',
    guidebook: ['1-14'],
    destinations: ['saferinternet-ec', 'mpd-cyber', 'police-station'],
    keywords: [
      'なりすましec',
      '偽の通販',
      '偽ショップ',
      '通販サイトの偽',
      'fake shop',
      'fake online shop',
    ],
  },
  {
    id: 'smartphone-iot',
    ja: 'スマホアプリ・IoT機器',
    en: 'Smartphone apps / IoT devices',
    guidebook: ['1-8', '1-12', '3-15'],
    destinations: ['ipa-anshin'],
    keywords: [
      'スマホ',
      'スマートフォン',
      'アプリ',
      'iot',
      'ルーター',
      '防犯カメラ',
      'smartphone',
      'router',
      'camera',
    ],
  },
  {
    id: 'vulnerability',
    ja: '脆弱性対策・アップデート',
    en: 'Vulnerabilities / updates',
    guidebook: ['1-11', '2-2'],
    destinations: ['ipa-anshin'],
    keywords: [
      '脆弱性',
      'アップデート',
      'パッチ',
      'サポート終了',
      'vulnerability',
      'security patch',
      'security update',
      'cve-',
    ],
  },
  {
    id: 'measures',
    ja: '対策・体制づくりの相談（予防）',
    en: 'Preventive measures and organisation',
    guidebook: ['2-1', '3-5', '3-10', '4-1', '6-5'],
    destinations: ['tokyo-desk', 'ipa-anshin'],
    keywords: [
      '対策',
      '体制',
      '規程',
      '研修',
      '教育',
      'セキュリティポリシー',
      'prevent',
      'security policy',
      'training',
    ],
  },
  {
    id: 'cloud-telework',
    ja: 'クラウド・テレワークの安全利用',
    en: 'Cloud and telework',
    guidebook: ['2-8', '6-8'],
    destinations: ['tokyo-desk', 'ipa-anshin'],
    keywords: [
      'クラウド',
      'テレワーク',
      '在宅勤務',
      'リモートワーク',
      'microsoft 365',
      'cloud',
      'telework',
      'remote work',
    ],
  },
  {
    id: 'legal',
    ja: '法令・権利侵害',
    en: 'Law and rights',
    guidebook: ['6-13', '6-14'],
    destinations: ['houterasu', 'ppc'],
    keywords: ['法律', '法令', '弁護士', '権利侵害', '誹謗中傷', '著作権', 'lawyer', 'defamation'],
  },
  {
    id: 'other',
    ja: 'その他',
    en: 'Other',
    guidebook: [],
    destinations: ['tokyo-desk'],
    keywords: [],
  },
];

/** The category used when none fits, and as the intake form's fallback. */
export const DEFAULT_CATEGORY_ID = 'other';

/**
 * The intake checklist. The guidebook (INFORMATION 6-1, 「CHECK 事前に情報を整理しましょう」)
 * tells victims to organise these facts before calling; its own list is an image, so
 * these items are the desk's proposal built on that advice.
 */
export const INTAKE_CHECKLIST: readonly ChecklistItem[] = [
  {
    id: 'whatHappened',
    label: {
      ja: '何が起きたか（症状・画面・メッセージ）',
      en: 'What happened (symptoms, screens, messages)',
    },
  },
  { id: 'since', label: { ja: 'いつから／いつ気づいたか', en: 'Since when / when noticed' } },
  {
    id: 'ongoing',
    label: { ja: '被害は現在も続いているか', en: 'Is the damage still going on?' },
  },
  {
    id: 'systems',
    label: {
      ja: '影響を受けた機器・システム・サービス',
      en: 'Devices, systems and services affected',
    },
  },
  {
    id: 'dataAtRisk',
    label: {
      ja: '個人情報・機密情報の漏えいの可能性',
      en: 'Could personal or confidential data have leaked?',
    },
  },
  {
    id: 'actionsTaken',
    label: {
      ja: 'すでに行った対応（ネットワーク切断、パスワード変更など）',
      en: 'Actions already taken (disconnected the network, changed passwords, …)',
    },
  },
  {
    id: 'contacted',
    label: {
      ja: 'すでに連絡した先（警察、取引先、ベンダーなど）',
      en: 'Already contacted (police, business partners, vendors, …)',
    },
  },
  {
    id: 'evidence',
    label: {
      ja: '保存している証拠（ログ、メール、画面写真）',
      en: 'Evidence kept (logs, mails, screenshots)',
    },
  },
];

const categoryIndex = new Map(CATEGORIES.map((c) => [c.id, c]));
const destinationIndex = new Map(DESTINATIONS.map((d) => [d.id, d]));

/** The category with this id, or undefined for an unknown id. */
export function categoryById(id: string): Category | undefined {
  return categoryIndex.get(id);
}

/** The destination with this id, or undefined for an unknown id. */
export function destinationById(id: string): Destination | undefined {
  return destinationIndex.get(id);
}

/** Where to report what for this category, most relevant first; empty for an unknown id. */
export function destinationsFor(categoryId: string): Destination[] {
  const category = categoryIndex.get(categoryId);
  if (!category) return [];
  return category.destinations.flatMap((id) => {
    const d = destinationIndex.get(id);
    return d ? [d] : [];
  });
}
