import { packageInfo } from './package-info.js';
import { type PeerDetector, type PeerTask, unsupported } from './types.js';

const NAME = '@presidio-dev/hai-guardrails';
const TASKS: PeerTask[] = ['injection'];
/** The README's quick-start threshold for the injection guard. */
const THRESHOLD = 0.7;
const INSTALL = `npm install --no-save --legacy-peer-deps ${NAME}@1.11.1 @langchain/core@0.3`;

/** The slice of the package's API this adapter uses (the package is optional, so its types may be absent). */
interface HaiModule {
  injectionGuard(opts: { roles: string[] }, extra: { mode: 'heuristic' | 'pattern'; threshold: number }): unknown;
  GuardrailsEngine: new (opts: {
    guards: unknown[];
    logLevel?: string;
  }) => {
    run(messages: Array<{ role: string; content: string }>): Promise<{
      messagesWithGuardResult: Array<{
        messages: Array<{ passed: boolean; additionalFields?: { score?: number } }>;
      }>;
    }>;
  };
}

/**
 * hai-guardrails: the injection guard in heuristic mode (fuzzy word overlap with a generated list of
 * "ignore previous instructions"-style phrases), exactly as its README's quick start sets it:
 * `injectionGuard({ roles: ['user'] }, { mode: 'heuristic', threshold: 0.7 })`, run through a
 * `GuardrailsEngine` on one user message. Flagged when the guard does not pass; score = its heuristic score.
 * It is slow (about a second per short prompt: thousands of phrases compared at every word position);
 * `{ mode: 'pattern' }` uses the guard's regex tactic instead. Its toxicity, hate-speech, profanity and
 * adult-content guards need an LLM, so they are not used.
 *
 * Not a devDependency (see README.md: its `typescript@^5` peer range breaks `npm ci` with our TypeScript 6,
 * and 1.12.0 crashes on import), so it is imported by a computed name and skipped when absent.
 */
export async function haiGuardrailsPeer(
  options: {
    /** `heuristic` (the README's, default) or `pattern` (a few regexes: about a thousand times faster). */
    mode?: 'heuristic' | 'pattern';
  } = {},
): Promise<PeerDetector> {
  const mode = options.mode ?? 'heuristic';
  let version: string;
  try {
    ({ version } = packageInfo(NAME));
  } catch {
    throw new Error(`${NAME} is not installed (it is a devDependency: run npm ci); ` + `to run it: ${INSTALL}`);
  }
  if (version.startsWith('1.12.')) {
    throw new Error(
      `${NAME}@${version} crashes the process on import (its bundled worker pool starts threads from a path on the ` +
        `publisher's build machine); install 1.11.1: ${INSTALL}`,
    );
  }
  const specifier: string = NAME;
  const hai = (await import(specifier)) as HaiModule;
  const engine = new hai.GuardrailsEngine({
    guards: [hai.injectionGuard({ roles: ['user'] }, { mode, threshold: THRESHOLD })],
    logLevel: 'silent',
  });
  return {
    name: NAME,
    version,
    tasks: TASKS,
    async check(task, text) {
      if (task !== 'injection') throw unsupported(NAME, task, TASKS);
      const result = await engine.run([{ role: 'user', content: text }]);
      const verdict = result.messagesWithGuardResult[0]?.messages[0];
      if (!verdict) throw new Error(`${NAME} returned no verdict for the message.`);
      return { flagged: !verdict.passed, score: verdict.additionalFields?.score };
    },
  };
}
