/**
 * Every word the Teams surface shows, Japanese first and English second. Cards pick
 * the language; they never hold wording of their own. Names of the lifecycle's words
 * (states, channels, urgencies) live in src/consultation/labels.ts.
 */
import type { Lang, Localized } from '../src/i18n/messages';
import { ACTION_LABELS, STATE_LABELS } from '../src/consultation/labels';
import type { Action, AnswerDelivery, State } from '../src/consultation/types';

export type { Lang, Localized };

const words = {
  // The consultation card
  'field.number': { ja: '相談番号', en: 'Number' },
  'field.channel': { ja: '受付経路', en: 'Channel' },
  'field.category': { ja: '分類', en: 'Category' },
  'field.urgency': { ja: '緊急度', en: 'Urgency' },
  'field.subject': { ja: '件名', en: 'Subject' },
  'field.consulter': { ja: '相談者', en: 'Consulter' },
  'field.sameConsulter': { ja: '同じ相談者', en: 'Same consulter' },
  'field.receivedAt': { ja: '受付日時', en: 'Received' },
  'field.closedAt': { ja: '完了日時', en: 'Closed' },
  'field.state': { ja: '状態', en: 'State' },
  'field.firstLine': { ja: '一次対応', en: 'First line' },
  'field.specialist': { ja: '二次対応', en: 'Specialist' },
  'field.coordination': { ja: '調整の必要度', en: 'Coordination' },
  'field.details': { ja: '相談内容', en: 'Details' },
  'field.lastChange': { ja: '最終更新', en: 'Last change' },
  'value.unassigned': { ja: '未割当', en: 'Unassigned' },
  'value.unknown': { ja: '未記入', en: 'Not given' },
  /** In place of a subject (or a name) that was erased with the record's personal data. */
  'value.erased': { ja: '（消去済み）', en: '(Erased)' },
  'value.coordinationNeeded': { ja: '要調整', en: 'Needed' },
  'value.coordinationNotNeeded': { ja: '一次対応で完結', en: 'Not needed' },
  'details.truncated': {
    ja: '（長文のため途中までを表示しています。全文は相談台帳で確認できます）',
    en: '(Shortened. The full text is in the ledger.)',
  },
  'details.openLedger': { ja: '相談台帳で開く', en: 'Open in the ledger' },
  'erased.kept': {
    ja: '統計のため、相談番号・受付経路・分類・緊急度・日時・状態・対応者のみを残しています。',
    en: 'Only the number, channel, category, urgency, dates, state and who handled it are kept, for statistics.',
  },
  'destinations.heading': { ja: '相談・届出先', en: 'Where to report' },
  'destinations.none': { ja: '登録された連絡先はありません。', en: 'No contacts are listed.' },
  'destinations.tel': { ja: '電話', en: 'Tel' },
  'destinations.hours': { ja: '受付時間', en: 'Hours' },

  // Buttons that act on a consultation
  'button.claim': { ja: '担当する', en: 'Claim' },
  'button.unclaim': { ja: '担当を外れる', en: 'Unclaim' },
  'button.dispatch': { ja: '二次対応へ依頼', en: 'Dispatch' },
  'button.redispatch': { ja: '依頼先を変更', en: 'Change specialist' },
  'button.return': { ja: '一次対応へ差し戻す', en: 'Return to first line' },
  'button.answer': { ja: '回答する', en: 'Answer' },
  'button.note': { ja: 'メモ', en: 'Note' },
  'button.recategorise': { ja: '分類変更', en: 'Recategorise' },
  'button.edit': { ja: '記録を修正', en: 'Edit the record' },
  'button.close': { ja: '完了', en: 'Close' },
  'button.reopen': { ja: '再開', en: 'Reopen' },
  'button.more': { ja: 'その他の操作', en: 'More' },
  'submit.dispatch': { ja: '依頼する', en: 'Dispatch' },
  'submit.answer': { ja: '回答を登録する', en: 'Save the answer' },
  'submit.note': { ja: 'メモを追加する', en: 'Add the note' },
  'submit.recategorise': { ja: '変更する', en: 'Change' },
  'submit.close': { ja: '完了にする', en: 'Close the case' },
  'submit.return': { ja: '差し戻す', en: 'Return the case' },

  // The forms under those buttons
  'form.dispatch.specialist': { ja: '依頼先の専門員', en: 'Specialist' },
  'form.dispatch.specialistPlaceholder': { ja: '専門員を選択', en: 'Choose a specialist' },
  'form.dispatch.coordination': { ja: '調整が必要', en: 'Coordination needed' },
  'form.dispatch.reason': { ja: '依頼理由', en: 'Reason' },
  'form.dispatch.noSpecialists': {
    ja: '専門員が登録されていないため依頼できません。',
    en: 'No specialists are registered, so the case cannot be dispatched.',
  },
  'form.dispatch.noOtherSpecialists': {
    ja: 'ほかに依頼できる専門員が登録されていません。',
    en: 'No other specialist is registered to dispatch the case to.',
  },
  'form.return.reason': { ja: '差し戻す理由', en: 'Why it goes back' },
  'field.returnReason': { ja: '差し戻しの理由', en: 'Why it was returned' },
  'field.corrected': { ja: '修正した項目', en: 'Fields corrected' },
  'form.return.placeholder': {
    ja: '例: 担当分野外のため、別の専門員への依頼をお願いします',
    en: 'For example: outside my field; please dispatch it to another specialist',
  },
  'form.answer.body': { ja: '回答内容', en: 'Answer' },
  'form.answer.delivery': { ja: '回答方法', en: 'Delivered by' },
  'form.answer.deliveryIfNotEmailed': {
    ja: 'メールで送らない場合の回答方法',
    en: 'Delivered by, when not emailed',
  },

  // The reply form (under 回答する), its preview, and the answer on the card
  'reply.title': { ja: '回答の作成', en: 'Write the answer' },
  'reply.previewTitle': { ja: '送信内容の確認', en: 'Check before sending' },
  'form.reply.template': { ja: 'テンプレート', en: 'Template' },
  'form.reply.templatePlaceholder': { ja: 'テンプレートを選択', en: 'Choose a template' },
  'form.reply.keptTyped': {
    ja: '入力済みの文章はテンプレートの後に残しています。',
    en: 'What you had typed is kept after the template.',
  },
  'form.reply.emailReply': {
    ja: '相談者にメールで送る（相談者のメールへの返信）',
    en: 'Email the consulter (a reply to their email)',
  },
  'form.reply.emailNew': {
    ja: '相談者にメールで送る（新しいメール）',
    en: 'Email the consulter (a new email)',
  },
  'form.reply.cc': {
    ja: 'CC（複数の場合はカンマ区切り）',
    en: 'CC (separate addresses with commas)',
  },
  'button.reply.template': { ja: 'テンプレートを挿入', en: 'Insert the template' },
  'button.reply.preview': { ja: '送信内容を確認', en: 'Preview' },
  'button.reply.send': { ja: 'メールを送信する', en: 'Send the email' },
  'button.reply.edit': { ja: '編集に戻る', en: 'Back to edit' },
  'button.reply.cancel': { ja: 'キャンセル', en: 'Cancel' },
  'button.reply.retry': { ja: '再送する', en: 'Send again' },
  'button.reply.similar': { ja: '似た過去の相談を見る', en: 'Show similar past cases' },
  'similar.heading': {
    ja: '似た過去の相談（同じ分類で回答済み）',
    en: 'Similar past cases (same category, answered)',
  },
  'similar.none': {
    ja: 'この分類で回答して完了した相談はまだありません。',
    en: 'No case of this category has been answered and closed yet.',
  },

  'preview.method': { ja: '送信方法', en: 'Sent as' },
  'preview.method.reply': { ja: '相談者のメールへの返信', en: "A reply to the consulter's email" },
  'preview.method.new': { ja: '新しいメール', en: 'A new email' },
  'preview.to': { ja: '宛先', en: 'To' },
  'preview.toSender': {
    ja: '相談者のメールの差出人',
    en: "The sender of the consulter's email",
  },
  'preview.cc': { ja: 'CC', en: 'CC' },
  'preview.subject': { ja: '件名', en: 'Subject' },
  'preview.body': { ja: '本文', en: 'Text' },
  'preview.none': { ja: 'なし', en: 'None' },
  'preview.notEmailed': {
    ja: 'メールは送りません。回答は次の方法で伝えたものとして記録されます',
    en: 'Nothing is emailed. The answer is recorded as given',
  },
  'answer.heading': { ja: '回答', en: 'Answer' },
  'answer.by': { ja: '回答者', en: 'Answered by' },
  'answer.delivery': { ja: '回答方法', en: 'Delivered by' },
  'answer.status': { ja: '送信状況', en: 'Email' },
  'answer.reason': { ja: '理由', en: 'Reason' },
  'form.note.body': { ja: 'メモ', en: 'Note' },
  'form.recategorise.category': { ja: '分類', en: 'Category' },
  'form.recategorise.urgency': { ja: '緊急度', en: 'Urgency' },
  'form.close.reason': { ja: '完了理由（任意）', en: 'Reason (optional)' },
  'form.required': { ja: '入力してください。', en: 'Please fill this in.' },
  'form.choose': { ja: '選択してください', en: 'Choose one' },
  /** Under a required choice left empty. */
  'form.chooseRequired': { ja: '選択してください。', en: 'Please choose one.' },

  // The intake form
  'intake.title': { ja: '相談の受付登録', en: 'Record a consultation' },
  'intake.intro': {
    ja: '電話・窓口などで受けた相談を記録します。* は必須です。',
    en: 'Record a consultation received by phone, at the counter or otherwise. * is required.',
  },
  'intake.section.consulter': { ja: '相談者', en: 'Consulter' },
  'intake.section.consultation': { ja: '相談内容', en: 'Consultation' },
  'intake.section.situation': { ja: '状況の確認', en: 'Situation' },
  'intake.submit': { ja: '登録する', en: 'Record' },
  'edit.title': { ja: '相談記録の修正', en: 'Edit the consultation record' },
  'edit.intro': {
    ja: '相談者、件名・相談内容、状況を直せます。分類と緊急度は「分類変更」から変えてください。* は必須です。',
    en: 'Correct the consulter, the subject and details, and the situation. Change the category and urgency with Recategorise. * is required.',
  },
  'edit.submit': { ja: '修正を保存する', en: 'Save the changes' },
  'edit.tooLong': {
    ja: '長いためここでは修正できない項目（そのまま残ります）',
    en: 'Too long to edit here (kept as they are)',
  },
  'edit.inLedger': { ja: '相談台帳で修正する', en: 'Correct them in the ledger' },
  'edit.cancel': { ja: '修正せずに戻る', en: 'Back without saving' },
  'intake.hasErrors': {
    ja: '入力内容に誤りがあります。赤字の項目を確認してください。',
    en: 'Some fields are not valid. Check the fields marked in red.',
  },

  // Help
  'help.title': { ja: '窓口ボットの使い方', en: 'How to use the desk bot' },
  'help.intro': {
    ja: 'このチャットでは次のことができます。',
    en: 'In this chat you can:',
  },
  'help.new': {
    ja: '**新規** — 電話・窓口の相談を記録する',
    en: '**new** — record a phone or counter consultation',
  },
  'help.mine': {
    ja: '**担当** — 自分が担当している相談の一覧',
    en: '**mine** — the cases you are handling',
  },
  'help.waiting': {
    ja: '**状況** — 対応待ちの相談（状態ごとの件数と、受付から長く待っているもの）',
    en: '**status** — what is waiting at the desk (how many in each state, the longest waiting)',
  },
  'help.search': {
    ja: '**検索 キーワード** — 相談記録を探す',
    en: '**search words** — find consultation records',
  },
  'help.language': {
    ja: '**English** — ボットの言葉を英語にする（**日本語** で戻る）',
    en: '**日本語** — have the bot speak Japanese (**English** switches back)',
  },
  'help.help': { ja: '**ヘルプ** — この説明', en: '**help** — this help' },
  /** The team's first channel, as Teams shows it. */
  'channel.general': { ja: '一般', en: 'General' },
  'help.buttons': {
    ja: 'カードのボタンで担当・依頼・回答・完了ができます。',
    en: "Use the card's buttons to claim, dispatch, answer and close.",
  },
  'help.button.new': { ja: '相談を記録する', en: 'Record a consultation' },
  'help.button.mine': { ja: '自分の担当', en: 'My cases' },
  'help.button.waiting': { ja: '対応待ちの状況', en: 'What is waiting' },

  // What is waiting
  'waiting.title': { ja: '対応待ちの相談', en: 'Waiting at the desk' },
  'waiting.none': { ja: '対応待ちの相談はありません。', en: 'Nothing is waiting.' },

  // Lists
  'list.title': { ja: '相談一覧', en: 'Consultations' },
  'list.empty': { ja: '該当する相談はありません。', en: 'No consultations found.' },
  'list.open': { ja: '開く', en: 'Open' },
  'list.inLedger': { ja: '相談台帳で見る', en: 'See them in the ledger' },

  // Notices
  'error.title': { ja: 'エラー', en: 'Error' },
  'typed.text': { ja: '入力した内容（保存されていません）', en: 'What you typed (not saved)' },
} satisfies Record<string, Localized>;

