/**
 * The consulter's web form on the real HTTP server, as src/main.ts wires it, over a real
 * SQLite file: the Teams surface (its after-work recorded by a gateway; installed in the
 * team through the stand-in Bot Connector, so the intake channel is set as Teams sets
 * it), the web form, and optionally the real Graph gateway against the mail stand-ins.
 * The database can be taken out of reach and brought back (see desk-server.ts).
 */
import { createWebForm, loadFormSecret } from '../../src/intake/web-form';
import type { WebFormLimits } from '../../src/intake/web-form/surface';
import { startDeskServer, type DeskServer } from './desk-server';
import type { MailStandIns } from './mail';
import { INTAKE_CHANNEL_ID, PEOPLE, installInTeam } from './teams-activities';

export { INTAKE_CHANNEL_ID };

/** The desk with the web form; the test reads `store`, the app's view can be taken down. */
export type WebFormDesk = DeskServer;

export interface WebFormDeskOptions {
  mail?: MailStandIns;
  limits?: Partial<WebFormLimits>;
  /** Milliseconds now, for the rate limits. */
  clock?: () => number;
  /** Whether the app is installed in the team first (default true: cards can be posted). */
  installed?: boolean;
}

export async function startWebFormDesk(opts: WebFormDeskOptions = {}): Promise<WebFormDesk> {
  const desk = await startDeskServer({
    members: [PEOPLE.lead],
    dirPrefix: 'madoguchi-web-form-',
    surfaces: async ({ config, logger, appStore, store, service, teams }) => {
      const webForm = createWebForm({
        config,
        store: appStore,
        consultations: service,
        cards: teams.cards,
        background: teams.background,
        logger,
        secret: await loadFormSecret(store),
        mail: opts.mail
          ? { gateway: opts.mail.gateway(logger), mailbox: opts.mail.settings.mailbox }
          : null,
        limits: opts.limits,
        clock: opts.clock,
      });
      return [webForm];
    },
  });
  try {
    if (opts.installed !== false) {
      const { status } = await desk.post(installInTeam(desk.connector.url, PEOPLE.lead));
      if (status >= 300) throw new Error(`installing the app answered ${status}`);
      await desk.teams.background.idle();
    }
    return desk;
  } catch (err) {
    await desk.close();
    throw err;
  }
}
