import type { Server } from 'restify';
import { UnavailableError } from '../../errors';
import type { Store } from '../../store/store';

export interface HealthDeps {
  store: Pick<Store, 'ping'>;
  /** How long the database may take to answer before the app is reported not ready. */
  readyTimeoutMs: number;
}

/** Route names, so the request log can keep probes quiet. */
export const HEALTH_ROUTES = ['healthz', 'readyz'] as const;

/**
 * `GET /healthz`: the process answers (liveness; touches nothing else).
 * `GET /readyz`: the database answers too, within `readyTimeoutMs`.
 */
export function registerHealthRoutes(server: Server, deps: HealthDeps): void {
  server.get({ path: '/healthz', name: 'healthz' }, async (_req, res) => {
    res.json(200, { status: 'ok' });
  });

  server.get({ path: '/readyz', name: 'readyz' }, async (_req, res) => {
    try {
      await withTimeout(deps.store.ping(), deps.readyTimeoutMs);
    } catch (err) {
      throw new UnavailableError('database', err);
    }
    res.json(200, { status: 'ok' });
  });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
