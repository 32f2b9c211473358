import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  type ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
import type { Logger } from 'pino';
import type { BotConfig } from '../src/config';

/**
 * botbuilder's options from the bot's settings. With no app id (local mode, the Agents
 * Playground) botbuilder accepts unauthenticated calls; configuration refuses to start
 * production that way. A managed identity replaces the password when given.
 */
export function botAuthOptions(bot: BotConfig): ConfigurationBotFrameworkAuthenticationOptions {
  if (!bot.id) return {};
  if (bot.managedIdentityClientId) {
    return {
      MicrosoftAppId: bot.managedIdentityClientId,
      MicrosoftAppType: 'UserAssignedMSI',
      MicrosoftAppTenantId: bot.tenantId ?? undefined,
    };
  }
  return {
    MicrosoftAppId: bot.id,
    MicrosoftAppPassword: bot.password ?? undefined,
    MicrosoftAppType: 'SingleTenant',
    MicrosoftAppTenantId: bot.tenantId ?? undefined,
  };
}

type ConnectorFactory = ReturnType<
  ConfigurationBotFrameworkAuthentication['createConnectorFactory']
>;
type ClaimsIdentity = Parameters<
  ConfigurationBotFrameworkAuthentication['createConnectorFactory']
>[0];
export type ConnectorClient = Awaited<ReturnType<ConnectorFactory['create']>>;
type UserTokenClient = Awaited<
  ReturnType<ConfigurationBotFrameworkAuthentication['createUserTokenClient']>
>;

/** Connector clients kept at most: one per Bot Connector address and audience in practice. */
const CONNECTOR_CLIENTS_KEPT = 32;

/**
 * botbuilder's authentication, except that connector clients are made once per bot, Bot
 * Connector address and audience (and the user token client once per bot) and then
 * reused. botbuilder builds new clients (their HTTP pipelines and credentials) for every
 * incoming activity and every proactive message; the clients hold no per-request state,
 * and their credentials keep tokens fresh themselves, so one serves every request.
 */
export class ReusingBotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly clients = new Map<string, Promise<ConnectorClient>>();
  private readonly tokenClients = new Map<string, Promise<UserTokenClient>>();

  override async authenticateRequest(
    ...args: Parameters<ConfigurationBotFrameworkAuthentication['authenticateRequest']>
  ): ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']> {
    const result = await super.authenticateRequest(...args);
    return result.connectorFactory
      ? {
          ...result,
          connectorFactory: this.reusing(result.claimsIdentity, result.connectorFactory),
        }
      : result;
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.reusing(claimsIdentity, super.createConnectorFactory(claimsIdentity));
  }

  /** The user token client, made once per bot: CloudAdapter asks for one with every activity. */
  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    const key = ['aud', 'appid', 'azp'].map((c) => claimsIdentity.getClaimValue(c) ?? '').join(' ');
    return kept(this.tokenClients, key, () => super.createUserTokenClient(claimsIdentity));
  }

  /**
   * The client for the messages the bot starts itself, as a proactive turn would get it,
   * but without the HTTP pipeline's own retries: the gateway retries those by Teams' rules
   * (429, 412, 502, 504, `Retry-After`), and two retriers would multiply the attempts.
   */
  proactiveClient(claims: ClaimsIdentity, serviceUrl: string): Promise<ConnectorClient> {
    const key = JSON.stringify(['proactive', claims.getClaimValue('aud') ?? '', serviceUrl]);
    return kept(this.clients, key, async () => {
      const client = await super.createConnectorFactory(claims).create(serviceUrl, undefined);
      withoutRetries(client);
      return client;
    });
  }

  private reusing(claims: ClaimsIdentity, factory: ConnectorFactory): ConnectorFactory {
    const bot = claims.getClaimValue('aud') ?? '';
    return {
      create: (serviceUrl: string, audience?: string) =>
        kept(this.clients, JSON.stringify([bot, serviceUrl, audience ?? '']), () =>
          factory.create(serviceUrl, audience),
        ),
    };
  }
}

/** The client kept under `key`, made when there is none; one that could not be made is not kept. */
function kept<T>(
  clients: Map<string, Promise<T>>,
  key: string,
  make: () => Promise<T>,
): Promise<T> {
  let client = clients.get(key);
  if (!client) {
    if (clients.size >= CONNECTOR_CLIENTS_KEPT) clients.clear();
    client = make();
    client.catch(() => clients.delete(key));
    clients.set(key, client);
  }
  return client;
}

/** Takes the retry policies out of a connector client's HTTP pipeline (@azure/core-rest-pipeline). */
function withoutRetries(client: ConnectorClient): void {
  const pipeline = (client as unknown as { client?: { pipeline?: Pipeline } }).client?.pipeline;
  if (!pipeline || pipeline.removePolicy({ phase: 'Retry' }).length === 0) {
    throw new Error('the connector client has no HTTP pipeline retry policy to take out');
  }
}

interface Pipeline {
  removePolicy(options: { phase: 'Retry' }): unknown[];
}

/**
 * botbuilder's CloudAdapter, which also hands out the Bot Connector client for messages
 * the bot starts itself (the channel's cards, notices). botbuilder sends those through a
 * proactive turn (`continueConversationAsync`): a turn context, the middleware, a user
 * token client and a continuation activity for every message, none of which the desk
 * uses; the client alone sends the same request with the same credentials.
 */
export class DeskAdapter extends CloudAdapter {
  constructor(private readonly auth: ReusingBotFrameworkAuthentication) {
    super(auth);
  }

  /** The connector client for `serviceUrl`, in the name of `botAppId` (kept and reused). */
  connectorClient(botAppId: string, serviceUrl: string): Promise<ConnectorClient> {
    return this.auth.proactiveClient(this.createClaimsIdentity(botAppId), serviceUrl);
  }
}

/** The Bot Framework adapter: verifies every incoming request's token when an app id is set. */
export function createAdapter(bot: BotConfig, logger: Logger): DeskAdapter {
  const options = botAuthOptions(bot);
  const adapter = new DeskAdapter(
    new ReusingBotFrameworkAuthentication(
      options,
      new ConfigurationServiceClientCredentialFactory(options),
    ),
  );
  adapter.onTurnError = async (ctx, err) => {
    // The activity's text is personal data: log what failed, never what was said.
    logger.error(
      {
        err: { name: err.name, message: err.message, stack: err.stack },
        activityType: ctx.activity.type,
      },
      'bot turn failed',
    );
    if (ctx.activity.type === 'message') {
      await ctx
        .sendActivity(
          '内部エラーが発生しました。入力内容は失われていません。もう一度お試しください。 / An internal error occurred; please try again.',
        )
        .catch(() => undefined);
    }
  };
  return adapter;
}
