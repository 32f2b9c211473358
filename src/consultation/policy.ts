import {
  OPEN_STATES,
  type Actor,
  type Answer,
  type Consultation,
  type Role,
  type State,
} from './types';

/** The actions a person takes on an existing record. */
export const VERBS = [
  'claim',
  'unclaim',
  'dispatch',
  'answer',
  'note',
  'recategorise',
  'close',
  'reopen',
] as const;
export type Verb = (typeof VERBS)[number];

const has = (actor: Actor, ...roles: Role[]) => roles.some((r) => actor.roles.includes(r));
const isOwner = (actor: Actor, c: Consultation) => c.firstLineOwner?.id === actor.id;
const isSpecialist = (actor: Actor, c: Consultation) => c.specialist?.id === actor.id;

export const isStaff = (actor: Actor): boolean =>
  has(actor, 'first-line', 'specialist', 'supervisor');

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
  dispatch: { from: ['claimed'], who: (a, c) => isOwner(a, c) || has(a, 'supervisor') },
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
  // An answered case is closed by those who handled it; an unanswered one (withdrawn,
  // a duplicate) only by a supervisor.
  close: {
    from: OPEN_STATES,
    who: (a, c) =>
      has(a, 'supervisor') || (c.state === 'answered' && (isOwner(a, c) || isSpecialist(a, c))),
  },
  reopen: { from: ['closed'], who: (a) => has(a, 'first-line', 'supervisor') },
};

export const applies = (verb: Verb, c: Consultation): boolean =>
  POLICY[verb].from.includes(c.state);

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
