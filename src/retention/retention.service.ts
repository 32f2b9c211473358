/**
 * The retention schedule the privacy notice promises (`RETENTION_YEARS`): a record is
 * kept for that many years from its close, counted from the latest close of the same
 * consulter's records, then its personal data is erased (`ConsultationService.erase…`).
 * What statistics need stays on the record.
 *
 * "The same consulter" is any other record with one of the same keys (`consulterKeys`:
 * the organisation's name without its legal form, the email address, the phone number's
 * digits). Such a record that is still open, or was closed within the period, keeps the
 * older ones.
 */
import { AppError, UnavailableError } from '../errors';
import { ErasureRepository } from '../consultation/erasure.repository';
import type { ConsultationService } from '../consultation/consultation.service';
import { RETENTION_YEARS } from '../intake/web-form/privacy';
import type { Logger } from '../logger';
import type { Store } from '../store/store';

/** Tokyo is UTC+9 all year. */
const TOKYO_OFFSET_MS = 9 * 3_600_000;

/** How often the schedule looks for records whose period has ended. */
export const RETENTION_CHECK_MS = 6 * 3_600_000;

export interface RetentionDeps {
  store: Store;
  consultations: ConsultationService;
  logger: Logger;
  /** Default `RETENTION_YEARS`. */
  years?: number;
  clock?: () => Date;
  /** Records read per query (default 1,000). */
  batchSize?: number;
}

/** What one run did: records erased, kept for a later record of the same consulter, failed. */
export interface RetentionRun {
  cutoff: string;
  erased: number;
  kept: number;
  failed: number;
}

/**
 * Records closed before this time have been kept `years` full years: the start of today
 * in Tokyo, `years` years ago.
 */
export function retentionCutoff(now: Date, years: number): Date {
  const tokyo = new Date(now.getTime() + TOKYO_OFFSET_MS);
  return new Date(
    Date.UTC(tokyo.getUTCFullYear() - years, tokyo.getUTCMonth(), tokyo.getUTCDate()) -
      TOKYO_OFFSET_MS,
  );
}

export class RetentionService {
  private readonly repo: ErasureRepository;
  private readonly years: number;
  private readonly now: () => Date;
  private readonly batch: number;

  constructor(private readonly deps: RetentionDeps) {
    this.repo = new ErasureRepository(deps.store.dialect);
    this.years = deps.years ?? RETENTION_YEARS;
    this.now = deps.clock ?? (() => new Date());
    this.batch = deps.batchSize ?? 1000;
  }

  /** The records whose period has ended, by id; and how many were kept for a later one. */
  async due(cutoff: Date = retentionCutoff(this.now(), this.years)): Promise<{
    ids: number[];
    kept: number;
  }> {
    const db = this.deps.store.db;
    const ids: number[] = [];
    let kept = 0;
    for (let after = 0; ;) {
      const rows = await this.repo.closedBefore(db, cutoff.toISOString(), after, this.batch);
      for (const r of rows) {
        if (r.kept) kept++;
        else ids.push(r.id);
      }
      if (rows.length < this.batch) break;
      after = rows[rows.length - 1]!.id;
    }
    return { ids, kept };
  }

  /**
   * Erases every record whose period has ended, one transaction each. A record reopened
   * in between is left alone; the database being down stops the run (the next one
   * carries on). Logs counts, never what was erased.
   */
  async run(): Promise<RetentionRun> {
    const cutoff = retentionCutoff(this.now(), this.years);
    const { ids, kept } = await this.due(cutoff);
    const result: RetentionRun = { cutoff: cutoff.toISOString(), erased: 0, kept, failed: 0 };
    for (const id of ids) {
      try {
        const r = await this.deps.consultations.eraseExpired(id, result.cutoff);
        if (r.changed) result.erased++;
      } catch (err) {
        if (err instanceof UnavailableError) throw err;
        if (!(err instanceof AppError) || err.status >= 500) {
          result.failed++;
          this.deps.logger.error(
            {
              err: { name: (err as Error).name, message: (err as Error).message },
              consultationId: id,
            },
            'retention: could not erase a record',
          );
        }
      }
    }
    if (result.erased || result.failed) this.deps.logger.info(result, 'retention: records erased');
    return result;
  }

  /** Runs now and every `everyMs` until the returned function is called. */
  keepRunning(everyMs = RETENTION_CHECK_MS): () => void {
    const run = () => {
      this.run().catch((err: unknown) =>
        this.deps.logger.warn(
          { err: { name: (err as Error).name, message: (err as Error).message } },
          'retention: could not run',
        ),
      );
    };
    run();
    const timer = setInterval(run, everyMs);
    timer.unref();
    return () => clearInterval(timer);
  }
}
