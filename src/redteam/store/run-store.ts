import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { LifeguardError } from '../../core/errors.js';
import { loadedToolCalls, storedToolCalls } from '../tool-calls.js';
import type { ChatMessage, Goal, HumanOverride, ToolCall, Usage, Verdict } from '../types.js';
import { WriteBatch } from './write-batch.js';

/** Schema version of `run.sqlite`; a newer file is refused rather than misread. */
export const RUN_LOG_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, mode TEXT NOT NULL,
  config TEXT NOT NULL, config_hash TEXT NOT NULL, seed INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS requests (
  id INTEGER PRIMARY KEY, req_id TEXT NOT NULL, key TEXT NOT NULL, role TEXT NOT NULL, attempt INTEGER NOT NULL,
  req_hash TEXT NOT NULL, status TEXT NOT NULL, response TEXT, finish TEXT, prompt_tokens INTEGER,
  completion_tokens INTEGER, cached INTEGER NOT NULL DEFAULT 0, error TEXT, at REAL NOT NULL, tool_calls TEXT);
CREATE INDEX IF NOT EXISTS requests_key ON requests(key);
CREATE TABLE IF NOT EXISTS items (
  id INTEGER PRIMARY KEY, key TEXT NOT NULL, seq INTEGER NOT NULL, status TEXT NOT NULL, goal TEXT NOT NULL,
  attack TEXT NOT NULL, messages TEXT NOT NULL, response TEXT, error TEXT, reason TEXT, turns INTEGER NOT NULL,
  usage TEXT, trace TEXT, at REAL NOT NULL, tool_calls TEXT);
