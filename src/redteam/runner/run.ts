import { setMaxListeners } from 'node:events';
import { existsSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { LifeguardError } from '../../core/errors.js';
import { mulberry32 } from '../../core/random.js';
import type { RedteamConfig } from '../config.js';
import { configHash as hashConfig } from '../config.js';
import { checkGate, type GateResult, type RunSummary } from '../report/index.js';
import { type ItemRow, ResponseCache, type RunState, RunStore } from '../store/index.js';
import { createTarget, isRetryable, retryAfterOf, targetFingerprint } from '../targets/index.js';
import { resultToolCalls } from '../tool-calls.js';
import type {
  Attack,
  AttackContext,
  ChatMessage,
  Goal,
  HumanOverride,
  ItemResult,
  JudgePanel,
  Target,
  TargetResponse,
  ToolCall,
  Usage,
  Verdict,
} from '../types.js';
import {
  Budget,
  BudgetExceeded,
  backoffMs,
  RateLimiter,
  type RequestRole,
  type Spend,
  Stopped,
  sleep,
} from './limits.js';
import { type ReportHooks, writeOutputs } from './outputs.js';
import { type PlannedItem, planItems, requestHash } from './plan.js';

/** Default response cache file, relative to the working directory. */
export const DEFAULT_CACHE_PATH = join('.lifeguard', 'cache', 'redteam.sqlite');

export interface RunProgress {
  total: number;
  /** Items with an answer (this session or earlier ones). */
  done: number;
  failed: number;
  skipped: number;
  /** Requests sent this session. */
  sent: number;
  /** Answers served from the cache or the run log (no request sent). */
  cached: number;
  inflight: number;
  judged: number;
  elapsedMs: number;
}

export interface RunOptions {
  /** The run directory (default: `config.output.dir`). */
  outDir?: string;
  /** Continue the run in `outDir`: items with an answer are skipped, answers without a verdict re-judged. */
  resume?: boolean;
  /** Resume even though the config hash differs from the run's. */
  force?: boolean;
  /** Stop gracefully: no new items; requests in flight finish within `graceMs`, then they are aborted. */
  signal?: AbortSignal;
  /** Abort at once (a second Ctrl-C): requests in flight are cut off and left for resume. */
  abortSignal?: AbortSignal;
  onProgress?: (p: RunProgress) => void;
  /** Overrides of config fields the CLI exposes. */
  concurrency?: number;
  failIf?: string;
  formats?: RedteamConfig['output']['formats'];
  /** Resolve relative goal files against this (the config file's folder). */
  baseDir?: string;
  /** Injected parts (tests and programmatic use); built from the config when absent. */
  target?: Target;
  attacker?: Target;
  goals?: Goal[];
  attacks?: Attack[];
  /** `null`: no judging (answers only). */
  panel?: JudgePanel | null;
  /** Report functions (default: the report module's). */
  report?: Partial<ReportHooks>;
}

export interface RunCounts {
  items: number;
  /** Items with an answer. */
  done: number;
  failed: number;
  skipped: number;
  /** Items left without an outcome (the run was stopped). */
  pending: number;
  /** Items already answered by an earlier session. */
  fromLog: number;
  sent: number;
  cached: number;
  judged: number;
  judgeErrors: number;
  /**
   * Answers left without a verdict because a budget was spent before their judge's request could be sent
   * (`skipped: budget (answered, not judged)` in the results; `--resume` with a larger budget judges them).
   */
  judgeSkipped: number;
  /** Requests sent to judges' model endpoints this session (not in `sent`, which counts target and attacker). */
  judgeSent: number;
  /**
   * Of `done`, items whose attack a budget cut short (`stoppedBy: "budget"` in the results): they keep the best
   * the attack got before the budget ran out, judged as usual. Those an earlier session left are continued
   * when the budget allows (and then no longer count if they run their course).
   */
  cutShort: number;
  /**
   * Requests an earlier session left sent but unanswered (found on resume): left by a hard kill, or
   * aborted when a stop's grace ran out (`abortedAtStop` of them).
   */
  unanswered: number;
  /** Of `unanswered`, requests aborted at a stop (graceMs ran out, or a second signal) rather than a hard kill. */
  abortedAtStop: number;
  /** Items with such requests that were sent again (`resendUnanswered: true`, the default). */
  resent: number;
  /**
   * Items with such requests that were failed instead, nothing re-sent (`resendUnanswered: false`); an item a
   * budget had cut short is kept as it was instead (it has an answer, and its verdict).
   */
  notResent: number;
  retries: number;
}

export interface RunOutcome {
  dir: string;
  status: 'complete' | 'interrupted' | 'budget';
  /** Which budget stopped dispatch, when one did. */
  budget?: string;
  counts: RunCounts;
  results: ItemResult[];
  summary: RunSummary;
  gate?: GateResult;
  files: string[];
  configHash: string;
  /** What the run spent over every session: target, attacker and judge requests together; `judge`: the judges' part. */
  spent: Spend & { costUsd: number; judge: Spend & { costUsd: number } };
}

function lastUser(messages: readonly ChatMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i].role === 'user') return messages[i].content;
  return '';
}

