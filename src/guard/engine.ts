import { createHash } from 'node:crypto';
import type { Detector } from '../core/detector.js';
import { LifeguardError } from '../core/errors.js';
import type { Finding } from '../core/finding.js';
import { redact } from '../core/redact/redact.js';
import { jsonStringContent } from '../core/redact/restore.js';
import { RedactionSession } from '../core/redact/session.js';
import type { OperatorMap } from '../core/redact/types.js';
import { Vault } from '../core/redact/vault.js';
import { scanText } from '../core/scan.js';
import { DEFAULT_KEEP_TYPES } from '../data/scan/config.js';
import { createDefaultRegistry } from '../detect/index.js';
import { type LinearClassifier, loadLocalClassifier } from '../models/classify/local.js';
import {
  CLASSIFIER_TASKS,
  type Classifier,
  type ClassifierTask,
  type ClassifyResult,
} from '../models/classify/types.js';
import { buildBackend } from './backends.js';
import { destinationsIn, UserSupplied } from './destinations.js';
import { knownValues } from './known-values.js';
import { allowFilter, listDetector } from './lists.js';
import { PlaceholderRestorer, placeholderKeysIn, restorePlaceholders, restoreToolArguments } from './placeholders.js';
import {
  type BackendConfig,
  type CheckConfig,
  DEFAULT_POLICY,
  type GuardAction,
  type GuardStage,
  own,
  type Policy,
  type PolicyInput,
  parsePolicy,
} from './policy.js';
import type { ChatMessage, CheckDecision, GuardResult, InputResult, OutputResult } from './types.js';

/**
 * PII types a `pii` check ignores unless its `entities` name them: context (dates, places, organisations,
 * URLs) that identifies no one on its own and that answers routinely need.
 */
export const PII_CONTEXT_TYPES: readonly string[] = DEFAULT_KEEP_TYPES;

/** A vault or redaction tag as the guard writes them: `<EMAIL_ADDRESS_1>`, `<CREDIT_CARD>`. */
const PLACEHOLDER = /<([A-Z][A-Z0-9_]{1,40}?)(?:_\d{1,6})?>/g;

/** Plain stand-ins for placeholders when a classifier reads the text. */
const SURROGATES: Record<string, string> = {
  EMAIL_ADDRESS: 'alex@example.com',
  PERSON: 'Alex Morgan',
  PHONE_NUMBER: '555 0100',
  LOCATION: 'Springfield',
  ADDRESS: '1 Main Street',
  ORGANIZATION: 'Example Inc',
  URL: 'https://example.com',
  IP_ADDRESS: '192.0.2.1',
};

const SEVERITY: Record<GuardAction | 'allow', number> = {
  allow: 0,
  log: 1,
  warn: 2,
  redact: 3,
  pseudonymise: 4,
  block: 5,
};

/** Per conversation: the vault that maps placeholders back to the user's values. Never logged. */
export class GuardSession {
  readonly vault = new Vault();
  /** What the user and the application wrote (user, system and developer messages, as received). */
  readonly supplied = new UserSupplied();
  /**
   * The request's last user message as sent upstream (placeholders in it): what an answer replies to, for
   * output checks that judge the exchange (a Llama Guard backend).
   */
  userPrompt: string | undefined;
  #session: RedactionSession | undefined;
  /** Made on first use: its per-session key costs a random draw that clean requests never need. */
  get session(): RedactionSession {
    this.#session ??= new RedactionSession();
    return this.#session;
  }
  /**
   * Tags (`<PERSON_1>`) the conversation's own texts wrote, in any form: a user's XML element `<person_1>`, HTML
   * source `&lt;PERSON_1&gt;`, a template's `<PERSON_1>`. Since altered forms are restored, the model echoing
   * such markup had a value put in its place (the vault's `<PERSON_1>`, or one a later message took because the
   * literal was not reserved). They are never handed out, and only their exact form is restored.
   */
  readonly written = new Set<string>();
  /** Records the tags `text` (a message as received) writes itself; see {@link written}. */
  noteWritten(text: string): void {
    for (const key of placeholderKeysIn(text)) {
      if (this.written.has(key)) continue;
      this.written.add(key);
      this.session.markIssued(key);
    }
  }
  /**
   * Restores placeholders in a text produced for this conversation, also where the model altered them (case,
   * spaces inside the brackets, HTML-escaped brackets; see `placeholders.ts`), but only tags the vault holds,
   * and only the exact form of a tag the conversation wrote itself ({@link written}).
   */
  restore(text: string): string {
    return restorePlaceholders(text, this.vault, undefined, this.written);
  }
  /**
   * Restores placeholders in a tool call's arguments, in one scan (`restoreToolArguments`): arguments that are JSON
   * get each value as JSON string content (a value with a line break or a quote, restored as written, left arguments
   * no JSON parser reads); anything else is restored as text. A tool reads them as data, so a form with
   * HTML-escaped brackets gets its value HTML-escaped only where the text around it is HTML itself.
   */
  restoreArguments(args: string): string {
    return restoreToolArguments(args, this.vault, this.written);
  }
  toJSON(): { vault: { size: number } } {
    return { vault: { size: this.vault.size } };
  }
}

/** One check's outcome on one text. */
interface CheckRun {
  decision: CheckDecision;
  findings: Finding[];
  actionFor: (f: Finding) => GuardAction;
}

/** What one check needs at run time. */
interface CompiledCheck {
  config: CheckConfig;
  stage: GuardStage;
  /**
   * The check's place in its stage (`input#2`): what its cached results are kept under. A stage may run the
   * same `check` twice with different settings (`secrets` logged, and blocked for some types); keyed by name,
   * the second read the first's cached result and a block turned into a log.
   */
  cacheKey: string;
  /** A local classifier (injection, harmful, …) with an optional external backend. */
  classifier?: LinearClassifier;
  external?: Classifier;
  /** Detector-based checks (pii, secrets, lists). */
  detector?: Detector;
  timeoutMs: number;
  onError: 'fail-open' | 'fail-closed';
  shadow: boolean;
  /** The external backend judges an answer given the user's prompt (Llama Guard on the output stage). */
  judgesExchange?: boolean;
}

export interface GuardOptions {
  /** Folder of trained classifiers (default: the shipped models). */
  modelsDir?: string;
  /** Run the PII tagger (default true); false = patterns only, faster. */
  tagger?: boolean;
  /** Called with every decision (the audit log's hook). */
  onDecision?: (decisions: readonly CheckDecision[], context: { requestId?: string }) => void;
  /**
   * Check results kept for texts seen again (default 4096; 0 = none). A chat client sends the whole history on
   * every turn: each earlier user message, tool result and tool call would otherwise be checked again, turn after
   * turn. Input, context and tool stages only (answers are new text); results with errors are not kept.
   */
  cacheSize?: number;
}

