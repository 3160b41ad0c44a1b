import { mulberry32 } from '../../../src/core/random.js';
import type { AttackContext, ChatMessage, Target, TargetRequest } from '../../../src/redteam/types.js';

/** An in-process target answering from a function; it records every request. */
export class ScriptedTarget implements Target {
  readonly specificationVersion = 'v1' as const;
  readonly requests: ChatMessage[][] = [];
  constructor(
    readonly id: string,
    private readonly answer: (messages: ChatMessage[], n: number) => string,
  ) {}
  async send(request: TargetRequest) {
    request.signal?.throwIfAborted();
    const n = this.requests.length;
    this.requests.push(request.messages.map((m) => ({ ...m })));
    return { text: this.answer(request.messages, n), usage: { promptTokens: 10, completionTokens: 5 } };
  }
}

export function lastUser(messages: ChatMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) if (messages[i].role === 'user') return messages[i].content;
  return '';
}

export function ctxOf(parts: Partial<AttackContext> & { target: Target }): AttackContext {
  return { rng: mulberry32(1), seed: 1, ...parts };
}

export const REFUSAL = "I'm sorry, but I can't help with that.";