export type WordKey = keyof typeof words;

/** One word or sentence in the chosen language. */
export function w(key: WordKey, lang: Lang): string {
  return words[key][lang];
}

/** Both languages of one word, for callers that pick later. */
export function localized(key: WordKey): Localized {
  return words[key];
}

const ANSWER_DELIVERY_LABELS: Record<AnswerDelivery, Localized> = {
  email: { ja: 'メールで送信', en: 'By email' },
  phone: { ja: '電話で回答', en: 'By phone' },
  counter: { ja: '窓口で回答', en: 'At the counter' },
  none: { ja: '連絡しない', en: 'Not delivered' },
};

export function answerDeliveryLabel(delivery: AnswerDelivery, lang: Lang): string {
  return ANSWER_DELIVERY_LABELS[delivery][lang];
}

/** What someone did, as a sentence predicate: 「担当しました」 / "claimed it". */
const DID: Partial<Record<Action, Localized>> = {
  create: { ja: '受付登録しました', en: 'recorded it' },
  claim: { ja: '担当しました', en: 'claimed it' },
  unclaim: { ja: '担当を外れました', en: 'unclaimed it' },
  dispatch: { ja: '二次対応へ依頼しました', en: 'dispatched it' },
  return: { ja: '一次対応へ差し戻しました', en: 'returned it to first line' },
  answer: { ja: '回答しました', en: 'answered it' },
  note: { ja: 'メモを追加しました', en: 'added a note' },
  recategorise: { ja: '分類を変更しました', en: 'changed the category' },
  edit: { ja: '記録を修正しました', en: 'edited the record' },
  close: { ja: '完了にしました', en: 'closed it' },
  reopen: { ja: '再開しました', en: 'reopened it' },
  'link-email': { ja: 'メールを紐付けました', en: 'linked an email' },
  'link-card': { ja: 'カードを紐付けました', en: 'linked the card' },
  // Sent or not: the answer on the card says which.
  'send-answer': { ja: '回答メールの送信処理を行いました', en: 'processed the answer email' },
  erase: { ja: '個人情報を消去しました', en: 'erased the personal data' },
};