export interface CheckContext {
  session?: GuardSession;
  requestId?: string;
  signal?: AbortSignal;
  /**
   * The answer is JSON (structured output, JSON mode): `checkOutput` and the stream checker restore each
   * placeholder as JSON string content, so a value with a line break or a quote keeps the JSON valid.
   */
  json?: boolean;
  /**
   * The answer is data a program reads (the AI SDK's JSON files and provider-executed tool results), not text a
   * person reads: `checkOutput` restores placeholders as in tool-call arguments ({@link restoreToolArguments}), so
   * a value restored from an HTML-escaped form (`&lt;PERSON_1&gt;`) is HTML-escaped only where the JSON string
   * around it is HTML itself. With `json`, values always go in as JSON string content.
   */
  data?: boolean;
}

/** Text of a message's content: a string, or the text parts of an OpenAI content array. */
export function messageText(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    const parts = content.filter(isTextPart).map((p) => p.text);
    return parts.length ? parts.join('\n') : undefined;
  }
  return undefined;
}

/**
 * A content part that carries text: `{type: 'text', text}`, and any other part with a string `text` (the
 * Responses API's `input_text` / `output_text`, other SDKs' shapes). Read by type alone, an `input_text`
 * part passed to `checkInput` reached the model unchecked.
 */
function isTextPart(p: unknown): p is { type?: unknown; text: string } {
  return !!p && typeof p === 'object' && typeof (p as { text?: unknown }).text === 'string';
}

/**
 * What makes a chat message unreadable to the guard, or undefined. Content of another shape (an object, a number,
 * a text part without string text) was passed on unchecked; tool calls that are not an array crashed the check.
 */
function messageProblem(m: unknown): string | undefined {
  if (!m || typeof m !== 'object' || Array.isArray(m)) return 'a message must be a {role, content} object';
  const { role, content, tool_calls } = m as ChatMessage;
  if (typeof role !== 'string') return '`role` must be a string';
  if (content !== undefined && content !== null && typeof content !== 'string') {
    if (!Array.isArray(content)) return '`content` must be a string or an array of content parts';
    for (const p of content) {
      if (!p || typeof p !== 'object') return 'content parts must be objects';
      if ((p as { type?: unknown }).type === 'text' && typeof (p as { text?: unknown }).text !== 'string')
        return "a text part's `text` must be a string";
    }
  }
  if (tool_calls !== undefined && tool_calls !== null && !Array.isArray(tool_calls))
    return '`tool_calls` must be an array';
  return undefined;
}

/**
 * The tool calls of an assistant message, whatever their format: `tool_calls` with `function` (or `custom`, for
 * custom tools: `{ name, input }`), and the legacy functions API's `function_call`.
 */
function toolCallsOf(m: ChatMessage): { name: string; arguments: string }[] {
  const calls: { name: string; arguments: string }[] = [];
  const add = (call: unknown, args: 'arguments' | 'input') => {
    if (!call || typeof call !== 'object') return;
    const { name, [args]: value } = call as Record<string, unknown>;
    calls.push({ name: typeof name === 'string' ? name : '', arguments: argumentsText(value) });
  };
  for (const call of m.tool_calls ?? []) {
    if (call?.function) add(call.function, 'arguments');
    else add((call as { custom?: unknown } | undefined)?.custom, 'input');
  }
  add((m as { function_call?: unknown }).function_call, 'arguments');
  return calls;
}

/**
 * An earlier assistant message with the vault's values replaced by their placeholders in its tool calls' arguments
 * (`tool_calls[].function.arguments`, a custom tool's `input`, the legacy `function_call`): string arguments as
 * text (a placeholder holds no character JSON escapes), parsed ones string by string. The same message when
 * nothing changed.
 */
function withKnownValuesInCalls(m: ChatMessage, replace: (text: string) => string): ChatMessage {
  let changed = false;
  const map = (value: unknown): unknown => {
    if (typeof value === 'string') {
      const out = replace(value);
      if (out !== value) changed = true;
      return out;
    }
    if (Array.isArray(value)) return value.map(map);
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, map(v)]));
    return value;
  };
  const args = (holder: unknown, key: 'arguments' | 'input') =>
    holder && typeof holder === 'object' && key in holder
      ? { ...(holder as object), [key]: map((holder as Record<string, unknown>)[key]) }
      : holder;
  const calls = m.tool_calls?.map((call) => {
    if (!call || typeof call !== 'object') return call;
    if (call.function) return { ...call, function: args(call.function, 'arguments') };
    const custom = (call as { custom?: unknown }).custom;
    return custom === undefined ? call : { ...call, custom: args(custom, 'input') };
  });
  const legacy = (m as { function_call?: unknown }).function_call;
  const fn = legacy === undefined ? undefined : args(legacy, 'arguments');
  if (!changed) return m;
  return {
    ...m,
    ...(calls ? { tool_calls: calls as ChatMessage['tool_calls'] } : {}),
    ...(legacy === undefined ? {} : { function_call: fn }),
  } as ChatMessage;
}

/**
 * A tool call's arguments as the checks read them. OpenAI sends a JSON string; SDKs and hand-built messages
 * often hold the parsed object, which was read as "" — arguments the tool-call checks never saw.
 */
function argumentsText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    throw new LifeguardError(
      'LG_ERR_INPUT_INVALID',
      "a tool call's arguments are neither a string nor JSON (a cycle, a BigInt)",
    );
  }
}

function withText(content: unknown, text: string): unknown {
  if (typeof content === 'string') return text;
  if (Array.isArray(content)) {
    // One rewritten text replaces the text parts; other parts (images) are kept in place.
    let done = false;
    return content.flatMap((p) => {
      if (isTextPart(p)) {
        if (done) return [];
        done = true;
        return [{ ...(p as object), text }];
      }
      return [p];
    });
  }
  return content;
}

/** `content` with `map` applied to each of its texts (a string, or each text part); the same content when none changed. */
function mapTextParts(content: unknown, map: (text: string) => string): unknown {
  if (typeof content === 'string') return map(content);
  if (!Array.isArray(content)) return content;
  let changed = false;
  const next = content.map((p) => {
    if (!isTextPart(p)) return p;
    const text = map(p.text);
    if (text === p.text) return p;
    changed = true;
    return { ...(p as object), text };
  });
  return changed ? next : content;
}

/** Roles whose messages the guard pseudonymises: what the user, tools and earlier answers wrote. */
const PSEUDONYMISED_ROLES: ReadonlySet<string> = new Set(['user', 'assistant', 'tool', 'function']);

