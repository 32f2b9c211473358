/** Every word the consulter's web form shows, in Japanese and English. */
import type { Lang, Localized } from '../../i18n/messages';

export type { Lang, Localized };

/** The text in the page's language. */
export const t = (text: Localized, lang: Lang): string => text[lang];

export const W = {
  deskName: { ja: 'サイバーセキュリティ相談窓口', en: 'Cybersecurity Consultation Desk' },
  skipToContent: { ja: '本文へ移動', en: 'Skip to the main content' },
  switchLanguage: { ja: 'English', en: '日本語' },
  required: { ja: '必須', en: 'required' },
  optional: { ja: '任意', en: 'optional' },
  errorPrefix: { ja: 'エラー：', en: 'Error: ' },
  opensInNewTab: { ja: '（新しいタブで開きます）', en: '(opens in a new tab)' },
  privacyLink: { ja: '個人情報の取扱いについて', en: 'How we handle personal information' },
  backToForm: { ja: '相談フォームへ戻る', en: 'Back to the consultation form' },
  newConsultation: { ja: '新しい相談を送る', en: 'Send another consultation' },

  formTitle: { ja: '相談フォーム', en: 'Consultation form' },
  formIntro: {
    ja: '中小企業・小規模事業者の皆さまから、サイバーセキュリティに関するご相談を受け付けています。被害を受けたかもしれないとき、不審なメールが届いたとき、対策を始めたいときなど、お気軽にご相談ください。回答は担当者からメールまたはお電話でお伝えします。',
    en: 'We take consultations on cybersecurity from small and medium-sized businesses: when you may have been attacked, when a suspicious email arrives, or when you want to start protecting your business. A member of the desk will answer you by email or by phone.',
  },
  formRequiredNote: {
    ja: '「必須」の項目は必ずご記入ください。',
    en: 'Fields marked "required" must be filled in.',
  },
  submit: { ja: 'この内容で送信する', en: 'Send' },

  sectionConsulter: { ja: 'ご相談者について', en: 'About you' },
  sectionConsultation: { ja: 'ご相談の分類と内容', en: 'Your consultation' },
  sectionSituation: { ja: '状況について', en: 'The situation' },
  sectionSituationHint: {
    ja: 'わかる範囲でご記入ください。空欄のままでも送信できます。',
    en: 'Fill in what you know; you can leave these empty.',
  },
  sectionConsent: { ja: '個人情報の取扱い', en: 'Personal information' },

  organisation: { ja: '事業者名・団体名', en: 'Business or organisation name' },
  organisationHint: {
    ja: '個人事業主の方は屋号（なければ空欄）',
    en: 'Sole proprietors: your trade name (or leave empty)',
  },
  person: { ja: 'お名前', en: 'Your name' },
  email: { ja: 'メールアドレス', en: 'Email address' },
  emailHint: {
    ja: '受付確認と回答をお送りします。メールアドレスか電話番号のどちらかは必ずご記入ください。',
    en: 'We send the acknowledgement and our answer here. Give an email address or a phone number (at least one).',
  },
  phone: { ja: '電話番号', en: 'Phone number' },
  phoneHint: { ja: '例：03-1234-5678', en: 'e.g. 03-1234-5678' },
  industry: { ja: '業種', en: 'Industry' },
  industryHint: { ja: '例：製造業、小売業、医療', en: 'e.g. manufacturing, retail, healthcare' },
  employees: { ja: '従業員数', en: 'Number of employees' },
  employeesHint: { ja: '数字で（例：25）', en: 'As a number (e.g. 25)' },
  municipality: { ja: '所在地（区市町村）', en: 'Location (municipality in Tokyo)' },
  municipalityNone: { ja: '選択してください', en: 'Choose one' },
  category: { ja: 'ご相談の分類', en: 'What it is about' },
  categoryHint: {
    ja: '近いものを選んでください。わからなければ「わからない」のままで構いません。',
    en: 'Choose the closest one. If you are not sure, leave "Not sure".',
  },
  categoryUnknown: { ja: 'わからない', en: 'Not sure' },
  urgency: { ja: 'お急ぎの度合い', en: 'How urgent is it?' },
  details: { ja: 'ご相談の内容', en: 'Your question or what happened' },
  detailsHint: {
    ja: '何があったか、何にお困りかを、ご自由にお書きください。パスワードは書かないでください。',
    en: 'Tell us in your own words what happened or what you need. Do not write any passwords.',
  },
  consent: {
    ja: '個人情報の取扱いについて確認し、同意します',
    en: 'I have read how my personal information is handled and agree',
  },
  honeypot: {
    ja: 'この欄は空のままにしてください',
    en: 'Leave this field empty',
  },
  yes: { ja: 'はい', en: 'Yes' },
  no: { ja: 'いいえ', en: 'No' },
  unknown: { ja: 'わからない', en: 'Not sure' },

  summaryTitle: { ja: '入力内容を確認してください', en: 'Please check what you entered' },

  thanksTitle: { ja: 'ご相談を受け付けました', en: 'We have received your consultation' },
  thanksNumber: { ja: '受付番号', en: 'Consultation number' },
  thanksKeepNumber: {
    ja: 'お問い合わせの際は、この番号をお伝えください。',
    en: 'Please quote this number whenever you contact us about it.',
  },
  thanksNoNumber: {
    ja: '受付番号は、受付確認のメールでお知らせします。',
    en: 'The acknowledgement email tells you your consultation number.',
  },
  thanksNextTitle: { ja: 'このあとの流れ', en: 'What happens next' },
  thanksStep1: {
    ja: 'メールアドレスをご記入いただいた場合は、受付番号を記載した受付確認のメールをお送りします。届かないときは、迷惑メールのフォルダもご確認ください。',
    en: 'If you gave an email address, we send you an acknowledgement with your consultation number. If it does not arrive, please check your spam folder.',
  },
  thanksStep2: {
    ja: '担当者が内容を確認します。必要に応じて専門の相談員が対応します。',
    en: 'A member of the desk reads your consultation; a specialist takes it on when needed.',
  },
  thanksStep3: {
    ja: '回答はメールまたはお電話でお伝えします。確認のため、こちらからご連絡することがあります。',
    en: 'We answer you by email or by phone, and may contact you first with questions.',
  },
  urgentTitle: { ja: '被害が広がっているときは', en: 'If the damage is spreading' },
  urgentAdvice: {
    ja: '感染が疑われる機器はネットワークから切り離し、電源は切らずにそのままにしてください。お急ぎの場合はお電話でもご相談いただけます。',
    en: 'Disconnect the affected devices from the network but leave them switched on. If it is urgent, you can also call.',
  },
  urgentCrime: {
    ja: 'お金をだまし取られたなど、犯罪の被害に遭ったときは、警察にもご相談ください。',
    en: 'If you have been the victim of a crime, such as money taken by fraud, also contact the police.',
  },

  noticeUnavailable: {
    ja: 'ただいまシステムに接続できないため、ご相談を受け付けられませんでした。入力内容はこのページに残っています。しばらくしてから、もう一度「この内容で送信する」を押してください。',
    en: 'We cannot reach our system right now, so your consultation was not received yet. Everything you entered is still on this page: please press "Send" again in a little while.',
  },
  noticeCsrf: {
    ja: '安全のため、送信を確認できませんでした（ページを開いてから時間が経った場合などに起こります）。入力内容はこのページに残っています。内容を確認して、もう一度「この内容で送信する」を押してください。',
    en: 'For your safety we could not confirm this submission (this can happen when the page was open for a long time). Everything you entered is still on this page: check it and press "Send" again.',
  },

  refusedTitle: { ja: '送信を受け付けられませんでした', en: 'This submission was not accepted' },
  refusedCrossSite: {
    ja: 'このフォームは、相談窓口の相談フォームのページから送信されたものしか受け付けません。お手数ですが、相談フォームを開いて入力してください。',
    en: "This form only accepts submissions made from the desk's own consultation form page. Please open the consultation form and fill it in there.",
  },
  tooLargeTitle: { ja: '送信された内容が大きすぎます', en: 'What was sent is too large' },
  tooLarge: {
    ja: '各欄の文字数の上限を超える内容は受け付けられません。長い説明は要点をまとめてお送りください。資料は、担当者からの連絡の際にご相談ください。',
    en: 'We cannot accept more than each field allows. Please send a summary; the desk will tell you how to share documents when they contact you.',
  },
  notFoundTitle: { ja: 'ページが見つかりません', en: 'Page not found' },
  notFound: {
    ja: 'お探しのページは見つかりませんでした。',
    en: 'The page you were looking for is not here.',
  },
  badRequestTitle: { ja: '送信内容を読み取れませんでした', en: 'We could not read what was sent' },
  badRequest: {
    ja: '送信された内容の形式が正しくありません。相談フォームを開き直して、もう一度お試しください。',
    en: 'What was sent is not in a form we can read. Please open the consultation form again and try once more.',
  },
  unavailableTitle: { ja: '一時的にご利用いただけません', en: 'Temporarily unavailable' },
  unavailable: {
    ja: 'ただいまシステムに接続できません。しばらくしてから、もう一度お試しください。',
    en: 'We cannot reach our system right now. Please try again in a little while.',
  },
  errorTitle: { ja: 'エラーが発生しました', en: 'Something went wrong' },
  error: {
    ja: '申し訳ありません。処理中にエラーが発生しました。しばらくしてから、もう一度お試しください。',
    en: 'Sorry, something went wrong on our side. Please try again in a little while.',
  },
  callUs: { ja: 'お電話でのご相談', en: 'Consultation by phone' },

  privacyTitle: { ja: '個人情報の取扱いについて', en: 'How we handle your personal information' },
} as const satisfies Record<string, Localized>;