/**
 * 「山田さんが担当しました 11/26 14:05」 / "Yamada claimed it 11/26 14:05"; a part of
 * Madoguchi (`system`, the web form) takes no honorific: 「Webフォームが受付登録しました」.
 * `name` and `time` are inserted as given: escape them first if the result is markdown.
 */
export function lastChangeSentence(
  action: Action,
  name: string,
  time: string,
  lang: Lang,
  system = false,
): string {
  const did = DID[action];
  if (lang === 'ja')
    return `${name}${system ? '' : 'さん'}が${did ? did.ja : `「${ACTION_LABELS[action].ja}」を行いました`} ${time}`;
  return `${name} ${did ? did.en : `did "${ACTION_LABELS[action].en}"`} ${time}`;
}

/**
 * 「この相談記録の個人情報は 2031/11/27 に消去されました（保存期間の終了）」: the erased
 * card's banner. `date` is inserted as given.
 */
export function erasedSentence(date: string, reason: Localized, lang: Lang): string {
  return lang === 'ja'
    ? `この相談記録の個人情報は ${date} に消去されました（${reason.ja}）`
    : `This consultation’s personal data was erased on ${date} (${reason.en}).`;
}

/** One of the same consulter's other consultations: its number and its state. */
export interface OtherConsultation {
  /** Inserted as given (a markdown link stays one). */
  number: string;
  state: State;
}

