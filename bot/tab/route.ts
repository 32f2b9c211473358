/**
 * The page's address: which view, and the list's filters, live in the hash, so the
 * browser's back button, reloads and links all work. `#/list?state=received&q=…`,
 * `#/consultations/12`, `#/stats?from=2026-01&to=2026-12`, `#/export`.
 */
import { CHANNELS, STATES, URGENCIES } from '../../src/consultation/types';
import type { Channel, State, Urgency } from '../../src/consultation/types';
import { isDay, isMonth } from './format';

export interface Filters {
  q: string;
  states: State[];
  channel: Channel | '';
  category: string;
  urgency: Urgency | '';
  person: string;
  /** Tokyo calendar days, `YYYY-MM-DD`; `to` is inclusive. */
  from: string;
  to: string;
  /** A record's id: that record and the others of the same consulter. */
  sameAs: number | null;
  page: number;
}

export const EMPTY_FILTERS: Filters = {
  q: '',
  states: [],
  channel: '',
  category: '',
  urgency: '',
  person: '',
  from: '',
  to: '',
  sameAs: null,
  page: 1,
};

export type Route =
  | { view: 'list'; filters: Filters }
  | { view: 'record'; id: number }
  | { view: 'stats'; from: string; to: string }
  | { view: 'export' };

/** The most the search box keeps (the server refuses longer searches anyway). */
const MAX_Q = 200;

/** A record's id in the address (`#/consultations/12`, `sameAs=12`). */
const RECORD_ID = /^[1-9]\d{0,15}$/;

const oneOf = <T extends string>(list: readonly T[], v: string | null): T | '' =>
  v !== null && (list as readonly string[]).includes(v) ? (v as T) : '';

/** Filters from a query string; values that are not valid are left out. */
export function parseFilters(params: URLSearchParams): Filters {
  const states = (params.get('state') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s): s is State => (STATES as readonly string[]).includes(s));
  const page = Number(params.get('page') ?? '1');
  const day = (v: string | null) => (v && isDay(v) ? v : '');
  const sameAs = (params.get('sameAs') ?? '').trim();
  return {
    q: (params.get('q') ?? '').trim().slice(0, MAX_Q),
    states: [...new Set(states)].sort((a, b) => STATES.indexOf(a) - STATES.indexOf(b)),
    channel: oneOf(CHANNELS, params.get('channel')),
    category: (params.get('category') ?? '').trim(),
    urgency: oneOf(URGENCIES, params.get('urgency')),
    person: (params.get('person') ?? '').trim(),
    from: day(params.get('from')),
    to: day(params.get('to')),
    sameAs: RECORD_ID.test(sameAs) ? Number(sameAs) : null,
    page: Number.isInteger(page) && page >= 1 ? page : 1,
  };
}

/** The query string of the filters; empty ones (and page 1) are left out. */
export function filtersToQuery(f: Filters): string {
  const params = new URLSearchParams();
  if (f.q.trim()) params.set('q', f.q.trim());
  if (f.states.length) params.set('state', f.states.join(','));
  if (f.channel) params.set('channel', f.channel);
  if (f.category) params.set('category', f.category);
  if (f.urgency) params.set('urgency', f.urgency);
  if (f.person) params.set('person', f.person);
  if (f.from) params.set('from', f.from);
  if (f.to) params.set('to', f.to);
  if (f.sameAs) params.set('sameAs', String(f.sameAs));
  if (f.page > 1) params.set('page', String(f.page));
  return params.toString();
}

/** The API's query for these filters (`/api/ledger/consultations?…`). */
export function filtersToApiQuery(f: Filters, pageSize: number): string {
  const q = filtersToQuery({ ...f, page: 1 });
  const paging = `page=${f.page}&pageSize=${pageSize}`;
  return q ? `${q}&${paging}` : paging;
}

export const hasFilters = (f: Filters): boolean => filtersToQuery({ ...f, page: 1 }) !== '';

/** The route of a location hash (`#/list?…`); anything unknown is the list. */
export function parseHash(hash: string): Route {
  const raw = hash.replace(/^#/, '');
  const [path = '', query = ''] = raw.split('?', 2) as [string, string?];
  const params = new URLSearchParams(query);
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'consultations' && parts[1] && RECORD_ID.test(parts[1])) {
    return { view: 'record', id: Number(parts[1]) };
  }
  if (parts[0] === 'stats') {
    const from = params.get('from') ?? '';
    const to = params.get('to') ?? '';
    return { view: 'stats', from: isMonth(from) ? from : '', to: isMonth(to) ? to : '' };
  }
  if (parts[0] === 'export') return { view: 'export' };
  return { view: 'list', filters: parseFilters(params) };
}

/** The hash of a route; `parseHash(routeToHash(r))` gives `r` back. */
export function routeToHash(route: Route): string {
  switch (route.view) {
    case 'record':
      return `#/consultations/${route.id}`;
    case 'stats': {
      const params = new URLSearchParams();
      if (route.from) params.set('from', route.from);
      if (route.to) params.set('to', route.to);
      const q = params.toString();
      return q ? `#/stats?${q}` : '#/stats';
    }
    case 'export':
      return '#/export';
    case 'list': {
      const q = filtersToQuery(route.filters);
      return q ? `#/list?${q}` : '#/list';
    }
  }
}

/**
 * The record a Teams deep link to the tab points at: its `subPageId` (`subEntityId`) is
 * the record's id, or `consultation:<id>`.
 */
export function recordFromSubPage(subPageId: string | undefined): number | null {
  const m = /^(?:consultation:)?([1-9]\d{0,15})$/.exec((subPageId ?? '').trim());
  return m ? Number(m[1]) : null;
}

/**
 * Where a Teams deep link to the tab points: its `subPageId` (`subEntityId`) is a record
 * (`recordFromSubPage`), or `list?<filters>` for the list with those filters (a search's
 * results, one's own open cases).
 */
export function routeFromSubPage(subPageId: string | undefined): Route | null {
  const sub = (subPageId ?? '').trim();
  if (sub.startsWith('list?')) {
    return { view: 'list', filters: parseFilters(new URLSearchParams(sub.slice('list?'.length))) };
  }
  const id = recordFromSubPage(sub);
  return id === null ? null : { view: 'record', id };
}
