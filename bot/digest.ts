import holidayJp from '@holiday-jp/holiday_jp';
import type { ConversationReference } from 'botbuilder';
import type { Logger } from 'pino';
import type { TimeOfDay } from '../src/config';
import type { ConsultationService } from '../src/consultation/consultation.service';
import { tokyoDay, tokyoMinuteOfDay, tokyoWeekday } from '../src/ledger/tokyo';
import type { DeskService } from '../src/teams/desk.service';
import { waitingCard } from './cards';
import type { TeamsGateway } from './outbound/teams-gateway';
import { SYSTEM, cardMessage } from './turn';
import { waitingOnCard } from './views';

/** How often the summary checks whether it is due. */
export const DIGEST_CHECK_MS = 60_000;

/**
 * Whether the morning summary is due at `now`: a working day in Tokyo (not a weekend nor
 * a national holiday, as @holiday-jp/holiday_jp knows them), at or after `at`.
 */
export function digestDue(now: Date, at: TimeOfDay): boolean {
  const weekday = tokyoWeekday(now);
  if (weekday === 0 || weekday === 6) return false;
  if (holidayJp.isHoliday(tokyoDay(now))) return false;
  return tokyoMinuteOfDay(now) >= at.hour * 60 + at.minute;
}

export type DigestOutcome = 'not-due' | 'no-channel' | 'taken' | 'nothing-waiting' | 'posted';

/**
 * The morning summary of what is waiting (「状況」), posted in the intake channel once a
 * working day: staff working from home start the day from the same list. The day is taken in
 * the database first, so of several instances one posts; a post that fails gives the
 * day back, and the next check tries again. Nothing waiting: nothing is posted.
 */
export class Digest {
  /** The last day this instance found taken or dealt with: no need to ask again. */
  private settled: string | null = null;

  constructor(
    private readonly deps: {
      service: Pick<ConsultationService, 'waiting'>;
      desk: Pick<
        DeskService<Partial<ConversationReference>>,
        'intakeChannel' | 'claimDigestDay' | 'releaseDigestDay'
      >;
      gateway: Pick<TeamsGateway, 'send'>;
      logger: Logger;
      at: TimeOfDay;
      clock?: () => Date;
    },
  ) {}

  async run(): Promise<DigestOutcome> {
    const now = (this.deps.clock ?? (() => new Date()))();
    if (!digestDue(now, this.deps.at)) return 'not-due';
    const day = tokyoDay(now);
    if (this.settled === day) return 'taken';
    const channel = await this.deps.desk.intakeChannel();
    if (!channel) return 'no-channel';
    const claimed = await this.deps.desk.claimDigestDay(day);
    this.settled = day;
    if (!claimed) return 'taken';
    try {
      const groups = await this.deps.service.waiting(SYSTEM);
      if (groups.every((g) => g.total === 0)) return 'nothing-waiting';
      // The channel speaks the desk's language.
      const card = waitingCard(waitingOnCard(groups), now, 'ja');
      await this.deps.gateway.send(channel.reference, cardMessage(card));
      this.deps.logger.info({ day }, 'digest posted');
      return 'posted';
    } catch (err) {
      this.settled = null;
      await this.deps.desk.releaseDigestDay(day).catch(() => undefined);
      throw err;
    }
  }

  /** Checks every `everyMs` until the returned function is called. */
  keepRunning(everyMs = DIGEST_CHECK_MS): () => void {
    const check = () => {
      this.run().catch((err: unknown) =>
        this.deps.logger.warn(
          { err: { name: (err as Error).name, message: (err as Error).message } },
          'digest: could not post',
        ),
      );
    };
    check();
    const timer = setInterval(check, everyMs);
    timer.unref();
    return () => clearInterval(timer);
  }
}
