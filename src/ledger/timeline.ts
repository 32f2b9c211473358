/**
 * A record's timeline: its history, notes, answers and emails as one list, oldest first,
 * each with a sentence in Japanese and English. Pure functions: no I/O.
 */
import type { ConsultationDetails } from '../consultation/consultation.service';
import {
  ACKNOWLEDGEMENT_LABELS,
  ACTION_LABELS,
  CHANNEL_LABELS,
  DELIVERY_STATUS_LABELS,
  ERASURE_LABELS,
  TRISTATE_LABELS,
  URGENCY_LABELS,
} from '../consultation/labels';
import type {
  AcknowledgementStatus,
  Answer,
  Channel,
  ErasureReason,
  HistoryEntry,
  LinkedEmail,
  Note,
  PersonRef,
  Tristate,
  Urgency,
} from '../consultation/types';
import type { Localized } from '../i18n/messages';
import { fill } from './messages';
import { fieldLabel } from '../consultation/fields';

export const TIMELINE_KINDS = ['history', 'note', 'answer', 'email', 'acknowledgement'] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export interface TimelineItem {
  at: string;
  kind: TimelineKind;
  /** Who did it; null for what arrived from outside (a consulter's email). */
  who: PersonRef | null;
  summary: Localized;
  /** Text written by a person (a note, an answer, a reason). */
  body?: string;
  details?: Record<string, unknown>;
}

const T = {
  create: {
    ja: '受付登録（{channelJa}・{categoryJa}・緊急度 {urgencyJa}）',
    en: 'Recorded ({channelEn}, {categoryEn}, urgency {urgencyEn})',
  },
  claim: { ja: '担当しました', en: 'Claimed the case' },
  unclaim: { ja: '担当を外れました', en: 'Gave the case back' },
  dispatch: { ja: '{name}さんに二次対応を依頼しました', en: 'Dispatched the case to {name}' },
  dispatchCoordination: { ja: '（調整が必要）', en: ' (coordination needed)' },
  return: { ja: '一次対応へ差し戻しました', en: 'Returned the case to first line' },
  edit: { ja: '記録を修正しました（{fieldsJa}）', en: 'Edited the record ({fieldsEn})' },
  none: { ja: '（なし）', en: '(none)' },
  recategorise: {
    ja: '分類を変更しました（{fromJa} → {toJa}）',
    en: 'Changed the category ({fromEn} → {toEn})',
  },
  recategoriseUrgency: {
    ja: '緊急度を変更しました（{fromJa} → {toJa}）',
    en: 'Changed the urgency ({fromEn} → {toEn})',
  },
  close: { ja: '完了にしました', en: 'Closed the case' },
  reopen: { ja: '再開しました', en: 'Reopened the case' },
  linkEmail: { ja: 'メールを紐付けました', en: 'Linked an email' },
  sendSent: { ja: '回答をメールで送信しました', en: 'Emailed the answer' },
  sendFailed: {
    ja: '回答メールを送信できませんでした（{code}）',
    en: 'The answer could not be emailed ({code})',
  },
  note: { ja: 'メモ（{sourceJa}）', en: 'Note ({sourceEn})' },
  answer: { ja: '回答（{lineJa}・{deliveryJa}）', en: 'Answer ({lineEn}, {deliveryEn})' },
  email: { ja: '相談者からのメール', en: "The consulter's email" },
  erase: {
    ja: '個人情報を消去しました（{reasonJa}）',
    en: 'Erased the personal data ({reasonEn})',
  },
} satisfies Record<string, Localized>;

const NOTE_SOURCES: Record<Note['source'], Localized> = {
  card: { ja: 'カード', en: 'card' },
  thread: { ja: 'スレッド', en: 'thread' },
  chat: { ja: 'チャット', en: 'chat' },
};
const LINES: Record<Answer['line'], Localized> = {
  first: { ja: '一次対応', en: 'first line' },
  second: { ja: '二次対応', en: 'second line' },
};
const DELIVERIES: Record<Answer['delivery'], Localized> = {
  email: { ja: 'メール', en: 'email' },
  phone: { ja: '電話', en: 'phone' },
  counter: { ja: '窓口', en: 'counter' },
  none: { ja: '連絡なし', en: 'not passed on' },
};