/**
 * The runtime guard: checks requests and answers against a policy. Checks of a stage run together;
 * local classifiers and detectors answer in microseconds, an external backend is asked only when its
 * check says so (always, or when the local score is uncertain).
 */
export class Guard {
  readonly policy: Policy;
  readonly #checks: Record<GuardStage, CompiledCheck[]>;
  readonly #options: GuardOptions;
  readonly #allowed: (text: string, start: number, end: number) => boolean;
  readonly #cache: CheckCache | undefined;
  /** How far behind its release point a streamed answer is read again at each check (see StreamGuard). */
  readonly streamContextChars: number;

  constructor(policy: Policy, options: GuardOptions = {}) {
    this.policy = policy;
    this.#options = options;
    this.#allowed = allowFilter(policy.allow);
    const cacheSize = options.cacheSize ?? 4096;
    this.#cache = cacheSize > 0 ? new CheckCache(cacheSize) : undefined;
    const registry = createDefaultRegistry();
    for (const [id, list] of Object.entries(policy.lists))
      registry.register(listDetector(id, list.terms, list.description));
    const compile = (stage: GuardStage) =>
      policy[stage].map((config, index): CompiledCheck => {
        const backend = own(policy.backends, config.backend ?? config.check);
        const base = {
          config,
          stage,
          cacheKey: `${stage}#${index}`,
          timeoutMs: config.timeoutMs ?? policy.timeoutMs,
          onError: config.onError ?? policy.onError,
          shadow: policy.shadow || config.shadow,
          judgesExchange: stage === 'output' && backend?.type === 'llama-guard',
        };
        if ((CLASSIFIER_TASKS as readonly string[]).includes(config.check)) {
          return {
            ...base,
            classifier: loadLocalClassifier(config.check as ClassifierTask, { modelsDir: options.modelsDir }),
            external: config.backend
              ? buildBackend(policy.backends[config.backend] as BackendConfig, config.check as ClassifierTask, stage)
              : undefined,
          };
        }
        const named = own(policy.backends, config.check);
        if (named) return { ...base, external: buildBackend(named, 'harmful', stage) };
        const listId = own(policy.lists, config.check)
          ? `list.${config.check.toLowerCase().replace(/[^a-z0-9-]+/g, '-')}`
          : config.check;
        return { ...base, detector: registry.get(listId) };
      });
    this.#checks = {
      input: compile('input'),
      context: compile('context'),
      output: compile('output'),
      tool: compile('tool'),
    };
    const widest = Math.max(
      0,
      ...this.#checks.output.map((c) => (c.classifier ? (c.config.window ?? c.classifier.meta.window) : 0)),
    );
    this.streamContextChars = Math.max(MIN_STREAM_CONTEXT_CHARS, 2 * widest);
    // Load lazily built state (the PII tagger, inference weights) now rather than on the first request.
    for (const checks of Object.values(this.#checks)) {
      for (const c of checks) {
        c.classifier?.classifySync('Warm-up text.');
        if (c.detector && !c.detector.detectAsync)
          scanText('Warm-up text for Alex at alex@example.com.', {
            detectors: [c.detector],
            fast: options.tagger === false,
          });
      }
    }
  }

