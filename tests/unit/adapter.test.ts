import { ReusingBotFrameworkAuthentication } from '../../bot/adapter';

type Claims = Parameters<ReusingBotFrameworkAuthentication['createConnectorFactory']>[0];

/** The claims botbuilder makes for a proactive message of bot `appId`. */
function claimsOf(appId: string): Claims {
  const claims = [
    { type: 'aud', value: appId },
    { type: 'appid', value: appId },
  ];
  return {
    claims,
    isAuthenticated: true,
    getClaimValue: (type: string) => claims.find((c) => c.type === type)?.value ?? null,
  } as unknown as Claims;
}

describe('connector clients', () => {
  it('are made once per Bot Connector address and reused, not made anew for every message', async () => {
    const auth = new ReusingBotFrameworkAuthentication({});
    const a = await auth.createConnectorFactory(claimsOf('')).create('https://smba.example/amer/');
    const b = await auth.createConnectorFactory(claimsOf('')).create('https://smba.example/amer/');
    const other = await auth
      .createConnectorFactory(claimsOf(''))
      .create('https://smba.example/emea/');
    expect(b).toBe(a);
    expect(other).not.toBe(a);
    expect((a as unknown as { baseUri?: string }).baseUri).toBe('https://smba.example/amer/');
  });

  it('are kept apart per bot', async () => {
    const auth = new ReusingBotFrameworkAuthentication({});
    const url = 'https://smba.example/amer/';
    const one = await auth.createConnectorFactory(claimsOf('bot-1')).create(url);
    const two = await auth.createConnectorFactory(claimsOf('bot-2')).create(url);
    expect(two).not.toBe(one);
  });
});

describe('the user token client', () => {
  it('is made once per bot, not with every activity', async () => {
    const auth = new ReusingBotFrameworkAuthentication({});
    const a = await auth.createUserTokenClient(claimsOf('bot-1'));
    expect(await auth.createUserTokenClient(claimsOf('bot-1'))).toBe(a);
    expect(await auth.createUserTokenClient(claimsOf('bot-2'))).not.toBe(a);
  });
});

describe('the client for messages the bot starts', () => {
  it('is its own, without the HTTP pipeline’s retries (the gateway retries by Teams’ rules)', async () => {
    const auth = new ReusingBotFrameworkAuthentication({});
    const url = 'https://smba.example/amer/';
    const proactive = await auth.proactiveClient(claimsOf(''), url);
    expect(await auth.proactiveClient(claimsOf(''), url)).toBe(proactive);
    const inTurn = await auth.createConnectorFactory(claimsOf('')).create(url);
    expect(inTurn).not.toBe(proactive);

    type Piped = { client: { pipeline: { getOrderedPolicies(): Array<{ name: string }> } } };
    const policies = (c: unknown) =>
      (c as Piped).client.pipeline.getOrderedPolicies().map((p) => p.name);
    expect(policies(inTurn)).toContain('defaultRetryPolicy');
    expect(policies(proactive)).not.toContain('defaultRetryPolicy');
  });
});