/** Both languages of a label as `{keyJa, keyEn}` parameters. */
function both(key: string, label: Localized | undefined, fallback: string) {
  return { [`${key}Ja`]: label?.ja ?? fallback, [`${key}En`]: label?.en ?? fallback };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The value at a field's path (`consulter.email`) in a history entry's before or after. */
function valueAt(o: Record<string, unknown>, path: string): unknown {
  let v: unknown = o;
  for (const part of path.split('.')) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/** The checklist's yes / no / unknown questions. */
const TRISTATE_FIELDS = new Set(['situation.ongoing', 'situation.dataAtRisk']);

/** A recorded value as people read it: a checklist answer in words, nothing as 「（なし）」. */
function shown(field: string, v: unknown): Localized {
  if (v === null || v === undefined || v === '') return T.none;
  if (TRISTATE_FIELDS.has(field) && typeof v === 'string' && v in TRISTATE_LABELS) {
    return TRISTATE_LABELS[v as Tristate];
  }
  return { ja: String(v), en: String(v) };
}

/** What a history entry says; null for entries another item already shows. */
function fromHistory(
  h: HistoryEntry,
  categoryLabel: (id: string) => Localized | undefined,
): TimelineItem | null {
  const after = h.after ?? {};
  const before = h.before ?? {};
  const base = {
    at: h.at,
    who: h.actor,
    details: { action: h.action, fromState: h.fromState, toState: h.toState },
  };
  const item = (summary: Localized, extra: Partial<TimelineItem> = {}): TimelineItem => ({
    ...base,
    kind: 'history',
    summary,
    ...extra,
  });
  const action: string = h.action;
  switch (action) {
    case 'note':
    case 'answer':
    case 'link-card':
    case 'view':
      // Notes and answers are shown from their own rows (with their text); where the card
      // was posted is bookkeeping (the record's page links to the card).
      return null;
    case 'create': {
      const channel = str(after.channel);
      const category = str(after.categoryId);
      const urgency = str(after.urgency);
      return item(
        fill(T.create, {
          ...both(
            'channel',
            channel ? CHANNEL_LABELS[channel as Channel] : undefined,
            channel ?? '',
          ),
          ...both('category', category ? categoryLabel(category) : undefined, category ?? ''),
          ...both(
            'urgency',
            urgency ? URGENCY_LABELS[urgency as Urgency] : undefined,
            urgency ?? '',
          ),
        }),
      );
    }
    case 'claim':
      return item(T.claim);
    case 'unclaim':
      return item(T.unclaim);
    case 'dispatch': {
      const specialist = after.specialist as PersonRef | undefined;
      const summary = fill(T.dispatch, { name: specialist?.name ?? '' });
      const coordination = after.coordinationNeeded === true;
      const reason = str(after.coordinationReason);
      return item(
        coordination
          ? {
              ja: summary.ja + T.dispatchCoordination.ja,
              en: summary.en + T.dispatchCoordination.en,
            }
          : summary,
        {
          ...(reason ? { body: reason } : {}),
          details: {
            ...base.details,
            specialist: specialist ?? null,
            coordinationNeeded: after.coordinationNeeded ?? null,
          },
        },
      );
    }
    case 'edit': {
      const fields = Array.isArray(after.fields) ? after.fields.map(String) : [];
      const labels = fields.map((f) => fieldLabel(f));
      // Each field as it was and as it is (gone with the personal data, once erased).
      const changes = fields.flatMap((field) => {
        const was = valueAt(before, field);
        const now = valueAt(after, field);
        if (was === undefined && now === undefined) return [];
        return [
          {
            field,
            label: fieldLabel(field),
            before: shown(field, was),
            after: shown(field, now),
          },
        ];
      });
      return item(
        fill(T.edit, {
          fieldsJa: labels.map((l) => l.ja).join('、'),
          fieldsEn: labels.map((l) => l.en).join(', '),
        }),
        { details: { ...base.details, fields, changes } },
      );
    }
    case 'return': {
      const reason = str(after.reason);
      return item(T.return, reason ? { body: reason } : {});
    }
    case 'recategorise': {
      const parts: Localized[] = [];
      const from = str(before.categoryId);
      const to = str(after.categoryId);
      if (to && to !== from) {
        parts.push(
          fill(T.recategorise, {
            ...both('from', from ? categoryLabel(from) : undefined, from ?? ''),
            ...both('to', categoryLabel(to), to),
          }),
        );
      }
      const uFrom = str(before.urgency);
      const uTo = str(after.urgency);
      if (uTo && uTo !== uFrom) {
        parts.push(
          fill(T.recategoriseUrgency, {
            ...both('from', uFrom ? URGENCY_LABELS[uFrom as Urgency] : undefined, uFrom ?? ''),
            ...both('to', URGENCY_LABELS[uTo as Urgency], uTo),
          }),
        );
      }
      if (parts.length === 0) parts.push(ACTION_LABELS.recategorise);
      return item({
        ja: parts.map((p) => p.ja).join('、'),
        en: parts.map((p) => p.en).join('; '),
      });
    }
    case 'close': {
      const reason = str(after.reason);
      return item(T.close, reason ? { body: reason } : {});
    }
    case 'reopen':
      return item(T.reopen);
    case 'erase': {
      const reason = str(after.erasure) as ErasureReason | undefined;
      const label = reason ? ERASURE_LABELS[reason] : undefined;
      return item(fill(T.erase, both('reason', label, reason ?? '')), {
        details: { ...base.details, erasure: reason ?? null },
      });
    }
    case 'link-email':
      return item(T.linkEmail);
    case 'send-answer': {
      const failed = after.status === 'failed';
      const summary = failed ? fill(T.sendFailed, { code: str(after.code) ?? '' }) : T.sendSent;
      return item(summary, {
        details: {
          ...base.details,
          answerId: after.answerId ?? null,
          status: after.status ?? null,
          attempt: after.attempt ?? null,
          code: after.code ?? null,
        },
      });
    }
    case 'acknowledge': {
      const status = str(after.status) as AcknowledgementStatus | undefined;
      const label = (status && ACKNOWLEDGEMENT_LABELS[status]) || ACKNOWLEDGEMENT_LABELS.failed;
      const code = str(after.code);
      return {
        ...item(code ? { ja: `${label.ja}（${code}）`, en: `${label.en} (${code})` } : label, {
          details: { ...base.details, status: status ?? null, code: code ?? null },
        }),
        kind: 'acknowledgement',
      };
    }
    default: {
      const label = (ACTION_LABELS as Record<string, Localized | undefined>)[action];
      return item(label ?? { ja: action, en: action });
    }
  }
}

function fromNote(n: Note): TimelineItem {
  const source = NOTE_SOURCES[n.source] ?? { ja: n.source, en: n.source };
  return {
    at: n.createdAt,
    kind: 'note',
    who: n.author,
    summary: fill(T.note, { sourceJa: source.ja, sourceEn: source.en }),
    body: n.body,
    details: { source: n.source },
  };
}

/**
 * A note whose text was erased with the record's personal data: who wrote it and when
 * stay in the history. `details.contentErased` says its text is gone.
 */
function erasedNote(h: HistoryEntry): TimelineItem {
  const source = str(h.after?.source) as Note['source'] | undefined;
  const label = (source && NOTE_SOURCES[source]) || undefined;
  return {
    at: h.at,
    kind: 'note',
    who: h.actor,
    summary: label ? fill(T.note, { sourceJa: label.ja, sourceEn: label.en }) : ACTION_LABELS.note,
    details: { source: source ?? null, contentErased: true },
  };
}

/** An answer whose text was erased: who answered, when, at which line and how, stay. */
function erasedAnswer(h: HistoryEntry): TimelineItem {
  const line = h.fromState === 'dispatched' ? 'second' : 'first';
  const delivery = str(h.after?.delivery) as Answer['delivery'] | undefined;
  const how = (delivery && DELIVERIES[delivery]) || undefined;
  return {
    at: h.at,
    kind: 'answer',
    who: h.actor,
    summary: how
      ? fill(T.answer, {
          lineJa: LINES[line].ja,
          lineEn: LINES[line].en,
          deliveryJa: how.ja,
          deliveryEn: how.en,
        })
      : ACTION_LABELS.answer,
    details: {
      answerId: h.after?.answerId ?? null,
      line,
      delivery: delivery ?? null,
      contentErased: true,
      fromState: h.fromState,
      toState: h.toState,
    },
  };
}

function fromAnswer(a: Answer): TimelineItem {
  const line = LINES[a.line];
  const delivery = DELIVERIES[a.delivery];
  return {
    at: a.createdAt,
    kind: 'answer',
    who: a.author,
    summary: fill(T.answer, {
      lineJa: line.ja,
      lineEn: line.en,
      deliveryJa: delivery.ja,
      deliveryEn: delivery.en,
    }),
    body: a.body,
    details: {
      answerId: a.id,
      line: a.line,
      delivery: a.delivery,
      deliveryStatus: a.deliveryStatus,
      deliveryStatusLabel: DELIVERY_STATUS_LABELS[a.deliveryStatus],
      email: a.email && {
        method: a.email.method,
        to: a.email.to,
        cc: a.email.cc,
        subject: a.email.subject,
      },
      lastError: a.lastError,
      attempts: a.attempts,
      deliveryUpdatedAt: a.deliveryUpdatedAt,
    },
  };
}

/** What the email intake keeps of an email beyond its ids: its text, sender and attachments. */
export interface EmailContent {
  sender: string | null;
  bodyText: string | null;
  bodyTruncated: boolean;
  linkedBy: PersonRef | null;
  attachments: Array<{
    name: string;
    contentType: string | null;
    size: number;
    /** Whether its content is kept; otherwise why not. */
    kept: boolean;
    skipped: Localized | null;
  }>;
}

function fromEmail(e: LinkedEmail, content: EmailContent | undefined): TimelineItem {
  return {
    at: e.receivedAt ?? e.linkedAt,
    kind: 'email',
    // Who turned it into the record or added it; null when that was not recorded.
    who: content?.linkedBy ?? null,
    summary: T.email,
    ...(content?.bodyText ? { body: content.bodyText } : {}),
    details: {
      emailId: e.id,
      subject: e.subject,
      receivedAt: e.receivedAt,
      linkedAt: e.linkedAt,
      sender: content?.sender ?? null,
      bodyTruncated: content?.bodyTruncated ?? false,
      attachments: content?.attachments ?? [],
    },
  };
}

/** Everything that happened to a record, oldest first. */
export function timeline(
  d: Pick<ConsultationDetails, 'history' | 'notes' | 'answers' | 'emails'>,
  categoryLabel: (id: string) => Localized | undefined,
  emailContent: ReadonlyMap<number, EmailContent> = new Map(),
): TimelineItem[] {
  // A note or an answer takes the place of the history entry written with it, so that
  // things done within the same instant keep the order they were done in. An answer's
  // entry names it; notes and their entries are written in pairs, so they pair in order.
  const answers = new Map(d.answers.map((a) => [a.id, a]));
  const noteEntries = d.history.filter((h) => h.action === 'note').length;
  const pairNotes = noteEntries === d.notes.length;
  let nextNote = 0;
  const placed = new Set<Answer | Note>();
  const items: TimelineItem[] = [];
  for (const h of d.history) {
    if (h.action === 'answer') {
      const answerId = Number(h.after?.answerId);
      const answer = answers.get(answerId);
      if (answer) {
        const item = fromAnswer(answer);
        items.push({
          ...item,
          details: { ...item.details, fromState: h.fromState, toState: h.toState },
        });
        placed.add(answer);
      } else if (Number.isSafeInteger(answerId) && answerId > 0) {
        // Its row went with the record's personal data; the entry says who answered when.
        items.push(erasedAnswer(h));
      }
      continue;
    }
    if (h.action === 'note') {
      const note = pairNotes ? d.notes[nextNote++] : undefined;
      if (note) {
        items.push(fromNote(note));
        placed.add(note);
      } else if (d.notes.length === 0) {
        items.push(erasedNote(h));
      }
      continue;
    }
    const item = fromHistory(h, categoryLabel);
    if (item) items.push(item);
  }
  items.push(
    ...d.notes.filter((n) => !placed.has(n)).map(fromNote),
    ...d.answers.filter((a) => !placed.has(a)).map(fromAnswer),
    ...d.emails.map((e) => fromEmail(e, emailContent.get(e.id))),
  );
  // Stable: at the same instant, the order above stands.
  return items
    .map((item, i) => ({ item, i, t: Date.parse(item.at) }))
    .sort((a, b) => a.t - b.t || a.i - b.i)
    .map((x) => x.item);
}

/** A Teams link that opens the record's card in its channel; null when it has none. */
export function teamsCardUrl(
  card: { conversationId: string; activityId: string } | null,
): string | null {
  if (!card) return null;
  const channelId = card.conversationId.split(';')[0]!;
  return `https://teams.microsoft.com/l/message/${encodeURIComponent(channelId)}/${encodeURIComponent(card.activityId)}`;
}
