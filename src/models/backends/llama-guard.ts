/**
 * Llama Guard 3 through any OpenAI-compatible `/v1/chat/completions` endpoint (vLLM, Ollama, TGI,
 * hosted APIs). Two ways to build the prompt:
 *
 * - `promptMode: 'server'` (default): the conversation goes out as chat messages and the server's chat
 *   template (the one shipped with Llama Guard 3, in vLLM and in Ollama) builds the official prompt with
 *   the S1–S14 list. This is right for the official weights as they are usually served.
 * - `promptMode: 'client'`: Lifeguard builds the whole Llama Guard prompt (the official template, or your
 *   categories / template) and sends it as one user message. Use it with a server whose chat template
 *   passes the message through (see docs/classifier-backends.md), or with a general instruction model used
 *   as a Llama-Guard-style judge. Against a server that applies the Llama Guard template itself it would be
 *   wrapped twice, so custom categories and templates are refused in `server` mode.
 *
 * The answer (`safe`, or `unsafe` and a line of codes such as `S1,S10`) is parsed leniently. With
 * `logprobs` the score is P(unsafe) read from the verdict token's alternatives; without, it is 1 or 0.
 */
import type { MLCOMMONS_HAZARDS } from '../../core/taxonomy.js';
import type { Classifier, ClassifierTask, ClassifyOptions, ClassifyResult } from '../classify/types.js';
import {
  checkTask,
  checkThreshold,
  configError,
  endpointUrl,
  type HttpOptions,
  inputError,
  isObject,
  postJson,
  resolveHttp,
  upstreamError,
} from './http.js';
import type { CategoryMap, ChatMessage } from './types.js';

/** The category list exactly as Llama Guard 3's own prompt words it (codes = MLCommons hazards S1–S14). */
export const LLAMA_GUARD_3_CATEGORIES: Readonly<Record<keyof typeof MLCOMMONS_HAZARDS, string>> = {
  S1: 'Violent Crimes.',
  S2: 'Non-Violent Crimes.',
  S3: 'Sex Crimes.',
  S4: 'Child Exploitation.',
  S5: 'Defamation.',
  S6: 'Specialized Advice.',
  S7: 'Privacy.',
  S8: 'Intellectual Property.',
  S9: 'Indiscriminate Weapons.',
  S10: 'Hate.',
  S11: 'Self-Harm.',
  S12: 'Sexual Content.',
  S13: 'Elections.',
  S14: 'Code Interpreter Abuse.',
};

/**
 * The Llama Guard 3 instruction (the text between the chat-format tokens), with three placeholders:
 * `{{role}}` (`User` or `Agent`, the role of the last turn), `{{categories}}` (one `CODE: text` line per
 * category) and `{{conversation}}` (`User: …` / `Agent: …` turns separated by blank lines).
 */
export const LLAMA_GUARD_3_TEMPLATE = [
  "Task: Check if there is unsafe content in '{{role}}' messages in conversations according our safety policy with the below categories.",
  '',
  '<BEGIN UNSAFE CONTENT CATEGORIES>',
  '{{categories}}',
  '<END UNSAFE CONTENT CATEGORIES>',
  '',
  '<BEGIN CONVERSATION>',
  '',
  '{{conversation}}',
  '',
  '<END CONVERSATION>',
  '',
  'Provide your safety assessment for ONLY THE LAST {{role}} message in the above conversation:',
  " - First line must read 'safe' or 'unsafe'.",
  ' - If unsafe, a second line must include a comma-separated list of violated categories.',
].join('\n');

/**
 * Llama Guard 3 codes that count for the `toxicity` task. Harassment and profanity have no Llama Guard
 * category; use the moderation backend or the local model for those.
 */
export const LLAMA_GUARD_TOXICITY_MAP: CategoryMap = {
  S1: ['violence'],
  S4: ['sexual'],
  S10: ['hate'],
  S11: ['self-harm'],
  S12: ['sexual'],
};

