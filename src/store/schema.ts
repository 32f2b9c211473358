import type { Generated } from 'kysely';

/**
 * Tables as the database holds them. Timestamps are ISO-8601 strings in UTC on both
 * dialects (TEXT in SQLite, timestamptz in PostgreSQL read back as ISO strings);
 * JSON values are stored as text; booleans as 0/1 integers — so one code path serves both.
 */
export interface Database {
  consultation: ConsultationTable;
  number_sequence: NumberSequenceTable;
  consultation_note: NoteTable;
  consultation_answer: AnswerTable;
  consultation_email: EmailTable;
  consultation_attachment: AttachmentTable;
  consultation_history: HistoryTable;
  /** PostgreSQL only; SQLite keeps the same text in the FTS5 table `consultation_fts`. */
  consultation_search: SearchTable;
  teams_reference: TeamsReferenceTable;
  person: PersonTable;
  app_secret: AppSecretTable;
  notice: NoticeTable;
  ledger_export: LedgerExportTable;
  channel_digest: ChannelDigestTable;
  thread_line: ThreadLineTable;
}

/** A line for a card's thread that Teams refused, until the catch-up says it. */
export interface ThreadLineTable {
  id: Generated<number>;
  consultation_id: number;
  /** The message as it would have been sent (one or more lines). */
  text: string;
  /** When the first of its lines was said. */
  said_at: string;
  created_at: string;
  attempts: Generated<number>;
  /** Someone is saying it until then (another instance leaves it alone). */
  taken_until: string | null;
}

/** A day the morning summary was posted in the intake channel (Tokyo date, `YYYY-MM-DD`). */
export interface ChannelDigestTable {
  day: string;
  at: string;
}

/** An export of personal data from the ledger (`csv` or `casebook`). */
export interface LedgerExportTable {
  id: Generated<number>;
  kind: string;
  actor_id: string;
  actor_name: string;
  at: string;
  range_from: string | null;
  range_to: string | null;
  record_count: number;
  /** The 事例集's records, as a JSON array of ids. */
  consultation_ids: string | null;
  /** `complete`, or `broken` when the download broke off. */
  outcome: string;
}

/** A 1:1 notice a change owes someone, until it is delivered (or no longer true). */
export interface NoticeTable {
  id: Generated<number>;
  consultation_id: number;
  /** `dispatched` (to the specialist) or `answered` (to the first-line owner). */
  kind: string;
  recipient_id: string;
  by_id: string;
  by_name: string;
  /** The record's version the change made. */
  version: number;
  created_at: string;
  attempts: Generated<number>;
  /** Someone is delivering it until then (another instance leaves it alone). */
  taken_until: string | null;
  done_at: string | null;
  /** `sent`, `obsolete` (no longer true when it came to be delivered) or `failed`. */
  outcome: string | null;
}

export interface ConsultationTable {
  id: Generated<number>;
  number: string;
  fiscal_year: number;
  seq: number;
  channel: string;
  state: string;
  received_at: string;
  consulter_organisation: string | null;
  consulter_person: string | null;
  consulter_email: string | null;
  consulter_phone: string | null;
  consulter_industry: string | null;
  consulter_employees: number | null;
  consulter_municipality: string | null;
  category_id: string;
  urgency: string;
  subject: string;
  details: string;
  situation: string;
  first_line_owner_id: string | null;
  first_line_owner_name: string | null;
  specialist_id: string | null;
  specialist_name: string | null;
  coordination_needed: number | null;
  coordination_reason: string | null;
  tags: string;
  card_conversation_id: string | null;
  card_activity_id: string | null;
  /** The record's version the channel card shows (null: not known to be shown). */
  card_version: number | null;
  /** While an instance posts the record's first channel card: until when it may. */
  card_posting_until: string | null;
  created_by_id: string;
  created_by_name: string;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  /** When the record's personal data was erased; null while it is kept. */
  erased_at: string | null;
  /** `retention` or `request` (`ErasureReason`), with `erased_at`. */
  erasure_reason: string | null;
  /** The consulter, normalised (`consulterKeys`): how their other records are found. */
  organisation_key: string | null;
  email_key: string | null;
  phone_key: string | null;
  version: number;
}

export interface NumberSequenceTable {
  fiscal_year: number;
  last_value: number;
}

export interface NoteTable {
  id: Generated<number>;
  consultation_id: number;
  author_id: string;
  author_name: string;
  body: string;
  source: string;
  created_at: string;
}

export interface AnswerTable {
  id: Generated<number>;
  consultation_id: number;
  author_id: string;
  author_name: string;
  line: string;
  body: string;
  delivery: string;
  created_at: string;
  delivery_status: Generated<string>;
  request_id: string | null;
  mail_method: string | null;
  /** JSON array of addresses. */
  mail_to: string | null;
  /** JSON array of addresses. */
  mail_cc: string | null;
  mail_subject: string | null;
  reply_to_message_id: string | null;
  sent_message_id: string | null;
  sent_internet_message_id: string | null;
  last_error_code: string | null;
  last_error_ja: string | null;
  last_error_en: string | null;
  attempts: Generated<number>;
  delivery_updated_at: string | null;
}

export interface EmailTable {
  id: Generated<number>;
  consultation_id: number;
  graph_message_id: string;
  internet_message_id: string;
  conversation_id: string | null;
  subject: string | null;
  received_at: string | null;
  linked_at: string;
  sender_address: string | null;
  /** The body as text, cut at the configured limit. */
  body_text: string | null;
  body_truncated: Generated<number>;
  linked_by_id: string | null;
  linked_by_name: string | null;
  /** The Outlook category naming the case: `tagged` | `failed`; null while not tried. */
  tag_status: string | null;
  tag_code: string | null;
}

/** An email's attachment: always listed; its content kept up to the configured size. */
export interface AttachmentTable {
  id: Generated<number>;
  consultation_id: number;
  email_id: number;
  graph_attachment_id: string;
  name: string;
  content_type: string | null;
  size: number;
  is_inline: Generated<number>;
  sha256: string | null;
  content: Buffer | null;
  /** `too_big` | `not_file` | `download_failed`; null when the content is kept. */
  skipped_reason: string | null;
  skipped_ja: string | null;
  skipped_en: string | null;
  created_at: string;
}

export interface HistoryTable {
  id: Generated<number>;
  consultation_id: number;
  action: string;
  actor_id: string;
  actor_name: string;
  at: string;
  from_state: string | null;
  to_state: string | null;
  before_json: string | null;
  after_json: string | null;
  request_id: string | null;
  /** The record's version this change made; null for entries that change no version. */
  version: number | null;
}

export interface SearchTable {
  consultation_id: number;
  body: string;
}

export interface TeamsReferenceTable {
  key: string;
  conversation_id: string;
  /** The Bot Framework ConversationReference, as JSON. */
  reference: string;
  updated_at: string;
  /** The team of a channel's reference (`channelData.team.id`); null for a 1:1 chat. */
  team_id: string | null;
}

export interface PersonTable {
  aad_object_id: string;
  teams_user_id: string;
  name: string;
  locale: string | null;
  language: string | null;
  updated_at: string;
}

/** A secret the app made for itself, shared by every instance (the web form's signing key). */
export interface AppSecretTable {
  name: string;
  value: string;
  created_at: string;
}
