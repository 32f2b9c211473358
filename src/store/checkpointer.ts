import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';

/** How often the worker copies the write-ahead log back into the database file. */
export const CHECKPOINT_EVERY_MS = 200;

/** What SQLite does on its own: a checkpoint by the writer once the log holds this many pages. */
const SQLITE_AUTOCHECKPOINT_PAGES = 1000;

/**
 * The worker's code (plain JavaScript, so it runs the same under ts-node, jest and the
 * built app). Its own connection runs PASSIVE checkpoints, which never wait for the app's
 * readers or writer; each reports how much of the log it copied.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.driver);
const db = new SQLite(workerData.path, { fileMustExist: true });
const timer = setInterval(() => {
  const [result] = db.pragma('wal_checkpoint(PASSIVE)');
  parentPort.postMessage({ type: 'checkpoint', log: result.log, copied: result.checkpointed });
}, workerData.everyMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.postMessage({ type: 'stopped' });
});
`;

export interface CheckpointReport {
  /** Pages in the write-ahead log, and how many of them are now in the database file. */
  log: number;
  copied: number;
}

export interface Checkpointer {
  /** Stops the worker; the app's connection checkpoints on its own again. */
  stop(): Promise<void>;
}

/**
 * Checkpoints a SQLite database in WAL mode from a worker thread. better-sqlite3 is
 * synchronous, so the checkpoint SQLite runs itself (every 1,000 pages, inside the
 * commit that crosses the mark) stops the event loop while pages are copied and the
 * files are synced: milliseconds now and then, in the middle of answering someone. Here
 * the app's connection never checkpoints; if the worker fails, it does so again itself.
 */
export function startCheckpointer(
  database: SQLite.Database,
  path: string,
  opts: { everyMs?: number; onReport?: (r: CheckpointReport) => void } = {},
): Checkpointer {
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: {
      driver: require.resolve('better-sqlite3'),
      path,
      everyMs: opts.everyMs ?? CHECKPOINT_EVERY_MS,
    },
  });
  worker.unref();
  let running = true;
  const fallBack = () => {
    if (!running) return;
    running = false;
    if (database.open) database.pragma(`wal_autocheckpoint = ${SQLITE_AUTOCHECKPOINT_PAGES}`);
  };
  database.pragma('wal_autocheckpoint = 0');
  let stopped: (() => void) | null = null;
  worker.on('message', (m: { type: string } & CheckpointReport) => {
    if (m.type === 'checkpoint') opts.onReport?.({ log: m.log, copied: m.copied });
    if (m.type === 'stopped') stopped?.();
  });
  // A worker that fails leaves the checkpoints to SQLite, as without it: nothing is lost.
  worker.on('error', fallBack);
  worker.on('exit', fallBack);
  return {
    async stop() {
      if (!running) return;
      fallBack();
      await new Promise<void>((resolve) => {
        stopped = resolve;
        worker.once('exit', () => resolve());
        worker.postMessage('stop');
      });
      await worker.terminate();
    },
  };
}
