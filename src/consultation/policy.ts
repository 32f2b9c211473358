import {
  OPEN_STATES,
  STATES,
  type Actor,
  type Answer,
  type Channel,
  type Consultation,
  type Role,
  type State,
  type SystemActorId,
} from './types';

/** The actions a person takes on an existing record. */
export const VERBS = [
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
] as const;
export type Verb = (typeof VERBS)[number];

const has = (actor: Actor, ...roles: Role[]) => roles.some((r) => actor.roles.includes(r));
const isOwner = (actor: Actor, c: Consultation) => c.firstLineOwner?.id === actor.id;
const isSpecialist = (actor: Actor, c: Consultation) => c.specialist?.id === actor.id;

/** A person holding a role; a system actor is never staff, whatever its roles say. */
export const isStaff = (actor: Actor): boolean =>
  !actor.system && has(actor, 'first-line', 'specialist', 'supervisor');

/** What a part of Madoguchi acting by itself may do; it may do nothing else. */
export interface SystemRule {
  /** Channels of the records it may create. */
  create: readonly Channel[];
  /** It may record that a consulter was sent (or not) the acknowledgement email. */
  acknowledge: boolean;
  /** It may erase the personal data of a closed record whose retention period ended. */
  erase: boolean;
}

/**
 * The system actors' rights. The public web form records what consulters file on the
 * web and acknowledges it by email; it cannot read, claim or change any record.
 */
export const SYSTEM_POLICY: Record<SystemActorId, SystemRule> = {
  'web-form': { create: ['web'], acknowledge: true, erase: false },
  retention: { create: [], acknowledge: false, erase: true },
};

/**
 * Who may record a new consultation: staff, by any channel; a system actor, by its own
 * channels. Without `channel`: whether the actor may create anything at all.
 */
export const mayCreate = (actor: Actor, channel?: Channel): boolean => {
  if (actor.system) {
    const allowed = SYSTEM_POLICY[actor.system].create;
    return channel === undefined ? allowed.length > 0 : allowed.includes(channel);
  }
  return isStaff(actor);
};

/** Who may record how a consulter's acknowledgement email went: the system that sent it. */
export const mayAcknowledge = (actor: Actor): boolean =>
  !!actor.system && SYSTEM_POLICY[actor.system].acknowledge;

interface Rule {
  /** States the action starts from. */
  from: readonly State[];
  /** Who may take it, given the record as it is. */
  who: (actor: Actor, c: Consultation) => boolean;
}

/**
 * Who may do what, in which state. The service enforces it; cards and pages use it to
 * offer only the buttons a person can press.
 */
export const POLICY: Record<Verb, Rule> = {
  claim: { from: ['received'], who: (a) => has(a, 'first-line', 'supervisor') },
  unclaim: { from: ['claimed'], who: (a, c) => isOwner(a, c) || has(a, 'supervisor') },
  // From `dispatched` too: to another specialist (the first cannot take it, or is away).
  dispatch: {
    from: ['claimed', 'dispatched'],
    who: (a, c) => isOwner(a, c) || has(a, 'supervisor'),
  },
  // The specialist gives a case back to its first-line owner, saying why.
  return: { from: ['dispatched'], who: (a, c) => isSpecialist(a, c) || has(a, 'supervisor') },
  answer: {
    from: ['claimed', 'dispatched'],
    who: (a, c) =>
      has(a, 'supervisor') || isOwner(a, c) || (c.state === 'dispatched' && isSpecialist(a, c)),
  },
  note: { from: OPEN_STATES, who: isStaff },
  recategorise: {
    from: OPEN_STATES,
    who: (a, c) => has(a, 'first-line', 'supervisor') || isSpecialist(a, c),
  },
  // Correcting what was recorded: first line and supervisors, and the case's specialist;
  // once closed, supervisors only (the record is what the reports count).
  edit: {
    from: STATES,
    who: (a, c) =>
      c.state === 'closed'
        ? has(a, 'supervisor')
        : has(a, 'first-line', 'supervisor') || isSpecialist(a, c),
  },
  // An answered case is closed by those who handled it; an unanswered one (withdrawn,
  // a duplicate) only by a supervisor.
  close: {
    from: OPEN_STATES,
    who: (a, c) =>
      has(a, 'supervisor') || (c.state === 'answered' && (isOwner(a, c) || isSpecialist(a, c))),
  },
  reopen: { from: ['closed'], who: (a) => has(a, 'first-line', 'supervisor') },
};

/** Whether the action can be taken in the record's state; never on an erased record. */
export const applies = (verb: Verb, c: Consultation): boolean =>
  !c.erasure && POLICY[verb].from.includes(c.state);

/**
 * Who may erase a record's personal data: a supervisor (on the consulter's request) and
 * the retention schedule.
 */
export const mayErase = (actor: Actor): boolean =>
  actor.system ? SYSTEM_POLICY[actor.system].erase : isStaff(actor) && has(actor, 'supervisor');

/** A record can be erased once it is closed, and only once. */
export const erasable = (c: Consultation): boolean => c.state === 'closed' && !c.erasure;

export const permits = (actor: Actor, verb: Verb, c: Consultation): boolean =>
  isStaff(actor) && applies(verb, c) && POLICY[verb].who(actor, c);

/** The actions this person can take on this record now. */
export const allowedVerbs = (actor: Actor, c: Consultation): Verb[] =>
  VERBS.filter((v) => permits(actor, v, c));

/**
 * Who may send an answer's email again (after a failure): whoever wrote it, the case's
 * first-line owner or specialist, or a supervisor.
 */
export const maySendAgain = (actor: Actor, c: Consultation, answer: Pick<Answer, 'author'>) =>
  isStaff(actor) &&
  (has(actor, 'supervisor') ||
    answer.author.id === actor.id ||
    isOwner(actor, c) ||
    isSpecialist(actor, c));
