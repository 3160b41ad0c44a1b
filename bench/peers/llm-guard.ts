import { packageInfo } from './package-info.js';
import { type PeerDetector, type PeerTask, unsupported } from './types.js';

const NAME = 'llm-guard';
const TASKS: PeerTask[] = ['injection', 'harmful', 'toxicity'];

/** Every guard off; each task turns on the ones it uses. */
const OFF = {
  pii: false,
  jailbreak: false,
  profanity: false,
  promptInjection: false,
  relevance: false,
  toxicity: false,
};

/**
 * llm-guard (the npm package, not the Python LLM Guard): keyword and regex guards. Checks, each with
 * the package's default patterns and thresholds:
 * - injection: the prompt-injection and jailbreak guards together (`promptInjection: true, jailbreak: true`);
 * - toxicity: the toxicity guard (a 21-word list plus repeated `!!`, flagged below its 0.7 validity score);
 * - harmful: the same toxicity guard, which its README describes as "toxic, harmful, or aggressive content".
 * The profanity guard is not used: its built-in list is two placeholders (`badword1`, `badword2`).
 * Score = 1 − the package's validity score (it reports 1 for clean, lower for suspicious).
 */
export async function llmGuardPeer(): Promise<PeerDetector> {
  const { version } = packageInfo(NAME);
  const { LLMGuard } = await import('llm-guard');
  const guards: Record<PeerTask, InstanceType<typeof LLMGuard>> = {
    injection: new LLMGuard({ ...OFF, promptInjection: true, jailbreak: true }),
    toxicity: new LLMGuard({ ...OFF, toxicity: true }),
    harmful: new LLMGuard({ ...OFF, toxicity: true }),
  };
  return {
    name: NAME,
    version,
    tasks: TASKS,
    async check(task, text) {
      const guard = guards[task];
      if (!guard) throw unsupported(NAME, task, TASKS);
      const response = await guard.validate(text);
      return { flagged: !response.isValid, score: 1 - response.score };
    },
  };
}
