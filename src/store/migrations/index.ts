import type { Migration } from 'kysely';
import type { Dialect } from '../store';
import { consultations } from './2026-11-26-001-consultations';

/** Every migration, in order. Names are frozen once released: add, never edit. */
export function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '2026-11-26-001-consultations': consultations(dialect),
  };
}
