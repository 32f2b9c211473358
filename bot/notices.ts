import type { ConversationReference } from 'botbuilder';
import type { LastChange } from '../src/errors';
import { localize } from '../src/i18n/messages';
import type { Directory } from '../src/consultation/consultation.service';
import type { Actor, Consultation } from '../src/consultation/types';
import type { DeskService } from '../src/teams/desk.service';
import type { CardBuilder } from './card-builder';
import type { CardVerb } from './cards';
import { formatTokyo } from './cards/text';
import type { TeamsChannelCards } from './channel-cards';
import { lastChangeSentence, type Lang } from './i18n';
import type { TeamsGateway } from './outbound/teams-gateway';
import { cardMessage, changeOf } from './turn';

export interface NoticesDeps {
  desk: DeskService<Partial<ConversationReference>>;
  gateway: TeamsGateway;
  directory: Directory;
  cards: CardBuilder;
  channel: TeamsChannelCards;
}

/** What the desk is told after a change: the channel card, a line in its thread, 1:1 notices. */
export class Notices {
  constructor(private readonly deps: NoticesDeps) {}

  /**
   * After a change, once the person has been answered: the channel card for everyone, a
   * line in its thread, and a 1:1 notice to whom it concerns.
   */
  async announce(
    near: Partial<ConversationReference>,
    verb: CardVerb,
    c: Consultation,
    actor: Actor,
  ): Promise<void> {
    this.deps.channel.update(c.id);
    const lastChange = changeOf(verb, actor, c);
    const channel = await this.deps.desk.intakeChannel();
    const line = lastChangeSentence(verb, actor.name, formatTokyo(lastChange.at), 'ja');
    await this.deps.channel.sayUnder(channel, c, line);
    if (verb === 'dispatch' && c.specialist) {
      await this.notify(
        c.specialist.id,
        channel?.reference ?? near,
        c,
        lastChange,
        'bot.dispatched_to_you',
      );
    }
    if (verb === 'answer' && c.firstLineOwner && c.firstLineOwner.id !== actor.id) {
      await this.notify(
        c.firstLineOwner.id,
        channel?.reference ?? near,
        c,
        lastChange,
        'bot.answered_yours',
      );
    }
  }

  /** A 1:1 message with the card, in the person's own chat with the bot (opened if need be). */
  private async notify(
    aadObjectId: string,
    near: Partial<ConversationReference>,
    c: Consultation,
    lastChange: LastChange,
    key: 'bot.dispatched_to_you' | 'bot.answered_yours',
  ): Promise<void> {
    const person = await this.deps.desk.person(aadObjectId);
    let chat = (await this.deps.desk.personalChat(aadObjectId))?.reference;
    if (!chat) {
      if (!person) throw new Error('cannot notify someone the bot has never met');
      chat = await this.deps.gateway.openPersonal(near, person.teamsUserId);
      await this.deps.desk.setPersonalChat(aadObjectId, chat.conversation!.id, chat);
    }
    const lang: Lang =
      person?.language ?? (person?.locale?.toLowerCase().startsWith('en') ? 'en' : 'ja');
    const viewer: Actor = {
      id: aadObjectId,
      name: person?.name ?? aadObjectId,
      roles: this.deps.directory.rolesOf(aadObjectId),
    };
    const card = await this.deps.cards.personalCardOf(viewer, c, lastChange, lang);
    const text = localize(key, { number: c.number })[lang];
    await this.deps.gateway.send(chat, cardMessage(card, text));
  }
}