const stateWord = (state: State, lang: Lang) =>
  lang === 'ja' ? STATE_LABELS[state].ja : STATE_LABELS[state].en.toLowerCase();

/**
 * Where new consultations arrive, for the help card: the intake channel by its name when
 * Teams gave one (it gives none for a team's first channel), else by what it is.
 */
export function intakeChannelHelp(name: string | undefined, lang: Lang): string {
  const where =
    lang === 'ja'
      ? name
        ? `新しい相談はチームの「${name}」チャネル（相談受付チャネル）にカードで届きます。`
        : '新しい相談はチームの相談受付チャネルにカードで届きます。'
      : name
        ? `New consultations arrive as cards in the team's "${name}" channel (the intake channel).`
        : "New consultations arrive as cards in the team's intake channel.";
  return `${where}${lang === 'ja' ? '' : ' '}${w('help.buttons', lang)}`;
}

/**
 * The card's line on the same consulter's other consultations: 「他の相談 3件（最新
 * 2026-000045・二次対応中）」 / "3 other consultations (latest 2026-000045, dispatched)".
 * Open ones other than the latest come first, as they matter most: 「他の相談 3件（対応中
 * 2026-000030・一次対応中、最新 2026-000045・完了）」.
 */
export function otherConsultationsLine(
  total: number,
  latest: OtherConsultation,
  open: readonly OtherConsultation[],
  lang: Lang,
): string {
  const sep = lang === 'ja' ? '・' : ', ';
  const item = (prefix: string, r: OtherConsultation) =>
    `${prefix}${r.number}${sep}${stateWord(r.state, lang)}`;
  if (lang === 'ja') {
    const parts = [...open.map((r) => item('対応中 ', r)), item(total > 1 ? '最新 ' : '', latest)];
    return `他の相談 ${total}件（${parts.join('、')}）`;
  }
  const parts = [...open.map((r) => item('open ', r)), item(total > 1 ? 'latest ' : '', latest)];
  return `${total} other consultation${total === 1 ? '' : 's'} (${parts.join('; ')})`;
}

