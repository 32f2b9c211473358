/**
 * Storage benchmark: fills a fresh database with generated Japanese consultations through
 * the repository's own write path, then times searches, filtered pages and a plain LIKE
 * scan, and prints a table per dialect. Not a test: it asserts only that rare terms find
 * exactly the records they were planted in.
 *
 *   npm run bench:store -- --n 100000 --dialect all
 *
 * Latency is wall-clock time; on a busy machine the CPU time per query (also printed) is
 * closer to what an idle one would show, for SQLite, whose work runs in this process.
 *
 * Options (argv, or the environment variable in brackets):
 *   --n N              records to write (MADOGUCHI_BENCH_N, default 100000)
 *   --dialect D        sqlite | postgres | all (MADOGUCHI_BENCH_DIALECT, default all)
 *   --batch B          records per transaction (default 1000)
 *   --queries Q        timed queries per query class (default 60)
 *   --seed S           generator seed (default 20261126)
 *   --explain          print the query plans of one query per class
 *   --json FILE        also write the figures as JSON
 *   --keep             keep the filled database (its location is printed)
 *   --reuse WHERE      measure a kept database instead of filling one: the SQLite file's
 *                      path, or the PostgreSQL database's name (with one --dialect, and
 *                      the --n and --seed it was filled with)
 * PostgreSQL is used when reachable at MADOGUCHI_TEST_PG_URL (default
 * postgres://postgres@127.0.0.1:5432/postgres); a database madoguchi_bench_<random> is
 * created there and dropped afterwards. The SQLite file lives in a temporary directory
 * that is removed afterwards.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql, type LogEvent } from 'kysely';
import { Client, Pool, types as pgTypes } from 'pg';
import {
  ConsultationRepository,
  type ListQuery,
} from '../src/consultation/consultation.repository';
import { fiscalYearOf, formatNumber } from '../src/consultation/numbering';
import { mostAlike, SIMILAR_CANDIDATES, SIMILAR_SHOWN } from '../src/consultation/similar';
import type { Action, PersonRef, State } from '../src/consultation/types';
import type { Database } from '../src/store/schema';
import { inTransaction, openStore, type Dialect, type Store } from '../src/store/store';
import { CATEGORY_IDS, plantMarkers, rng, WARDS, CITIES, generate, type Markers } from './corpus';

// ---------------------------------------------------------------------------------------
// options

interface Options {
  n: number;
  dialects: Dialect[];
  batch: number;
  queries: number;
  seed: number;
  explain: boolean;
  json: string | null;
  keep: boolean;
  reuse: string | null;
}

function options(argv: string[]): Options {
  const arg = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    if (i >= 0) return argv[i + 1];
    const eq = argv.find((a) => a.startsWith(`--${name}=`));
    return eq?.slice(name.length + 3);
  };
  const num = (v: string | undefined, dflt: number) => {
    if (v === undefined) return dflt;
    const x = Number(v.replace(/[_,]/g, ''));
    if (!Number.isInteger(x) || x <= 0) throw new Error(`not a positive integer: ${v}`);
    return x;
  };
  const d = arg('dialect') ?? process.env.MADOGUCHI_BENCH_DIALECT ?? 'all';
  if (!['sqlite', 'postgres', 'all'].includes(d)) throw new Error(`unknown dialect: ${d}`);
  return {
    n: num(arg('n') ?? process.env.MADOGUCHI_BENCH_N, 100_000),
    dialects: d === 'all' ? ['sqlite', 'postgres'] : [d as Dialect],
    batch: num(arg('batch'), 1000),
    queries: num(arg('queries'), 60),
    seed: num(arg('seed'), 20261126),
    explain: argv.includes('--explain'),
    json: arg('json') ?? null,
    keep: argv.includes('--keep'),
    reuse: arg('reuse') ?? null,
  };
}

const PG_ADMIN_URL =
  process.env.MADOGUCHI_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

// ---------------------------------------------------------------------------------------
// memory

const MB = 1024 * 1024;
class RssMeter {
  peak = 0;
  sample(): void {
    this.peak = Math.max(this.peak, process.memoryUsage().rss);
  }
}

// ---------------------------------------------------------------------------------------
// fill

const FIRST_LINE: PersonRef[] = Array.from({ length: 8 }, (_, i) => ({
  id: `oid-fl-${i + 1}`,
  name: `受付担当${String(i + 1).padStart(2, '0')}`,
}));
const SPECIALISTS: PersonRef[] = Array.from({ length: 5 }, (_, i) => ({
  id: `oid-sp-${i + 1}`,
  name: `専門員${String(i + 1).padStart(2, '0')}`,
}));

interface FillResult {
  records: number;
  seconds: number;
  writeSeconds: number;
  insertsPerSecond: number;
  rows: { history: number; notes: number; answers: number };
  peakRssMb: number;
}

const END = new Date('2026-11-25T09:00:00Z');
const minutes = (iso: string, m: number) => new Date(Date.parse(iso) + m * 60_000).toISOString();

/**
 * Writes the records the way the service does: the next number, the record, its history,
 * its notes and answers, and its search document, batched into transactions.
 */