/** The urgency choices in the consulter's words, keyed by the record's urgency. */
export const URGENCY_CHOICES = {
  low: {
    ja: '急いでいない（予防や一般的なご質問）',
    en: 'Not urgent (prevention, general questions)',
  },
  normal: { ja: '数日のうちに相談したい', en: 'Within a few days' },
  high: { ja: '業務に支障が出ている', en: 'It is disrupting our business' },
  critical: {
    ja: '被害が広がっている・すぐに助けが必要',
    en: 'The damage is spreading; we need help now',
  },
} as const satisfies Record<'low' | 'normal' | 'high' | 'critical', Localized>;

/** Field errors, with the field's label (as the page shows it) filled in. */
export const E = {
  required: (label: Localized): Localized => ({
    ja: `${label.ja}を入力してください。`,
    en: `Enter ${label.en.toLowerCase()}.`,
  }),
  choose: (label: Localized): Localized => ({
    ja: `${label.ja}は一覧から選んでください。`,
    en: `Choose ${label.en.toLowerCase()} from the list.`,
  }),
  /** For a yes / no / not sure question. */
  answer: (question: Localized): Localized => ({
    ja: `「${question.ja}」の答えを選んでください。`,
    en: `Choose an answer to "${question.en}"`,
  }),
  tooLong: (label: Localized, max: number, length: number): Localized => ({
    ja: `${label.ja}は${max.toLocaleString('ja-JP')}文字以内で入力してください（現在${length.toLocaleString('ja-JP')}文字）。`,
    en: `${label.en} must be ${max.toLocaleString('en-GB')} characters or fewer (it has ${length.toLocaleString('en-GB')}).`,
  }),
  email: {
    ja: 'メールアドレスの形式が正しくありません（例：name@example.jp）。',
    en: 'Enter an email address like name@example.jp.',
  },
  phone: {
    ja: '電話番号は数字とハイフンで入力してください（例：03-1234-5678）。',
    en: 'Enter a phone number with digits and hyphens only (e.g. 03-1234-5678).',
  },
  employees: {
    ja: '従業員数は0以上の整数で入力してください（例：25）。',
    en: 'Enter the number of employees as a whole number (e.g. 25).',
  },
  contact: {
    ja: 'メールアドレスか電話番号のどちらかを入力してください。回答をお届けするために必要です。',
    en: 'Enter an email address or a phone number, so that we can answer you.',
  },
  consent: {
    ja: 'ご相談を送るには、個人情報の取扱いへの同意が必要です。内容をご確認のうえ、チェックを入れてください。',
    en: 'To send a consultation, please read how we handle personal information and tick the box to agree.',
  },
} as const;

/** 「2件」 / "2 problems": how many errors the summary lists. */
export function errorCount(n: number, lang: Lang): string {
  return lang === 'ja' ? `（${n}件）` : ` (${n} ${n === 1 ? 'problem' : 'problems'})`;
}

/** The throttled notice: how long to wait, in whole minutes (at least 1). */
export function throttledNotice(retryAfterSeconds: number): Localized {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  return {
    ja: `このネットワークからの送信が短い時間に続いたため、いったん受付を止めています。入力内容はこのページに残っています。${minutes}分ほど待ってから、もう一度「この内容で送信する」を押してください。お急ぎの場合はお電話でご相談ください。`,
    en: `Several consultations were sent from your network in a short time, so we have paused taking more for now. Everything you entered is still on this page: wait about ${minutes} minute${minutes === 1 ? '' : 's'}, then press "Send" again. If it is urgent, please call us.`,
  };
}

/** The page's `<title>`: the page, then the desk. */
export function pageTitle(title: Localized, lang: Lang, hasErrors = false): string {
  const prefix = hasErrors ? (lang === 'ja' ? 'エラー：' : 'Error: ') : '';
  return `${prefix}${title[lang]} | ${W.deskName[lang]}`;
}