  /** Checks one text at one stage: the decisions and the findings to rewrite. */
  async checkText(
    stage: GuardStage,
    text: string,
    context: CheckContext = {},
    only?: (check: CheckConfig, isDetector: boolean) => boolean,
  ): Promise<{ decisions: CheckDecision[]; rewrite: { finding: Finding; action: GuardAction }[] }> {
    const checks = only ? this.#checks[stage].filter((c) => only(c.config, Boolean(c.detector))) : this.#checks[stage];
    const digest = this.#cache && stage !== 'output' && text.length <= MAX_CACHED_CHARS ? textDigest(text) : undefined;
    // Local checks answer synchronously; only checks that call a backend return a promise.
    const runs = checks.map((c) => this.#cachedRun(c, text, context, digest));
    const results = runs.some((r) => r instanceof Promise) ? await Promise.all(runs) : (runs as CheckRun[]);
    const decisions: CheckDecision[] = [];
    const rewrite: { finding: Finding; action: GuardAction }[] = [];
    for (const r of results) {
      decisions.push(r.decision);
      if (
        r.decision.fired &&
        r.decision.enforced &&
        (r.decision.action === 'redact' || r.decision.action === 'pseudonymise')
      ) {
        rewrite.push(...rewritesOf(r));
      }
    }
    return { decisions, rewrite };
  }

  /** `#run`, or the result kept from the last time this check read this very text. */
  #cachedRun(
    c: CompiledCheck,
    text: string,
    context: CheckContext,
    digest: string | undefined,
  ): CheckRun | Promise<CheckRun> {
    if (!digest || !this.#cache) return this.#run(c, text, context);
    const t0 = performance.now();
    const key = `${c.cacheKey}\0${digest}`;
    const hit = this.#cache.get(key);
    if (hit) {
      return {
        decision: { ...hit.decision, latencyMs: performance.now() - t0, cached: true },
        findings: [...hit.findings],
        actionFor: hit.actionFor,
      };
    }
    const keep = (run: CheckRun): CheckRun => {
      if (!run.decision.error)
        this.#cache?.set(key, { ...run, decision: { ...run.decision }, findings: [...run.findings] });
      return run;
    };
    const run = this.#run(c, text, context);
    return run instanceof Promise ? run.then(keep) : keep(run);
  }

  /** One check on one text: at once for detectors and local classifiers, a promise when a backend is asked. */
  #run(c: CompiledCheck, text: string, context: CheckContext): CheckRun | Promise<CheckRun> {
    const t0 = performance.now();
    const cfg = c.config;
    const run: CheckRun = {
      decision: {
        stage: c.stage,
        check: cfg.check,
        fired: false,
        action: 'allow',
        enforced: !c.shadow,
        latencyMs: 0,
      },
      findings: [],
      actionFor: (f: Finding): GuardAction => cfg.categories?.[f.type] ?? cfg.action,
    };
    if (c.detector || !c.external) {
      try {
        if (c.detector) this.#detect(c, c.detector, text, run);
        else this.#applyClassification(c, text, run, this.#classifyLocal(c, text).result);
      } catch (e) {
        this.#failed(c, run, e);
      }
      return this.#endRun(run, text, t0);
    }
    return this.#classify(c, text, context).then(
      (r) => {
        this.#applyClassification(c, text, run, r);
        return this.#endRun(run, text, t0);
      },
      (e: unknown) => {
        this.#failed(c, run, e);
        return this.#endRun(run, text, t0);
      },
    );
  }

  #detect(c: CompiledCheck, detector: Detector, text: string, run: CheckRun): void {
    const cfg = c.config;
    const findings = scanText(text, { detectors: [detector], fast: this.#options.tagger === false }).filter(
      (f) =>
        (cfg.entities ? cfg.entities.includes(f.type) : !PII_CONTEXT_TYPES.includes(f.type)) &&
        !this.#allowed(text, f.start, f.end),
    );
    run.findings = findings;
    if (findings.length > 0) {
      const decision = run.decision;
      decision.fired = true;
      decision.types = [...new Set(findings.map((f) => f.type))];
      decision.score = Math.max(...findings.map((f) => f.score));
      decision.span = { start: findings[0].start, end: findings[0].end };
      decision.action = mostSevere(findings.map(run.actionFor));
    }
  }

  #applyClassification(c: CompiledCheck, text: string, run: CheckRun, r: ClassifyResult): void {
    const cfg = c.config;
    const decision = run.decision;
    decision.score = r.score;
    decision.threshold = r.threshold;
    decision.source = r.source;
    if (r.categories?.length) decision.categories = r.categories;
    if (r.span) decision.span = r.span;
    if (r.label) {
      decision.fired = true;
      const cats = r.categories ?? [];
      decision.action = cats.length ? mostSevere(cats.map((k) => cfg.categories?.[k] ?? cfg.action)) : cfg.action;
      // The one finding stands for the whole verdict: its categories decided the action, not a type of its own.
      const action = decision.action;
      run.actionFor = () => action;
      const span = r.span ?? { start: 0, end: text.length };
      run.findings = [
        {
          detector: cfg.check,
          type: cfg.check.toUpperCase(),
          start: span.start,
          end: span.end,
          score: r.score,
          risk: 'security.unsafe-output',
        },
      ];
    }
  }

  #failed(c: CompiledCheck, run: CheckRun, e: unknown): void {
    const cfg = c.config;
    const decision = run.decision;
    decision.error = e instanceof Error ? e.message : String(e);
    if (c.onError === 'fail-closed') {
      decision.fired = true;
      decision.action = failClosedAction(cfg);
    } else {
      decision.enforced = false;
    }
  }

  #endRun(run: CheckRun, text: string, t0: number): CheckRun {
    const decision = run.decision;
    if (decision.fired && decision.span) {
      // From a word's start, so a name is not cut in half where the audit log's scrubbing could miss it.
      let from = Math.max(0, decision.span.start - 20);
      while (from > 0 && from > decision.span.start - 40 && !/\s/.test(text[from - 1] as string)) from--;
      decision.excerpt = text.slice(from, Math.min(text.length, from + 160));
    }
    decision.latencyMs = performance.now() - t0;
    return run;
  }

  /** The local classifier's answer, on the text with placeholders replaced by plain stand-ins. */
  #classifyLocal(c: CompiledCheck, raw: string): { text: string; result: ClassifyResult } {
    // Placeholders (`<EMAIL_ADDRESS_1>`) are not what classifiers were trained on: they read a plain
    // stand-in value instead. Spans then refer to the substituted text, so a changed text reports no span.
    const text = raw.includes('<') ? withStandIns(raw) : raw;
    if (!c.classifier) throw new Error(`check ${c.config.check} has neither a local model nor a backend`);
    // Sentences read alone catch a request behind a wrapper; in an answer they mostly add false positives.
    const sentences = c.config.sentences ?? c.stage !== 'output';
    const result = c.classifier.classifySync(text, {
      threshold: c.config.threshold,
      window: c.config.window,
      sentences,
    });
    if (text !== raw) result.span = undefined;
    return { text, result };
  }

  async #classify(c: CompiledCheck, raw: string, context: CheckContext): Promise<ClassifyResult> {
    const threshold = c.config.threshold;
    const external = c.external as Classifier;
    const local = c.classifier ? this.#classifyLocal(c, raw) : undefined;
    const text = local?.text ?? withStandIns(raw);
    const [lo, hi] = c.config.uncertain ?? [0, 1];
    if (local && (local.result.score < lo || local.result.score > hi)) return local.result;
    const ctrl = new AbortController();
    const onAbort = () => ctrl.abort(context.signal?.reason);
    context.signal?.addEventListener('abort', onAbort, { once: true });
    // With a reason, the decision's error says what happened (a bare abort read "This operation was aborted").
    const timer = setTimeout(
      () =>
        ctrl.abort(
          new LifeguardError(
            'LG_ERR_UPSTREAM',
            `check ${c.config.check}: no answer from its backend within ${c.timeoutMs} ms (timeoutMs)`,
            { retryable: true },
          ),
        ),
      c.timeoutMs,
    );
    try {
      // Llama Guard judges an answer as the reply to the user's prompt (placeholders read as stand-ins).
      const prompt = c.judgesExchange ? context.session?.userPrompt : undefined;
      const userPrompt = prompt === undefined ? undefined : withStandIns(prompt);
      return await external.classify(text, { threshold, signal: ctrl.signal, ...(userPrompt ? { userPrompt } : {}) });
    } finally {
      clearTimeout(timer);
      context.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Rewrites `text` for the findings: pseudonymise through the session vault, redact with type tags. */
  rewrite(text: string, rewrite: readonly { finding: Finding; action: GuardAction }[], session: GuardSession): string {
    if (rewrite.length === 0) return text;
    const operator: Record<string, 'vault' | 'tag'> = {};
    for (const { finding, action } of rewrite) {
      const op = action === 'pseudonymise' ? 'vault' : 'tag';
      if (operator[finding.type] !== 'vault') operator[finding.type] = op;
    }
    return redact(
      text,
      rewrite.map((r) => r.finding),
      { operator: operator as OperatorMap, vault: session.vault, session: session.session },
    ).text;
  }

  /**
   * Checks a chat request: user messages against `input`, tool results against `context`, tool calls in
   * earlier assistant turns against `tool`. Returns the messages to send upstream (rewritten as the policy
   * says) or a block with the refusal.
   */
  async checkInput(messages: readonly ChatMessage[] | string, context: CheckContext = {}): Promise<InputResult> {
    const t0 = performance.now();
    if (typeof messages !== 'string' && !Array.isArray(messages)) {
      throw new LifeguardError('LG_ERR_INPUT_INVALID', 'checkInput: pass a string or an array of chat messages');
    }
    const list: ChatMessage[] = typeof messages === 'string' ? [{ role: 'user', content: messages }] : [...messages];
    const session = context.session ?? new GuardSession();
    const decisions: CheckDecision[] = [];
    const findings: Finding[] = [];
    const out: ChatMessage[] = [];
    // Before any message is rewritten: a tag written in a later message (a template's `<PERSON_1>`) must not be
    // handed to a value of an earlier one.
    for (const m of list) {
      const text = messageProblem(m) === undefined ? messageText(m.content) : undefined;
      if (text !== undefined) session.noteWritten(text);
    }
    for (const [i, m] of list.entries()) {
      const problem = messageProblem(m);
      if (problem) throw new LifeguardError('LG_ERR_INPUT_INVALID', `checkInput: messages[${i}]: ${problem}`);
      // A `function` message is a tool result of the legacy functions API: context like a `tool` message.
      const stage: GuardStage | undefined =
        m.role === 'user' ? 'input' : m.role === 'tool' || m.role === 'function' ? 'context' : undefined;
      const text = messageText(m.content);
      if (text !== undefined && (m.role === 'user' || m.role === 'system' || m.role === 'developer'))
        session.supplied.add(text);
      let next = m;
      if (stage && text !== undefined) {
        const r = await this.checkText(stage, text, context);
        for (const d of r.decisions) decisions.push({ ...d, message: i });
        findings.push(...r.rewrite.map((x) => x.finding));
        next = { ...m, content: this.#rewriteContent(m.content, text, r.rewrite, session) };
        if (m.role === 'user') session.userPrompt = messageText(next.content);
      }
      // Earlier answers hold values the client saw restored: pseudonymise them again, as the user's
      // messages are, so the model sees one placeholder per value throughout the conversation.
      if (m.role === 'assistant' && text !== undefined) {
        const r = await this.checkText(
          'input',
          text,
          context,
          (c, isDetector) => isDetector && (c.action === 'pseudonymise' || c.action === 'redact'),
        );
        findings.push(...r.rewrite.map((x) => x.finding));
        next = { ...m, content: this.#rewriteContent(m.content, text, r.rewrite, session) };
      }
      if (m.role === 'assistant') {
        for (const call of toolCallsOf(m)) {
          const d = await this.checkToolCall(call.name, call.arguments, context);
          for (const x of d.decisions) decisions.push({ ...x, message: i });
        }
      }
      out.push(next);
    }
    // A value found in one message goes upstream as its placeholder wherever the conversation writes it again,
    // also where the detectors miss it (an earlier answer that holds it restored, a later user turn).
    const replace = knownValues(session.vault);
    if (replace) {
      const lastUser = out.findLastIndex((m) => m.role === 'user');
      for (const [i, m] of out.entries()) {
        if (!PSEUDONYMISED_ROLES.has(m.role)) continue;
        // Earlier tool calls went out with the values restored; sent back as history they are text like any other.
        const next = m.role === 'assistant' ? withKnownValuesInCalls(m, replace) : m;
        const content = mapTextParts(next.content, replace);
        if (content !== next.content) {
          out[i] = { ...next, content };
          if (i === lastUser) session.userPrompt = messageText(content);
        } else if (next !== m) out[i] = next;
      }
    }
    const result = this.#finish(decisions, findings, t0, context);
    return { ...result, messages: out };
  }

  /**
   * A message's content with its text rewritten for the findings in `text` (its text parts joined with `\n`, as
   * {@link messageText} reads them): each text part gets the findings that fall in it, so the parts keep their
   * places (a tool result's several outputs stay several) while the checks read them as one text.
   */
  #rewriteContent(
    content: unknown,
    text: string,
    rewrite: readonly { finding: Finding; action: GuardAction }[],
    session: GuardSession,
  ): unknown {
    if (!Array.isArray(content)) return withText(content, this.rewrite(text, rewrite, session));
    const texts = content.filter(isTextPart).map((p) => p.text);
    const rewritten = this.rewriteParts(texts, rewrite, session);
    let k = 0;
    return content.map((p) => (isTextPart(p) ? { ...(p as object), text: rewritten[k++] } : p));
  }

  /**
   * Rewrites texts that were checked as one (joined with `\n`): each gets the findings inside it, clipped to it
   * (a finding across a join is rewritten in both texts), in order, so the vault numbers values as it would in
   * the joined text.
   */
  rewriteParts(
    texts: readonly string[],
    rewrite: readonly { finding: Finding; action: GuardAction }[],
    session: GuardSession,
  ): string[] {
    let from = 0;
    return texts.map((t) => {
      const start = from;
      const end = start + t.length;
      from = end + 1;
      const inside = rewrite
        .filter((r) => r.finding.start < end && r.finding.end > start)
        .map((r) => ({
          ...r,
          finding: {
            ...r.finding,
            start: Math.max(r.finding.start, start) - start,
            end: Math.min(r.finding.end, end) - start,
          },
        }));
      return this.rewrite(t, inside, session);
    });
  }

  /**
   * Checks several texts of one answer as one (joined with `\n`): one run of the output stage instead of one per
   * text (an item of many strings, a citation's title and URL), each text then redacted for the findings in it
   * and its placeholders restored. A part marked `url` is a link: no placeholder is ever restored in it (a
   * value put in a URL leaves with a click or an image load; see `restorePlaceholders`).
   */
  async checkOutputParts(
    parts: readonly { text: string; url?: boolean }[],
    context: CheckContext = {},
  ): Promise<GuardResult & { texts: string[] }> {
    const t0 = performance.now();
    const session = context.session ?? new GuardSession();
    const joined = parts.map((p) => p.text).join('\n');
    const r = await this.checkText('output', joined, context);
    const result = this.#finish(
      r.decisions,
      r.rewrite.map((x) => x.finding),
      t0,
      context,
    );
    if (result.blocked) return { ...result, texts: parts.map(() => '') };
    const rewritten = this.rewriteParts(
      parts.map((p) => p.text),
      r.rewrite.map((x) => ({ ...x, action: 'redact' as GuardAction })),
      session,
    );
    const encode = context.json ? jsonStringContent : undefined;
    const texts = rewritten.map((t, i) => {
      if (parts[i].url) return t;
      return context.data
        ? restoreToolArguments(t, session.vault, session.written, context.json)
        : restorePlaceholders(t, session.vault, encode, session.written);
    });
    return { ...result, texts };
  }

  /** Whether a check of `stage` named `check` blocks when it fires (its action, or one of its categories'). */
  blocksWhenFired(stage: GuardStage, check: string): boolean {
    return this.policy[stage].some((c) => c.check === check && worstAction(c) === 'block');
  }

  /** Checks a whole answer; returns it redacted and with the session's placeholders restored. */
  async checkOutput(text: string, context: CheckContext = {}): Promise<OutputResult> {
    const t0 = performance.now();
    if (typeof text !== 'string')
      throw new LifeguardError('LG_ERR_INPUT_INVALID', 'checkOutput: pass the answer as a string');
    const session = context.session ?? new GuardSession();
    const r = await this.checkText('output', text, context);
    const result = this.#finish(
      r.decisions,
      r.rewrite.map((x) => x.finding),
      t0,
      context,
    );
    const rewritten = this.rewrite(
      text,
      r.rewrite.map((x) => ({ ...x, action: 'redact' as GuardAction })),
      session,
    );
    const encode = context.json ? jsonStringContent : undefined;
    const restore = () =>
      context.data
        ? restoreToolArguments(rewritten, session.vault, session.written, context.json)
        : restorePlaceholders(rewritten, session.vault, encode, session.written);
    return { ...result, text: result.blocked ? '' : restore() };
  }

  /** Checks one tool call the model wants to make: tool rules, then the `tool` stage on its arguments. */
  async checkToolCall(name: string, args: string, context: CheckContext = {}): Promise<GuardResult> {
    const t0 = performance.now();
    if (typeof name !== 'string' || typeof args !== 'string')
      throw new LifeguardError('LG_ERR_INPUT_INVALID', 'checkToolCall: the tool name and arguments must be strings');
    const decisions: CheckDecision[] = [];
    const rules = this.#toolRules(name);
    // The tool gets the arguments' decoded JSON: `rm \u002drf` or `a\u0040b.com` must read as `rm -rf`, `a@b.com`.
    const text = argumentsView(args);
    if (rules.length > 0) {
      const hay = text.toLowerCase();
      const denied = rules.some((r) => r.deny || r.denyArgs.some((a) => hay.includes(a.toLowerCase())));
      decisions.push({
        stage: 'tool',
        check: `tool:${name}`,
        fired: denied,
        action: denied ? 'block' : 'allow',
        enforced: !this.policy.shadow,
        latencyMs: performance.now() - t0,
      });
    }
    const untrusted = rules.map((r) => r.untrustedDestinations).find((a) => a !== undefined);
    if (untrusted) decisions.push(this.#destinations(name, text, untrusted, context, t0));
    const r = await this.checkText('tool', text, context);
    decisions.push(...r.decisions);
    return this.#finish(
      decisions,
      r.rewrite.map((x) => x.finding),
      t0,
      context,
    );
  }

  /**
   * The rules for a tool: its own (the name compared without case, spaces and invisible characters, as an app
   * that dispatches leniently would read ` Delete_File`) and `'*'`.
   */
  #toolRules(name: string): Policy['tools'][string][] {
    const key = toolKey(name);
    return Object.entries(this.policy.tools)
      .filter(([n]) => n === '*' || toolKey(n) === key)
      .map(([, rule]) => rule);
  }

  /**
   * A tool call's destinations that no user or system message named (`tools.<name>.untrustedDestinations`).
   * Without a session the conversation is unknown, so every destination counts as untrusted.
   */
  #destinations(
    name: string,
    args: string,
    action: 'block' | 'warn' | 'log',
    context: CheckContext,
    t0: number,
  ): CheckDecision {
    const found = destinationsIn(args).filter((d) => !context.session?.supplied.has(d));
    return {
      stage: 'tool',
      check: `tool:${name}:destinations`,
      fired: found.length > 0,
      action: found.length > 0 ? action : 'allow',
      enforced: !this.policy.shadow,
      ...(found.length > 0 ? { types: [...new Set(found.map((d) => d.kind))] } : {}),
      latencyMs: performance.now() - t0,
    };
  }

  /** Hands decisions an adapter made itself (an answer part it withheld) to `onDecision`, as the checks' go. */
  report(decisions: readonly CheckDecision[], context: CheckContext = {}): void {
    if (decisions.length > 0) this.#options.onDecision?.(decisions, { requestId: context.requestId });
  }

  #finish(decisions: CheckDecision[], findings: Finding[], t0: number, context: CheckContext): GuardResult {
    const blocked = blocks(decisions);
    this.#options.onDecision?.(decisions, { requestId: context.requestId });
    return {
      blocked,
      refusal: blocked ? this.policy.refusal : undefined,
      decisions,
      findings,
      latencyMs: performance.now() - t0,
    };
  }

  /** A checker for a streamed answer: see {@link StreamGuard}. */
  stream(context: CheckContext = {}): StreamGuard {
    return new StreamGuard(this, context);
  }
}

