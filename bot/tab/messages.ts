/**
 * Every word of the ledger tab (相談台帳), Japanese first and English second. Names of
 * states, channels, urgencies and categories come from the API's meta (the server's
 * own labels); everything else a user reads on the page is here.
 *
 * Placeholders are `{name}`; both languages of a message use the same ones.
 */
import type { Lang, Localized } from '../../src/i18n/messages';

export type { Lang, Localized };

export const TAB_MESSAGES = {
  'app.title': { ja: '相談台帳', en: 'Consultation ledger' },
  'app.skip': { ja: '本文へ移動', en: 'Skip to content' },
  'nav.label': { ja: '画面の切り替え', en: 'Views' },
  'nav.list': { ja: '一覧', en: 'List' },
  'nav.stats': { ja: '統計', en: 'Statistics' },
  'nav.export': { ja: '出力', en: 'Export' },
  'lang.switchTo': { ja: 'English', en: '日本語' },
  'lang.switchLabel': { ja: '表示言語を英語にする', en: 'Show the page in Japanese' },
  'user.signedIn': { ja: '{name}さん', en: '{name}' },
  'user.roles': { ja: '役割: {roles}', en: 'Roles: {roles}' },
  'role.first-line': { ja: '一次対応', en: 'First line' },
  'role.specialist': { ja: '専門員', en: 'Specialist' },
  'role.supervisor': { ja: '職員', en: 'Supervisor' },

  // Signing in
  'signin.heading': { ja: 'サインイン', en: 'Sign in' },
  'signin.local': {
    ja: 'ローカル環境（開発・試用）です。どの利用者としてサインインするかを選んでください。',
    en: 'This is a local run (development and trial). Choose whom to sign in as.',
  },
  'signin.noUsers': {
    ja: '利用者が設定されていません（env/.env.local の ROLE_* を確認してください）。',
    en: 'No users are configured (see ROLE_* in env/.env.local).',
  },
  'signin.switch': { ja: '利用者を切り替える', en: 'Switch user' },

  // The list and its filters
  'list.heading': { ja: '相談の一覧', en: 'Consultations' },
  'filter.heading': { ja: '絞り込み', en: 'Filters' },
  'filter.q': { ja: 'キーワード', en: 'Keywords' },
  'filter.qHint': {
    ja: '件名・相談内容・相談者・メモ・回答から、すべての語を含む相談を探します。',
    en: 'Finds consultations whose subject, details, consulter, notes or answers contain every word.',
  },
  'filter.state': { ja: '状態', en: 'State' },
  'filter.channel': { ja: '受付経路', en: 'Channel' },
  'filter.category': { ja: '分類', en: 'Category' },
  'filter.urgency': { ja: '緊急度', en: 'Urgency' },
  'filter.person': { ja: '担当者', en: 'Person in charge' },
  'filter.from': { ja: '受付日（から）', en: 'Received from' },
  'filter.to': { ja: '受付日（まで）', en: 'Received until' },
  'filter.all': { ja: 'すべて', en: 'All' },
  'filter.apply': { ja: '検索', en: 'Search' },
  'filter.clear': { ja: '条件をクリア', en: 'Clear filters' },
  'filter.sameConsulter': { ja: '同じ相談者の相談のみ:', en: 'Only the consulter of' },
  'filter.sameConsulterHint': {
    ja: 'この相談と、事業者名・メールアドレス・電話番号のいずれかが一致する相談です。',
    en: 'This consultation, and those with the same organisation, email address or phone number.',
  },
  'filter.sameConsulterUnnamed': { ja: '名前の記録なし', en: 'no name recorded' },
  'filter.sameConsulterRemove': {
    ja: 'この条件を外す',
    en: 'Remove this condition',
  },
  'count.exact': { ja: '{n}件', en: '{n} consultations' },
  'count.one': { ja: '{n}件', en: '{n} consultation' },
  'count.atLeast': { ja: '{n}件以上', en: '{n}+ consultations' },
  'list.showing': { ja: '{first}〜{last}件目', en: '{first}–{last}' },
  'list.empty': { ja: '条件に合う相談はありません。', en: 'No consultation matches.' },
  'list.emptyHint': {
    ja: '語を減らすか、絞り込みの条件を変えてください。',
    en: 'Try fewer words or other filters.',
  },
  'list.emptyLedger': {
    ja: 'まだ相談は記録されていません。',
    en: 'No consultation has been recorded yet.',
  },
  'list.pager': { ja: 'ページ', en: 'Pages' },
  'list.prev': { ja: '前へ', en: 'Previous' },
  'list.next': { ja: '次へ', en: 'Next' },
  'list.page': { ja: '{page} / {pages} ページ', en: 'Page {page} of {pages}' },
  'list.pageOpen': { ja: '{page} ページ', en: 'Page {page}' },
  'list.caption': {
    ja: '相談の一覧（新しい順）',
    en: 'Consultations, newest first',
  },
  'col.number': { ja: '相談番号', en: 'Number' },
  'col.receivedAt': { ja: '受付日時', en: 'Received' },
  'col.urgency': { ja: '緊急度', en: 'Urgency' },
  'col.state': { ja: '状態', en: 'State' },
  'col.channel': { ja: '受付経路', en: 'Channel' },
  'col.category': { ja: '分類', en: 'Category' },
  'col.subject': { ja: '件名', en: 'Subject' },
  'col.organisation': { ja: '事業者', en: 'Organisation' },
  'col.owner': { ja: '担当', en: 'In charge' },
  'value.none': { ja: '—', en: '—' },
  'value.unassigned': { ja: '未割当', en: 'Unassigned' },
  'value.notGiven': { ja: '未記入', en: 'Not given' },
  'value.yes': { ja: 'はい', en: 'Yes' },
  'value.no': { ja: 'いいえ', en: 'No' },
  'value.unknown': { ja: '不明', en: 'Unknown' },
  'value.employees': { ja: '{n}名', en: '{n} people' },
  'value.erased': { ja: '（消去済み）', en: '(erased)' },

  // Loading and errors
  'state.loading': { ja: '読み込み中…', en: 'Loading…' },
  'error.network': {
    ja: 'サーバーに接続できません。ネットワーク接続を確認して、もう一度お試しください。',
    en: 'The server cannot be reached. Check the network connection and try again.',
  },
  'error.signedOut': {
    ja: 'サインインが必要です（サインインの有効期限が切れた可能性があります）。',
    en: 'You need to sign in (your sign-in may have expired).',
  },
  'error.forbidden': {
    ja: 'この画面を表示する権限がありません。必要な場合は管理者に役割の設定を依頼してください。',
    en: 'You are not allowed to see this. Ask an administrator for a role if you need it.',
  },
  'error.notFound': {
    ja: 'お探しの相談記録は見つかりません。',
    en: 'The consultation was not found.',
  },
  'error.server': {
    ja: 'サーバーでエラーが発生しました。しばらくしてからもう一度お試しください。',
    en: 'The server ran into an error. Please try again in a moment.',
  },
  'error.unavailable': {
    ja: 'サーバーが一時的に利用できません。しばらくしてからもう一度お試しください。',
    en: 'The server is unavailable for now. Please try again in a moment.',
  },
  'error.validation': {
    ja: '条件に誤りがあります。',
    en: 'Some conditions are not valid.',
  },
  'error.conflict': {
    ja: 'この相談記録は、表示した後に変わっています。読み込み直してから、もう一度お試しください。',
    en: 'This consultation has changed since it was shown. Load it again, then try again.',
  },
  'error.reference': { ja: '問い合わせ番号: {id}', en: 'Reference: {id}' },
  'error.retry': { ja: '再試行', en: 'Try again' },
  'error.signIn': { ja: 'サインインし直す', en: 'Sign in again' },

  // A record's page
  'record.back': { ja: '一覧に戻る', en: 'Back to the list' },
  'record.title': { ja: '相談 {number}', en: 'Consultation {number}' },
  'record.overview': { ja: '受付情報', en: 'Intake' },
  'record.consulter': { ja: '相談者', en: 'Consulter' },
  'record.details': { ja: '相談内容', en: 'Details' },
  'record.situation': { ja: '状況の確認項目', en: 'Situation checklist' },
  'record.timeline': { ja: '経過', en: 'Timeline' },
  'record.timelineEmpty': { ja: '経過はまだありません。', en: 'Nothing has happened yet.' },
  'record.destinations': { ja: '相談・届出先', en: 'Where to report' },
  'record.destinationsNone': {
    ja: 'この分類に登録された連絡先はありません。',
    en: 'No contacts are listed for this category.',
  },
  'record.related': {
    ja: '同じ相談者の他の相談',
    en: 'Other consultations from the same consulter',
  },
  'related.none': {
    ja: 'この相談者の他の相談はありません。',
    en: 'This consulter has no other consultation.',
  },
  'related.noKeys': {
    ja: '事業者名・メールアドレス・電話番号の記録がないため、同じ相談者の相談を探せません。',
    en: 'No organisation, email or phone is recorded, so other consultations from this consulter cannot be found.',
  },
  'related.received': { ja: '受付日 {date}', en: 'Received {date}' },
  'related.list': { ja: '一覧で見る', en: 'See them in the list' },
  'related.listMore': {
    ja: 'ほか {n} 件も含めて一覧で見る',
    en: 'See them and {n} more in the list',
  },
  'related.organisation': { ja: '事業者名が一致', en: 'Same organisation' },
  'related.email': { ja: 'メールアドレスが一致', en: 'Same email address' },
  'related.phone': { ja: '電話番号が一致', en: 'Same phone number' },
  'record.similar': { ja: '似た過去の相談', en: 'Similar past cases' },
  'similar.hint': {
    ja: '同じ分類で回答して完了した最近の相談のうち、件名と相談内容が近いものです。回答をそろえる参考に。',
    en: 'Recent answered and closed cases of the same category whose subject and details read most alike: for answers of even quality.',
  },
  'similar.none': {
    ja: 'この分類で回答して完了した相談はまだありません。',
    en: 'No case of this category has been answered and closed yet.',
  },
  'similar.closed': { ja: '完了 {date}', en: 'Closed {date}' },
  'similar.likeness': { ja: '近さ {percent}%', en: '{percent}% alike' },
  'similar.answeredBy': {
    ja: '{name}の回答（{line}・{date}）',
    en: 'Answer by {name} ({line}, {date})',
  },
  'similar.line.first': { ja: '一次対応', en: 'first line' },
  'similar.line.second': { ja: '二次対応', en: 'second line' },
  'similar.readAll': { ja: '回答の全文を見る', en: 'Read the whole answer' },
  'record.teamsCard': { ja: 'Teams のカードを開く', en: 'Open the card in Teams' },
  'record.noTeamsCard': {
    ja: 'この相談には Teams のカードがありません。',
    en: 'This consultation has no card in Teams.',
  },
  'field.number': { ja: '相談番号', en: 'Number' },
  'field.state': { ja: '状態', en: 'State' },
  'field.channel': { ja: '受付経路', en: 'Channel' },
  'field.receivedAt': { ja: '受付日時', en: 'Received' },
  'field.category': { ja: '分類', en: 'Category' },
  'field.urgency': { ja: '緊急度', en: 'Urgency' },
  'field.subject': { ja: '件名', en: 'Subject' },
  'field.firstLine': { ja: '一次対応', en: 'First line' },
  'field.specialist': { ja: '二次対応（専門員）', en: 'Specialist' },
  'field.coordination': { ja: '調整の必要', en: 'Coordination needed' },
  'field.coordinationReason': { ja: '調整の理由', en: 'Reason for coordination' },
  'field.tags': { ja: 'タグ', en: 'Tags' },
  'field.createdBy': { ja: '記録した人', en: 'Recorded by' },
  'field.closedAt': { ja: '完了日時', en: 'Closed' },
  'field.organisation': { ja: '事業者名', en: 'Organisation' },
  'field.person': { ja: '相談者名', en: 'Person' },
  'field.email': { ja: 'メールアドレス', en: 'Email' },
  'field.phone': { ja: '電話番号', en: 'Phone' },
  'field.industry': { ja: '業種', en: 'Industry' },
  'field.employees': { ja: '従業員数', en: 'Employees' },
  'field.municipality': { ja: '所在地（区市町村）', en: 'Municipality' },
  'situation.whatHappened': { ja: '何が起きたか', en: 'What happened' },
  'situation.since': { ja: 'いつから', en: 'Since when' },
  'situation.ongoing': { ja: '被害は継続中か', en: 'Still ongoing' },
  'situation.systems': { ja: '影響を受けた機器・システム', en: 'Affected systems' },
  'situation.dataAtRisk': { ja: '情報漏えいの可能性', en: 'Data possibly leaked' },
  'situation.actionsTaken': { ja: 'すでに行った対応', en: 'Actions already taken' },
  'situation.contacted': { ja: 'すでに連絡した先', en: 'Already contacted' },
  'situation.evidence': { ja: '保存している証拠', en: 'Evidence kept' },
  'timeline.history': { ja: '操作', en: 'Change' },
  'timeline.note': { ja: 'メモ', en: 'Note' },
  'timeline.answer': { ja: '回答', en: 'Answer' },
  'timeline.email': { ja: 'メール', en: 'Email' },
  'timeline.acknowledgement': { ja: '受付の連絡', en: 'Acknowledgement' },
  'timeline.system': { ja: 'システム', en: 'System' },
  'timeline.by': { ja: '{name}', en: '{name}' },
  'timeline.contentErased': {
    ja: '内容は個人情報とともに消去されています。',
    en: 'Its text was erased with the personal data.',
  },

  // Erasing a record's personal data (supervisors)
  'erasure.badge': { ja: '消去済み', en: 'Erased' },
  'erasure.banner': {
    ja: 'この記録の個人情報は {date} に消去されました（{reason}）。',
    en: "This record's personal data was erased on {date} ({reason}).",
  },
  'erasure.bannerKept': {
    ja: '受付番号・受付経路・分類・緊急度・日時・状態・担当者と、誰がいつ何をしたかの経過は、統計のために残っています。',
    en: 'The number, channel, category, urgency, dates, state, staff and the timeline of who did what and when are kept for the statistics.',
  },
  'erasure.at': { ja: '消去日時', en: 'Erased' },
  'erasure.reason': { ja: '消去の理由', en: 'Why erased' },
  'erasure.open': { ja: '個人情報を消去', en: 'Erase the personal data' },
  'erasure.heading': { ja: '個人情報の消去', en: 'Erase the personal data' },
  'erasure.intro': {
    ja: 'ご本人から請求があった場合に、この相談記録の個人情報を消去します。消去すると元に戻せません。',
    en: "Erase this consultation's personal data when the consulter asks for it. This cannot be undone.",
  },
  'erasure.erasedList': { ja: '消去されるもの', en: 'What is erased' },
  'erasure.erased': {
    ja: '相談者の情報（事業者名・氏名・メールアドレス・電話番号・業種・従業員数・所在地）、件名、相談内容、状況の記述、タグ、調整の理由、メモ、回答、メールと添付ファイル、経過に書かれた理由などの文章',
    en: "The consulter's details (organisation, name, email, phone, industry, employees, municipality), the subject, the details, the situation as written, tags, the reason for coordination, notes, answers, emails with their attachments, and reasons written in the timeline",
  },
  'erasure.keptList': { ja: '残るもの', en: 'What is kept' },
  'erasure.kept': {
    ja: '受付番号、受付経路、分類、緊急度、日時、状態、担当者、誰がいつ何をしたかの経過（統計は変わりません）。Teams のカードも消去後の内容に更新されます。',
    en: 'The number, channel, category, urgency, dates, state, staff, and the timeline of who did what and when (the statistics do not change). The card in Teams is redrawn to match.',
  },
  'erasure.confirmLabel': {
    ja: '確認のため、受付番号 {number} を入力してください',
    en: 'To confirm, type the consultation number {number}',
  },
  'erasure.submit': { ja: '消去する', en: 'Erase' },
  'erasure.cancel': { ja: 'やめる', en: 'Cancel' },
  'erasure.working': { ja: '消去しています…', en: 'Erasing…' },
  'erasure.done': {
    ja: '個人情報を消去しました。',
    en: 'The personal data was erased.',
  },
  // Correcting a record
  'edit.open': { ja: '記録を修正', en: 'Correct the record' },
  'edit.heading': { ja: '記録を修正', en: 'Correct the record' },
  'edit.intro': {
    ja: '変更した項目だけが記録され、経過に修正前と修正後が残ります。空にした項目は消えます。',
    en: 'Only the fields you change are saved; the timeline keeps each as it was and as it is. A field left empty is cleared.',
  },
  'edit.consultation': { ja: '相談の内容', en: 'The consultation' },
  'edit.choose': { ja: '（選択）', en: '(choose)' },
  'edit.save': { ja: '保存する', en: 'Save' },
  'edit.cancel': { ja: 'やめる', en: 'Cancel' },
  'edit.working': { ja: '保存しています…', en: 'Saving…' },
  'edit.done': { ja: '記録を修正しました。', en: 'The record was corrected.' },
  'edit.restored': {
    ja: '保存していない修正を元に戻しました。確認して保存するか、やめてください。',
    en: 'Your unsaved correction is back. Check it, then save or cancel.',
  },
  'edit.unchanged': {
    ja: '変更した項目がないため、記録はそのままです。',
    en: 'Nothing was changed, so the record stays as it was.',
  },
  'edit.invalid': {
    ja: '保存できませんでした。各項目の下の説明を確認してください。入力した内容はそのまま残っています。',
    en: 'Not saved. See the notes under the fields; what you typed is still here.',
  },
  'edit.merged': {
    ja: 'フォームを開いた後に、他の人がこの記録を変更しました。あなたが変えた項目はそのまま、それ以外は最新の内容にしました。確認して、もう一度保存してください。',
    en: 'Someone changed this record after you opened the form. The fields you changed are kept as you typed them; the others now show the record as it is. Check, then save again.',
  },
  'edit.theirs': {
    ja: 'ほかの人もこの項目を修正しました（現在の内容: {value}）。どちらにするか確かめてから保存してください。',
    en: 'Someone else changed this too (now: {value}). Check which to keep, then save.',
  },
  'edit.theirsEmpty': {
    ja: 'ほかの人はこの項目を空にしました。どちらにするか確かめてから保存してください。',
    en: 'Someone else cleared this field. Check which to keep, then save.',
  },
  'destination.tel': { ja: '電話', en: 'Tel' },
  'destination.email': { ja: 'メール', en: 'Email' },
  'destination.hoursValue': { ja: '（受付時間: {hours}）', en: '(hours: {hours})' },
  'destination.web': { ja: 'Web サイト', en: 'Website' },

  // Statistics
  'stats.heading': { ja: '月別の統計', en: 'Monthly statistics' },
  'stats.from': { ja: '開始月', en: 'From month' },
  'stats.to': { ja: '終了月', en: 'To month' },
  'stats.show': { ja: '表示', en: 'Show' },
  'stats.rangeHint': {
    ja: '東京時間の暦月で集計します（最大24か月）。',
    en: 'Counted by calendar month in Tokyo time (up to 24 months).',
  },
  'stats.month': { ja: '月', en: 'Month' },
  'stats.total': { ja: '合計', en: 'Total' },
  'stats.byChannel': { ja: '受付経路別の件数', en: 'Consultations by channel' },
  'stats.byCategory': { ja: '分類別の件数', en: 'Consultations by category' },
  'stats.byHandling': {
    ja: '対応の区分別の件数（一次対応で完結・二次対応へ依頼）',
    en: 'Consultations by where they were handled',
  },
  'stats.byState': { ja: '現在の状態別の件数', en: 'Consultations by current state' },
  'stats.medians': { ja: '対応時間の中央値', en: 'Median times' },
  'stats.toClaim': { ja: '受付から担当まで', en: 'To first claim' },
  'stats.toDispatch': { ja: '受付から二次対応依頼まで', en: 'To dispatch' },
  'stats.toAnswer': { ja: '受付から回答まで', en: 'To first answer' },
  'stats.minutesAxis': { ja: '分', en: 'minutes' },
  'stats.countAxis': { ja: '件数', en: 'Consultations' },
  'stats.empty': {
    ja: 'この期間に受け付けた相談はありません。',
    en: 'No consultation was received in this period.',
  },
  'stats.chartAlt': {
    ja: 'グラフと同じ数値を下の表に示します。',
    en: 'The table below holds the same numbers as the chart.',
  },
  'stats.tableCaption': { ja: '{title}（{from}〜{to}）', en: '{title} ({from} to {to})' },
  'duration.none': { ja: '—', en: '—' },
  'duration.underMinute': { ja: '1分未満', en: 'under 1 min' },
  'duration.minutes': { ja: '{m}分', en: '{m} min' },
  'duration.hours': { ja: '{h}時間{m}分', en: '{h} h {m} min' },
  'duration.wholeHours': { ja: '{h}時間', en: '{h} h' },
  'duration.days': { ja: '{d}日{h}時間', en: '{d} d {h} h' },
  'duration.wholeDays': { ja: '{d}日', en: '{d} d' },

  // Export
  'export.heading': { ja: 'データの出力', en: 'Export' },
  'export.supervisorsOnly': {
    ja: '出力は職員（スーパーバイザー）だけが行えます。出力したことは記録されます。',
    en: 'Only supervisors can export. Every export is recorded.',
  },
  'csv.heading': { ja: 'CSV（相談記録の一覧）', en: 'CSV (the consultation records)' },
  'csv.intro': {
    ja: '期間内に受け付けた相談を1件1行で出力します（Excel で開ける UTF-8 形式）。',
    en: 'One row per consultation received in the period (UTF-8, opens in Excel).',
  },
  'csv.from': { ja: '受付日（から）', en: 'Received from' },
  'csv.to': { ja: '受付日（まで）', en: 'Received until' },
  'csv.download': { ja: 'CSV をダウンロード', en: 'Download the CSV' },
  'csv.downloading': { ja: 'CSV を作成しています…', en: 'Preparing the CSV…' },
  'csv.done': { ja: '{file} をダウンロードしました。', en: '{file} was downloaded.' },
  'casebook.heading': { ja: '事例集', en: 'Casebook' },
  'casebook.intro': {
    ja: '完了した相談を選び、個人や事業者を特定できる情報を取り除いた文章を確認・修正してから Markdown で出力します。',
    en: 'Choose closed consultations, review and correct the text with names and other identifying details removed, then export it as Markdown.',
  },
  'casebook.find': { ja: '完了した相談を探す', en: 'Find closed consultations' },
  'casebook.findButton': { ja: '探す', en: 'Find' },
  'casebook.choose': { ja: '事例集に載せる相談', en: 'Consultations for the casebook' },
  'casebook.select': { ja: '{number} を選ぶ', en: 'Choose {number}' },
  'casebook.none': {
    ja: '条件に合う完了済みの相談はありません。',
    en: 'No closed consultation matches.',
  },
  'casebook.preview': { ja: '選んだ相談をプレビュー', en: 'Preview the chosen consultations' },
  'casebook.selected': { ja: '{n}件を選択中', en: '{n} chosen' },
  'casebook.chooseFirst': {
    ja: '相談を1件以上選んでください。',
    en: 'Choose at least one consultation.',
  },
  'casebook.review': { ja: '内容の確認と修正', en: 'Review and correct' },
  'casebook.reviewHint': {
    ja: '自動で匿名化しています。残っている固有名詞や特定につながる記述がないか確認し、必要なら書き直してください。',
    en: 'Identifying details were removed automatically. Check that nothing identifying is left and rewrite where needed.',
  },
  'casebook.case': { ja: '事例 {n}（{number}）', en: 'Case {n} ({number})' },
  'casebook.category': { ja: '分類', en: 'Category' },
  'casebook.sizeBand': { ja: '規模', en: 'Size' },
  'casebook.title': { ja: '見出し', en: 'Title' },
  'casebook.industry': { ja: '業種', en: 'Industry' },
  'casebook.area': { ja: '地域', en: 'Area' },
  'casebook.month': { ja: '受付月', en: 'Month' },
  'casebook.situation': { ja: '相談の概要', en: 'Summary' },
  'casebook.answer': { ja: '回答の要旨', en: 'Answer' },
  'casebook.export': { ja: '事例集を出力（Markdown）', en: 'Export the casebook (Markdown)' },
  'casebook.exported': { ja: '{file} を出力しました。', en: '{file} was exported.' },
  'casebook.refused': {
    ja: '特定につながる情報が残っているため出力できません。該当箇所を修正してください。',
    en: 'Identifying details are still in the text, so nothing was exported. Correct the marked fields.',
  },
  'casebook.notClosed': {
    ja: '完了していない相談は事例集に載せられません: {numbers}',
    en: 'Only closed consultations can go into the casebook: {numbers}',
  },
  'history.heading': { ja: '出力の記録', en: 'Exports so far' },
  'history.intro': {
    ja: '個人情報を含むデータの出力は、誰がいつ何を出力したかが記録されます（最新50件）。',
    en: 'Every export of data that holds personal information is recorded: who, when and what (the latest 50).',
  },
  'history.none': { ja: 'まだ出力はありません。', en: 'Nothing has been exported yet.' },
  'history.at': { ja: '日時', en: 'When' },
  'history.by': { ja: '出力した人', en: 'By' },
  'history.what': { ja: '内容', en: 'What' },
  'history.count': { ja: '件数', en: 'Records' },
  'history.outcome': { ja: '結果', en: 'Outcome' },
  'history.csv': { ja: 'CSV（受付日 {from}〜{to}）', en: 'CSV (received {from} to {to})' },
  'history.casebook': { ja: '事例集', en: 'Casebook' },
  'history.complete': { ja: '完了', en: 'Complete' },
  'history.broken': { ja: '途中で中断', en: 'Broke off' },
} satisfies Record<string, Localized>;

export type TabKey = keyof typeof TAB_MESSAGES;
export type Params = Record<string, string | number>;

/** One message in one language, with `{name}` placeholders filled in. */
export function t(key: TabKey, lang: Lang, params: Params = {}): string {
  const text: string = TAB_MESSAGES[key][lang];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** A label the server sent (`{ja, en}`), in one language; a missing one falls back to the id. */
export const pick = (label: Localized | undefined, lang: Lang, fallback = ''): string =>
  label ? label[lang] || label.ja : fallback;