/**
 * What the person who recorded a consultation is told of the consulter's other ones:
 * 「この相談者の他の相談が 4件あります: 2026-000045（二次対応中）、2026-000040（完了）、ほか 2 件」
 * / "This consulter has 4 other consultations: 2026-000045 (dispatched), 2026-000040 (closed), 2 more".
 */
export function otherConsultationsNotice(
  total: number,
  listed: readonly OtherConsultation[],
  lang: Lang,
): string {
  const rest = total - listed.length;
  if (lang === 'ja') {
    const items = listed.map((r) => `${r.number}（${stateWord(r.state, 'ja')}）`);
    if (rest > 0) items.push(moreCount(rest, 'ja'));
    return `この相談者の他の相談が ${total}件あります: ${items.join('、')}`;
  }
  const items = listed.map((r) => `${r.number} (${stateWord(r.state, 'en')})`);
  if (rest > 0) items.push(moreCount(rest, 'en'));
  const s = total === 1 ? '' : 's';
  return `This consulter has ${total} other consultation${s}: ${items.join(', ')}`;
}

/** 「近さ 62%」 / "62% alike": how alike a past case reads (`likeness`, 0 to 1). */
export function likenessText(likeness: number, lang: Lang): string {
  const percent = Math.round(likeness * 100);
  return lang === 'ja' ? `近さ ${percent}%` : `${percent}% alike`;
}

/**
 * 「専門員Cの回答（二次対応・2026/10/06）」 / "Answer by 専門員C (specialist, 2026/10/06)".
 * `name` and `date` are inserted as given.
 */
export function answeredBySentence(
  name: string,
  line: 'first' | 'second',
  date: string,
  lang: Lang,
): string {
  const which = w(line === 'first' ? 'field.firstLine' : 'field.specialist', lang);
  return lang === 'ja'
    ? `${name}の回答（${which}・${date}）`
    : `Answer by ${name} (${which.toLowerCase()}, ${date})`;
}

/**
 * 「1分未満」「45分」「26時間」「3日」 / "under 1 min", "45 min", "26 h", "3 days": how long
 * something has waited.
 */
export function waitedText(ms: number, lang: Lang): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 1) return lang === 'ja' ? '1分未満' : 'under 1 min';
  if (minutes < 60) return lang === 'ja' ? `${minutes}分` : `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return lang === 'ja' ? `${hours}時間` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return lang === 'ja' ? `${days}日` : `${days} days`;
}

/**
 * A state's heading in the waiting summary: 「受付 3件（最も長いもの: 受付から 26時間）」 /
 * "Received: 3 (longest waiting: 26 h since received)".
 */
export function waitingHeading(state: State, total: number, longest: string, lang: Lang): string {
  return lang === 'ja'
    ? `${STATE_LABELS[state].ja} ${total}件（最も長いもの: 受付から ${longest}）`
    : `${STATE_LABELS[state].en}: ${total} (longest waiting: ${longest} since received)`;
}

/** 「ほか 15 件」 / "15 more": rows a list does not show. */
export function moreCount(n: number, lang: Lang, atLeast = false): string {
  if (atLeast) return lang === 'ja' ? `ほか ${n} 件以上` : `${n}+ more`;
  return lang === 'ja' ? `ほか ${n} 件` : `${n} more`;
}

/** A total in a heading; a search that stopped counting says 「1000件以上」 / "1000+". */
export function countText(n: number, atLeast: boolean | undefined, lang: Lang): string {
  if (!atLeast) return String(n);
  return lang === 'ja' ? `${n}件以上` : `${n}+`;
}

/** A person's name as a card shows it: 「山田さん」 in Japanese, the plain name in English. */
export function honorific(name: string, lang: Lang): string {
  return lang === 'ja' ? `${name}さん` : name;
}