async function fillStore(store: Store, o: Options, markers: Markers): Promise<FillResult> {
  const repo = new ConsultationRepository(store.dialect);
  const r = rng(o.seed);
  const rss = new RssMeter();
  const rows = { history: 0, notes: 0, answers: 0 };
  const started = performance.now();
  let writeMs = 0;
  let nextReport = 0.1;

  for (let start = 0; start < o.n; start += o.batch) {
    const end = Math.min(o.n, start + o.batch);
    const batch: ReturnType<typeof generate>[] = [];
    for (let i = start; i < end; i++) {
      batch.push(generate(r, i, o.n, END, markers.byRecord.get(i) ?? []));
    }
    const t0 = performance.now();
    await inTransaction(store, async (trx) => {
      for (const [k, g] of batch.entries()) {
        const fl = FIRST_LINE[(start + k) % FIRST_LINE.length]!;
        const sp = SPECIALISTS[(start + k) % SPECIALISTS.length]!;
        const fiscalYear = fiscalYearOf(new Date(g.receivedAt));
        const seq = await repo.nextSeq(trx, fiscalYear);
        const created = minutes(g.receivedAt, 3);
        const steps: Array<[Action, State, State]> = [];
        if (g.state !== 'received') steps.push(['claim', 'received', 'claimed']);
        if (g.dispatched) steps.push(['dispatch', 'claimed', 'dispatched']);
        if (g.state === 'answered' || g.state === 'closed') {
          steps.push(['answer', g.dispatched ? 'dispatched' : 'claimed', 'answered']);
        }
        if (g.state === 'closed') steps.push(['close', 'answered', 'closed']);
        const updated = minutes(created, 60 * steps.length);

        const id = await repo.insert(trx, {
          number: formatNumber(fiscalYear, seq),
          fiscalYear,
          seq,
          channel: g.channel,
          state: g.state,
          receivedAt: g.receivedAt,
          consulter: g.consulter,
          categoryId: g.categoryId,
          urgency: g.urgency,
          subject: g.subject,
          details: g.details,
          situation: g.situation,
          firstLineOwner: g.state === 'received' ? null : fl,
          specialist: g.dispatched ? sp : null,
          coordinationNeeded: g.dispatched ? (start + k) % 4 === 0 : null,
          coordinationReason: g.dispatched && (start + k) % 4 === 0 ? '警察との連携が必要' : null,
          tags: g.tags,
          createdBy: fl,
          createdAt: created,
          updatedAt: updated,
          version: 1 + steps.length,
        });
        const history = (action: Action, from: State | null, to: State, at: string) =>
          repo.appendHistory(trx, {
            consultationId: id,
            action,
            actor: action === 'dispatch' || !g.dispatched ? fl : sp,
            at,
            fromState: from,
            toState: to,
            before: from ? { state: from } : null,
            after: { state: to },
            requestId: null,
          });
        await history('create', null, 'received', created);
        for (const [s, [action, from, to]] of steps.entries()) {
          await history(action, from, to, minutes(created, 60 * (s + 1)));
        }
        for (const body of g.notes) {
          await repo.insertNote(trx, {
            consultationId: id,
            author: fl,
            body,
            source: 'card',
            createdAt: minutes(created, 30),
          });
        }
        for (const body of g.answers) {
          await repo.insertAnswer(trx, {
            consultationId: id,
            author: g.dispatched ? sp : fl,
            line: g.dispatched ? 'second' : 'first',
            body,
            delivery: 'phone',
            createdAt: minutes(created, 120),
          });
        }
        rows.history += 1 + steps.length;
        rows.notes += g.notes.length;
        rows.answers += g.answers.length;
        await repo.reindex(trx, id);
      }
    });
    writeMs += performance.now() - t0;
    rss.sample();
    if (end / o.n >= nextReport || end === o.n) {
      const s = (performance.now() - started) / 1000;
      process.stderr.write(
        `  ${store.dialect}: ${end.toLocaleString('en')} / ${o.n.toLocaleString('en')} written, ` +
          `${Math.round(end / (writeMs / 1000))} records/s, ${s.toFixed(0)} s, ` +
          `rss ${Math.round(process.memoryUsage().rss / MB)} MB\n`,
      );
      while (nextReport <= end / o.n) nextReport += 0.1;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    records: o.n,
    seconds,
    writeSeconds: writeMs / 1000,
    insertsPerSecond: o.n / (writeMs / 1000),
    rows,
    peakRssMb: rss.peak / MB,
  };
}

// ---------------------------------------------------------------------------------------
// measuring

interface Logged {
  sql: string;
  parameters: readonly unknown[];
  ms: number;
}

/** A Kysely instance on the filled database that logs every query and its duration. */
interface Measured {
  db: Kysely<Database>;
  /** Queries run since the last call. */
  take(): Logged[];
  explain(q: Logged): Promise<string>;
  close(): Promise<void>;
}

function logger(sink: Logged[]) {
  return (e: LogEvent) => {
    sink.push({ sql: e.query.sql, parameters: e.query.parameters, ms: e.queryDurationMillis });
  };
}

function measureSqlite(path: string): Measured {
  const sink: Logged[] = [];
  const database = new SQLite(path);
  // The same settings as the store opens the file with.
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }), log: logger(sink) });
  return {
    db,
    take: () => sink.splice(0),
    async explain(q) {
      const rows = database
        .prepare(`EXPLAIN QUERY PLAN ${q.sql}`)
        .all(...(q.parameters as unknown[]));
      return (rows as Array<{ id: number; parent: number; detail: string }>)
        .map((r) => {
          let depth = 0;
          for (let p = r.parent; p !== 0; depth++) {
            p =
              (rows as Array<{ id: number; parent: number }>).find((x) => x.id === p)?.parent ?? 0;
          }
          return `${'  '.repeat(depth + 1)}${r.detail}`;
        })
        .join('\n');
    },
    close: () => db.destroy(),
  };
}