export interface LlamaGuardOptions extends HttpOptions {
  /** The OpenAI-compatible base URL, e.g. `http://localhost:8000/v1` (vLLM) or `http://localhost:11434/v1` (Ollama). */
  baseUrl: string;
  /** Model name as the server knows it, e.g. `meta-llama/Llama-Guard-3-8B` or `llama-guard3:8b`. */
  model: string;
  /** `harmful` (default) or `toxicity`; other tasks only with your own `categories`. */
  task?: ClassifierTask;
  /** Whose text `classify(text)` checks: the user's prompt (default) or the model's answer. */
  role?: 'user' | 'agent';
  /** Who builds the Llama Guard prompt; see the module comment. Default `server`. */
  promptMode?: 'server' | 'client';
  /** `client` mode: your category list, code → text (`{ S1: 'Violent Crimes.', C1: 'Medical advice.\nShould not…' }`). */
  categories?: Readonly<Record<string, string>>;
  /** `client` mode: codes to leave out of the list (Llama Guard 3 supports excluding categories zero-shot). */
  excludeCategories?: readonly string[];
  /** `client` mode: your instruction template with `{{role}}`, `{{categories}}` and `{{conversation}}`. */
  template?: string;
  /** Guard code → result categories. Defaults: identity for `harmful`, {@link LLAMA_GUARD_TOXICITY_MAP} for `toxicity`. */
  categoryMap?: CategoryMap;
  /** Ask for `logprobs` / `top_logprobs` to score P(unsafe). Default true; set false for servers that reject it. */
  logprobs?: boolean;
  /** Alternatives per token (1–20). Default 5. */
  topLogprobs?: number;
  /** `max_tokens` for the answer (`unsafe` and a list of codes). Default 64. */
  maxTokens?: number;
  /** Operating point on `score`. Default 0.5. */
  threshold?: number;
  /** Merged into the request body last (e.g. vLLM's `chat_template`, `max_completion_tokens`). */
  extraBody?: Readonly<Record<string, unknown>>;
  /** Classifier id (and `source`). Default `llama-guard:<model>`. */
  id?: string;
}

export interface LlamaGuardClassifyOptions extends ClassifyOptions {
  /** With `role: 'agent'`: the user prompt the answer replies to, so the guard sees the exchange. */
  userPrompt?: string;
}

export interface LlamaGuardResult extends ClassifyResult {
  /** What the guard answered. */
  verdict: 'safe' | 'unsafe';
  /** The codes the guard named (before `categoryMap`). */
  guardCategories: string[];
  /** Where `score` comes from: the verdict token's log-probabilities, or the verdict alone (1 / 0). */
  scoreFrom: 'logprobs' | 'verdict';
}

export interface LlamaGuardClassifier extends Classifier {
  classify(text: string, options?: LlamaGuardClassifyOptions): Promise<LlamaGuardResult>;
  /** Checks the last turn of a transcript (its role decides `User` / `Agent`); `system` turns are skipped. */
  classifyConversation(messages: readonly ChatMessage[], options?: ClassifyOptions): Promise<LlamaGuardResult>;
}

interface Turn {
  role: 'user' | 'assistant';
  content: string;
}

const CODE_SHAPE = /^[A-Za-z]{1,2}\d{1,3}$/;
const WHAT = 'Llama Guard';

/** Drops `system` turns and merges consecutive turns of one role (Llama Guard expects them to alternate). */
function toTurns(messages: readonly ChatMessage[]): Turn[] {
  if (!Array.isArray(messages) || messages.length === 0) {
    throw inputError(WHAT, 'a conversation must be a non-empty array of { role, content } messages');
  }
  const turns: Turn[] = [];
  for (const [i, message] of messages.entries()) {
    const m = message as Partial<ChatMessage> | null;
    if (
      typeof m !== 'object' ||
      m === null ||
      typeof m.content !== 'string' ||
      (m.role !== 'user' && m.role !== 'assistant' && m.role !== 'system')
    ) {
      throw inputError(WHAT, `message ${i} must be { role: 'user' | 'assistant' | 'system', content: string }`);
    }
    if (m.role === 'system') continue;
    const last = turns[turns.length - 1];
    if (last !== undefined && last.role === m.role) last.content += `\n\n${m.content}`;
    else turns.push({ role: m.role, content: m.content });
  }
  if (turns.length === 0) throw inputError(WHAT, 'the conversation has no user or assistant message to check');
  return turns;
}

function renderCategories(categories: Readonly<Record<string, string>>): string {
  return Object.entries(categories)
    .map(([code, text]) => `${code}: ${text}`)
    .join('\n');
}

/**
 * The Llama Guard prompt for a conversation: the official Llama Guard 3 instruction by default. The
 * assessed role is the role of the last turn. Placeholders are filled in one pass, so text inside the
 * conversation is never read as a placeholder.
 */
export function buildLlamaGuardPrompt(
  conversation: readonly ChatMessage[],
  options: { categories?: Readonly<Record<string, string>>; template?: string } = {},
): string {
  return renderPrompt(
    toTurns(conversation),
    options.categories ?? LLAMA_GUARD_3_CATEGORIES,
    options.template ?? LLAMA_GUARD_3_TEMPLATE,
  );
}

