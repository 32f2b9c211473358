/** The consultation record and the words of its lifecycle. */

import type { Localized } from '../i18n/messages';

export const CHANNELS = ['phone', 'web', 'email', 'counter'] as const;
export type Channel = (typeof CHANNELS)[number];

export const STATES = ['received', 'claimed', 'dispatched', 'answered', 'closed'] as const;
export type State = (typeof STATES)[number];
export const OPEN_STATES: readonly State[] = ['received', 'claimed', 'dispatched', 'answered'];

export const URGENCIES = ['low', 'normal', 'high', 'critical'] as const;
export type Urgency = (typeof URGENCIES)[number];

export const ROLES = ['first-line', 'specialist', 'supervisor'] as const;
export type Role = (typeof ROLES)[number];

export const ACTIONS = [
  'create',
  'claim',
  'unclaim',
  'dispatch',
  'return',
  'answer',
  'note',
  'recategorise',
  'edit',
  'close',
  'reopen',
  'link-email',
  'link-card',
  'send-answer',
  'acknowledge',
  'erase',
  'view',
] as const;
/** What a person can do to a record; `view` is never written to history. */
export type Action = (typeof ACTIONS)[number];

/** A tri-state answer on the intake checklist. */
export const TRISTATE = ['yes', 'no', 'unknown'] as const;
export type Tristate = (typeof TRISTATE)[number];

/** A person acting on the desk, as the surface has authenticated them. */
export interface Actor {
  /** Entra object id (or the Playground's mock id in local mode). */
  id: string;
  name: string;
  roles: readonly Role[];
  /**
   * Set for a part of Madoguchi that acts by itself rather than for a signed-in person
   * (the public web form). Such an actor is never staff; `SYSTEM_POLICY` says what it may do.
   */
  system?: SystemActorId;
}

/** Parts of Madoguchi that act by themselves (see `SYSTEM_ACTORS` in system-actors.ts). */
export const SYSTEM_ACTOR_IDS = ['web-form', 'retention'] as const;
export type SystemActorId = (typeof SYSTEM_ACTOR_IDS)[number];

/**
 * How the acknowledgement email to a consulter went (a web-form case with an address):
 * `sent`, `failed` (Graph refused or was unreachable), or `not_configured` (mail is off).
 */
export const ACKNOWLEDGEMENT_STATUSES = ['sent', 'failed', 'not_configured'] as const;
export type AcknowledgementStatus = (typeof ACKNOWLEDGEMENT_STATUSES)[number];

export interface PersonRef {
  id: string;
  name: string;
}

export interface Consulter {
  organisation: string | null;
  person: string | null;
  email: string | null;
  phone: string | null;
  industry: string | null;
  employees: number | null;
  municipality: string | null;
}

/** The structured part of every intake (what happened, since when, …). */
export interface Situation {
  whatHappened: string | null;
  since: string | null;
  ongoing: Tristate;
  systems: string | null;
  dataAtRisk: Tristate;
  actionsTaken: string | null;
  contacted: string | null;
  evidence: string | null;
}

export interface TeamsCardRef {
  conversationId: string;
  activityId: string;
}

/**
 * Where a case was handled, as the statistics count it: completed at first line (answered
 * or closed, never dispatched), sent to second line (dispatched at least once), or still
 * open without a dispatch.
 */
export const HANDLINGS = ['firstLine', 'secondLine', 'open'] as const;
export type Handling = (typeof HANDLINGS)[number];

/**
 * Why a record's personal data was erased: its retention period ended (`retention`), or
 * the consulter asked (`request`, a supervisor's act).
 */
export const ERASURE_REASONS = ['retention', 'request'] as const;
export type ErasureReason = (typeof ERASURE_REASONS)[number];

/**
 * An erased record keeps what statistics need (number, channel, category, urgency, dates,
 * states, who handled it) and nothing of the consulter's: their details, what they wrote,
 * notes, answers and emails are gone, and its history says only who did what, when.
 */
export interface Erasure {
  at: string;
  reason: ErasureReason;
}

export interface Consultation {
  id: number;
  /** Human-readable number, unique per fiscal year: `2026-000123`. */
  number: string;
  fiscalYear: number;
  channel: Channel;
  state: State;
  receivedAt: string;
  consulter: Consulter;
  categoryId: string;
  urgency: Urgency;
  subject: string;
  details: string;
  situation: Situation;
  firstLineOwner: PersonRef | null;
  specialist: PersonRef | null;
  coordinationNeeded: boolean | null;
  coordinationReason: string | null;
  tags: string[];
  teamsCard: TeamsCardRef | null;
  createdBy: PersonRef;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  /** Set once the record's personal data is erased; nothing can change it after that. */
  erasure: Erasure | null;
  version: number;
}

export interface Note {
  id: number;
  consultationId: number;
  author: PersonRef;
  body: string;
  source: 'card' | 'thread' | 'chat';
  createdAt: string;
}

export const ANSWER_DELIVERIES = ['email', 'phone', 'counter', 'none'] as const;
export type AnswerDelivery = (typeof ANSWER_DELIVERIES)[number];

/**
 * Where an answer stands on its way to the consulter: `recorded` (given by phone, at the
 * counter, or not passed on), `sending` (saved, the email is on its way), `sent`, or
 * `failed` (the text is kept and it can be sent again).
 */
export const DELIVERY_STATUSES = ['recorded', 'sending', 'sent', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** An answer's email, as addressed when it was saved. */
export interface AnswerEmail {
  /** `reply`: in the thread of the consulter's email; `new`: a new message. */
  method: 'reply' | 'new';
  /** Addresses as sent. Empty for a reply to the sender Graph picks (From or Reply-To). */
  to: string[];
  cc: string[];
  subject: string;
  /** Graph id of the consulter's message answered (`reply`). */
  inReplyTo: string | null;
  /** Graph's ids of the sent message, when Graph tells them (not for reply or sendMail). */
  sentMessageId: string | null;
  internetMessageId: string | null;
}

export interface Answer {
  id: number;
  consultationId: number;
  author: PersonRef;
  /** Which line gave the answer. */
  line: 'first' | 'second';
  body: string;
  delivery: AnswerDelivery;
  createdAt: string;
  deliveryStatus: DeliveryStatus;
  /** Set when the answer is (to be) emailed by the desk. */
  email: AnswerEmail | null;
  /** Why the last sending failed: a code and what to tell people. */
  lastError: { code: string; message: Localized } | null;
  /** Sending attempts so far. */
  attempts: number;
  /** When the delivery status last changed. */
  deliveryUpdatedAt: string;
}

export interface LinkedEmail {
  id: number;
  consultationId: number;
  graphMessageId: string;
  internetMessageId: string;
  conversationId: string | null;
  subject: string | null;
  receivedAt: string | null;
  linkedAt: string;
}

export interface HistoryEntry {
  id: number;
  consultationId: number;
  action: Action;
  actor: PersonRef;
  at: string;
  fromState: State | null;
  toState: State | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  requestId: string | null;
  /** The record's version this change made (changes through the lifecycle only). */
  version?: number | null;
}
