import { packageInfo } from './package-info.js';
import { type PeerDetector, type PeerTask, unsupported } from './types.js';

const NAME = 'obscenity';
const TASKS: PeerTask[] = ['toxicity'];

/**
 * obscenity: an English profanity matcher that sees through leetspeak, repeated letters and
 * confusable characters. Check: the README's preset, `new RegExpMatcher({ ...englishDataset.build(),
 * ...englishRecommendedTransformers })`, flagged when `hasMatch(text)`. Profanity is only a slice of
 * toxicity (no hate or harassment without swear words); it has no score.
 */
export async function obscenityPeer(): Promise<PeerDetector> {
  const { version } = packageInfo(NAME);
  const { RegExpMatcher, englishDataset, englishRecommendedTransformers } = await import('obscenity');
  const matcher = new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers });
  return {
    name: NAME,
    version,
    tasks: TASKS,
    async check(task, text) {
      if (task !== 'toxicity') throw unsupported(NAME, task, TASKS);
      return { flagged: matcher.hasMatch(text) };
    },
  };
}
