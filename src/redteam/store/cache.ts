import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { LifeguardError } from '../../core/errors.js';
import type { TargetResponse } from '../types.js';
import { WriteBatch } from './write-batch.js';

/**
 * The response cache: answers by request hash (sha256 of target fingerprint + params + messages + seed),
 * shared by every run that points at the same file. Lookups are synchronous; inserts are batched.
 */
export class ResponseCache {
  private readonly db: Database.Database;
  private readonly getSt: Database.Statement;
  private readonly putSt: Database.Statement;
  private readonly batch: WriteBatch;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    try {
      this.db = new Database(path);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('busy_timeout = 5000');
      this.db.exec(
        'CREATE TABLE IF NOT EXISTS cache (hash TEXT PRIMARY KEY, text TEXT NOT NULL, prompt_tokens INTEGER, completion_tokens INTEGER, finish TEXT, at REAL NOT NULL)',
      );
    } catch (e) {
      throw new LifeguardError(
        'LG_ERR_CONFIG_INVALID',
        `response cache ${path}: cannot open (${(e as Error).message})`,
      );
    }
    this.getSt = this.db.prepare('SELECT text, prompt_tokens, completion_tokens, finish FROM cache WHERE hash = ?');
    this.putSt = this.db.prepare('INSERT OR IGNORE INTO cache VALUES (?,?,?,?,?,?)');
    this.batch = new WriteBatch(this.db);
  }

  get(hash: string): TargetResponse | undefined {
    const r = this.getSt.get(hash) as
      | { text: string; prompt_tokens: number | null; completion_tokens: number | null; finish: string | null }
      | undefined;
    if (!r) return undefined;
    const out: TargetResponse = { text: r.text, cached: true };
    if (r.prompt_tokens !== null || r.completion_tokens !== null) {
      out.usage = {};
      if (r.prompt_tokens !== null) out.usage.promptTokens = r.prompt_tokens;
      if (r.completion_tokens !== null) out.usage.completionTokens = r.completion_tokens;
    }
    if (r.finish !== null) out.finishReason = r.finish;
    return out;
  }

  put(hash: string, response: TargetResponse): void {
    this.batch.push(() =>
      this.putSt.run(
        hash,
        response.text,
        response.usage?.promptTokens ?? null,
        response.usage?.completionTokens ?? null,
        response.finishReason ?? null,
        Date.now() / 1000,
      ),
    );
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
