/**
 * Every sentence a user can see, in Japanese first and English second.
 * Keys are stable; surfaces pick the language, never the wording.
 */
export type Lang = 'ja' | 'en';
export type Localized = { ja: string; en: string };

type Params = Record<string, string | number | undefined>;
type Template = { ja: string | ((p: Params) => string); en: string | ((p: Params) => string) };

const fill = (t: string | ((p: Params) => string), p: Params): string =>
  typeof t === 'function' ? t(p) : t.replace(/\{(\w+)\}/g, (_, k: string) => String(p[k] ?? ''));

export const messages = {
  'error.validation': {
    ja: '入力内容に誤りがあります。',
    en: 'Some fields are not valid.',
  },
  'error.not_found': {
    ja: '相談記録 {ref} は見つかりません。',
    en: 'Consultation {ref} was not found.',
  },
  'error.forbidden': {
    ja: 'この操作（{actionJa}）を行う権限がありません。',
    en: 'You are not allowed to do this ({actionEn}).',
  },
  'error.conflict': {
    ja: 'すでに{byName}さんが「{actionJa}」を行いました（現在の状態: {stateJa}）。',
    en: '{byName} has already done "{actionEn}" (current state: {stateEn}).',
  },
  'error.invalid_transition': {
    ja: '状態が「{stateJa}」の相談には「{actionJa}」はできません。',
    en: 'A consultation that is "{stateEn}" cannot be "{actionEn}".',
  },
  'error.erased': {
    ja: 'この相談記録は個人情報が消去されているため（{reasonJa}）、「{actionJa}」はできません。続きのご相談は新しい相談として登録してください。',
    en: 'This consultation’s personal data has been erased ({reasonEn}), so it cannot be "{actionEn}". Record a further consultation as a new one.',
  },
  'error.unavailable': {
    ja: '一時的に利用できません（{what}）。入力内容は失われていません。しばらくしてからもう一度お試しください。',
    en: 'Temporarily unavailable ({what}). Nothing you entered was lost; please try again shortly.',
  },
  'error.internal': {
    ja: '内部エラーが発生しました。問題が続く場合は管理者に連絡してください。',
    en: 'An internal error occurred. If it persists, contact the administrator.',
  },
  'error.bad_request': {
    ja: 'リクエストの形式が正しくありません。',
    en: 'The request is malformed.',
  },
  'error.route_not_found': {
    ja: 'このアドレスには何もありません。',
    en: 'Nothing is here.',
  },
  'error.method_not_allowed': {
    ja: 'このアドレスでは {method} は使えません。',
    en: '{method} is not allowed here.',
  },
  'error.invalid_json': {
    ja: '送信された JSON を読み取れません。',
    en: 'The JSON sent could not be read.',
  },
  'error.payload_too_large': {
    ja: '送信された内容が大きすぎます（上限 {limitKb} KB）。',
    en: 'What was sent is too large (limit {limitKb} KB).',
  },
  'error.unsupported_media_type': {
    ja: 'この形式（{type}）の送信には対応していません。',
    en: 'This content type ({type}) is not accepted.',
  },
  'config.cannot_start': {
    ja: '設定が不足しているか誤っているため、起動できません。',
    en: 'Madoguchi cannot start: some settings are missing or not valid.',
  },
  'config.missing': { ja: '未設定の項目', en: 'Missing settings' },
  'config.invalid': { ja: '値が正しくない項目', en: 'Settings with values that are not valid' },
  'config.either_one': { ja: 'どちらか一方', en: 'either one' },
  'config.hint_local': {
    ja: '環境変数か env/.env.local（秘密情報は env/.env.local.user）で設定してください。一覧は README.md にあります。',
    en: 'Set them as environment variables or in env/.env.local (secrets in env/.env.local.user). README.md lists every setting.',
  },
  'config.hint_production': {
    ja: '本番モードでは環境変数（App Service のアプリ設定、Key Vault 参照）だけを読みます。一覧は README.md にあります。',
    en: 'Production mode reads environment variables only (App Service settings, Key Vault references). README.md lists every setting.',
  },
  'config.reason.mode': {
    ja: 'local か production を指定してください',
    en: 'must be local or production',
  },
  'config.reason.port': {
    ja: '0〜65535 の整数を指定してください',
    en: 'must be a whole number from 0 to 65535',
  },
  'config.reason.time_of_day': {
    ja: '東京の時刻を HH:MM（例 09:00）で、または off を指定してください',
    en: 'must be a Tokyo time as HH:MM (e.g. 09:00), or off',
  },
  'config.reason.bot_language': {
    ja: 'teams（各自の Teams の言語）、ja、en のいずれかを指定してください',
    en: 'must be teams (each person’s Teams language), ja or en',
  },
  'config.reason.byte_size': {
    ja: '1000〜100000000 の整数（バイト数）を指定してください',
    en: 'must be a whole number of bytes from 1000 to 100000000',
  },
  'config.reason.host': {
    ja: 'ホスト名か IP アドレスを指定してください',
    en: 'must be a host name or an IP address',
  },
  'config.reason.log_level': {
    ja: '{levels} のいずれかを指定してください',
    en: 'must be one of {levels}',
  },
  'config.reason.url': {
    ja: 'http:// か https:// で始まる URL を指定してください',
    en: 'must be a URL starting with http:// or https://',
  },
  'config.reason.https_url': {
    ja: '本番モードでは https:// で始まる URL を指定してください',
    en: 'must be a URL starting with https:// in production',
  },
  'config.reason.postgres_url': {
    ja: 'postgres:// で始まる URL を指定してください',
    en: 'must be a URL starting with postgres://',
  },
  'config.reason.guid': {
    ja: 'GUID（例: 0f8fad5b-d9cb-469f-a165-70867728950e）を指定してください',
    en: 'must be a GUID (e.g. 0f8fad5b-d9cb-469f-a165-70867728950e)',
  },
  'config.reason.ids': {
    ja: 'ID をカンマ区切りで指定してください（正しくない値: {bad}）',
    en: 'must be comma-separated ids (not valid: {bad})',
  },
  'config.reason.guids': {
    ja: 'Entra のオブジェクト ID（GUID）をカンマ区切りで指定してください（正しくない値: {bad}）',
    en: 'must be comma-separated Entra object ids, which are GUIDs (not valid: {bad})',
  },
  'config.reason.secret_in_committed_file': {
    ja: '秘密情報のため {file} には書けません。env/.env.local.user に移してください',
    en: 'is a secret and must not be in {file}; move it to env/.env.local.user',
  },
  'config.reason.both_credentials': {
    ja: 'BOT_PASSWORD と BOT_MANAGED_IDENTITY_CLIENT_ID は一方だけを設定してください',
    en: 'set BOT_PASSWORD or BOT_MANAGED_IDENTITY_CLIENT_ID, not both',
  },
  'config.reason.both_graph_credentials': {
    ja: 'GRAPH_CLIENT_SECRET と証明書（GRAPH_CLIENT_CERTIFICATE_PATH / _THUMBPRINT）は一方だけを設定してください',
    en: 'set GRAPH_CLIENT_SECRET or a certificate (GRAPH_CLIENT_CERTIFICATE_PATH / _THUMBPRINT), not both',
  },
  'config.reason.tenant': {
    ja: 'テナント ID（GUID）かテナントのドメイン名（例: contoso.onmicrosoft.com）を指定してください',
    en: 'must be the tenant id (a GUID) or one of its domain names (e.g. contoso.onmicrosoft.com)',
  },
  'config.reason.tenant_guid': {
    ja: 'サインインの確認にはテナント ID（GUID）が必要です（ドメイン名は使えません）',
    en: 'must be the tenant id (a GUID) to check sign-ins; a domain name cannot be used',
  },
  'config.reason.app_id_uri': {
    ja: 'api:// で始まるアプリケーション ID URI を指定してください（例: api://madoguchi.example.jp/<クライアント ID>）',
    en: 'must be an Application ID URI starting with api:// (e.g. api://madoguchi.example.jp/<client id>)',
  },
  'config.reason.email': {
    ja: 'メールアドレス（例: soudan@example.lg.jp）を指定してください',
    en: 'must be an email address (e.g. soudan@example.lg.jp)',
  },
  'config.reason.file': {
    ja: '読み取れるファイルのパスを指定してください（作業ディレクトリからの相対パスも可）',
    en: 'must be the path of a readable file (relative to the working directory, or absolute)',
  },
  'config.reason.thumbprint': {
    ja: '証明書の拇印（SHA-1 は16進40桁、SHA-256 は16進64桁）を指定してください',
    en: 'must be the certificate thumbprint: 40 hex digits (SHA-1) or 64 (SHA-256)',
  },
  'mail.permission': {
    ja: 'Microsoft Graph に拒否されました（{status} {code}）。アプリ登録にアプリケーション権限 {permission}（管理者の同意済み）があり、共有メールボックス（DESK_MAILBOX）の利用がアプリケーション アクセス ポリシーで許可されているか、管理者に確認を依頼してください。',
    en: 'Microsoft Graph refused ({status} {code}). Ask an administrator to check that the app registration has the {permission} application permission with admin consent, and that the application access policy lets it use the shared mailbox (DESK_MAILBOX).',
  },
  'mail.credentials': {
    ja: 'Entra ID からアクセストークンを取得できませんでした（{code}）。GRAPH_TENANT_ID、GRAPH_CLIENT_ID と、シークレットまたは証明書の設定を管理者に確認してください。',
    en: 'No access token could be obtained from Entra ID ({code}). Ask an administrator to check GRAPH_TENANT_ID, GRAPH_CLIENT_ID and the secret or certificate.',
  },
  'mail.throttled': {
    ja: 'Microsoft Graph の利用制限に達したため送信できませんでした。しばらくしてから再送してください。',
    en: 'Microsoft Graph is limiting requests, so the mail was not sent. Please send it again in a while.',
  },
  'mail.unavailable': {
    ja: 'Microsoft Graph が一時的に応答しません（{status} {code}）。しばらくしてから再送してください。',
    en: 'Microsoft Graph is not answering for now ({status} {code}). Please send it again in a while.',
  },
  'mail.network': {
    ja: 'Microsoft Graph に接続できませんでした（{code}）。しばらくしてから再送してください。',
    en: 'Microsoft Graph could not be reached ({code}). Please send it again in a while.',
  },
  'mail.not_found': {
    ja: '返信先のメールが共有メールボックスに見つかりません（移動または削除された可能性があります）。',
    en: 'The email to reply to is no longer in the shared mailbox (it may have been moved or deleted).',
  },
  'mail.invalid_recipient': {
    ja: '宛先のメールアドレスが受け付けられませんでした（{code}）。アドレスを確認してください。',
    en: 'A recipient address was not accepted ({code}). Please check the addresses.',
  },
  'mail.rejected': {
    ja: 'メールを送信できませんでした（{status} {code}）。',
    en: 'The mail could not be sent ({status} {code}).',
  },
  'mail.not_configured': {
    ja: 'メール送信が設定されていないため、相談者にはメールを送っていません（回答は記録されています）。電話など別の方法でお伝えいただくか、設定後に再送してください。',
    en: 'Mail is not set up, so nothing was emailed to the consulter (the answer is recorded). Tell them another way, such as by phone, or send it again once mail is set up.',
  },
  /** Said in the answer form and its preview, before anything is saved. */
  'mail.will_not_send': {
    ja: 'メール送信が設定されていないため、この回答はメールでは送られず、記録だけされます。相談者には電話など別の方法でお伝えください（メールの設定後に再送できます）。',
    en: 'Mail is not set up, so this answer will be recorded but not emailed. Tell the consulter another way, such as by phone (it can be sent again once mail is set up).',
  },
  'search.too_broad': {
    ja: '「{term}」は短く、ありふれているため検索できません。もう1文字以上加えてください。',
    en: '"{term}" is too short and common to search for; add a character or more.',
  },
  'field.required': { ja: '{labelJa}を入力してください。', en: '{labelEn} is required.' },
  'field.choose': { ja: '{labelJa}を選んでください。', en: '{labelEn} is required: choose one.' },
  'field.too_long': {
    ja: '{labelJa}は{max}文字以内で入力してください。',
    en: '{labelEn} must be at most {max} characters.',
  },
  'field.invalid_email': {
    ja: '{labelJa}の形式が正しくありません（例: name@example.jp）。',
    en: '{labelEn} is not a valid address (e.g. name@example.jp).',
  },
  'field.invalid_phone': {
    ja: '{labelJa}は数字とハイフンで入力してください（例: 03-1234-5678）。',
    en: '{labelEn} may contain digits and hyphens only (e.g. 03-1234-5678).',
  },
  'field.invalid_choice': {
    ja: '{labelJa}は一覧から選んでください。',
    en: 'Choose {labelEn} from the list.',
  },
  'field.invalid_number': {
    ja: '{labelJa}は0以上の整数で入力してください。',
    en: '{labelEn} must be a whole number of 0 or more.',
  },
  'field.invalid_date': {
    ja: '{labelJa}の日時が正しくありません。',
    en: '{labelEn} is not a valid date and time.',
  },
  'field.future_date': {
    ja: '{labelJa}に未来の日時は指定できません。',
    en: '{labelEn} cannot be in the future.',
  },
  'field.no_email_address': {
    ja: 'この相談にはメールアドレスがなく、メールで受け付けた相談でもないため、メールでは回答できません。',
    en: 'This consultation has no email address and did not come by email, so it cannot be answered by email.',
  },
  'field.number_mismatch': {
    ja: '{labelJa}がこの記録の受付番号と一致しません。',
    en: '{labelEn} does not match this record’s number.',
  },
  'field.not_specialist': {
    ja: '{labelJa}には専門員を選んでください。',
    en: 'Choose a specialist for {labelEn}.',
  },
  'field.same_specialist': {
    ja: 'この相談はすでにこの専門員に依頼しています。{labelJa}には別の専門員を選んでください。',
    en: 'The case is already with this specialist. Choose another for {labelEn}.',
  },
  'bot.intake_set': {
    ja: 'このチャネルを相談受付チャネルに設定しました。新しい相談のカードはここに届きます。',
    en: 'This channel is now the intake channel. Cards for new consultations will arrive here.',
  },
  'bot.intake_already': {
    ja: 'このチャネルはすでに相談受付チャネルです。新しい相談のカードはここに届きます。',
    en: 'This channel is already the intake channel. Cards for new consultations arrive here.',
  },
  'bot.intake_kept': {
    ja: '窓口ボットを追加しました。新しい相談のカードは、これまでどおり別の相談受付チャネルに届きます。このチャネルを相談受付チャネルにするには、ここでボットにメンションして「受付チャンネルに設定」と送ってください。',
    en: 'The desk bot is added. Cards for new consultations still arrive in the intake channel set before. To make this channel the intake channel, mention the bot here with "set intake channel".',
  },
  'bot.intake_deleted': {
    ja: '相談受付チャネルが削除されました。新しい相談のカードを届けたいチャネルで、ボットにメンションして「受付チャンネルに設定」と送ってください。対応中の相談のカードは、そのチャネルに改めて投稿されます。',
    en: 'The intake channel was deleted. In the channel where cards for new consultations should arrive, mention the bot with "set intake channel": the cards of open consultations are then posted there again.',
  },
  'bot.intake_lost': {
    ja: '窓口アプリが相談受付チャネルのチームから削除された（またはチームが削除された）ため、新しい相談のカードを投稿できません。相談の受付と記録は続いています。アプリをチームに追加すると、設定したチャネルが相談受付チャネルになり、まだ投稿されていないカードもそこに投稿されます。',
    en: "Madoguchi was removed from the intake channel's team (or the team was deleted), so cards for new consultations cannot be posted. Consultations are still received and recorded. Add the app to a team: the channel it is set up in becomes the intake channel, and the cards not yet posted are posted there.",
  },
  'bot.intake_archived': {
    ja: '相談受付チャネルのチームがアーカイブされました。チャネルは読み取り専用になり、カードのボタンやスレッドは使えません。相談の受付と記録は続いています。チームのアーカイブを解除するか、アプリを別のチームに追加して相談受付チャネルを移してください。',
    en: "The intake channel's team was archived: its channels are read-only, so the cards' buttons and threads cannot be used there. Consultations are still received and recorded. Restore the team, or add the app to another team and move the intake channel there.",
  },
  'bot.intake_unarchived': {
    ja: '相談受付チャネルのチームのアーカイブが解除されました。相談受付チャネルのカードは、これまでどおり使えます。',
    en: "The intake channel's team was restored. The cards in the intake channel can be used again.",
  },
  'bot.intake_moved': {
    ja: '{by}さんが相談受付チャネルを「{name}」に移しました。新しい相談のカードはそちらに届きます。ここにあるカードは、これまでどおりここで更新されます。',
    en: '{by} moved the intake channel to "{name}". Cards for new consultations arrive there; the cards here are still updated here.',
  },
  'bot.intake_moved_elsewhere': {
    ja: '{by}さんが相談受付チャネルを別のチャネルに移しました。新しい相談のカードはそちらに届きます。ここにあるカードは、これまでどおりここで更新されます。',
    en: '{by} moved the intake channel to another channel. Cards for new consultations arrive there; the cards here are still updated here.',
  },
  'bot.set_intake_in_channel': {
    ja: '受付チャネルの設定は、受付チャネルにしたいチャネルでボットにメンションして行ってください。',
    en: 'To set the intake channel, mention the bot in the channel you want to use.',
  },
  'bot.channel_help': {
    ja: 'チャネルでは「受付チャンネルに設定」だけを受け付けます。相談の記録や検索はボットとの1対1チャットで行ってください。',
    en: 'In channels the bot understands "set intake channel" only. Record and search consultations in your 1:1 chat with the bot.',
  },
  'bot.not_staff': {
    ja: '申し訳ありません。この操作は窓口の職員のみが行えます。管理者に役割の設定を依頼してください。',
    en: "Sorry, only the desk's staff can do this. Ask an administrator to give you a role.",
  },
  'bot.not_understood': {
    ja: 'すみません、わかりませんでした。できることは次のとおりです。',
    en: 'Sorry, I did not understand that. This is what I can do:',
  },
  'bot.unknown_action': {
    ja: 'このボタンは使えなくなりました。カードを開き直してください。',
    en: 'This button no longer works; open the card again.',
  },
  'bot.language_set': {
    ja: 'これから日本語でお答えします。英語にするには「English」と送ってください。',
    en: 'I will answer in English from now on. Send 「日本語」 to switch back to Japanese.',
  },
  'bot.search_title': { ja: '「{words}」の検索結果', en: 'Results for "{words}"' },
  'bot.mine_title': { ja: '自分の担当（未完了）', en: 'My open cases' },
  'bot.edited': {
    ja: '相談 {number} の記録を修正しました。',
    en: 'Consultation {number} is corrected.',
  },
  'bot.edit_clash': {
    ja: 'ほかの人もこの項目を修正しました（現在の内容: {value}）。どちらにするか確かめてから保存してください。',
    en: 'Someone else changed this too (now: {value}). Check which to keep, then save.',
  },
  'bot.edit_unchanged': {
    ja: '変更された項目はありません。',
    en: 'Nothing was changed.',
  },
  'bot.recorded': {
    ja: '相談 {number} を登録しました。受付チャネルにカードを投稿します。',
    en: 'Consultation {number} is recorded; its card is being posted in the intake channel.',
  },
  'bot.no_intake_channel': {
    ja: '受付チャネルが未設定のため、カードはまだ投稿していません。チームにアプリを追加するか、チャネルで「受付チャンネルに設定」とメンションすると、対応中の相談のカードが投稿されます。',
    en: 'No intake channel is set, so the card is not posted yet. Add the app to a team, or mention the bot with "set intake channel" in a channel: the cards of open consultations are then posted.',
  },
  'bot.dispatched_to_you': {
    ja: '相談 {number} の二次対応を依頼されました。',
    en: 'Consultation {number} has been dispatched to you.',
  },
  'bot.returned_to_you': {
    ja: '相談 {number} が二次対応から差し戻されました。',
    en: 'Consultation {number} has come back to you from second line.',
  },
  'bot.new_email_yours': {
    ja: '相談 {number} に相談者から新しいメールが届きました。',
    en: 'The consulter of consultation {number} has written again.',
  },
  'bot.new_email_yours_subject': {
    ja: '相談 {number} に相談者から新しいメールが届きました：「{subject}」',
    en: 'The consulter of consultation {number} has written again: "{subject}"',
  },
  'bot.new_email_yours_quoted': {
    ja: '相談 {number} に相談者から新しいメールが届きました：「{subject}」 — {excerpt}',
    en: 'The consulter of consultation {number} has written again: "{subject}" — {excerpt}',
  },
  'bot.reply_sending': {
    ja: '回答を登録しました。相談者へのメールを送信しています。',
    en: 'The answer is saved; the email to the consulter is on its way.',
  },
  'bot.reply_recorded': { ja: '回答を登録しました。', en: 'The answer is saved.' },
  'bot.retry_sending': { ja: '回答メールを再送しています。', en: 'Sending the answer again.' },
  'bot.retry_not_needed': {
    ja: 'この回答メールは、すでに送信済みか送信中です。',
    en: 'This answer has already been emailed, or is being emailed.',
  },
  'bot.answer_emailed': {
    ja: '{name}さんの回答を相談者にメールで送信しました。',
    en: "{name}'s answer was emailed to the consulter.",
  },
  'bot.answer_not_emailed': {
    ja: '{name}さんの回答を相談者にメールで送信できませんでした。理由はカードに表示しています。「再送する」で送り直せます。',
    en: "{name}'s answer could not be emailed to the consulter; the card says why. Press 「再送する」 (Send again) to try again.",
  },
  'bot.typed_answer': {
    ja: '入力した回答（保存されていません）',
    en: 'The answer you typed (not saved)',
  },
  'bot.note_recorded': { ja: 'メモとして記録しました。', en: 'Recorded as a note.' },
  'bot.answered_yours': {
    ja: '担当中の相談 {number} に回答が記録されました。',
    en: 'An answer was recorded on your consultation {number}.',
  },
} satisfies Record<string, Template>;

export type MessageKey = keyof typeof messages;

/** Both languages of one message, with its parameters filled in. */
export function localize(key: MessageKey, params: Params = {}): Localized {
  const t: Template = messages[key];
  return { ja: fill(t.ja, params), en: fill(t.en, params) };
}