/**
 * How far behind the release point each check of a streamed answer reads again, at least: twice the widest
 * window of the output stage's classifiers (their own, 1,024 characters at most, or a check's `window`), so the
 * windows that reach unreleased text are read whole, as a whole-answer check would read them.
 */
const MIN_STREAM_CONTEXT_CHARS = 2048;

/** The longest run of token characters (a key, a JWT) a stream holds back whole until it ends. */
const MAX_HELD_TOKEN_CHARS = 4096;
/** The longest PEM block (`-----BEGIN …` to `-----END …`; a 4,096-bit RSA key is about 3,300) held back whole. */
const MAX_HELD_BLOCK_CHARS = 8192;
const PEM_BEGIN = '-----BEGIN';
const PEM_END = '-----END';

/**
 * A character a secret can be made of: printable ASCII other than a space. Keys, tokens, JWTs and PEM bodies are
 * ASCII; text in a script written without spaces (Chinese, Japanese) is not, so it still streams as it comes.
 */
function isTokenCharAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c > 32 && c < 127;
}

/** Whether an enforced check fired with `block`. */
function blocks(decisions: readonly CheckDecision[]): boolean {
  return decisions.some((d) => d.fired && d.enforced && d.action === 'block');
}

/** A check of `text.slice(from)` in the offsets of the whole text. */
function shifted(
  r: { decisions: CheckDecision[]; rewrite: { finding: Finding; action: GuardAction }[] },
  from: number,
): { decisions: CheckDecision[]; rewrite: { finding: Finding; action: GuardAction }[] } {
  return {
    decisions: r.decisions.map((d) =>
      d.span ? { ...d, span: { start: d.span.start + from, end: d.span.end + from } } : d,
    ),
    rewrite: r.rewrite.map((x) => ({
      ...x,
      finding: { ...x.finding, start: x.finding.start + from, end: x.finding.end + from },
    })),
  };
}