function addUsage(a: Usage, b: Usage | undefined): void {
  if (b?.promptTokens !== undefined) a.promptTokens = (a.promptTokens ?? 0) + b.promptTokens;
  if (b?.completionTokens !== undefined) a.completionTokens = (a.completionTokens ?? 0) + b.completionTokens;
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function isAborted(e: unknown): boolean {
  return (e as { aborted?: unknown })?.aborted === true;
}

/**
 * Checks that the files a config names (replay recordings, goal files) exist, before anything is written:
 * one line per problem, saying where relative paths are resolved from.
 */
export function checkInputFiles(config: RedteamConfig, baseDir: string | undefined, opts: RunOptions = {}): void {
  const base = baseDir ?? process.cwd();
  const where = `relative paths in the config are resolved against its folder, ${base}`;
  const missing: string[] = [];
  const replay = (t: RedteamConfig['target'] | undefined, field: string) => {
    if (t?.type !== 'replay') return;
    const paths = Array.isArray(t.path) ? t.path : [t.path];
    for (const p of paths) {
      const abs = isAbsolute(p) ? p : resolve(base, p);
      if (!existsSync(abs)) missing.push(`${field}.path: replay file not found: ${abs}`);
    }
  };
  if (!opts.target) replay(config.target, 'target');
  if (!opts.attacker) replay(config.attacker, 'attacker');
  if (!opts.goals) {
    config.goals.forEach((g, i) => {
      const file =
        typeof g === 'string'
          ? /\.(csv|jsonl|ndjson)$/i.test(g)
            ? g
            : undefined
          : typeof g === 'object' && g !== null && 'file' in g
            ? (g as { file: string }).file
            : undefined;
      if (file === undefined) return;
      const abs = isAbsolute(file) ? file : resolve(base, file);
      if (!existsSync(abs)) missing.push(`goals[${i}]: goal file not found: ${abs}`);
    });
  }
  if (missing.length > 0) {
    throw new LifeguardError('LG_ERR_CONFIG_INVALID', `${missing.join('; ')} (${where}); nothing was run`);
  }
}

/**
 * Runs a red-team config: goals × attacks × repeats, each answered by the target (through the cache,
 * the rate limiter, retries and budgets), judged by the panel, logged append-only in `run.sqlite`, then
 * `results.jsonl` and the reports. See docs/redteam-runner.md.
 */
export async function runRedteam(config: RedteamConfig, opts: RunOptions = {}): Promise<RunOutcome> {
  const dir = resolve(opts.outDir ?? config.output.dir);
  const hash = hashConfig(config);
  const seed = config.runner.seed;
  // The parts that read the config's files (replay recordings, goal files) come before the run store: a
  // missing file fails fast with one line and leaves no run.sqlite behind, so a plain rerun works once fixed.
  checkInputFiles(config, opts.baseDir, opts);
  const target = opts.target ?? createTarget(config.target, 'target');
  const attacker = opts.attacker ?? (config.attacker ? createTarget(config.attacker, 'attacker') : undefined);
  const goals =
    opts.goals ?? (await (await import('../goals/index.js')).loadGoals(config.goals, { seed, baseDir: opts.baseDir }));
  const attacks =
    opts.attacks ??
    (await import('../attacks/index.js')).buildAttacks(config.attacks, {
      seed,
      hasAttacker: attacker !== undefined,
      baseDir: opts.baseDir,
    });
  // A gate with a typo ("asrr>0.05", or `asr[attack=base64]` on a run without it) is refused now, before the
  // run store and any request, not after every request was sent.
  // An empty `--fail-if ""` (an unset CI variable) is refused too: it used to replace the config's gate with none.
  const failIf = opts.failIf ?? config.failIf;
  // a run without judges (`judges: false`, or `panel: null`) cannot gate on a metric that counts verdicts
  const judged = opts.panel !== undefined ? opts.panel !== null : config.judges !== false;
  if (failIf !== undefined) checkGate(failIf, { attacks: attacks.map((a) => a.id), judged });
  // Judge endpoints are fingerprinted like the target, so a resumed run finds their logged answers.
  const judgeFingerprints = new Map<Target, string>();
  // Built before the run store: a judge config error (an unset apiKeyEnv) must not leave a started run
  // behind that a plain rerun then refuses to overwrite.
  const panel: JudgePanel | null =
    opts.panel !== undefined
      ? opts.panel
      : config.judges === false
        ? null
        : await (await import('../judges/index.js')).buildJudgePanel(config.judges ?? {}, {
            createTarget: (spec: unknown) => {
              const t = createTarget(spec, 'judge target');
              judgeFingerprints.set(t, `judge:${targetFingerprint(spec as Parameters<typeof targetFingerprint>[0])}`);
              return t;
            },
          });
  const store = RunStore.open(dir);
  let cache: ResponseCache | undefined;
  try {
    const first = store.firstRun();
    if (first && !opts.resume) {
      throw new LifeguardError(
        'LG_ERR_CONFIG_INVALID',
        `${dir} already holds a run (started ${first.startedAt}): pass --resume to continue it, or choose another --out`,
      );
    }
    if (first && first.configHash !== hash && !opts.force) {
      throw new LifeguardError(
        'LG_ERR_CONFIG_INVALID',
        `${dir} was started with a different config (hash ${first.configHash}, now ${hash}: target, goals, attacks, judges, seed or repeats changed); resume with --force to continue anyway, or start a new run with another --out`,
      );
    }
    const resuming = first !== undefined;
    store.startSession(resuming ? 'resume' : 'new', config, hash, seed);
    if (resuming && first.configHash !== hash) store.event('config-changed', { from: first.configHash, to: hash });

    const items = planItems(goals, attacks, seed, config.runner.repeats);

    const state = store.load();
    const cachePath =
      config.runner.cache === false
        ? undefined
        : config.runner.cache === true
          ? resolve(DEFAULT_CACHE_PATH)
          : config.runner.cache;
    const needsCache = (t: Target | undefined) =>
      t !== undefined && !(t as { local?: boolean }).local && !(t as { stateful?: boolean }).stateful;
    if (cachePath && (needsCache(target) || needsCache(attacker))) cache = new ResponseCache(cachePath);

    const session = new Session(config, opts, store, cache, state, target, attacker, panel, items, judgeFingerprints);
    const outcome = await session.run();
    store.event('finished', { status: outcome.status, counts: outcome.counts });
    store.flush();
    const judgeSpend = { ...session.budget.part('judge') };

    const meta = {
      id: basename(dir),
      target: target.id,
      startedAt: first?.startedAt ?? new Date(session.t0).toISOString(),
      finishedAt: new Date().toISOString(),
      seed,
      configHash: hash,
      judges: panel ? panel.judges.map((j) => j.id) : [],
      judged: panel !== null,
      ...(attacker ? { attacker: attacker.id } : {}),
      ...(outcome.status !== 'complete'
        ? {
            notes:
              outcome.status === 'budget' ? `budget spent: ${outcome.budget}` : 'interrupted before every item ran',
          }
        : {}),
      usage: {
        requests: session.budget.requests,
        promptTokens: session.budget.promptTokens,
        completionTokens: session.budget.completionTokens,
        ...(config.budget.pricing ? { costUsd: session.budget.costUsd } : {}),
        // the judges' share of the totals, when a judge called a model
        ...(judgeSpend.requests > 0
          ? {
              judge: {
                ...judgeSpend,
                ...(config.budget.pricing ? { costUsd: session.budget.costOf(judgeSpend) } : {}),
              },
            }
          : {}),
      },
    };
    const finalState = store.load();
    const results = collectResults(finalState, items);
    const written = await writeOutputs(dir, results, meta, {
      overrides: finalState.overrides,
      formats: opts.formats ?? config.output.formats,
      failIf: opts.failIf ?? config.failIf,
      hooks: opts.report,
    });
    return {
      dir,
      status: outcome.status,
      budget: outcome.budget,
      counts: outcome.counts,
      results: written.results,
      summary: written.summary,
      gate: written.gate,
      files: written.files,
      configHash: hash,
      spent: {
        requests: session.budget.requests,
        promptTokens: session.budget.promptTokens,
        completionTokens: session.budget.completionTokens,
        costUsd: session.budget.costUsd,
        judge: { ...judgeSpend, costUsd: session.budget.costOf(judgeSpend) },
      },
    };
  } finally {
    cache?.close();
    store.close();
  }
}

/** ItemResults in item order from the log (items with no outcome yet are left out); overrides not applied. */
export function collectResults(state: RunState, items: readonly { key: string; seq: number }[]): ItemResult[] {
  const out: ItemResult[] = [];
  const order = items.length > 0 ? items : [...state.items.values()].sort((a, b) => a.seq - b.seq);
  for (const { key } of order) {
    const row = state.items.get(key);
    if (!row) continue;
    const v = state.verdicts.get(key);
    const r: ItemResult = {
      key,
      goal: row.goal,
      attack: row.attack,
      messages: row.messages,
      response: row.status === 'done' ? row.response : null,
      ...withResultCalls(row.status === 'done' ? row.response : null, row.toolCalls),
      turns: row.turns,
      usage: row.usage,
      verdicts: v?.verdicts ?? [],
      final: v?.final ? finalOf(v.final) : null,
    };
    if (row.status === 'failed') r.error = row.error ?? 'failed';
    if (row.status === 'skipped') r.error = `skipped: ${row.reason ?? 'budget'}`;
    // answered, but a budget refused its judge: skipped like an item the budget never let start, not an error
    const unjudged = row.status === 'done' && !r.final ? state.unjudged.get(key) : undefined;
    if (unjudged !== undefined) r.error = `skipped: ${unjudged} (answered, not judged)`;
    // a budget cut its attack short: the answer is the best it got before, judged like any other
    if (row.status === 'done' && row.stoppedBy) r.stoppedBy = row.stoppedBy;
    out.push(r);
  }
  return out;
}

/** The fields of a stored final verdict an item keeps: the decision, and which panel members voted or fell back. */
function finalOf(f: Verdict): NonNullable<ItemResult['final']> {
  return {
    jailbroken: f.jailbroken,
    refused: f.refused,
    score: f.score,
    judge: f.judge,
    // why it counts as refused, when the judges said: part of it refused, or an answer to another question
    ...(f.partial ? { partial: true } : {}),
    ...(f.offTopic ? { offTopic: true } : {}),
    ...(f.fallback ? { fallback: true } : {}),
    ...(Array.isArray(f.voters) ? { voters: f.voters } : {}),
    ...(Array.isArray(f.fellBack) && f.fellBack.length > 0 ? { fellBack: f.fellBack } : {}),
  };
}

/**
 * `run`: an item to answer; `judge`: an answer an earlier session left without a verdict; `continue`: an item an
 * earlier session's budget cut short, run again (its logged answers replayed) when the budget allows.
 */
type Task =
  | { kind: 'run'; item: PlannedItem }
  | { kind: 'judge'; item: PlannedItem }
  | { kind: 'continue'; item: PlannedItem; row: ItemRow };

class Session {
  readonly t0 = Date.now();
  readonly budget: Budget;
  private readonly limiter: RateLimiter;
  private readonly stop = new AbortController();
  private readonly hard = new AbortController();
  private readonly sessionId = Date.now().toString(36);
  private reqCounter = 0;
  private budgetHit: string | undefined;
  private stopped = false;
  private readonly fingerprints = new Map<Target, string>();
  private readonly counts: RunCounts;
  private inflight = 0;
  /** Verdicts being made: judging runs beside the requests, bounded by runner.judgeConcurrency. */
  private readonly judging = new Set<Promise<void>>();
  private lastProgress = 0;
  private readonly cacheable: (t: Target) => boolean;

  constructor(
    private readonly config: RedteamConfig,
    private readonly opts: RunOptions,
    private readonly store: RunStore,
    private readonly cache: ResponseCache | undefined,
    private readonly state: RunState,
    private readonly target: Target,
    private readonly attacker: Target | undefined,
    private readonly panel: JudgePanel | null,
    private readonly items: PlannedItem[],
    judgeFingerprints: ReadonlyMap<Target, string> = new Map(),
  ) {
    this.budget = new Budget(config.budget);
    this.budget.restore(state.spentByRole);
    // every request in flight listens on these
    setMaxListeners(0, this.hard.signal, this.stop.signal);
    this.limiter = new RateLimiter(config.runner.rateLimit ?? {}, this.hard.signal);
    this.counts = {
      items: items.length,
      done: 0,
      failed: 0,
      skipped: 0,
      pending: 0,
      fromLog: 0,
      sent: 0,
      cached: 0,
      judged: 0,
      judgeErrors: 0,
      judgeSkipped: 0,
      judgeSent: 0,
      cutShort: 0,
      unanswered: 0,
      abortedAtStop: 0,
      resent: 0,
      notResent: 0,
      retries: 0,
    };
    for (const [t, fp] of judgeFingerprints) this.fingerprints.set(t, fp);
    this.fingerprints.set(target, opts.target ? `custom:${target.id}` : targetFingerprint(config.target));
    if (attacker) {
      this.fingerprints.set(
        attacker,
        opts.attacker || !config.attacker ? `custom:${attacker.id}` : targetFingerprint(config.attacker),
      );
    }
    this.cacheable = (t) => {
      const flags = t as { stateful?: boolean; local?: boolean };
      return !flags.stateful && !flags.local;
    };
  }

  async run(): Promise<{ status: RunOutcome['status']; budget?: string; counts: RunCounts }> {
    const { opts, state } = this;
    const onStop = () => this.beginStop();
    const onAbort = () => {
      this.beginStop();
      this.hard.abort();
    };
    if (opts.signal?.aborted) this.beginStop();
    opts.signal?.addEventListener('abort', onStop, { once: true });
    opts.abortSignal?.addEventListener('abort', onAbort, { once: true });

    const tasks: Task[] = [];
    // An attack a budget cut short is continued from the run log (same seed: the attack asks the same
    // questions, answered from the log, nothing sent twice), except against a server-session endpoint, whose
    // new session has not seen those turns: it would restart from the first turn, so it is kept as it is.
    const continuable = !isStateful(this.target) && !(this.attacker && isStateful(this.attacker));
    for (const item of this.items) {
      const row = state.items.get(item.key);
      const killed = state.unanswered.get(item.key) ?? 0;
      const aborted = state.aborted?.get(item.key) ?? 0;
      if (row?.status === 'done') {
        this.counts.fromLog++;
        this.counts.done++;
        if (row.stoppedBy && continuable) {
          if (killed + aborted > 0) {
            // a continuation a hard kill (or a stop) interrupted; by default its unanswered requests are sent again
            this.counts.unanswered += killed + aborted;
            this.counts.abortedAtStop += aborted;
            if (this.config.runner.resendUnanswered) this.counts.resent++;
            else {
              // kept as it is (it has an answer), not failed: nothing is sent again
              this.counts.notResent++;
              this.counts.cutShort++;
              if (this.panel && !state.verdicts.has(item.key)) tasks.push({ kind: 'judge', item });
              continue;
            }
          }
          tasks.push({ kind: 'continue', item, row });
          continue;
        }
        if (row.stoppedBy) this.counts.cutShort++;
        if (this.panel && !state.verdicts.has(item.key)) tasks.push({ kind: 'judge', item });
        continue;
      }
      if (killed + aborted > 0) {
        this.counts.unanswered += killed + aborted;
        this.counts.abortedAtStop += aborted;
        if (!this.config.runner.resendUnanswered) {
          this.counts.notResent++;
          this.fail(
            item,
            killed > 0
              ? 'a request was sent before a hard kill and never answered; not re-sent (resendUnanswered: false)'
              : 'a request was aborted when the stop grace period (graceMs) ran out and never answered; not re-sent (resendUnanswered: false)',
          );
          continue;
        }
        this.counts.resent++;
      }
      tasks.push({ kind: 'run', item });
    }
    if (this.counts.unanswered > 0) {
      this.store.event('unanswered', {
        requests: this.counts.unanswered,
        abortedAtStop: this.counts.abortedAtStop,
        items: this.counts.resent + this.counts.notResent,
        resent: this.config.runner.resendUnanswered,
      });
    }
    this.store.event('session', { tasks: tasks.length, fromLog: this.counts.fromLog });

    let next = 0;
    const worker = async () => {
      while (next < tasks.length && !this.stopped) {
        let task = tasks[next++];
        if (task.kind !== 'judge') {
          const spent = this.budget.exhausted();
          if (spent) {
            // not started: skipped; the answers still waiting for a verdict are judged (or, when a model
            // judge's request is refused too, left unjudged for resume)
            this.hitBudget(spent);
            if (task.kind === 'run') {
              this.skip(task.item, 'budget');
              continue;
            }
            // an item an earlier budget cut short keeps what it has, and is judged if it has no verdict yet
            this.counts.cutShort++;
            if (!this.panel || this.state.verdicts.has(task.item.key)) continue;
            task = { kind: 'judge', item: task.item };
          }
        }
        this.inflight++;
        try {
          if (task.kind === 'run') await this.runItem(task.item);
          else if (task.kind === 'continue') await this.runItem(task.item, task.row);
          else {
            const row = this.state.items.get(task.item.key);
            await this.judgeLater(task.item, row?.messages ?? [], row?.response ?? '', row?.toolCalls);
          }
        } finally {
          this.inflight--;
          this.progress(false);
        }
      }
    };
    const n = Math.min(this.opts.concurrency ?? this.config.runner.concurrency, Math.max(1, tasks.length));
    await Promise.all(Array.from({ length: n }, worker));
    // Every answer received is judged, also after a stop: a verdict is never left behind.
    await Promise.all(this.judging);

    // what was never started (an item an earlier budget cut short keeps what it has, unjudged or not)
    for (let i = next; i < tasks.length; i++) {
      const t = tasks[i];
      if (t.kind === 'continue') {
        this.counts.cutShort++;
        continue;
      }
      if (t.kind !== 'run') continue;
      if (this.budgetHit) this.skip(t.item, 'budget');
      else if (this.stopped) this.counts.pending++;
    }
    opts.signal?.removeEventListener('abort', onStop);
    opts.abortSignal?.removeEventListener('abort', onAbort);
    this.store.flush();
    this.progress(true);
    const status = this.stopped && !this.budgetHit ? 'interrupted' : this.budgetHit ? 'budget' : 'complete';
    return { status, budget: this.budgetHit, counts: this.counts };
  }

  private beginStop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.stop.abort();
    this.store.event('stop', { inflight: this.inflight });
    const grace = this.config.runner.graceMs;
    const t = setTimeout(() => this.hard.abort(), grace);
    t.unref();
  }

  private hitBudget(which: string): void {
    if (this.budgetHit) return;
    this.budgetHit = which;
    this.store.event('budget', { which, requests: this.budget.requests });
  }

  private skip(item: PlannedItem, reason: string): void {
    this.store.item({
      key: item.key,
      seq: item.seq,
      status: 'skipped',
      goal: item.goal,
      attack: item.attack.id,
      messages: [],
      response: null,
      reason,
      turns: 0,
      usage: {},
    });
    this.counts.skipped++;
  }

  /** Keeps an item that could not be answered as `failed`, with the error and whatever it got that far. */
  private fail(item: PlannedItem, error: string, messages: ChatMessage[] = [], turns = 0, usage: Usage = {}): void {
    this.store.item({
      key: item.key,
      seq: item.seq,
      status: 'failed',
      goal: item.goal,
      attack: item.attack.id,
      messages,
      response: null,
      error,
      turns,
      usage,
    });
    this.counts.failed++;
  }

  /**
   * Answers one item and judges it. `previous`: an item an earlier session's budget cut short, continued: the
   * attack runs again with the same seed, its logged answers are replayed (nothing is sent twice) and it goes
   * on from where the budget stopped it.
   */
  private async runItem(item: PlannedItem, previous?: ItemRow): Promise<void> {
    const usage: Usage = {};
    let turns = 0;
    let messages: ChatMessage[] = [];
    // the target's last answer, and how many it gave: what an interactive item keeps when its attack lets
    // the budget's error through instead of returning what it got
    let answered: { messages: ChatMessage[]; response: string; toolCalls?: ToolCall[] } | undefined;
    let answers = 0;
    // The tool calls behind each answer text the target gave this item (`undefined`: not known): an interactive
    // attack returns the text of the answer it keeps, and the judges are given that answer's calls.
    const callsByText = new Map<string, ToolCall[] | undefined>();
    const callsOf = (text: string) => (callsByText.has(text) ? callsByText.get(text) : []);
    const wrap = (t: Target, role: 'target' | 'attacker'): Target => ({
      specificationVersion: 'v1',
      id: t.id,
      send: async (req) => {
        if (role === 'target') {
          turns++;
          messages = req.messages;
        }
        const r = await this.send(item, role, t, req.messages);
        if (role === 'target') {
          addUsage(usage, r.usage);
          const sent = r.respondedTo !== undefined ? withLastUser(req.messages, r.respondedTo) : req.messages;
          if (r.respondedTo !== undefined) messages = sent;
          answers++;
          const calls = knownToolCalls(r);
          callsByText.set(r.text, calls);
          answered = { messages: sent, response: r.text, ...(calls !== undefined ? { toolCalls: calls } : {}) };
        }
        return r;
      },
    });
    try {
      let response: string;
      let toolCalls: ToolCall[] | undefined;
      let trace: unknown;
      let stoppedBy: 'budget' | undefined;
      const attack = item.attack;
      if (attack.kind === 'static') {
        messages = attack.build(item.goal, mulberry32(item.seed));
        const r = await wrap(this.target, 'target').send({ messages });
        response = r.text;
        toolCalls = knownToolCalls(r);
      } else {
        const ctx: AttackContext = {
          target: wrap(this.target, 'target'),
          attacker: this.attacker ? wrap(this.attacker, 'attacker') : undefined,
          rng: mulberry32(item.seed),
          seed: item.seed,
          signal: this.hard.signal,
        };
        const panel = this.panel;
        if (panel) {
          // a budget refusing a score's judge request ends the attack like a target request would: it keeps
          // what it got so far (or, with no answer yet, the item is skipped)
          ctx.score = async (goal, prompt, response) =>
            (
              await panel.judge({
                goal,
                prompt,
                response,
                ...withCalls(callsOf(response)),
                endpoint: this.judgeEndpoint(item),
              })
            ).final.score;
        }
        const out = await attack.run(item.goal, ctx);
        response = out.response;
        toolCalls = out.toolCalls ?? callsOf(out.response);
        messages = out.messages;
        turns = out.turns;
        trace = out.trace;
        if (out.stoppedBy === 'budget') {
          stoppedBy = 'budget';
          const spent = this.budget.exhausted();
          if (spent) this.hitBudget(spent);
        }
        if (out.usage) {
          usage.promptTokens = out.usage.promptTokens ?? usage.promptTokens;
          usage.completionTokens = out.usage.completionTokens ?? usage.completionTokens;
        }
      }
      await this.record(item, { messages, response, toolCalls, turns, usage, trace, stoppedBy }, previous);
    } catch (e) {
      if (e instanceof Stopped || (isAborted(e) && (this.stopped || this.hard.signal.aborted))) {
        // a continued item keeps what it had; a new one is left for resume
        if (previous) this.counts.cutShort++;
        else this.counts.pending++;
        return;
      }
      if (e instanceof BudgetExceeded) {
        this.hitBudget(e.which);
        if (answered && item.attack.kind === 'interactive') {
          // the budget paid for those answers: the last one is judged rather than thrown away
          const trace = { stoppedBy: 'budget', outcome: 'last answer (the attack returned none)' };
          await this.record(item, { ...answered, turns: answers, usage, trace, stoppedBy: 'budget' }, previous);
          return;
        }
        if (previous) await this.keep(item, previous);
        else this.skip(item, 'budget');
        return;
      }
      if (previous) {
        // continuing failed: the item keeps what the earlier session got, verdict included (resume tries again)
        this.store.event('continue-error', { key: item.key, error: errText(e) });
        await this.keep(item, previous);
        return;
      }
      this.fail(item, errText(e), messages, turns, usage);
    }
  }

  /**
   * Logs an item's answer (`done`; `stoppedBy` when a budget cut its attack short) and judges it. A continued
   * item (`previous`) whose answer did not change keeps its verdict; a new answer replaces the old verdict.
   */
  private async record(
    item: PlannedItem,
    o: {
      messages: ChatMessage[];
      response: string;
      /** The answer's tool calls (`undefined`: not known). */
      toolCalls?: ToolCall[];
      turns: number;
      usage: Usage;
      trace?: unknown;
      stoppedBy?: 'budget';
    },
    previous?: ItemRow,
  ): Promise<void> {
    const sameAnswer =
      previous !== undefined &&
      previous.response === o.response &&
      JSON.stringify(previous.messages) === JSON.stringify(o.messages);
    this.store.item({
      key: item.key,
      seq: item.seq,
      status: 'done',
      goal: item.goal,
      attack: item.attack.id,
      messages: o.messages,
      response: o.response,
      ...withCalls(o.toolCalls),
      turns: o.turns,
      usage: o.usage,
      ...(o.trace !== undefined ? { trace: o.trace } : {}),
      ...(o.stoppedBy ? { stoppedBy: o.stoppedBy } : {}),
    });
    // in the same transaction as the new answer: the old verdict judged an answer the item no longer has
    if (previous && !sameAnswer) this.store.clearVerdict(item.key);
    if (!previous) this.counts.done++; // a continued item was counted when the session began
    if (o.stoppedBy) this.counts.cutShort++;
    if (this.panel && (!sameAnswer || !this.state.verdicts.has(item.key))) {
      await this.judgeLater(item, o.messages, o.response, o.toolCalls);
    }
  }

  /** A continued item that got nothing new keeps what it had: judged now when it has no verdict yet. */
  private async keep(item: PlannedItem, previous: ItemRow): Promise<void> {
    this.counts.cutShort++;
    if (this.panel && !this.state.verdicts.has(item.key)) {
      await this.judgeLater(item, previous.messages, previous.response, previous.toolCalls);
    }
  }

  /**
   * Starts judging an answer without holding the caller's request slot; waits only while
   * runner.judgeConcurrency verdicts are already being made (so a slow judge slows the run, but never
   * queues unbounded answers in memory).
   */
  private async judgeLater(
    item: PlannedItem,
    messages: ChatMessage[],
    response: string | null,
    toolCalls: ToolCall[] | undefined,
  ): Promise<void> {
    const limit = this.config.runner.judgeConcurrency ?? this.opts.concurrency ?? this.config.runner.concurrency;
    while (this.judging.size >= limit) await Promise.race(this.judging);
    const p: Promise<void> = this.judgeItem(item, messages, response, toolCalls).finally(() => this.judging.delete(p));
    this.judging.add(p);
  }

  private async judgeItem(
    item: PlannedItem,
    messages: ChatMessage[],
    response: string | null,
    toolCalls: ToolCall[] | undefined,
  ): Promise<void> {
    if (!this.panel) return;
    try {
      const { verdicts, final } = await this.panel.judge({
        goal: item.goal,
        prompt: lastUser(messages),
        response: response ?? '',
        ...withCalls(toolCalls),
        endpoint: this.judgeEndpoint(item),
      });
      this.store.verdict({ key: item.key, verdicts, final: final as Verdict });
      this.counts.judged++;
    } catch (e) {
      if (e instanceof BudgetExceeded) {
        // The answer is kept; it stays without a verdict (reported as skipped: budget) and resume judges it.
        this.hitBudget(e.which);
        this.counts.judgeSkipped++;
        this.store.event('judge-skipped', { key: item.key, reason: 'budget', which: e.which });
        return;
      }
      this.counts.judgeErrors++;
      this.store.event('judge-error', { key: item.key, error: errText(e) });
    }
  }

  /**
   * How the panel's model judges reach their endpoints for this item: each request goes through `send` as
   * role `judge` — the run log (an answer an earlier session logged is not asked again), the budget (refused
   * with `BudgetExceeded` once one is spent) and the usage totals. Not cached, not rate limited (the rate
   * limits are the target's), one attempt (the judge falls back on an endpoint error, as before), and not cut
   * off by a stop: every answer received is judged.
   */
  private judgeEndpoint(item: PlannedItem): (t: Target) => Target {
    return (t) => ({
      specificationVersion: 'v1',
      id: t.id,
      send: (req) => this.send(item, 'judge', t, req.messages, req.seed),
    });
  }

  /**
   * One request through the run log, the cache, the budget, the rate limiter and retries. A judge's request
   * (`role: 'judge'`) takes the run log and the budget only, and is sent with its own seed (if any) and no
   * signal; target and attacker requests carry the item's seed and the run's abort signal.
   */
  private async send(
    item: PlannedItem,
    role: RequestRole,
    t: Target,
    messages: ChatMessage[],
    judgeSeed?: number,
  ): Promise<TargetResponse> {
    const judge = role === 'judge';
    const fp = this.fingerprints.get(t) ?? `${judge ? 'judge:' : ''}custom:${t.id}`;
    const reqHash = requestHash(fp, role, messages, item.seed);
    // answered in an earlier session (an interactive item interrupted midway, or a verdict a kill lost after
    // its judge answered); not for a server-session target: its new session has not seen those turns, so
    // the item restarts from its first turn
    const logged = isStateful(t) ? undefined : this.state.answers.get(item.key)?.get(reqHash);
    if (logged && logged.length > 0) {
      const a = logged.shift() as { text: string; usage?: Usage; finish?: string; toolCalls?: ToolCall[] };
      if (!judge) this.counts.cached++;
      return {
        text: a.text,
        usage: a.usage,
        finishReason: a.finish,
        cached: true,
        ...(a.toolCalls !== undefined ? { toolCalls: a.toolCalls } : { toolCallsUnknown: true }),
      };
    }
    const cacheable = !judge && this.cache !== undefined && this.cacheable(t);
    if (cacheable) {
      const hit = this.cache?.get(reqHash);
      if (hit) {
        this.counts.cached++;
        this.store.request({
          reqId: `${this.sessionId}:${this.reqCounter++}`,
          key: item.key,
          role,
          attempt: 0,
          reqHash,
          status: 'ok',
          response: hit.text,
          finish: hit.finishReason,
          usage: hit.usage,
          toolCalls: knownToolCalls(hit),
          cached: true,
        });
        return hit;
      }
    }
    const retries = this.config.runner.retries;
    const maxAttempts = judge ? 1 : retries.maxAttempts;
    const limited = this.limiter.active && role === 'target';
    for (let attempt = 1; ; attempt++) {
      if (!judge && this.hard.signal.aborted) throw new Stopped();
      if (this.stopped && attempt > 1) throw new Stopped();
      this.budget.reserve(role);
      const reserved = limited ? this.limiter.reservation(promptChars(messages)) : 0;
      if (limited) {
        try {
          await this.limiter.take(reserved);
        } catch (e) {
          // stopped while waiting for the rate limiter: the request never left, so it is not spent (the run
          // log, which later sessions count, has no `sent` row for it either)
          this.budget.release(role);
          throw e;
        }
      }
      const reqId = `${this.sessionId}:${this.reqCounter++}`;
      const row = { reqId, key: item.key, role, attempt, reqHash };
      await this.store.markSent(row);
      if (judge) this.counts.judgeSent++;
      else this.counts.sent++;
      let r: TargetResponse;
      try {
        r = await t.send(
          judge
            ? { messages, ...(judgeSeed !== undefined ? { seed: judgeSeed } : {}) }
            : { messages, seed: item.seed, signal: this.hard.signal },
        );
      } catch (e) {
        if (limited) this.limiter.used(reserved, null);
        if (!judge && isAborted(e) && this.hard.signal.aborted) {
          // logged `aborted` (no answer): resume re-sends it and reports it as aborted at the stop
          this.store.request({
            ...row,
            status: 'aborted',
            error: 'aborted at stop (graceMs ran out or a second signal)',
          });
          throw new Stopped();
        }
        if (!judge && isRetryable(e) && attempt >= maxAttempts && e instanceof Error) {
          // the transport says "(will retry)"; out of attempts, say what happened instead
          e.message = `${e.message.replace(/ \(will retry\)$/, '')} (gave up after ${attempt} attempt${attempt === 1 ? '' : 's'})`;
        }
        this.store.request({ ...row, status: 'error', error: errText(e) });
        if (!isRetryable(e) || attempt >= maxAttempts) throw e;
        this.counts.retries++;
        await sleep(backoffMs(attempt, retries, retryAfterOf(e)), this.stop.signal);
        continue;
      }
      this.store.request({
        ...row,
        status: 'ok',
        response: r.text,
        finish: r.finishReason,
        usage: r.usage,
        toolCalls: knownToolCalls(r),
      });
      this.budget.add(r.usage, role);
      if (limited) this.limiter.used(reserved, r.usage);
      if (cacheable) this.cache?.put(reqHash, r);
      return r;
    }
  }

  private progress(force: boolean): void {
    const cb = this.opts.onProgress;
    if (!cb) return;
    const t = Date.now();
    if (!force && t - this.lastProgress < 100) return;
    this.lastProgress = t;
    cb({
      total: this.counts.items,
      done: this.counts.done,
      failed: this.counts.failed,
      skipped: this.counts.skipped,
      sent: this.counts.sent,
      cached: this.counts.cached,
      inflight: this.inflight,
      judged: this.counts.judged,
      elapsedMs: t - this.t0,
    });
  }
}

