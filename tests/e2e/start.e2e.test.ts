/**
 * `npm start` as a newcomer runs it, npm included: scripts/start.ts builds the pages,
 * starts the server (local mode, SQLite) and the Agents Playground with the app installed
 * in its team, prints where everything is, and stops both on Ctrl-C (SIGINT to its
 * process group).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../support/playground';

jest.setTimeout(120_000);

const ROOT = resolve(__dirname, '../..');

/** Resolves when `ok` holds for the output so far; rejects if the process ends first. */
function waitFor(child: ChildProcess, out: () => string, ok: (s: string) => boolean, ms: number) {
  return new Promise<void>((resolveWait, reject) => {
    const timer = setTimeout(() => reject(new Error(`not seen in ${ms} ms:\n${out()}`)), ms);
    const check = () => {
      if (!ok(out())) return;
      clearTimeout(timer);
      resolveWait();
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}:\n${out()}`));
    });
    check();
  });
}

const answers = (url: string) =>
  fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
    (r) => r.status,
    () => null,
  );

describe('npm start', () => {
  let dir: string;
  let child: ChildProcess | undefined;
  afterEach(() => {
    // Whatever is left of the group (a failed test), gone.
    try {
      if (child?.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
    rmSync(dir, { recursive: true, force: true });
  });

  test('starts the server and the Playground with the intake channel set, says where, and Ctrl-C stops both', async () => {
    dir = mkdtempSync(join(tmpdir(), 'madoguchi-start-'));
    const [port, playgroundPort] = [await freePort(), await freePort()];
    let out = '';
    child = spawn('npm', ['start'], {
      cwd: ROOT,
      detached: true, // its own process group, as a terminal runs it
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        MADOGUCHI_MODE: 'local',
        PORT: String(port),
        PLAYGROUND_PORT: String(playgroundPort),
        SQLITE_PATH: join(dir, 'madoguchi.db'),
        DATABASE_URL: '', // SQLite, whatever the shell says
        LOG_LEVEL: 'info',
      },
    });
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));

    await waitFor(
      child,
      () => out,
      (s) => s.includes('Ctrl-C to stop'),
      90_000,
    );
    expect(out).toContain(`server    http://127.0.0.1:${port}`);
    expect(out).toContain(`Teams     http://localhost:${playgroundPort}`);
    // The installation reached the bot before the line was printed.
    expect(out).toContain('相談受付チャネル / intake channel: My Team › General');
    expect(out).not.toMatch(/Cannot start the Agents Playground|"level":[56]0/);
    expect(existsSync(join(dir, 'madoguchi.db'))).toBe(true);
    expect(await answers(`http://127.0.0.1:${port}/healthz`)).toBe(200);
    expect(await answers(`http://127.0.0.1:${port}/ledger/`)).toBe(200);
    expect(await answers(`http://localhost:${playgroundPort}/_debug/ping`)).toBe(200);

    // Ctrl-C: SIGINT to the terminal's process group.
    const exited = new Promise<void>((r) => child!.once('exit', () => r()));
    process.kill(-child.pid!, 'SIGINT');
    await exited; // npm itself ends by the signal, as it does in a terminal
    // Stopped in order, once: npm and the terminal both pass Ctrl-C on, and a second
    // signal would cut the stop short (closing the database, the work in flight).
    expect(out).toContain('"msg":"stopped"');
    expect(out).not.toContain('second signal');
    expect(await answers(`http://127.0.0.1:${port}/healthz`)).toBeNull();
    expect(await answers(`http://localhost:${playgroundPort}/_debug/ping`)).toBeNull();
  });
});
