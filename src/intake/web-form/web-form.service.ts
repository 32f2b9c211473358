import type { ChannelCards } from '../../consultation/channel-cards';
import type { ConsultationService } from '../../consultation/consultation.service';
import { WEB_FORM } from '../../consultation/system-actors';
import type { Consultation } from '../../consultation/types';
import type { Lang } from '../../i18n/messages';
import type { Logger } from '../../logger';
import type { AcknowledgementService } from './acknowledgement';
import type { WebIntake } from './form';
import { PRIVACY_NOTICE_VERSION } from './privacy';

/** Work done after the consulter has their answer (the Teams surface's background). */
export interface AfterResponse {
  run(what: string, task: () => Promise<void>): void;
}

export interface WebFormServiceDeps {
  consultations: Pick<ConsultationService, 'create'>;
  /** The desk's channel; null where Teams is not part of the app (the card is then not posted). */
  cards: Pick<ChannelCards, 'post'> | null;
  acknowledgements: Pick<AcknowledgementService, 'acknowledge'>;
  background: AfterResponse;
  logger: Logger;
}

export interface Submitted {
  consultation: Consultation;
  /** False when this page was sent before (a double press): nothing new was recorded. */
  created: boolean;
}

const FORM_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * What happens when a consulter files on the web: the record is created by the web form
 * (channel `web`, the privacy notice agreed to in its history); then, after the page has
 * answered, its card goes to the desk's channel and the acknowledgement to the consulter.
 * The same page sent twice records one consultation.
 */
export class WebFormService {
  constructor(private readonly deps: WebFormServiceDeps) {}

  async submit(intake: WebIntake, opts: { formId: string; lang: Lang }): Promise<Submitted> {
    const requestId = FORM_ID.test(opts.formId) ? `web-form:${opts.formId}` : undefined;
    const { consultation, changed } = await this.deps.consultations.create(WEB_FORM, intake, {
      requestId,
      historyFacts: { privacyNotice: PRIVACY_NOTICE_VERSION, language: opts.lang },
    });
    if (changed) this.afterwards(consultation, opts.lang);
    return { consultation, created: changed };
  }

  private afterwards(c: Consultation, lang: Lang): void {
    const { cards, acknowledgements, background, logger } = this.deps;
    if (cards) {
      background.run('post the web consultation card', async () => {
        const posted = await cards.post(c);
        if (posted === 'no_channel') {
          logger.warn(
            { consultationId: c.id },
            'web consultation recorded; no intake channel yet, so no card was posted',
          );
        }
      });
    }
    background.run('acknowledge the web consultation', async () => {
      await acknowledgements.acknowledge(WEB_FORM, c, lang);
    });
  }
}
