/**
 * `npm start`: the product locally. Starts the server (SQLite under ./data unless
 * DATABASE_URL is set) and, in local mode, Microsoft 365 Agents Playground as the Teams
 * client with the app already installed in its team. Ctrl-C stops both.
 * In production mode only the server starts (as `npm run start:prod` does).
 */
import { dirname, resolve } from 'node:path';
import { announce, loadConfigOrExit, start } from '../src/main';
import { gracefulShutdown, onSignals } from '../src/server/shutdown';
import { buildWeb } from './build-web';
import {
  installInTeam,
  intakeLine,
  playgroundLogFile,
  startPlayground,
  type RunningPlayground,
} from './playground';

async function run(): Promise<void> {
  const config = loadConfigOrExit();
  await buildWeb();
  const running = await start(config);
  let playground: RunningPlayground | null = null;
  const extra: [string, string][] = [];

  if (config.mode === 'local' && process.env.PLAYGROUND !== 'off') {
    const dataDir = config.database.url ? resolve('data') : dirname(config.database.sqlitePath);
    try {
      playground = await startPlayground({
        botEndpoint: `${running.where.url}/api/messages`,
        port: config.playgroundPort,
        logFile: playgroundLogFile(dataDir),
      });
      const team = await installInTeam(playground.url);
      extra.push(['Teams', `${playground.url}  (Microsoft 365 Agents Playground)`]);
      if (team) extra.push(['', intakeLine(team, await settled(running.intakeChannel))]);
    } catch (err) {
      process.stderr.write(
        `Agents Playground を起動できません / Cannot start the Agents Playground: ${(err as Error).message}\n`,
      );
    }
  }

  const stopAll = async () => {
    await playground?.stop();
    await running.stop();
  };
  onSignals(
    gracefulShutdown({ stop: stopAll, logger: running.logger, exit: (code) => process.exit(code) }),
  );
  announce(config, running.where, running.logger, extra);
}

/**
 * The intake channel once the installation has reached the bot: the Playground answers
 * before it sends it on. Null if there is still none after a few seconds.
 */
async function settled(read: () => Promise<string | null>): Promise<string | null> {
  for (let waited = 0; waited < 3_000; waited += 100) {
    const intake = await read();
    if (intake) return intake;
    await new Promise((r) => setTimeout(r, 100));
  }
  return null;
}

run().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