/** Texts longer than this are not kept in the check cache (their results would cost more memory than time). */
const MAX_CACHED_CHARS = 64 * 1024;

/** The cache key of a text: its SHA-256 (the text itself would keep every message in memory twice). */
function textDigest(text: string): string {
  return createHash('sha256').update(text).digest('base64');
}

/** A bounded map of check results, least recently used out first. Holds decisions and findings, in memory only. */
class CheckCache {
  readonly #runs = new Map<string, CheckRun>();
  constructor(readonly size: number) {}
  get(key: string): CheckRun | undefined {
    const run = this.#runs.get(key);
    if (run) {
      this.#runs.delete(key);
      this.#runs.set(key, run);
    }
    return run;
  }
  set(key: string, run: CheckRun): void {
    this.#runs.delete(key);
    this.#runs.set(key, run);
    if (this.#runs.size > this.size) this.#runs.delete(this.#runs.keys().next().value as string);
  }
}

/** A tool name as tool rules compare it: NFKC, lower case, without white space and format characters (zero-width). */
export function toolKey(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/[\s\p{Cf}]+/gu, '')
    .toLowerCase();
}

/**
 * Tool-call arguments as rules and checks read them: the raw text, followed by the JSON's keys and string values
 * decoded when the raw text escapes anything (JSON escapes hid `rm -rf` from `denyArgs` and tokens from the
 * secrets check). Walked without recursion, so deeply nested JSON cannot overflow the stack.
 */