CREATE INDEX IF NOT EXISTS items_key ON items(key);
CREATE TABLE IF NOT EXISTS verdicts (
  id INTEGER PRIMARY KEY, key TEXT NOT NULL, verdicts TEXT NOT NULL, final TEXT, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS verdicts_key ON verdicts(key);
CREATE TABLE IF NOT EXISTS overrides (
  id INTEGER PRIMARY KEY, key TEXT NOT NULL, jailbroken INTEGER NOT NULL, refused INTEGER NOT NULL, note TEXT,
  at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, at REAL NOT NULL, type TEXT NOT NULL, data TEXT);
`;

/**
 * Columns added within version 1 (nullable, so a log from before them reads as it did, and an older lifeguard
 * resuming a newer log, which names its columns, still writes it): added to a log that lacks them.
 */
const ADDED_COLUMNS: readonly [table: string, column: string][] = [
  ['requests', 'tool_calls'],
  ['items', 'tool_calls'],
];

/** One request attempt, logged as `sent` before it leaves and as `ok` / `error` when it ends. */
export interface RequestRow {
  reqId: string;
  key: string;
  /** `judge`: an LLM judge's request about the item's answer (or a score during an interactive attack). */
  role: 'target' | 'attacker' | 'judge';
  attempt: number;
  reqHash: string;
  /** `aborted`: sent, then aborted when a stop's grace ran out (or a second signal); it has no answer. */
  status: 'sent' | 'ok' | 'error' | 'aborted';
  response?: string;
  finish?: string;
  usage?: Usage;
  cached?: boolean;
  error?: string;
  /** The answer's tool calls (`ok` rows; see `storedToolCalls`): `undefined` when not known. */
  toolCalls?: readonly ToolCall[];
}

/** An item's outcome: done (has a response), failed (retries spent) or skipped (budget / stop). */
export interface ItemRow {
  key: string;
  seq: number;
  status: 'done' | 'failed' | 'skipped';
  goal: Goal;
  attack: string;
  messages: ChatMessage[];
  response: string | null;
  error?: string;
  reason?: string;
  /**
   * A `done` item whose attack a budget cut short: it holds the best the attack got before (stored in the
   * `reason` column, which `done` rows had no use for, so the log's schema is unchanged).
   */
  stoppedBy?: 'budget';
  turns: number;
  usage: Usage;
  trace?: unknown;
  /**
   * A `done` item's answer's tool calls (`[]`: none); `undefined` when not known (logged before they were kept,
   * with text that reads as `[tool call]` lines: judged by that text, as it was then).
   */
  toolCalls?: ToolCall[];
}

/** A row with `final: null` clears the key's earlier verdicts (its item was answered anew, see `clearVerdict`). */
export interface VerdictRow {
  key: string;
  verdicts: Verdict[];
  final: Verdict | null;
}

/** What an earlier session left, as resume needs it. */
export interface RunState {
  /** Latest outcome per item key. */
  items: Map<string, ItemRow>;
  verdicts: Map<string, VerdictRow>;
  /** Answers already received (judges' included), by `key` then request hash (in the order they came). */
  answers: Map<string, Map<string, { text: string; usage?: Usage; finish?: string; toolCalls?: ToolCall[] }[]>>;
  /**
   * Target and attacker requests logged `sent` with no outcome (a hard kill), by item key. Judge requests are
   * not counted: they are not prompts to the model under test, and a re-judge sends them again.
   */
  unanswered: Map<string, number>;
  /** Target and attacker requests aborted at a stop (grace ran out, or a second signal), never answered, by item key. */
  aborted: Map<string, number>;
  /** Budget spent so far: requests sent (cache hits excluded) and tokens reported, every role together. */
  spent: { requests: number; promptTokens: number; completionTokens: number };
  /** `spent` by role (`target`, `attacker`, `judge`); a role with no logged request is absent. */
  spentByRole: Partial<
    Record<RequestRow['role'], { requests: number; promptTokens: number; completionTokens: number }>
  >;
  /**
   * Answered items whose judging a budget refused, with the reason (`budget`); an item judged since (it has
   * a verdict) no longer counts.
   */
  unjudged: Map<string, string>;
  overrides: HumanOverride[];
}

const now = () => Date.now() / 1000;
const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));
function parse<T>(s: string | null | undefined, fallback: T): T {
  if (s === null || s === undefined) return fallback;
  try {
    return JSON.parse(s) as T;
  } catch {
    return fallback;
  }
}

/** A row's answer's tool calls, when known (see `loadedToolCalls`). */
function toolCallsOf(r: Record<string, unknown>): { toolCalls?: ToolCall[] } {
  const calls = loadedToolCalls((r.response as string | null) ?? '', r.tool_calls);
  return calls === undefined ? {} : { toolCalls: calls };
}

/**
 * The append-only run log (`run.sqlite`, WAL): rows are only ever inserted, the latest row per key
 * wins. Writes are queued and committed in one transaction per event-loop turn, so logging keeps up
 * with thousands of requests a second; `sent` rows are committed before the request leaves
 * (`markSent` resolves after the commit), so after a hard kill resume knows what may have reached the
 * endpoint. `synchronous=NORMAL`: a commit survives the process being killed (it is in the OS page
 * cache), not a power cut.
 */
export class RunStore {
  readonly path: string;
  private readonly db: Database.Database;
  private readonly st: Record<string, Database.Statement>;
  private readonly batch: WriteBatch;

  private constructor(path: string, db: Database.Database) {
    this.path = path;
    this.db = db;
    this.st = {
      req: db.prepare(
        `INSERT INTO requests (req_id, key, role, attempt, req_hash, status, response, finish, prompt_tokens,
         completion_tokens, cached, error, at, tool_calls) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
      ),
      item: db.prepare(
        `INSERT INTO items (key, seq, status, goal, attack, messages, response, error, reason, turns, usage, trace, at,
         tool_calls) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
      ),
      verdict: db.prepare('INSERT INTO verdicts (key, verdicts, final, at) VALUES (?,?,?,?)'),
      event: db.prepare('INSERT INTO events (at, type, data) VALUES (?,?,?)'),
      override: db.prepare('INSERT INTO overrides (key, jailbroken, refused, note, at) VALUES (?,?,?,?,?)'),
    };
    this.batch = new WriteBatch(db);
  }

  /** Opens (creating when missing) `run.sqlite` in `dir`. */
  static open(dir: string): RunStore {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'run.sqlite');
    let db: Database.Database;
    try {
      db = new Database(path);
    } catch (e) {
      throw new LifeguardError('LG_ERR_INPUT_INVALID', `${path}: cannot open the run log (${(e as Error).message})`);
    }
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('busy_timeout = 5000');
      db.exec(SCHEMA);
      for (const [table, column] of ADDED_COLUMNS) {
        const cols = db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[];
        if (!cols.some((c) => c.name === column)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} TEXT`);
      }
      const v = db.prepare("SELECT value FROM meta WHERE key = 'version'").pluck().get() as string | undefined;
      if (v === undefined)
        db.prepare("INSERT INTO meta (key, value) VALUES ('version', ?)").run(String(RUN_LOG_VERSION));
      else if (Number(v) > RUN_LOG_VERSION) {
        throw new LifeguardError(
          'LG_ERR_INPUT_INVALID',
          `${path}: run log version ${v} is newer than this lifeguard (${RUN_LOG_VERSION})`,
        );
      }
    } catch (e) {
      db.close();
      if (LifeguardError.isInstance(e)) throw e;
      throw new LifeguardError('LG_ERR_INPUT_INVALID', `${path}: not a run log (${(e as Error).message})`);
    }
    return new RunStore(path, db);
  }

  /** The first session's config hash and seed, or undefined for a new log. */
  firstRun(): { configHash: string; seed: number; config: string; startedAt: string } | undefined {
    const r = this.db.prepare('SELECT config_hash, seed, config, started_at FROM runs ORDER BY id LIMIT 1').get() as
      | { config_hash: string; seed: number; config: string; started_at: string }
      | undefined;
    return r && { configHash: r.config_hash, seed: r.seed, config: r.config, startedAt: r.started_at };
  }

  /** Records a session (the first run or a resume); committed at once. */
  startSession(mode: 'new' | 'resume', config: unknown, configHash: string, seed: number): number {
    const info = this.db
      .prepare('INSERT INTO runs (started_at, mode, config, config_hash, seed) VALUES (?,?,?,?,?)')
      .run(new Date().toISOString(), mode, JSON.stringify(config), configHash, seed);
    return Number(info.lastInsertRowid);
  }

  /** Queues a `sent` row and resolves once it is committed: only then may the request leave. */
  markSent(row: Omit<RequestRow, 'status'>): Promise<void> {
    this.request({ ...row, status: 'sent' });
    return this.batch.committed();
  }

  request(row: RequestRow): void {
    const u = row.usage;
    this.push(() =>
      this.st.req.run(
        row.reqId,
        row.key,
        row.role,
        row.attempt,
        row.reqHash,
        row.status,
        row.response ?? null,
        row.finish ?? null,
        u?.promptTokens ?? null,
        u?.completionTokens ?? null,
        row.cached ? 1 : 0,
        row.error ?? null,
        now(),
        row.status === 'ok' ? storedToolCalls(row.response ?? '', row.toolCalls) : null,
      ),
    );
  }

  item(row: ItemRow): void {
    this.push(() =>
      this.st.item.run(
        row.key,
        row.seq,
        row.status,
        JSON.stringify(row.goal),
        row.attack,
        JSON.stringify(row.messages),
        row.response,
        row.error ?? null,
        (row.status === 'done' ? row.stoppedBy : row.reason) ?? null,
        row.turns,
        json(row.usage),
        json(row.trace),
        now(),
        row.status === 'done' ? storedToolCalls(row.response ?? '', row.toolCalls) : null,
      ),
    );
  }

  verdict(row: VerdictRow): void {
    this.push(() => this.st.verdict.run(row.key, JSON.stringify(row.verdicts), json(row.final), now()));
  }

  /**
   * Drops the verdicts of `key` (a row without a final verdict): its item has a new answer (an attack a budget
   * cut short, continued on resume), so they judged an answer it no longer has. Queue it right after the new
   * item row: both are committed in the same transaction.
   */
  clearVerdict(key: string): void {
    this.verdict({ key, verdicts: [], final: null });
  }

  event(type: string, data?: unknown): void {
    this.push(() => this.st.event.run(now(), type, json(data)));
  }

  /** Appends a human override (committed at once). */
  addOverride(o: HumanOverride): void {
    this.flush();
    this.st.override.run(o.key, o.jailbroken ? 1 : 0, o.refused ? 1 : 0, o.note ?? null, o.at);
  }

  private push(f: () => void): void {
    if (!this.batch.push(f)) throw new Error('run log is closed');
  }

  /** Commits everything queued, now. */
  flush(): void {
    this.batch.flush();
  }

  /** Reads what earlier sessions logged. */
  load(): RunState {
    this.flush();
    const items = new Map<string, ItemRow>();
    for (const r of this.db.prepare('SELECT * FROM items ORDER BY id').iterate() as Iterable<Record<string, unknown>>) {
      const status = r.status as ItemRow['status'];
      const reason = (r.reason as string | null) ?? undefined;
      items.set(r.key as string, {
        key: r.key as string,
        seq: r.seq as number,
        status,
        goal: parse<Goal>(r.goal as string, { id: '?', text: '', source: '?' }),
        attack: r.attack as string,
        messages: parse<ChatMessage[]>(r.messages as string, []),
        response: (r.response as string | null) ?? null,
        error: (r.error as string | null) ?? undefined,
        ...(status === 'done' ? (reason === 'budget' ? { stoppedBy: 'budget' as const } : {}) : { reason }),
        turns: r.turns as number,
        usage: parse<Usage>(r.usage as string | null, {}),
        trace: parse<unknown>(r.trace as string | null, undefined),
        ...(status === 'done' ? toolCallsOf(r) : {}),
      });
    }
    const verdicts = new Map<string, VerdictRow>();
    for (const r of this.db.prepare('SELECT * FROM verdicts ORDER BY id').iterate() as Iterable<
      Record<string, unknown>
    >) {
      const final = parse<Verdict | null>(r.final as string | null, null);
      // a row without a final verdict clears the earlier ones (clearVerdict)
      if (final === null) {
        verdicts.delete(r.key as string);
        continue;
      }
      verdicts.set(r.key as string, {
        key: r.key as string,
        verdicts: parse<Verdict[]>(r.verdicts as string, []),
        final,
      });
    }
    const answers: RunState['answers'] = new Map();
    const open = new Map<string, string>();
    const abortedReqs = new Map<string, string>();
    const spentByRole: RunState['spentByRole'] = {};
    for (const r of this.db.prepare('SELECT * FROM requests ORDER BY id').iterate() as Iterable<
      Record<string, unknown>
    >) {
      const reqId = r.req_id as string;
      const key = r.key as string;
      const role = r.role as RequestRow['role'];
      const part = spentByRole[role] ?? { requests: 0, promptTokens: 0, completionTokens: 0 };
      spentByRole[role] = part;
      if (r.status === 'sent') {
        if (role !== 'judge') open.set(reqId, key);
        if (!r.cached) part.requests++;
        continue;
      }
      open.delete(reqId);
      if (r.status === 'aborted') {
        if (role !== 'judge') abortedReqs.set(reqId, key);
        continue;
      }
      abortedReqs.delete(reqId);
      if (r.cached) continue;
      part.promptTokens += (r.prompt_tokens as number | null) ?? 0;
      part.completionTokens += (r.completion_tokens as number | null) ?? 0;
      if (r.status !== 'ok') continue;
      let byHash = answers.get(key);
      if (!byHash) {
        byHash = new Map();
        answers.set(key, byHash);
      }
      const h = r.req_hash as string;
      const list = byHash.get(h) ?? [];
      const usage: Usage = {};
      if (r.prompt_tokens !== null) usage.promptTokens = r.prompt_tokens as number;
      if (r.completion_tokens !== null) usage.completionTokens = r.completion_tokens as number;
      const text = (r.response as string | null) ?? '';
      list.push({ text, usage, finish: (r.finish as string | null) ?? undefined, ...toolCallsOf(r) });
      byHash.set(h, list);
    }
    // every logged request has a role: the run's total is the sum of the roles' parts
    const spent = { requests: 0, promptTokens: 0, completionTokens: 0 };
    for (const part of Object.values(spentByRole)) {
      spent.requests += part.requests;
      spent.promptTokens += part.promptTokens;
      spent.completionTokens += part.completionTokens;
    }
    const unanswered = new Map<string, number>();
    for (const key of open.values()) unanswered.set(key, (unanswered.get(key) ?? 0) + 1);
    const aborted = new Map<string, number>();
    for (const key of abortedReqs.values()) aborted.set(key, (aborted.get(key) ?? 0) + 1);
    const unjudged = new Map<string, string>();
    for (const data of this.db
      .prepare("SELECT data FROM events WHERE type = 'judge-skipped' ORDER BY id")
      .pluck()
      .iterate() as Iterable<string | null>) {
      const d = parse<{ key?: unknown; reason?: unknown }>(data, {});
      if (typeof d.key === 'string' && !verdicts.has(d.key)) unjudged.set(d.key, String(d.reason ?? 'budget'));
    }
    return {
      items,
      verdicts,
      answers,
      unanswered,
      aborted,
      spent,
      spentByRole,
      unjudged,
      overrides: this.overrides(),
    };
  }

  overrides(): HumanOverride[] {
    this.flush();
    return (this.db.prepare('SELECT * FROM overrides ORDER BY id').all() as Record<string, unknown>[]).map((r) => {
      const o: HumanOverride = {
        key: r.key as string,
        jailbroken: r.jailbroken === 1,
        refused: r.refused === 1,
        at: r.at as string,
      };
      if (r.note !== null) o.note = r.note as string;
      return o;
    });
  }

  /** Counts per request status and per event type (for reports and tests). */
  counts(): { requests: Record<string, number>; events: Record<string, number> } {
    this.flush();
    const requests: Record<string, number> = {};
    for (const r of this.db.prepare('SELECT status, count(*) AS n FROM requests GROUP BY status').all() as {
      status: string;
      n: number;
    }[])
      requests[r.status] = r.n;
    const events: Record<string, number> = {};
    for (const r of this.db.prepare('SELECT type, count(*) AS n FROM events GROUP BY type').all() as {
      type: string;
      n: number;
    }[])
      events[r.type] = r.n;
    return { requests, events };
  }

  close(): void {
    if (this.batch.isClosed) return;
    this.batch.close();
    this.db.close();
  }
}
