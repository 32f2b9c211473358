/**
 * Starts Microsoft 365 Agents Playground (the local Teams emulator, a devDependency)
 * in its own process group, with no outside connections, and stops it with the group.
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const CLI = resolve(__dirname, '../node_modules/@microsoft/m365agentsplayground/cli.js');

export interface RunningPlayground {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface PlaygroundOptions {
  /** The bot's messaging endpoint. */
  botEndpoint: string;
  port: number;
  /** Where the Playground writes its log (it would otherwise write ./devTools/). */
  logFile: string;
  readyTimeoutMs?: number;
}

export async function startPlayground(options: PlaygroundOptions): Promise<RunningPlayground> {
  mkdirSync(dirname(options.logFile), { recursive: true });
  const child = spawn(
    process.execPath,
    [CLI, '-e', options.botEndpoint, '-c', 'msteams', '--dt', '-p', String(options.port)],
    {
      cwd: dirname(options.logFile),
      detached: true, // its own process group, so stop() ends everything it started
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        TEAMSAPPTESTER_BROWSER: 'none',
        APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
        M365_AGENTS_PLAYGROUND_LOGFILE: options.logFile,
      },
    },
  );
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://localhost:${options.port}`;

  const stop = async () => {
    if (child.exitCode !== null || child.pid === undefined) return;
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return; // already gone
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, 3000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Agents Playground exited: ${output.trim()}`);
    // It silently takes another port when this one is in use: insist on ours.
    const other = /Listening on (\d+)/.exec(output);
    if (other && Number(other[1]) !== options.port) {
      await stop();
      throw new Error(`port ${options.port} is in use; set PLAYGROUND_PORT to a free port`);
    }
    const pong = await fetch(`${url}/_debug/ping`)
      .then((r) => r.text())
      .catch(() => '');
    if (pong.includes('pong')) return { url, port: options.port, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error('Agents Playground did not start in time');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A team of the Playground, with its channels. */
export interface PlaygroundTeam {
  id: string;
  name: string;
  channels: { id: string; name: string }[];
}

/**
 * Installs the app in the Playground's team, so that its first channel is the intake
 * channel unless the desk already has one. Returns the team, or null if it could not.
 */
export async function installInTeam(url: string): Promise<PlaygroundTeam | null> {
  const cfg = (await (await fetch(`${url}/_internal/v1/testConfig`)).json()) as {
    config: { teams: PlaygroundTeam[] };
  };
  const team = cfg.config.teams[0];
  if (!team) return null;
  const res = await fetch(
    `${url}/_debug/conversation/${encodeURIComponent(team.id)}/installation`,
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' },
  );
  return res.ok ? team : null;
}

/** Where new cards arrive in the Playground: the channel the desk keeps (set by a former run, maybe). */
export function intakeLine(team: PlaygroundTeam, intake: string | null): string {
  if (!intake)
    return '相談受付チャネル未設定 / no intake channel: 「受付チャンネルに設定」 in a channel';
  const channel = team.channels.find((c) => c.id === intake);
  const where = channel ? `${team.name} › ${channel.name}` : intake;
  return `相談受付チャネル / intake channel: ${where}`;
}

export const playgroundLogFile = (dataDir: string) => join(dataDir, 'playground.log');
