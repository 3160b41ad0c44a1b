import { LifeguardError } from '../../core/errors.js';
import { loadRecorded } from '../replay/index.js';
import { isToolCallText } from '../tool-calls.js';
import type { Target, TargetRequest, TargetResponse, ToolCall } from '../types.js';
import { UpstreamError } from './errors.js';
import type { ReplayTargetSpec } from './schema.js';

interface Recording {
  response: string;
  prompt: string;
  /** The answer's tool calls when the recording kept them (`undefined`: not known). */
  toolCalls?: ToolCall[];
}

/** Whitespace collapsed, trimmed, lower-cased: the second-chance key when the exact prompt is not recorded. */
export function normalisePrompt(s: string): string {
  return s.replace(/\s+/g, ' ').trim().toLowerCase();
}

/**
 * Answers from recorded prompt → answer files (JailbreakBench artifacts, XSTest completions, JSONL), so a
 * published run can be reproduced offline. The last user message is looked up among the recorded prompts
 * (or, with `matchOn: goal`, among the recorded goals) exactly, then normalised
 * (whitespace and case); the first recorded answer for a prompt wins. Entries without an answer are not
 * indexed. A prompt not found is an error (`onMiss: error`, not retryable), `""` (`empty`) or the
 * configured refusal (`refuse`).
 */
export class ReplayTarget implements Target {
  readonly specificationVersion = 'v1' as const;
  readonly id: string;
  /** Answers come from files: nothing to cache, nothing to rate-limit. */
  readonly local = true;
  private readonly exact = new Map<string, Recording>();
  private readonly loose = new Map<string, Recording>();
  /** Recorded entries that carried an answer. */
  readonly size: number;

  constructor(private readonly spec: ReplayTargetSpec) {
    const paths = Array.isArray(spec.path) ? spec.path : [spec.path];
    let model: string | undefined;
    for (const p of paths) {
      const rec = loadRecorded(p);
      model ??= rec.meta.model;
      for (const item of rec.items) {
        const key = spec.matchOn === 'goal' ? item.goal?.text : item.prompt;
        if (item.response === null || typeof key !== 'string') continue;
        const rec: Recording = { response: item.response, prompt: item.prompt, toolCalls: item.toolCalls };
        if (!this.exact.has(key)) this.exact.set(key, rec);
        const k = normalisePrompt(key);
        if (!this.loose.has(k)) this.loose.set(k, rec);
      }
    }
    this.size = this.exact.size;
    if (this.size === 0) {
      throw new LifeguardError('LG_ERR_CONFIG_INVALID', `replay target: no recorded answers in ${paths.join(', ')}`);
    }
    this.id = spec.id ?? `replay:${model ?? 'recorded'}`;
  }

  async send(req: TargetRequest): Promise<TargetResponse> {
    let prompt: string | undefined;
    for (let i = req.messages.length - 1; i >= 0; i--) {
      if (req.messages[i].role === 'user') {
        prompt = req.messages[i].content;
        break;
      }
    }
    const hit = prompt === undefined ? undefined : (this.exact.get(prompt) ?? this.loose.get(normalisePrompt(prompt)));
    if (hit !== undefined) {
      const out: TargetResponse = { text: hit.response, finishReason: 'stop' };
      // The calls the recording kept (a results.jsonl line's `toolCalls`). Other recordings keep text only:
      // whether `[tool call]` lines in it were calls is not known (judged by the text).
      if (hit.toolCalls !== undefined) out.toolCalls = hit.toolCalls.map((c) => ({ ...c }));
      else if (isToolCallText(hit.response)) out.toolCallsUnknown = true;
      // Looked up by goal: the answer was given to the recorded (attack) prompt, which the judge must see.
      if (hit.prompt && hit.prompt !== prompt) out.respondedTo = hit.prompt;
      return out;
    }
    switch (this.spec.onMiss) {
      case 'empty':
        return { text: '', finishReason: 'replay-miss' };
      case 'refuse':
        return { text: this.spec.refusal, finishReason: 'replay-miss' };
      default:
        throw new UpstreamError(
          `${this.id}: no recorded answer for this prompt (set onMiss: empty or refuse to answer anyway)`,
        );
    }
  }
}
