import type { Logger } from '../logger';

export interface ShutdownDeps {
  /** Stops the app: the server, work still running, the database. */
  stop: () => Promise<void>;
  logger: Logger;
  /** `process.exit`, replaced in tests. */
  exit: (code: number) => void;
}

/**
 * Returns the shutdown sequence: stop accepting and let requests in flight
 * finish (bounded by the server), close the database, exit 0 — or 1 when a
 * step fails. A second signal while shutting down exits at once.
 */
export function gracefulShutdown(deps: ShutdownDeps): (signal: string) => Promise<void> {
  let started = false;
  return async (signal) => {
    if (started) {
      deps.logger.warn({ signal }, 'second signal: exiting now');
      deps.exit(1);
      return;
    }
    started = true;
    deps.logger.info({ signal }, 'shutting down');
    try {
      await deps.stop();
    } catch (err) {
      deps.logger.error({ err }, 'shutdown failed');
      deps.exit(1);
      return;
    }
    deps.logger.info('stopped');
    deps.exit(0);
  };
}

/** Runs `shutdown` on SIGTERM (App Service, containers) and SIGINT (Ctrl-C). */
export function onSignals(
  shutdown: (signal: string) => Promise<void>,
  signals: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'],
): () => void {
  const handler = (signal: NodeJS.Signals) => void shutdown(signal);
  for (const s of signals) process.on(s, handler);
  return () => {
    for (const s of signals) process.off(s, handler);
  };
}