function argumentsView(args: string): string {
  if (!args.includes('\\')) return args;
  let parsed: unknown;
  try {
    parsed = JSON.parse(args);
  } catch {
    return args;
  }
  const strings: string[] = [];
  const stack: unknown[] = [parsed];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') strings.push(v);
    else if (Array.isArray(v)) for (const x of v) stack.push(x);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        strings.push(k);
        stack.push(x);
      }
    }
  }
  return `${args}\n${strings.join('\n')}`;
}

/** Placeholders (`<EMAIL_ADDRESS_1>`) as plain stand-in values: what classifiers were trained to read. */
function withStandIns(text: string): string {
  return text.replace(PLACEHOLDER, (_m, type: string) => SURROGATES[type] ?? 'the value');
}

/**
 * The findings of a check that fired with a rewriting action that are themselves to be rewritten. A finding whose
 * category says `warn` or `log` (`pii: pseudonymise` with `PERSON: warn`) is reported, not rewritten: it had been
 * redacted along with the others.
 */
function rewritesOf(run: CheckRun): { finding: Finding; action: GuardAction }[] {
  const out: { finding: Finding; action: GuardAction }[] = [];
  for (const finding of run.findings) {
    const action = run.actionFor(finding);
    if (action === 'redact' || action === 'pseudonymise') out.push({ finding, action });
  }
  return out;
}

/**
 * What a fail-closed check that could not answer does: block, unless nothing it can find would do more than warn
 * or log. The check's categories count: a `warn` check with `S1: block` whose backend failed had let the text it
 * never read through with a warning, though that text may be exactly what it blocks. A rewrite cannot be done
 * without findings, so it blocks too.
 */
function failClosedAction(cfg: CheckConfig): GuardAction {
  const worst = worstAction(cfg);
  return worst === 'log' || worst === 'warn' ? worst : 'block';
}

/** The most severe thing a check can do when it fires: its action, or one of its categories'. */
function worstAction(cfg: CheckConfig): GuardAction {
  return mostSevere([cfg.action, ...Object.values(cfg.categories ?? {})]);
}

function mostSevere(actions: readonly GuardAction[]): GuardAction {
  return actions.reduce((a, b) => (SEVERITY[b] > SEVERITY[a] ? b : a));
}

/** Builds a guard from a policy (YAML-shaped object; defaults filled in and validated). */
export function createGuard(policy: PolicyInput | Policy = DEFAULT_POLICY, options: GuardOptions = {}): Guard {
  return new Guard(parsePolicy(policy), options);
}

/**
 * Checks a streamed answer so that no byte reaches the client before it was checked. Text is held back
 * until a check covers it (every `checkEveryChars` new characters, and always at the end); a hold-back
 * of `holdChars` keeps a phrase that may still grow (an email address, a harmful sentence) unreleased.
 * A block stops the stream: `push` then returns `{ stopped }` and nothing more is released.
 */
export class StreamGuard {
  readonly #guard: Guard;
  readonly #context: CheckContext;
  readonly #session: GuardSession;
  readonly #restorer: PlaceholderRestorer;
  /**
   * The raw characters received, from offset `#dropped` on (offsets count from the answer's start). What lies
   * before was released and is read by no later check: kept whole, the text was copied whole at every check
   * (V8 flattens the concatenated string to slice it), quadratic in the answer (1 MB: 2.5 s with no checks).
   */
  #raw = '';
  /** Raw characters received before `#raw` starts. */
  #dropped = 0;
  /** Raw characters already released (after rewriting). */
  #released = 0;
  #sinceCheck = 0;
  #stopped: GuardResult | undefined;
  /** Every check's decision at every step of the stream (a long answer has hundreds). */
  readonly decisions: CheckDecision[] = [];

