import { packageInfo } from './package-info.js';
import { type PeerDetector, type PeerTask, unsupported } from './types.js';

const NAME = '@andersmyrmel/vard';
const TASKS: PeerTask[] = ['injection'];

/**
 * vard: regex patterns for instruction override, role manipulation, delimiter injection, system-prompt
 * leak and encoding, after its own homoglyph / zero-width clean-up. Check: `vard.safe(text)`, the
 * zero-config default (the `moderate` preset, threshold 0.7): flagged when it would block the input;
 * score = the highest severity among the threats it reports. Note: by default an input over 10,000
 * characters is itself reported as a threat (severity 0.8).
 */
export async function vardPeer(): Promise<PeerDetector> {
  const { version } = packageInfo(NAME);
  const { default: vard } = await import('@andersmyrmel/vard');
  return {
    name: NAME,
    version,
    tasks: TASKS,
    async check(task, text) {
      if (task !== 'injection') throw unsupported(NAME, task, TASKS);
      const result = vard.safe(text);
      if (result.safe) return { flagged: false, score: 0 };
      return { flagged: true, score: Math.max(0, ...result.threats.map((t) => t.severity)) };
    },
  };
}
