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

/** The Bot Framework adapter: verifies every incoming request's token when an app id is set. */
export function createAdapter(bot: BotConfig, logger: Logger): CloudAdapter {
  const options = botAuthOptions(bot);
  const adapter = new CloudAdapter(
    new ConfigurationBotFrameworkAuthentication(
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