/** Used by `lifeguard redteam override`: the results as they stand, for rewriting reports. */
export type { HumanOverride };

/** The conversation with its last user message replaced (a replayed answer's recorded prompt). */
function withLastUser(messages: ChatMessage[], content: string): ChatMessage[] {
  const out = messages.slice();
  for (let i = out.length - 1; i >= 0; i--) {
    if (out[i].role === 'user') {
      out[i] = { role: 'user', content };
      break;
    }
  }
  return out;
}

/**
 * The tool calls an answer made: its target's (none when it reports none), or `undefined` when not known (a
 * recording, or an answer the log or cache kept before they kept calls: judged by its text).
 */
function knownToolCalls(r: TargetResponse): ToolCall[] | undefined {
  return r.toolCallsUnknown ? undefined : (r.toolCalls ?? []);
}

/** `{ toolCalls }` for an `ItemResult` when it carries them (see `resultToolCalls`). */
function withResultCalls(response: string | null, calls: ToolCall[] | undefined): { toolCalls?: ToolCall[] } {
  const out = response === null ? undefined : resultToolCalls(response, calls);
  return out === undefined ? {} : { toolCalls: out };
}

/** `{ toolCalls }` when known, for a judge input or a log row. */
function withCalls(calls: ToolCall[] | undefined): { toolCalls?: ToolCall[] } {
  return calls === undefined ? {} : { toolCalls: calls };
}

/** A target that keeps the conversation server-side (`http` with `session: { mode: server }`). */
const isStateful = (t: Target) => (t as { stateful?: boolean }).stateful === true;

const promptChars = (messages: readonly ChatMessage[]) => messages.reduce((n, m) => n + m.content.length, 0);
