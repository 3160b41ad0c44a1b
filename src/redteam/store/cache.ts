import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { LifeguardError } from '../../core/errors.js';
import { loadedToolCalls, storedToolCalls } from '../tool-calls.js';
import type { TargetResponse } from '../types.js';
import { WriteBatch } from './write-batch.js';

/**
 * The response cache: answers by request hash (sha256 of target fingerprint + params + messages + seed),
 * shared by every run that points at the same file. Lookups are synchronous; inserts are batched. An answer's
 * tool calls are kept in a table of their own (`tool_calls`, see `storedToolCalls`), not in a new column of
 * `cache`: an older lifeguard sharing the file inserts into `cache` by position, and an entry it wrote (no
 * `tool_calls` row) loads as it did for it.
 */
export class ResponseCache {
  private readonly db: Database.Database;
  private readonly getSt: Database.Statement;
  private readonly putSt: Database.Statement;
  private readonly putCallsSt: Database.Statement;
  private readonly batch: WriteBatch;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    try {
      this.db = new Database(path);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('busy_timeout = 5000');
      this.db.exec(
        'CREATE TABLE IF NOT EXISTS cache (hash TEXT PRIMARY KEY, text TEXT NOT NULL, prompt_tokens INTEGER, completion_tokens INTEGER, finish TEXT, at REAL NOT NULL);' +
          'CREATE TABLE IF NOT EXISTS tool_calls (hash TEXT PRIMARY KEY, calls TEXT NOT NULL)',
      );
    } catch (e) {
      throw new LifeguardError(
        'LG_ERR_CONFIG_INVALID',
        `response cache ${path}: cannot open (${(e as Error).message})`,
      );
    }
    this.getSt = this.db.prepare(
      'SELECT c.text, c.prompt_tokens, c.completion_tokens, c.finish, t.calls FROM cache c LEFT JOIN tool_calls t ON t.hash = c.hash WHERE c.hash = ?',
    );
    this.putSt = this.db.prepare(
      'INSERT OR IGNORE INTO cache (hash, text, prompt_tokens, completion_tokens, finish, at) VALUES (?,?,?,?,?,?)',
    );
    this.putCallsSt = this.db.prepare('INSERT OR IGNORE INTO tool_calls (hash, calls) VALUES (?,?)');
    this.batch = new WriteBatch(this.db);
  }

  get(hash: string): TargetResponse | undefined {
    const r = this.getSt.get(hash) as
      | {
          text: string;
          prompt_tokens: number | null;
          completion_tokens: number | null;
          finish: string | null;
          calls: string | null;
        }
      | undefined;
    if (!r) return undefined;
    const out: TargetResponse = { text: r.text, cached: true };
    const calls = loadedToolCalls(r.text, r.calls);
    if (calls !== undefined) out.toolCalls = calls;
    else out.toolCallsUnknown = true;
    if (r.prompt_tokens !== null || r.completion_tokens !== null) {
      out.usage = {};
      if (r.prompt_tokens !== null) out.usage.promptTokens = r.prompt_tokens;
      if (r.completion_tokens !== null) out.usage.completionTokens = r.completion_tokens;
    }
    if (r.finish !== null) out.finishReason = r.finish;
    return out;
  }

  put(hash: string, response: TargetResponse): void {
    const calls = response.toolCallsUnknown ? null : storedToolCalls(response.text, response.toolCalls ?? []);
    this.batch.push(() => {
      // the entry first: when another process wrote it already, its tool_calls row (or none) stands
      const added = this.putSt.run(
        hash,
        response.text,
        response.usage?.promptTokens ?? null,
        response.usage?.completionTokens ?? null,
        response.finishReason ?? null,
        Date.now() / 1000,
      ).changes;
      if (added > 0 && calls !== null) this.putCallsSt.run(hash, calls);
    });
  }

  flush(): void {
    this.batch.flush();
  }

  close(): void {
    if (this.batch.isClosed) return;
    this.batch.close();
    this.db.close();
  }
}