  constructor(guard: Guard, context: CheckContext) {
    this.#guard = guard;
    this.#context = context;
    this.#session = context.session ?? new GuardSession();
    this.#restorer = new PlaceholderRestorer(
      this.#session.vault,
      context.json ? jsonStringContent : undefined,
      this.#session.written,
    );
  }

  /**
   * One decision per check for the whole stream, for the audit log: fired if it fired at any step (its first
   * firing's span and excerpt, the most severe action, the highest score, every type and category), the
   * latency summed over steps.
   */
  get summary(): CheckDecision[] {
    const byCheck = new Map<string, CheckDecision>();
    for (const d of this.decisions) {
      const key = `${d.stage}\0${d.check}`;
      const m = byCheck.get(key);
      if (!m) {
        byCheck.set(key, { ...d });
        continue;
      }
      m.latencyMs += d.latencyMs;
      if (d.score !== undefined) m.score = Math.max(m.score ?? 0, d.score);
      if (d.error && !m.error) m.error = d.error;
      if (!d.fired) continue;
      if (!m.fired) {
        Object.assign(m, { fired: true, action: d.action, span: d.span, excerpt: d.excerpt, enforced: d.enforced });
      } else if (SEVERITY[d.action] > SEVERITY[m.action]) {
        m.action = d.action;
      }
      if (d.types) m.types = [...new Set([...(m.types ?? []), ...d.types])];
      if (d.categories) m.categories = [...new Set([...(m.categories ?? []), ...d.categories])];
    }
    return [...byCheck.values()];
  }

  get stopped(): GuardResult | undefined {
    return this.#stopped;
  }

  /** Adds a chunk; returns the text that may now be sent (possibly empty), or the stop. */
  async push(chunk: string): Promise<{ text: string; stopped?: GuardResult }> {
    if (typeof chunk !== 'string') throw new LifeguardError('LG_ERR_INPUT_INVALID', 'StreamGuard.push: pass a string');
    if (this.#stopped) return { text: '', stopped: this.#stopped };
    this.#raw += chunk;
    this.#sinceCheck += chunk.length;
    const { checkEveryChars, holdChars } = this.#guard.policy.stream;
    if (this.#sinceCheck < checkEveryChars) return { text: '' };
    return this.#check(Math.max(this.#released, this.#length - holdChars));
  }

  /** The stream ended: checks everything not yet released and returns the rest. */
  async end(): Promise<{ text: string; stopped?: GuardResult }> {
    if (this.#stopped) return { text: '', stopped: this.#stopped };
    const r = await this.#check(this.#length);
    if (r.stopped) return r;
    return { text: r.text + this.#restorer.flush() };
  }

  #stop(r: { decisions: CheckDecision[]; rewrite: { finding: Finding; action: GuardAction }[] }): {
    text: string;
    stopped: GuardResult;
  } {
    this.#stopped = {
      blocked: true,
      refusal: this.#guard.policy.stoppedMessage,
      decisions: r.decisions,
      findings: r.rewrite.map((x) => x.finding),
      latencyMs: r.decisions.reduce((a, d) => Math.max(a, d.latencyMs), 0),
    };
    return { text: '', stopped: this.#stopped };
  }

  /**
   * Whether a classifier that would block is close enough to its threshold (`stream.holdAbove` of it) that the
   * next words may tip it: then nothing more is released until a later check or the end decides. Harmful
   * answers are recognised as their harmful part grows: of the JailbreakBench answers that the whole-answer
   * check blocks, a plain hold-back let 21 of 62 start out before the stop (6,118 characters), at 0.15 6
   * (1,211), holding 5.6% of benign answers to their end (`docs/guard.md`).
   */
  #suspect(decisions: readonly CheckDecision[]): boolean {
    const ratio = this.#guard.policy.stream.holdAbove;
    if (ratio <= 0) return false;
    return decisions.some(
      (d) =>
        !d.fired &&
        d.enforced &&
        d.score !== undefined &&
        d.threshold !== undefined &&
        d.score >= ratio * d.threshold &&
        this.#guard.blocksWhenFired(d.stage, d.check),
    );
  }

  /**
   * Where the release must stop so that no part of something still unfinished goes out: detectors recognise a
   * token, key or JWT, or a PEM block, only whole, and a stream that released `holdChars` before the end let
   * most of a private key or JWT out before the check that saw it whole stopped the answer. The cut moves back to
   * the start of the run of token characters it falls in (when that run starts within the last
   * `MAX_HELD_TOKEN_CHARS`) and before a `-----BEGIN` that has no `-----END` yet. Bounded look-backs: linear time.
   */
  #unfinishedStart(cut: number): number {
    const raw = this.#raw;
    const d = this.#dropped;
    const floor = Math.max(this.#released, cut - MAX_HELD_TOKEN_CHARS);
    let i = cut;
    while (i > floor && isTokenCharAt(raw, i - 1 - d)) i--;
    if (i > floor || i === this.#released) cut = i;
    const from = Math.max(this.#released, cut - MAX_HELD_BLOCK_CHARS);
    const begin = this.#slice(from, cut).lastIndexOf(PEM_BEGIN);
    if (begin >= 0 && !raw.includes(PEM_END, from + begin - d)) cut = from + begin;
    return cut;
  }

  /** Characters received in all. */
  get #length(): number {
    return this.#dropped + this.#raw.length;
  }

  /** The raw text from `start` to `end` (offsets in the whole answer; never before `#dropped`). */
  #slice(start: number, end?: number): string {
    return this.#raw.slice(start - this.#dropped, end === undefined ? undefined : end - this.#dropped);
  }

  /**
   * Lets go of raw text no check reads again: checks read from `streamContextChars` before the release point on.
   * Done once that much more is behind it, so each character is copied a bounded number of times.
   */
  #trim(): void {
    const keep = this.#released - this.#guard.streamContextChars;
    if (keep - this.#dropped < this.#guard.streamContextChars) return;
    this.#raw = this.#raw.slice(keep - this.#dropped);
    this.#dropped = keep;
  }

  async #check(releaseTo: number): Promise<{ text: string; stopped?: GuardResult }> {
    this.#sinceCheck = 0;
    const context = this.#guard.streamContextChars;
    const final = releaseTo >= this.#length;
    // Text held on suspicion grows with every chunk; reading all of it at every check would cost quadratic time.
    // A long hold is judged on the answer's last stretch alone; the whole held part is read once, when it lifts.
    let judgedOnTail = false;
    if (!final && this.#length - this.#released > context) {
      const from = this.#length - context;
      const tail = shifted(await this.#guard.checkText('output', this.#slice(from), this.#context), from);
      if (this.#stopped) return { text: '', stopped: this.#stopped };
      this.decisions.push(...tail.decisions);
      if (blocks(tail.decisions)) return this.#stop(tail);
      if (this.#suspect(tail.decisions)) return { text: '' };
      judgedOnTail = true;
    }
    // Check the answer from a little before the release point: classifiers see context (every window that
    // reaches unreleased text is read whole), detectors see every unreleased span whole. Reading the whole
    // answer each time made a long answer cost quadratic time (64 KB: 3.5 s of CPU).
    const from = Math.max(0, this.#released - context);
    const seen = await this.#guard.checkText('output', this.#slice(from), this.#context);
    // A push that was not awaited may have stopped the stream while this check ran: release nothing after a stop.
    if (this.#stopped) return { text: '', stopped: this.#stopped };
    const r = from > 0 ? shifted(seen, from) : seen;
    this.decisions.push(...r.decisions);
    if (blocks(r.decisions)) return this.#stop(r);
    // Not at the end: there the check decides, and an answer that is not blocked goes out whole.
    if (!final && !judgedOnTail && this.#suspect(r.decisions)) return { text: '' };
    // Never cut through a finding: release up to the start of one that crosses the boundary.
    let cut = releaseTo;
    for (const { finding } of r.rewrite) if (finding.start < cut && finding.end > cut) cut = finding.start;
    if (cut < this.#length) cut = this.#unfinishedStart(cut);
    if (cut <= this.#released) return { text: '' };
    const inside = r.rewrite
      .filter((x) => x.finding.start >= this.#released && x.finding.end <= cut)
      .map((x) => ({
        action: 'redact' as GuardAction,
        finding: { ...x.finding, start: x.finding.start - this.#released, end: x.finding.end - this.#released },
      }));
    const piece = this.#guard.rewrite(this.#slice(this.#released, cut), inside, this.#session);
    this.#released = cut;
    this.#trim();
    return { text: this.#restorer.push(piece) };
  }
}