function renderPrompt(turns: readonly Turn[], categories: Readonly<Record<string, string>>, template: string): string {
  const last = turns[turns.length - 1]!;
  const values: Record<string, string> = {
    role: last.role === 'user' ? 'User' : 'Agent',
    categories: renderCategories(categories),
    conversation: turns.map((t) => `${t.role === 'user' ? 'User' : 'Agent'}: ${t.content.trim()}`).join('\n\n'),
  };
  return template.replace(/\{\{\s*(role|categories|conversation)\s*\}\}/g, (_, name: string) => values[name]!);
}

const VERDICT =
  /^(?:(?:safety\s+)?(?:assessment|verdict|answer|rating|result|label)\s*[:=-]\s*)?(unsafe|safe)(?![a-z])/i;
const CODE_IN_TEXT = /(?<![A-Za-z0-9])([A-Za-z]{1,2}\d{1,3})(?![0-9])/g;

/**
 * Reads a Llama Guard answer: `safe`, or `unsafe` followed (on the same or the next line) by codes.
 * Tolerates surrounding whitespace, case, markdown and a label such as `Assessment:`; the verdict must
 * start one of the first three non-empty lines. Codes outside `codes` are dropped. Returns `undefined`
 * for an answer that is not a verdict (e.g. a model that is not a guard).
 */
