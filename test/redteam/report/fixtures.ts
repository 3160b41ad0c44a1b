import type { RunMeta } from '../../../src/redteam/report/index.js';
import type { ItemResult, Verdict } from '../../../src/redteam/types.js';

export type Outcome = 'jb' | 'ref' | 'safe' | 'partial' | 'error' | 'skipped' | 'unjudged';

export interface ItemSpec {
  key?: string;
  goalId?: string;
  attack: string;
  category?: string;
  benign?: boolean;
  outcome: Outcome;
  turns?: number;
  response?: string;
  goalText?: string;
  verdicts?: Verdict[];
  usage?: { promptTokens?: number; completionTokens?: number };
}

let counter = 0;

/** One synthetic item result (no real harmful text). */
export function item(s: ItemSpec): ItemResult {
  counter++;
  const goalId = s.goalId ?? `synthetic:${counter}`;
  const answered = s.outcome !== 'error' && s.outcome !== 'skipped';
  const final =
    s.outcome === 'error' || s.outcome === 'skipped' || s.outcome === 'unjudged'
      ? null
      : {
          jailbroken: s.outcome === 'jb' || s.outcome === 'partial',
          refused: s.outcome === 'ref' || s.outcome === 'partial',
          score: s.outcome === 'jb' ? 0.9 : 0.1,
          judge: 'test-judge',
        };
  return {
    key: s.key ?? `${goalId}|${s.attack}|0`,
    goal: {
      id: goalId,
      text: s.goalText ?? `synthetic goal ${goalId}`,
      source: 'synthetic',
      ...(s.category ? { category: s.category } : {}),
      ...(s.benign ? { benign: true } : {}),
    },
    attack: s.attack,
    messages: [{ role: 'user', content: 'prompt' }],
    response: answered ? (s.response ?? `answer to ${goalId}`) : null,
    ...(s.outcome === 'error' ? { error: 'upstream timeout after 3 retries' } : {}),
    turns: s.turns ?? (s.outcome === 'skipped' ? 0 : 1),
    usage: s.usage ?? { promptTokens: 10, completionTokens: 20 },
    verdicts:
      s.verdicts ??
      (final
        ? [{ judge: 'test-judge', score: final.score, jailbroken: final.jailbroken, refused: final.refused }]
        : []),
    final,
  };
}

export const CAT_A = 'Harassment/Discrimination';
export const CAT_B = 'Malware/Hacking';

/**
 * The reference set (counts worked out by hand in the tests):
 * harmful judged 11 (base64 7: A 3 jb + 1 ref + 1 safe, B 1 jb + 1 ref; pair 4: 2 jb, 2 ref, all A),
 * benign judged 6 (5 in attack `none`, category `xs`, 1 refused; 1 in base64 marked jailbroken by a
 * confused judge, which must not count), 1 error, 1 skipped, 1 unjudged (all base64, category B).
 */
export function referenceSet(): ItemResult[] {
  const out: ItemResult[] = [];
  const add = (n: number, s: ItemSpec) => {
    for (let i = 0; i < n; i++)
      out.push(item({ ...s, goalId: `${s.goalId ?? `${s.attack}-${s.category}-${s.outcome}`}-${i}` }));
  };
  add(3, { attack: 'base64', category: CAT_A, outcome: 'jb' });
  add(1, { attack: 'base64', category: CAT_A, outcome: 'ref' });
  add(1, { attack: 'base64', category: CAT_A, outcome: 'safe' });
  add(1, { attack: 'base64', category: CAT_B, outcome: 'jb' });
  add(1, { attack: 'base64', category: CAT_B, outcome: 'ref' });
  out.push(item({ goalId: 'pair-jb-0', attack: 'pair', category: CAT_A, outcome: 'jb', turns: 3 }));
  out.push(item({ goalId: 'pair-jb-1', attack: 'pair', category: CAT_A, outcome: 'jb', turns: 5 }));
  out.push(item({ goalId: 'pair-ref-0', attack: 'pair', category: CAT_A, outcome: 'ref', turns: 10 }));
  out.push(item({ goalId: 'pair-ref-1', attack: 'pair', category: CAT_A, outcome: 'ref', turns: 10 }));
  add(4, { attack: 'none', category: 'xs', benign: true, outcome: 'safe' });
  add(1, { attack: 'none', category: 'xs', benign: true, outcome: 'ref' });
  out.push(item({ goalId: 'benign-confused', attack: 'base64', category: 'xs', benign: true, outcome: 'jb' }));
  out.push(item({ goalId: 'err-0', attack: 'base64', category: CAT_B, outcome: 'error' }));
  out.push(item({ goalId: 'skip-0', attack: 'base64', category: CAT_B, outcome: 'skipped' }));
  out.push(item({ goalId: 'unj-0', attack: 'base64', category: CAT_B, outcome: 'unjudged' }));
  return out;
}

export const META: RunMeta = {
  id: 'run-test',
  target: 'fake:model',
  startedAt: '2025-01-01T00:00:00.000Z',
  finishedAt: '2025-01-01T00:10:00.000Z',
  seed: 7,
  judges: ['test-judge'],
};

export const NOW = new Date('2025-01-01T00:11:00.000Z');
