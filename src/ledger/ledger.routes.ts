import type { Request, Response, Server } from 'restify';
import { ValidationError } from '../errors';
import type { Logger } from '../logger';
import type { Authenticate } from '../server/auth';
import { requestLogger } from '../server/context';
import {
  parseCasebookExport,
  parseCasebookPreview,
  parseDayRange,
  parseEdit,
  parseErase,
  parseListQuery,
  parseMonthRange,
} from './ledger.input';
import type { LedgerService } from './ledger.service';
import { TEXT } from './messages';

export interface LedgerSurfaceDeps {
  service: LedgerService;
  authenticate: Authenticate;
  /** Category ids the list's filter accepts. */
  categoryIds: ReadonlySet<string>;
  logger: Logger;
  clock?: () => Date;
}

const params = (req: Request) => new URL(req.url ?? '/', 'http://localhost').searchParams;

/** The record id in the path: a whole number of 1 or more, or 400. */
function recordId(req: Request): number {
  const raw = String((req.params as Record<string, unknown>).id ?? '');
  const id = /^\d{1,12}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(id) || id < 1) throw new ValidationError({ id: TEXT.badPage });
  return id;
}

/** Writes a chunk, waiting while the client is slower than the database. */
async function write(res: Response, chunk: string): Promise<void> {
  if (res.write(chunk)) return;
  await new Promise<void>((resolve, reject) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      if (res.destroyed) reject(new Error('client went away'));
      else resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}

/**
 * The ledger tab's API under `/api/ledger/`. Every route needs a verified token; any
 * staff role reads; the CSV, the 事例集 and erasing a record's personal data are for
 * supervisors (the service enforces both). docs/ledger-api.md describes each route.
 */
export function createLedgerSurface(deps: LedgerSurfaceDeps): (server: Server) => void {
  const { service, authenticate } = deps;
  const now = deps.clock ?? (() => new Date());

  return (server) => {
    server.get({ path: '/api/ledger/meta', name: 'ledger-meta' }, async (req, res) => {
      const user = await authenticate(req);
      res.json(200, await service.meta(user));
    });

    server.get({ path: '/api/ledger/consultations', name: 'ledger-list' }, async (req, res) => {
      const user = await authenticate(req);
      const query = parseListQuery(params(req), deps.categoryIds);
      try {
        res.json(200, await service.list(user, query));
      } catch (err) {
        // The search names its words `text`; here they are the parameter `q`.
        if (err instanceof ValidationError && err.fields.text) {
          throw new ValidationError({ q: err.fields.text });
        }
        throw err;
      }
    });

    server.get(
      { path: '/api/ledger/consultations/:id', name: 'ledger-record' },
      async (req, res) => {
        const user = await authenticate(req);
        res.json(200, await service.record(user, recordId(req)));
      },
    );

    server.post(
      { path: '/api/ledger/consultations/:id/erase', name: 'ledger-erase' },
      async (req, res) => {
        const user = await authenticate(req);
        const id = recordId(req);
        const body = parseErase(req.body);
        const record = await service.erase(user, id, body);
        // Who erased which record: never what was erased.
        requestLogger(req, deps.logger).info(
          { userId: user.id, consultationId: id },
          'consultation personal data erased',
        );
        res.json(200, record);
      },
    );

    server.post(
      { path: '/api/ledger/consultations/:id/edit', name: 'ledger-edit' },
      async (req, res) => {
        const user = await authenticate(req);
        const id = recordId(req);
        const record = await service.edit(user, id, parseEdit(req.body));
        // Who corrected which record: never what was typed.
        requestLogger(req, deps.logger).info(
          { userId: user.id, consultationId: id },
          'consultation corrected',
        );
        res.json(200, record);
      },
    );

    server.get({ path: '/api/ledger/stats', name: 'ledger-stats' }, async (req, res) => {
      const user = await authenticate(req);
      const range = parseMonthRange(params(req), now());
      res.json(200, await service.stats(user, range));
    });

    server.get({ path: '/api/ledger/export.csv', name: 'ledger-export-csv' }, async (req, res) => {
      const user = await authenticate(req);
      const range = parseDayRange(params(req));
      const file = await service.exportCsv(user, range);
      const log = requestLogger(req, deps.logger);
      // Who exported which range and how many records: the access itself, never the contents.
      const audit = { userId: user.id, rangeFrom: range.from, rangeTo: range.to };
      res.writeHead(200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="${file.filename}"`,
      });
      // Kept with the records too, for supervisors to see; a failure to note it is logged.
      const note = (outcome: 'complete' | 'broken') =>
        service
          .recordExport(user, { kind: 'csv', range, count: file.count, outcome })
          .catch((err: unknown) =>
            log.error({ ...audit, err: { message: (err as Error).message } }, 'export not noted'),
          );
      try {
        for await (const chunk of file.chunks) await write(res, chunk);
      } catch (err) {
        log.warn(
          { ...audit, count: file.count, err: err instanceof Error ? err.message : String(err) },
          'ledger CSV export broke off',
        );
        res.destroy();
        await note('broken');
        return;
      }
      res.end();
      log.info({ ...audit, count: file.count }, 'ledger CSV exported');
      await note('complete');
    });

    server.get({ path: '/api/ledger/exports', name: 'ledger-exports' }, async (req, res) => {
      const user = await authenticate(req);
      res.json(200, await service.exports(user));
    });

    server.post(
      { path: '/api/ledger/casebook/preview', name: 'ledger-casebook-preview' },
      async (req, res) => {
        const user = await authenticate(req);
        const { ids, lang } = parseCasebookPreview(req.body, params(req));
        res.json(200, await service.casebookPreview(user, ids, lang));
      },
    );

    server.post(
      { path: '/api/ledger/casebook/export', name: 'ledger-casebook-export' },
      async (req, res) => {
        const user = await authenticate(req);
        const { cases, lang } = parseCasebookExport(req.body, params(req));
        const doc = await service.casebookExport(user, cases, lang);
        const consultationIds = cases.map((c) => c.id);
        requestLogger(req, deps.logger).info(
          { userId: user.id, count: doc.count, consultationIds },
          'casebook exported',
        );
        await service.recordExport(user, {
          kind: 'casebook',
          count: doc.count,
          consultationIds,
          outcome: 'complete',
        });
        const body = Buffer.from(doc.markdown, 'utf8');
        res.writeHead(200, {
          'Content-Type': 'text/markdown; charset=utf-8',
          'Content-Disposition': `attachment; filename="${doc.filename}"`,
          'Content-Length': body.length,
        });
        res.end(body);
      },
    );
  };
}