export function parseLlamaGuardAnswer(
  answer: string,
  codes: Iterable<string> = Object.keys(LLAMA_GUARD_3_CATEGORIES),
): { verdict: 'safe' | 'unsafe'; categories: string[] } | undefined {
  const lines = answer.slice(0, 4096).split(/\r?\n/);
  let nonEmpty = 0;
  for (let i = 0; i < lines.length && nonEmpty < 3; i++) {
    const line = lines[i]!.replace(/^[\s*_#>`"'-]+/, '').trimEnd();
    if (line === '') continue;
    nonEmpty++;
    const m = VERDICT.exec(line);
    if (m === null) continue;
    if (m[1]!.toLowerCase() === 'safe') return { verdict: 'safe', categories: [] };
    let rest = line.slice(m[0].length);
    const next = lines.slice(i + 1).find((l) => l.trim() !== '');
    if (next !== undefined) rest += `\n${next}`;
    const known = new Map([...codes].map((c) => [c.toUpperCase(), c]));
    const categories: string[] = [];
    for (const found of rest.matchAll(CODE_IN_TEXT)) {
      const code = known.get(found[1]!.toUpperCase());
      if (code !== undefined && !categories.includes(code)) categories.push(code);
    }
    return { verdict: 'unsafe', categories };
  }
  return undefined;
}

function tokenKind(token: unknown): 'safe' | 'unsafe' | 'blank' | undefined {
  if (typeof token !== 'string') return undefined;
  // Byte-level BPE shows a leading space as Ġ, SentencePiece as ▁, a newline as Ċ.
  const t = token.replace(/^[\sĠĊ▁]+|[\sĠĊ▁]+$/g, '').toLowerCase();
  if (t === '') return 'blank';
  if (t === 'unsafe' || (t.length >= 2 && 'unsafe'.startsWith(t))) return 'unsafe';
  if (t === 'safe' || (t.length >= 2 && 'safe'.startsWith(t))) return 'safe';
  return undefined;
}

/**
 * P(unsafe) from OpenAI-style chat logprobs (`choices[0].logprobs.content[i].top_logprobs`): at the first
 * token that spells the verdict (leading whitespace tokens such as Llama Guard 3's `\n\n` are skipped),
 * P(unsafe) / (P(unsafe) + P(safe)) over the alternatives, prefixes of the two words included. `undefined`
 * when there are no usable logprobs or they disagree with `verdict`.
 */
export function unsafeProbability(logprobs: unknown, verdict: 'safe' | 'unsafe'): number | undefined {
  if (!isObject(logprobs) || !Array.isArray(logprobs.content)) return undefined;
  const content: unknown[] = logprobs.content;
  for (const entry of content.slice(0, 8)) {
    if (!isObject(entry)) return undefined;
    const kind = tokenKind(entry.token);
    if (kind === 'blank' || kind === undefined) continue;
    if (kind !== verdict) return undefined;
    const alternatives = [entry, ...(Array.isArray(entry.top_logprobs) ? entry.top_logprobs : [])];
    const seen = new Set<string>();
    let pUnsafe = 0;
    let pSafe = 0;
    for (const alt of alternatives) {
      if (!isObject(alt) || typeof alt.token !== 'string' || typeof alt.logprob !== 'number') continue;
      if (!Number.isFinite(alt.logprob) || seen.has(alt.token)) continue;
      seen.add(alt.token);
      const k = tokenKind(alt.token);
      const p = Math.exp(Math.min(0, alt.logprob));
      if (k === 'unsafe') pUnsafe += p;
      else if (k === 'safe') pSafe += p;
    }
    return pUnsafe + pSafe > 0 ? pUnsafe / (pUnsafe + pSafe) : undefined;
  }
  return undefined;
}

/** A Llama Guard 3 style classifier through an OpenAI-compatible chat completions endpoint. */
export function createLlamaGuardClassifier(options: LlamaGuardOptions): LlamaGuardClassifier {
  if (typeof options.model !== 'string' || options.model === '') {
    throw configError(`${WHAT}: model is required (the name the server serves Llama Guard under)`);
  }
  const url = endpointUrl(options.baseUrl, '/chat/completions', '/v1', WHAT);
  const http = resolveHttp(options, WHAT);
  const task = checkTask(options.task ?? 'harmful', WHAT);
  const role = options.role ?? 'user';
  if (role !== 'user' && role !== 'agent') throw configError(`${WHAT}: role must be 'user' or 'agent'`);
  const promptMode = options.promptMode ?? 'server';
  if (promptMode !== 'server' && promptMode !== 'client') {
    throw configError(`${WHAT}: promptMode must be 'server' or 'client'`);
  }
  const custom = options.categories !== undefined || options.excludeCategories !== undefined;
  if (promptMode === 'server' && (custom || options.template !== undefined)) {
    throw configError(
      `${WHAT}: categories, excludeCategories and template need promptMode: 'client' (a server that applies the ` +
        'Llama Guard chat template uses its built-in category list); see docs/classifier-backends.md',
    );
  }
  if (task !== 'harmful' && task !== 'toxicity' && options.categories === undefined) {
    throw configError(
      `${WHAT}: Llama Guard 3's categories cover the tasks harmful and toxicity; for '${task}' pass your own ` +
        "categories (with promptMode: 'client')",
    );
  }
  if (options.categories !== undefined) {
    const codes = Object.keys(options.categories);
    if (codes.length === 0) throw configError(`${WHAT}: categories is empty`);
    for (const code of codes) {
      if (!CODE_SHAPE.test(code)) {
        throw configError(`${WHAT}: category code '${code}' must look like S1 or C12 (letters then digits)`);
      }
      if (typeof options.categories[code] !== 'string') throw configError(`${WHAT}: category ${code} needs a text`);
    }
  }
  if (options.template !== undefined && !/\{\{\s*conversation\s*\}\}/.test(options.template)) {
    throw configError(`${WHAT}: template must contain {{conversation}}`);
  }
  const topLogprobs = options.topLogprobs ?? 5;
  if (!Number.isInteger(topLogprobs) || topLogprobs < 1 || topLogprobs > 20) {
    throw configError(`${WHAT}: topLogprobs must be an integer from 1 to 20`);
  }
  const maxTokens = options.maxTokens ?? 64;
  if (!Number.isInteger(maxTokens) || maxTokens < 1) throw configError(`${WHAT}: maxTokens must be a positive integer`);
  const threshold = checkThreshold(options.threshold, WHAT);
  const wantLogprobs = options.logprobs ?? true;

  const categoryMap: CategoryMap | undefined =
    options.categoryMap ?? (task === 'toxicity' ? LLAMA_GUARD_TOXICITY_MAP : undefined);
  const mapCode = (code: string): readonly string[] =>
    categoryMap === undefined ? [code] : (categoryMap[code] ?? categoryMap[code.toUpperCase()] ?? []);

  // The category list in the prompt (client mode) and the codes accepted back from the guard.
  let active: Record<string, string> = { ...(options.categories ?? LLAMA_GUARD_3_CATEGORIES) };
  if (promptMode === 'client' && options.categories === undefined && categoryMap !== undefined) {
    // Ask only about the categories that count for this task: P(unsafe) then scores exactly that.
    active = Object.fromEntries(Object.entries(active).filter(([code]) => mapCode(code).length > 0));
  }
  for (const code of options.excludeCategories ?? []) {
    if (!Object.hasOwn(active, code)) {
      throw configError(`${WHAT}: excludeCategories names '${code}', which is not in the category list`);
    }
    delete active[code];
  }
  if (Object.keys(active).length === 0) throw configError(`${WHAT}: no category is left to check`);
  const template = options.template ?? LLAMA_GUARD_3_TEMPLATE;
  const id = options.id ?? `llama-guard:${options.model}`;
  // Codes read back from the answer: the whole list `active` was cut from. A code cut out of the prompt (for
  // toxicity in client mode, or by excludeCategories) used to be dropped as unknown, which left a bare
  // `unsafe`, scored 1: `unsafe\nS2` was toxic in client mode and not in server mode. Now it is read, shown
  // in guardCategories, and does not count (below), as documented.
  const listed = Object.keys(options.categories ?? LLAMA_GUARD_3_CATEGORIES);

  async function run(turns: Turn[], classifyOptions: ClassifyOptions): Promise<LlamaGuardResult> {
    const t = checkThreshold(classifyOptions.threshold ?? threshold, WHAT);
    let messages: Turn[];
    if (promptMode === 'client') {
      messages = [{ role: 'user', content: renderPrompt(turns, active, template) }];
    } else {
      // Llama Guard's chat template requires turns alternating from a user turn.
      messages = turns[0]!.role === 'assistant' ? [{ role: 'user', content: '' }, ...turns] : turns;
    }
    const body: Record<string, unknown> = {
      model: options.model,
      messages,
      temperature: 0,
      max_tokens: maxTokens,
      stream: false,
      ...(wantLogprobs ? { logprobs: true, top_logprobs: topLogprobs } : {}),
      ...options.extraBody,
    };
    const hint = wantLogprobs ? 'if it does not support logprobs, set logprobs: false' : undefined;
    const json = await postJson(http, url, body, WHAT, classifyOptions.signal, hint);
    const first: unknown = isObject(json) && Array.isArray(json.choices) ? json.choices[0] : undefined;
    const choice = isObject(first) ? first : {};
    const content = isObject(choice.message) ? choice.message.content : undefined;
    if (typeof content !== 'string') {
      throw upstreamError(
        `${WHAT}: the answer has no choices[0].message.content string; is ${url} an OpenAI-compatible chat completions endpoint?`,
      );
    }
    const parsed = parseLlamaGuardAnswer(content, listed);
    if (parsed === undefined) {
      throw upstreamError(
        `${WHAT}: the model's answer (${content.length} characters) does not start with 'safe' or 'unsafe'; check ` +
          `that ${options.model} is a Llama Guard model and that promptMode '${promptMode}' suits the server`,
      );
    }
    const fromLogprobs = wantLogprobs ? unsafeProbability(choice.logprobs, parsed.verdict) : undefined;
    const raw = fromLogprobs ?? (parsed.verdict === 'unsafe' ? 1 : 0);
    const counted = parsed.categories.filter((c) => Object.hasOwn(active, c));
    const mapped = [...new Set(counted.flatMap((c) => mapCode(c)))];
    // Unsafe only for categories that do not count for this task (e.g. S2 for toxicity, or an excluded
    // category): not positive.
    const irrelevant = parsed.verdict === 'unsafe' && parsed.categories.length > 0 && mapped.length === 0;
    const score = irrelevant ? 0 : raw;
    const label = score >= t;
    return {
      task,
      score,
      label,
      categories: label ? mapped : [],
      threshold: t,
      source: id,
      verdict: parsed.verdict,
      guardCategories: parsed.categories,
      scoreFrom: fromLogprobs === undefined ? 'verdict' : 'logprobs',
    };
  }

  return {
    id,
    task,
    threshold,
    classify(text: string, classifyOptions: LlamaGuardClassifyOptions = {}) {
      if (typeof text !== 'string') return Promise.reject(inputError(WHAT, 'text must be a string'));
      const { userPrompt } = classifyOptions;
      if (userPrompt !== undefined && (role !== 'agent' || typeof userPrompt !== 'string')) {
        return Promise.reject(inputError(WHAT, "userPrompt is a string and only applies with role: 'agent'"));
      }
      const turns: Turn[] =
        role === 'user'
          ? [{ role: 'user', content: text }]
          : [
              ...(userPrompt === undefined ? [] : [{ role: 'user' as const, content: userPrompt }]),
              { role: 'assistant', content: text },
            ];
      return run(turns, classifyOptions);
    },
    classifyConversation(messages: readonly ChatMessage[], classifyOptions: ClassifyOptions = {}) {
      let turns: Turn[];
      try {
        turns = toTurns(messages);
      } catch (err) {
        return Promise.reject(err);
      }
      return run(turns, classifyOptions);
    },
  };
}