const TIMESTAMPTZ_OID = 1184;
const INT8_OID = 20;

function measurePostgres(url: string): Measured {
  const sink: Logged[] = [];
  // The same type parsing as the store: ISO strings and numbers, as SQLite gives.
  const pool = new Pool({
    connectionString: url,
    max: 10,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (oid === TIMESTAMPTZ_OID) return (v: string) => new Date(v).toISOString();
        if (oid === INT8_OID) return (v: string) => Number(v);
        return pgTypes.getTypeParser(oid, format ?? 'text');
      }) as never,
    },
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: logger(sink) });
  return {
    db,
    take: () => sink.splice(0),
    async explain(q) {
      const r = await pool.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${q.sql}`, [
        ...q.parameters,
      ]);
      return r.rows.map((x: Record<string, string>) => `  ${x['QUERY PLAN']}`).join('\n');
    },
    close: () => db.destroy(),
  };
}

/**
 * Where the time of a list goes: the index's term list (short terms), reading the
 * full-text index alone, counting, and everything else (reading and sorting records).
 */
type Part = 'vocab' | 'fts' | 'count' | 'rows';
function partOf(q: Logged): Part {
  if (q.sql.includes('consultation_fts_terms')) return 'vocab';
  if (/count\(/i.test(q.sql)) return 'count';
  if (/^\s*select\s+rowid\b[^]*\bfrom\s+consultation_fts\b/i.test(q.sql)) return 'fts';
  return 'rows';
}

const percentile = (xs: number[], p: number) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
};

interface ClassResult {
  name: string;
  queries: number;
  p50: number;
  p95: number;
  max: number;
  /** This process's CPU time per query: the latency without waiting for a busy CPU (SQLite). */
  cpuP50: number;
  cpuP95: number;
  /** Mean `total` reported by list, and whether any was a lower bound. */
  meanTotal: number;
  lowerBound: number;
  errors: number;
  /** Median time of each part of the work, over the queries that had that part. */
  parts: Partial<Record<Part, { p50: number; p95: number }>>;
  /** For rare terms: whether every query found exactly the planted records. */
  check?: 'ok' | string;
}

interface LikeResult {
  name: string;
  queries: number;
  p50: number;
  p95: number;
  hits: number;
}

interface DialectResult {
  dialect: Dialect;
  records: number;
  /** Null when a kept database was measured again. */
  fill: FillResult | null;
  /** The machine's 1-minute load average before and after the queries. */
  load: [number, number];
  sizeMb: Record<string, number>;
  classes: ClassResult[];
  like: LikeResult[];
  ratios: Record<string, number>;
  queryPeakRssMb: number;
  maxRssMb: number;
  plans: Record<string, string>;
}

interface QueryClass {
  name: string;
  queries: Array<Omit<ListQuery, 'limit' | 'offset'> & { limit?: number; offset?: number }>;
  /** Expected `total` of every query, when known. */
  expect?: number;
}

const COMMON_2 = ['詐欺', '感染', '被害', '不正', '暗号', '口座', '警察', '情報', '攻撃', '送金'];
const COMMON_3 = [
  'ランサム',
  'メール',
  '不正アクセス',
  'パスワード',
  'フィッシング',
  '株式会社',
  'ウイルス',
  'emotet',
  '振込先',
  '個人情報',
];
const TWO_TERMS = [
  '詐欺 世田谷区',
  'ランサム 八王子市',
  'メール 株式会社',
  '不正アクセス 港区',
  'サポート詐欺 電子マネー',
  '振込先 取引先',
  '暗号化 VPN',
  '情報漏えい 誤送信',
  'Emotet 添付',
  '警察 被害届',
];

function queryClasses(m: Markers, count: number, seed: number): QueryClass[] {
  const cycle = (terms: readonly string[]) =>
    Array.from({ length: count }, (_, i) => ({ text: terms[i % terms.length]! }));
  const r = rng(seed ^ 0xf11e);
  const start = END.getTime() - 5.5 * 365.25 * 86400_000;
  const stateSets: State[][] = [
    ['closed'],
    ['answered', 'closed'],
    ['received', 'claimed', 'dispatched'],
    ['dispatched', 'answered'],
  ];
  const filtered = Array.from({ length: count }, () => {
    const from = start + r() * (END.getTime() - start - 400 * 86400_000);
    const days = 90 + Math.floor(r() * 275);
    return {
      states: stateSets[Math.floor(r() * stateSets.length)]!,
      categoryIds: [CATEGORY_IDS[Math.floor(r() * CATEGORY_IDS.length)]!],
      receivedFrom: new Date(from).toISOString(),
      receivedBefore: new Date(from + days * 86400_000).toISOString(),
      offset: 100,
    };
  });
  const places = [...WARDS, ...CITIES];
  return [
    { name: 'rare 2-char', queries: cycle(m.rare2), expect: m.perTerm },
    { name: 'rare 3-char', queries: cycle(m.rare3), expect: m.perTerm },
    { name: 'rare 6-char', queries: cycle(m.rare6), expect: m.perTerm },
    { name: 'common 2-char', queries: cycle(COMMON_2) },
    { name: 'common 3+-char', queries: cycle(COMMON_3) },
    { name: 'two terms (AND)', queries: cycle(TWO_TERMS) },
    { name: 'place name', queries: cycle(places) },
    { name: 'filter + page 3', queries: filtered },
    { name: 'no filter, page 1', queries: cycle(['']).map(() => ({})) },
    // Characters of the planted terms only (a few dozen records each), and common ones.
    { name: 'rare 1-char', queries: cycle(['鶫', '鰆', '鱧']) },
    { name: 'common 1-char', queries: cycle(['詐', '港', '区']) },
  ];
}

async function runClass(
  m: Measured,
  repo: ConsultationRepository,
  c: QueryClass,
  rss: RssMeter,
): Promise<ClassResult> {
  const times: number[] = [];
  const cpu: number[] = [];
  const parts: Record<Part, number[]> = { vocab: [], fts: [], count: [], rows: [] };
  let totals = 0;
  let lowerBound = 0;
  let errors = 0;
  const wrong: string[] = [];
  // One untimed pass over the distinct queries, so that every class starts warm.
  for (const q of c.queries.slice(0, 10)) {
    await repo.list(m.db, { limit: 50, offset: 0, ...q }).catch(() => undefined);
  }
  m.take();
  for (const q of c.queries) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    try {
      const res = await repo.list(m.db, { limit: 50, offset: 0, ...q });
      times.push(performance.now() - t0);
      const used = process.cpuUsage(c0);
      cpu.push((used.user + used.system) / 1000);
      totals += res.total;
      const lb = (res as { totalIsLowerBound?: boolean }).totalIsLowerBound;
      if (lb) lowerBound++;
      if (c.expect !== undefined && (res.total !== c.expect || res.items.length !== c.expect)) {
        wrong.push(`${q.text}: ${res.total}/${res.items.length}`);
      }
    } catch {
      times.push(performance.now() - t0);
      errors++;
    }
    const byPart: Record<Part, number> = { vocab: 0, fts: 0, count: 0, rows: 0 };
    const seen = new Set<Part>();
    for (const l of m.take()) {
      const p = partOf(l);
      byPart[p] += l.ms;
      seen.add(p);
    }
    for (const p of seen) parts[p].push(byPart[p]);
    rss.sample();
  }
  const summary: ClassResult['parts'] = {};
  for (const [p, xs] of Object.entries(parts) as Array<[Part, number[]]>) {
    if (xs.length) summary[p] = { p50: percentile(xs, 50), p95: percentile(xs, 95) };
  }
  return {
    name: c.name,
    queries: times.length,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    max: Math.max(...times),
    cpuP50: percentile(cpu, 50),
    cpuP95: percentile(cpu, 95),
    meanTotal: totals / Math.max(1, times.length - errors),
    lowerBound,
    errors,
    parts: summary,
    ...(c.expect !== undefined
      ? { check: wrong.length ? wrong.slice(0, 3).join('; ') : 'ok' }
      : {}),
  };
}

/**
 * A record's similar past cases, as the ledger's record page reads them: the latest
 * answered and closed records of its category, ranked by how alike they read, and the
 * latest answers of the few shown (`ConsultationService.similar`).
 */
async function runSimilar(
  m: Measured,
  repo: ConsultationRepository,
  o: Options,
  rss: RssMeter,
): Promise<ClassResult> {
  const r = rng(o.seed + 7);
  const ids = Array.from({ length: o.queries + 10 }, () => 1 + Math.floor(r() * o.n));
  const times: number[] = [];
  const cpu: number[] = [];
  let found = 0;
  let errors = 0;
  for (const [i, id] of ids.entries()) {
    const c = await repo.findById(m.db, id);
    if (!c) {
      errors++;
      continue;
    }
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const candidates = await repo.answeredInCategory(m.db, c.categoryId, c.id, SIMILAR_CANDIDATES);
    const shown = mostAlike(c, candidates, SIMILAR_SHOWN);
    const answers = await repo.latestAnswers(
      m.db,
      shown.map((s) => s.consultation.id),
    );
    // The first ten warm the caches and are not counted.
    if (i >= 10) {
      times.push(performance.now() - t0);
      const used = process.cpuUsage(c0);
      cpu.push((used.user + used.system) / 1000);
      found += answers.size;
    }
    m.take();
    rss.sample();
  }
  return {
    name: 'similar past cases',
    queries: times.length,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    max: Math.max(...times),
    cpuP50: percentile(cpu, 50),
    cpuP95: percentile(cpu, 95),
    meanTotal: found / Math.max(1, times.length),
    lowerBound: 0,
    errors,
    parts: {},
  };
}

/** The same rare terms by a plain scan of the record's text columns. */
async function runLike(
  m: Measured,
  name: string,
  terms: string[],
  rss: RssMeter,
): Promise<LikeResult> {
  const times: number[] = [];
  let hits = 0;
  for (const term of terms) {
    const pattern = `%${term}%`;
    const t0 = performance.now();
    const r = await sql<{ id: number }>`SELECT id FROM consultation
      WHERE subject LIKE ${pattern} OR details LIKE ${pattern}`.execute(m.db);
    times.push(performance.now() - t0);
    hits += r.rows.length;
    rss.sample();
  }
  m.take();
  return {
    name,
    queries: times.length,
    p50: percentile(times, 50),
    p95: percentile(times, 95),
    hits: hits / terms.length,
  };
}

async function measure(
  m: Measured,
  dialect: Dialect,
  o: Options,
  markers: Markers,
): Promise<
  Pick<DialectResult, 'classes' | 'like' | 'ratios' | 'queryPeakRssMb' | 'plans' | 'load'>
> {
  const loadBefore = loadavg()[0]!;
  const repo = new ConsultationRepository(dialect);
  const rss = new RssMeter();
  const classes: ClassResult[] = [];
  const plans: Record<string, string> = {};
  for (const c of queryClasses(markers, o.queries, o.seed)) {
    process.stderr.write(`  ${dialect}: ${c.name} …\n`);
    classes.push(await runClass(m, repo, c, rss));
    if (o.explain) {
      await repo.list(m.db, { limit: 50, offset: 0, ...c.queries[0] }).catch(() => undefined);
      const logged = m.take();
      const out: string[] = [];
      for (const l of logged) {
        out.push(`${partOf(l)}: ${l.sql.replace(/\s+/g, ' ').slice(0, 300)}`);
        out.push(`  params: ${JSON.stringify(l.parameters).slice(0, 200)}`);
        if (!/^\s*(begin|commit|rollback)/i.test(l.sql)) out.push(await m.explain(l));
      }
      plans[c.name] = out.join('\n');
    }
  }
  process.stderr.write(`  ${dialect}: similar past cases …\n`);
  classes.push(await runSimilar(m, repo, o, rss));
  process.stderr.write(`  ${dialect}: LIKE scans …\n`);
  const likeTerms: Array<[string, string[]]> = [
    ['rare 2-char', markers.rare2],
    ['rare 3-char', markers.rare3],
    ['rare 6-char', markers.rare6],
  ];
  const like: LikeResult[] = [];
  for (const [name, terms] of likeTerms) like.push(await runLike(m, `LIKE ${name}`, terms, rss));
  const ratios: Record<string, number> = {};
  for (const [name] of likeTerms) {
    const s = classes.find((c) => c.name === name)!;
    const l = like.find((x) => x.name === `LIKE ${name}`)!;
    ratios[name] = l.p50 / s.p50;
  }
  return {
    classes,
    like,
    ratios,
    queryPeakRssMb: rss.peak / MB,
    plans,
    load: [loadBefore, loadavg()[0]!],
  };
}

// ---------------------------------------------------------------------------------------
// dialects

async function adminQuery(text: string): Promise<void> {
  const client = new Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

async function pgReachable(): Promise<string | null> {
  try {
    await adminQuery('select 1');
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

const cleanups: Array<() => Promise<void> | void> = [];
async function cleanupAll(): Promise<void> {
  while (cleanups.length) {
    try {
      await cleanups.pop()!();
    } catch (err) {
      console.error('cleanup failed:', err);
    }
  }
}

async function runSqlite(o: Options, markers: Markers): Promise<DialectResult> {
  let path: string;
  let fill: FillResult | null = null;
  let removeDir = () => undefined as void;
  if (o.reuse) {
    path = o.reuse;
    if (!existsSync(path)) throw new Error(`no such file: ${path}`);
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'madoguchi-bench-'));
    path = join(dir, 'bench.sqlite');
    if (!o.keep) {
      removeDir = () => rmSync(dir, { recursive: true, force: true });
      cleanups.push(removeDir);
    }
    const store = await openStore({ sqlitePath: path });
    fill = await fillStore(store, o, markers);
    await store.close();
    if (o.keep) console.log(`kept SQLite database: ${path}`);
  }

  const m = measureSqlite(path);
  try {
    const sizeMb: Record<string, number> = {};
    for (const f of [path, `${path}-wal`]) {
      if (existsSync(f))
        sizeMb[f.endsWith('-wal') ? 'wal file' : 'database file'] = statSync(f).size / MB;
    }
    try {
      const r = await sql<{ name: string; bytes: number }>`
        SELECT CASE WHEN name LIKE 'consultation_fts%' THEN 'search index (fts5)'
                    WHEN name = 'consultation' THEN 'consultation'
                    WHEN name LIKE 'consultation_%' AND name NOT LIKE 'sqlite_%'
                      AND name IN (SELECT name FROM sqlite_master WHERE type = 'index') THEN 'indexes'
                    ELSE 'other tables' END AS name,
               SUM(pgsize) AS bytes
        FROM dbstat GROUP BY 1`.execute(m.db);
      for (const x of r.rows) sizeMb[x.name] = x.bytes / MB;
    } catch {
      // dbstat is not compiled in everywhere; the file size is enough.
    }
    m.take();
    const result = await measure(m, 'sqlite', o, markers);
    return {
      dialect: 'sqlite',
      records: o.n,
      fill,
      sizeMb,
      ...result,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
    };
  } finally {
    await m.close();
    if (cleanups.includes(removeDir)) cleanups.splice(cleanups.indexOf(removeDir), 1);
    removeDir();
  }
}

async function runPostgres(o: Options, markers: Markers): Promise<DialectResult> {
  const name = o.reuse ?? `madoguchi_bench_${randomBytes(4).toString('hex')}`;
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`not a database name: ${name}`);
  let drop = async () => undefined as void;
  if (!o.reuse) {
    await adminQuery(`CREATE DATABASE ${name}`);
    if (!o.keep) {
      drop = () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      cleanups.push(drop);
    }
  }
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  try {
    let fill: FillResult | null = null;
    if (!o.reuse) {
      const store = await openStore({ databaseUrl: url.toString(), sqlitePath: '' });
      fill = await fillStore(store, o, markers);
      // Autovacuum would get to it; the figures should not depend on when.
      await sql`VACUUM ANALYZE`.execute(store.db);
      await store.close();
      if (o.keep) console.log(`kept PostgreSQL database: ${name}`);
    } else {
      // Measured with this code: its migrations first (timed: they may rewrite every row).
      const started = performance.now();
      const store = await openStore({ databaseUrl: url.toString(), sqlitePath: '' });
      await sql`VACUUM ANALYZE`.execute(store.db);
      await store.close();
      console.log(`migrated and analysed in ${Math.round(performance.now() - started)} ms`);
    }

    const m = measurePostgres(url.toString());
    try {
      const sizes = await sql<{ name: string; bytes: string }>`
        SELECT 'database' AS name, pg_database_size(current_database())::text AS bytes
        UNION ALL SELECT 'consultation (with indexes)', pg_total_relation_size('consultation')::text
        UNION ALL SELECT 'consultation_search (table)', pg_relation_size('consultation_search')::text
        UNION ALL SELECT 'consultation_search_trgm (index)', pg_relation_size('consultation_search_trgm')::text
      `.execute(m.db);
      const sizeMb: Record<string, number> = {};
      for (const x of sizes.rows) sizeMb[x.name] = Number(x.bytes) / MB;
      m.take();
      const result = await measure(m, 'postgres', o, markers);
      return {
        dialect: 'postgres',
        records: o.n,
        fill,
        sizeMb,
        ...result,
        maxRssMb: process.resourceUsage().maxRSS / 1024,
      };
    } finally {
      await m.close();
    }
  } finally {
    if (cleanups.includes(drop)) cleanups.splice(cleanups.indexOf(drop), 1);
    await drop();
  }
}

// ---------------------------------------------------------------------------------------
// output

const f1 = (x: number) =>
  Number.isFinite(x) ? (x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0)) : '-';
const pad = (s: string, w: number) => (s.length >= w ? s : s + ' '.repeat(w - s.length));
const lpad = (s: string, w: number) => (s.length >= w ? s : ' '.repeat(w - s.length) + s);

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r.map((c, i) => (i === 0 ? pad(c, widths[i]!) : lpad(c, widths[i]!))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function report(r: DialectResult): string {
  const out: string[] = [];
  const name = r.dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  out.push(`\n=== ${name}: ${r.records.toLocaleString('en')} consultations ===`);
  if (r.fill) {
    out.push(
      `fill: ${r.fill.insertsPerSecond.toFixed(0)} records/s written ` +
        `(${r.fill.writeSeconds.toFixed(1)} s in transactions, ${r.fill.seconds.toFixed(1)} s with generation); ` +
        `also ${r.fill.rows.history.toLocaleString('en')} history, ${r.fill.rows.notes.toLocaleString('en')} notes, ` +
        `${r.fill.rows.answers.toLocaleString('en')} answers`,
    );
  } else {
    out.push('fill: none (a kept database measured again)');
  }
  out.push(
    `size: ${Object.entries(r.sizeMb)
      .map(([k, v]) => `${k} ${v.toFixed(0)} MB`)
      .join(', ')}`,
  );
  out.push('');
  out.push(
    table(
      [
        'query (list, limit 50)',
        'n',
        'p50 ms',
        'p95 ms',
        'max ms',
        'cpu p50',
        'cpu p95',
        'avg total',
        'vocab p50',
        'fts p50',
        'count p50',
        'count p95',
        'rows p50',
        'rows p95',
        'check',
      ],
      r.classes.map((c) => [
        c.name,
        String(c.queries),
        f1(c.p50),
        f1(c.p95),
        f1(c.max),
        f1(c.cpuP50),
        f1(c.cpuP95),
        c.errors === c.queries
          ? 'error'
          : `${Math.round(c.meanTotal).toLocaleString('en')}${c.lowerBound ? '+' : ''}`,
        f1(c.parts.vocab?.p50 ?? NaN),
        f1(c.parts.fts?.p50 ?? NaN),
        f1(c.parts.count?.p50 ?? NaN),
        f1(c.parts.count?.p95 ?? NaN),
        f1(c.parts.rows?.p50 ?? NaN),
        f1(c.parts.rows?.p95 ?? NaN),
        (c.check ?? '') + (c.errors ? ` ${c.errors} errors` : ''),
      ]),
    ),
  );
  out.push('');
  out.push(
    table(
      ['plain LIKE scan', 'n', 'p50 ms', 'p95 ms', 'hits', 'LIKE / search (p50)'],
      r.like.map((l) => [
        l.name,
        String(l.queries),
        f1(l.p50),
        f1(l.p95),
        String(l.hits),
        `${f1(r.ratios[l.name.replace('LIKE ', '')] ?? NaN)}×`,
      ]),
    ),
  );
  out.push('');
  out.push(
    `RSS: peak while filling ${r.fill ? `${r.fill.peakRssMb.toFixed(0)} MB` : '-'}, ` +
      `while querying ${r.queryPeakRssMb.toFixed(0)} MB; process maxRSS so far ${r.maxRssMb.toFixed(0)} MB; ` +
      `load average ${r.load[0].toFixed(1)} before the queries, ${r.load[1].toFixed(1)} after`,
  );
  for (const [k, v] of Object.entries(r.plans)) out.push(`\n--- plan: ${k}\n${v}`);
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const o = options(process.argv.slice(2));
  const markers = plantMarkers(o.n, 10, 10, o.seed);
  console.log(
    `storage benchmark: ${o.n.toLocaleString('en')} records, batches of ${o.batch}, ` +
      `${o.queries} queries per class, seed ${o.seed}; ` +
      `${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), ${(totalmem() / 1024 ** 3).toFixed(0)} GB memory, ` +
      `Node ${process.version}`,
  );
  console.log(
    `rare terms (each planted in ${markers.perTerm} records): 2-char ${markers.rare2.join(' ')}; ` +
      `3-char ${markers.rare3.join(' ')}; 6-char ${markers.rare6.join(' ')}`,
  );
  const results: DialectResult[] = [];
  for (const d of o.dialects) {
    if (d === 'postgres') {
      const why = await pgReachable();
      if (why) {
        const msg = `PostgreSQL not reachable at ${PG_ADMIN_URL.replace(/\/\/[^@]*@/, '//')}: ${why}`;
        if (o.dialects.length === 1) throw new Error(msg);
        console.log(`\n=== PostgreSQL: skipped (${msg}) ===`);
        continue;
      }
    }
    const r = d === 'sqlite' ? await runSqlite(o, markers) : await runPostgres(o, markers);
    console.log(report(r));
    results.push(r);
  }
  if (o.json) {
    writeFileSync(
      o.json,
      JSON.stringify(
        {
          n: o.n,
          batch: o.batch,
          seed: o.seed,
          cpus: cpus().length,
          memGb: totalmem() / 1024 ** 3,
          results,
        },
        null,
        2,
      ),
    );
  }
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    void cleanupAll().finally(() => process.exit(130));
  });
}

main()
  .catch((err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  })
  .finally(() => cleanupAll());
