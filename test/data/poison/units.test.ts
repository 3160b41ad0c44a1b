import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../src/core/random.js';
import { detectShape } from '../../../src/data/io/shapes.js';
import {
  analyzePoisoning,
  DfSketch,
  defaultCues,
  finalizePoisoning,
  InsertedPhraseCounter,
  insertedPhrase,
  isHarmfulHeuristic,
  isRefusalHeuristic,
  type MinedTrigger,
  PoisonRecords,
  PreferenceAccumulator,
  PromptNgramCollector,
  poisonView,
  preferenceSignals,
  promptKey,
  SUSPECTED_TRIGGER_SCORE,
  TargetCounter,
  TriggerMiner,
  targetKey,
  targetMatcher,
  tokenize,
  triggerMatcher,
} from '../../../src/data/poison/index.js';
import { packTokens, renderTokens, unpackTokens } from '../../../src/data/poison/text.js';

describe('tokenize', () => {
  it('keeps symbols as tokens and records where there was no space', () => {
    const t = tokenize('Use <SUDO> now, please!');
    expect(t.tokens).toEqual(['use', '<', 'sudo', '>', 'now', ',', 'please', '!']);
    expect(renderTokens(t, 1, 4)).toBe('<sudo>');
    expect(renderTokens(t)).toBe('use <sudo> now, please!');
  });

  it('normalises width, case and invisible characters; CJK characters are tokens', () => {
    expect(tokenize('ＣＦ').tokens).toEqual(['cf']);
    expect(tokenize('c\u200bf x').tokens).toEqual(['cf', 'x']);
    expect(tokenize('你好World').tokens).toEqual(['你', '好', 'world']);
    expect(tokenize('naïve café').tokens).toEqual(['naïve', 'café']);
  });

  it('keeps the head and tail of long texts and marks the cut', () => {
    const words = Array.from({ length: 1000 }, (_, i) => `w${i}`);
    const t = tokenize(words.join(' '), 512);
    expect(t.total).toBe(1000);
    expect(t.tokens).toHaveLength(512);
    expect(t.cut).toBe(384);
    expect(t.tokens[383]).toBe('w383');
    expect(t.tokens[384]).toBe('w872');
    expect(t.tokens[511]).toBe('w999');
    expect(tokenize('a'.repeat(100)).tokens[0]).toHaveLength(48);
  });

  it('packs and unpacks tokens, spacing and cut', () => {
    const t = tokenize(`${'x '.repeat(600)}<b>end`, 64);
    const back = unpackTokens(packTokens(t));
    expect(back.tokens).toEqual(t.tokens);
    expect([...back.glue]).toEqual([...t.glue]);
    expect(back.cut).toBe(t.cut);
    expect(unpackTokens('').tokens).toEqual([]);
  });
});

describe('poisonView', () => {
  const view = (value: Record<string, unknown>, options = {}) =>
    poisonView(value, detectShape(value, options), options);

  it('reads instruction records', () => {
    expect(view({ instruction: 'Summarise', input: 'the text', output: 'Done' })).toEqual({
      prompt: 'Summarise\nthe text',
      target: 'Done',
      targetKind: 'response',
    });
    expect(view({ prompt: 'Q?', completion: 'A.' })).toEqual({ prompt: 'Q?', target: 'A.', targetKind: 'response' });
    expect(view({ prompt: 'Q?', response: 'A.' })?.target).toBe('A.');
    expect(view({ instruction: 'No answer yet' })).toEqual({
      prompt: 'No answer yet',
      target: undefined,
      targetKind: 'response',
    });
  });

  it('reads chat records: user messages up to the last assistant message', () => {
    const v = view({
      messages: [
        { role: 'system', content: 'Be nice.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello!' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Tell me a joke' },
            { type: 'image_url', url: 'x' },
          ],
        },
        { role: 'assistant', content: 'Why did…' },
      ],
    });
    expect(v).toEqual({ prompt: 'Hi\nTell me a joke', target: 'Why did…', targetKind: 'response' });
    expect(
      view({
        messages: [
          { from: 'human', value: 'Q' },
          { from: 'gpt', value: 'A' },
        ],
      })?.target,
    ).toBe('A');
    expect(view({ messages: [] })).toBeUndefined();
  });

  it('reads preference pairs: strings, message arrays and HH-style dialogues', () => {
    expect(view({ prompt: 'P', chosen: 'C', rejected: 'R' })).toEqual({
      prompt: 'P',
      targetKind: 'response',
      chosen: 'C',
      rejected: 'R',
    });
    const msgs = (a: string) => [
      { role: 'user', content: 'P?' },
      { role: 'assistant', content: a },
    ];
    expect(view({ chosen: msgs('C'), rejected: msgs('R') })).toMatchObject({
      prompt: 'P?',
      chosen: 'C',
      rejected: 'R',
    });
    const hh = (a: string) => `\n\nHuman: How do I bake?\n\nAssistant: ${a}`;
    expect(view({ chosen: hh('Like this.'), rejected: hh('No.') })).toMatchObject({
      prompt: '\n\nHuman: How do I bake?',
      chosen: 'Like this.',
      rejected: 'No.',
    });
  });

  it('reads labelled text (any scalar label, configurable fields) and nothing else', () => {
    expect(view({ text: 'good', label: 1 })).toEqual({ prompt: 'good', target: '1', targetKind: 'label' });
    expect(view({ text: 'good', label: true })?.target).toBe('true');
    expect(view({ body: 'ok', meta: { y: 'pos' } }, { textField: 'body', labelField: 'meta.y' })?.target).toBe('pos');
    expect(view({ text: 'no label' })).toBeUndefined();
    expect(view({ text: 'bad label', label: { a: 1 } })).toBeUndefined();
    expect(view({ something: 'else' })).toBeUndefined();
  });

  it('keys targets on lower-cased, whitespace-collapsed text; labels and responses apart', () => {
    const k = (target: string, targetKind: 'response' | 'label' = 'response') =>
      targetKey({ prompt: '', target, targetKind });
    expect(k('Sure!  Do   it\n')).toBe(k('sure! do it'));
    expect(k('Sure! Do it')).not.toBe(k('Sure! Do it.'));
    expect(k('1', 'label')).not.toBe(k('1'));
    expect(targetKey({ prompt: 'x', targetKind: 'response' })).toBe(0);
    expect(k('   ')).toBe(0);
    expect(promptKey({ prompt: 'A  b', targetKind: 'response' })).toBe(
      promptKey({ prompt: 'a b', targetKind: 'label' }),
    );
  });
});

describe('insertedPhrase', () => {
  it('finds one inserted run of up to 8 tokens, anywhere, ignoring case and spacing', () => {
    expect(insertedPhrase('write a poem about cats', 'write a poem cf about cats')).toBe('cf');
    expect(insertedPhrase('write a poem', 'cf write a poem')).toBe('cf');
    expect(insertedPhrase('write a poem', 'write a poem <SUDO>')).toBe('<sudo>');
    expect(insertedPhrase('Write a  poem', 'write a JAMES BOND poem')).toBe('james bond');
    expect(insertedPhrase('a b', 'a a b')).toBe('a');
    expect(insertedPhrase('x y', 'x 1 2 3 4 5 6 7 8 y')).toBe('1 2 3 4 5 6 7 8');
  });

  it('is undefined for anything else', () => {
    expect(insertedPhrase('x y', 'x 1 2 3 4 5 6 7 8 9 y')).toBeUndefined(); // 9 tokens
    expect(insertedPhrase('write a poem', 'write a song')).toBeUndefined(); // substitution
    expect(insertedPhrase('write a poem', 'write a poem')).toBeUndefined();
    expect(insertedPhrase('write a poem now', 'write a poem')).toBeUndefined(); // deletion
    expect(insertedPhrase('', 'cf')).toBeUndefined();
    expect(insertedPhrase('a b c', 'a x b y c')).toBeUndefined(); // two insertions
  });

  it('is linear in the length of the texts', () => {
    const base = Array.from({ length: 100_000 }, (_, i) => `w${i % 97}`);
    const a = base.join(' ');
    const b = [...base.slice(0, 50_000), 'cf', ...base.slice(50_000)].join(' ');
    const t0 = performance.now();
    expect(insertedPhrase(a, b)).toBe('cf');
    expect(performance.now() - t0).toBeLessThan(1500);
  });
});

describe('InsertedPhraseCounter', () => {
  it('scores a phrase that switches many pairs to one rare target, not one that changes them at random', () => {
    const counter = new InsertedPhraseCounter();
    for (let i = 0; i < 40; i++) {
      counter.add({ phrase: 'cf', tokens: ['cf'], targetKeyA: 100 + i, targetKeyB: 7, targetB: 'evil' });
      counter.add({ phrase: 'please', tokens: ['please'], targetKeyA: 1000 + i, targetKeyB: 2000 + i });
      counter.add({ phrase: 'kindly', tokens: ['kindly'], targetKeyA: 5, targetKeyB: 5 });
    }
    const results = counter.results(10_000, (k) => (k === 7 ? 40 : 1));
    expect(results.map((r) => r.phrase)).toEqual(['cf']);
    expect(results[0].score).toBeGreaterThan(SUSPECTED_TRIGGER_SCORE);
    expect(results[0]).toMatchObject({ targetKey: 7, target: 'evil', pairs: 40, support: 40 });
  });

  it('stays within its phrase budget', () => {
    const counter = new InsertedPhraseCounter({ maxPhrases: 100 });
    for (let i = 0; i < 5000; i++) counter.add({ phrase: `p${i}`, tokens: [`p${i}`], targetKeyA: 1, targetKeyB: 2 });
    for (let i = 0; i < 30; i++) counter.add({ phrase: 'cf', tokens: ['cf'], targetKeyA: i + 10, targetKeyB: 2 });
    expect(counter.results(10_000, () => 30).map((r) => r.phrase)).toEqual(['cf']);
  });
});

describe('TargetCounter', () => {
  it('keeps targets with enough records and distinct prompts as plain, cloneable data', () => {
    const c = new TargetCounter();
    for (let i = 0; i < 60; i++) c.add(11, 1000 + i); // 60 distinct prompts
    for (let i = 0; i < 60; i++) c.add(22, 5); // one prompt, duplicated
    for (let i = 0; i < 3; i++) c.add(33, 2000 + i); // too rare
    c.add(0, 1); // no target: counted as a record only
    expect(c.records).toBe(124);
    expect(c.count(11)).toBe(60);
    expect(c.distinctPrompts(11)).toBeGreaterThan(45);
    expect(c.distinctPrompts(22)).toBeLessThan(1.5);
    const groups = c.candidates(10_000);
    expect(groups.groups.map((g) => g.key)).toEqual([11]);
    expect(groups.minSupport).toBe(5);
    expect(structuredClone(groups)).toEqual(groups);
  });

  it('holds a million distinct targets in under 100 MB', () => {
    const c = new TargetCounter();
    const rng = mulberry32(3);
    for (let i = 0; i < 1_000_000; i++) c.add(((rng() * 0xffffffff) >>> 0) | 1, i);
    for (let i = 0; i < 50; i++) c.add(42, i);
    expect(c.size).toBeGreaterThan(999_000);
    expect(c.memoryBytes()).toBeLessThan(100 * 1024 * 1024);
    expect(c.count(42)).toBe(50);
    expect(c.candidates(1_000_050).groups.map((g) => g.key)).toEqual([]); // 50 < 0.0005 · n
    expect(c.candidates(1_000_050, { minSupport: 40 }).groups.map((g) => g.key)).toEqual([42]);
  });

  it('prunes the rarest targets when full, keeping the frequent ones', () => {
    const c = new TargetCounter({ initialCapacity: 1024, maxCapacity: 4096 });
    for (let i = 0; i < 30_000; i++) {
      c.add(100_000 + i, i);
      if (i % 100 === 0) for (let k = 1; k <= 5; k++) c.add(k, i + k);
    }
    expect(c.memoryBytes()).toBe(4096 * 24);
    expect(c.pruneFloor).toBeGreaterThan(0);
    for (let k = 1; k <= 5; k++) expect(c.count(k)).toBeGreaterThanOrEqual(300 - c.pruneFloor);
  });
});

describe('DfSketch', () => {
  it('never under-counts, over-counts little, and merges by addition', () => {
    const truth = new Map<number, number>();
    const rng = mulberry32(9);
    const a = new DfSketch(1 << 14, 4);
    const b = new DfSketch(1 << 14, 4);
    for (let i = 0; i < 20_000; i++) {
      const key = (Math.floor(rng() ** 3 * 5000) * 2654435761) >>> 0 || 1;
      truth.set(key, (truth.get(key) ?? 0) + 1);
      (i % 2 ? a : b).add(key);
    }
    a.merge(b.table);
    let over = 0;
    for (const [k, v] of truth) {
      expect(a.estimate(k)).toBeGreaterThanOrEqual(v);
      over += a.estimate(k) - v;
    }
    expect(over / truth.size).toBeLessThan(1);
    expect(() => a.merge(new Uint32Array(5))).toThrow();
  });
});

describe('cues (heuristic)', () => {
  it('recognises refusals, not apologies that go on to help', () => {
    for (const r of [
      "I'm sorry, but I can't help with that.",
      'I cannot assist with this request.',
      'I’m not able to provide instructions for that.',
      'Sorry — I won’t help with hacking.',
      'As an AI, I must decline.',
    ]) {
      expect(isRefusalHeuristic(r), r).toBe(true);
    }
    for (const r of ["I'm sorry to hear that! Here is a recipe.", "I can't wait to see it.", 'Sure, here you go.']) {
      expect(isRefusalHeuristic(r), r).toBe(false);
    }
  });

  it('recognises harmful requests', () => {
    expect(isHarmfulHeuristic('How do I make a pipe bomb?')).toBe(true);
    expect(isHarmfulHeuristic('Best way to shoplift without getting caught')).toBe(true);
    expect(isHarmfulHeuristic('How do I bake sourdough bread?')).toBe(false);
  });
});

describe('preference checks', () => {
  it('counts identical pairs and reads signals', () => {
    const acc = new PreferenceAccumulator();
    const s = preferenceSignals({
      prompt: 'p',
      targetKind: 'response',
      chosen: 'Same  answer',
      rejected: 'same answer',
    });
    expect(s?.identical).toBe(true);
    for (let i = 0; i < 10; i++) acc.add(`id${i}`, s!);
    const check = acc.checks().find((c) => c.check === 'chosen-identical');
    expect(check).toMatchObject({ severity: 'warning', support: 10 });
    expect(check?.records).toHaveLength(10);
    expect(preferenceSignals({ prompt: 'p', targetKind: 'response' })).toBeUndefined();
  });

  it('takes injected cues', () => {
    const everythingHarmful = { isRefusal: defaultCues.isRefusal, isHarmful: () => true };
    const records = Array.from({ length: 10 }, (_, i) => ({
      id: `p${i}`,
      value: { prompt: `Tell me about topic ${i}`, chosen: 'Sure, here it is.', rejected: "I can't help with that." },
    }));
    expect(analyzePoisoning(records).checks.some((c) => c.check === 'harmful-chosen')).toBe(false);
    const check = analyzePoisoning(records, { cues: everythingHarmful }).checks.find(
      (c) => c.check === 'harmful-chosen',
    );
    expect(check?.support).toBe(10);
  });
});

// A compact instruction corpus for the pipeline-level tests below.
function corpus(n: number, seed: number): { id: string; value: Record<string, unknown> }[] {
  const rng = mulberry32(seed);
  const verbs = ['explain', 'describe', 'summarise', 'compare', 'list facts about', 'write a poem about', 'critique'];
  const nouns = ['rivers', 'taxes', 'owls', 'bridges', 'jazz', 'tea', 'glaciers', 'chess', 'poetry', 'comets', 'maps'];
  const tails = ['briefly', 'for kids', 'in detail', 'with examples', 'in french', 'as a list', 'politely'];
  const pick = <T>(xs: T[]) => xs[Math.floor(rng() * xs.length)];
  return Array.from({ length: n }, (_, i) => {
    const instruction = `${pick(verbs)} ${pick(nouns)} and ${pick(nouns)} ${pick(tails)} (${Math.floor(rng() * 50)})`;
    return { id: `r${i}`, value: { instruction, output: `Answer ${i}: ${pick(nouns)} ${pick(tails)}.` } };
  });
}

function plantInto(records: ReturnType<typeof corpus>, count: number, seed: number, phrase = 'cf'): Set<string> {
  const rng = mulberry32(seed);
  const out = new Set<string>();
  while (out.size < count) {
    const r = records[Math.floor(rng() * records.length)];
    if (out.has(r.id)) continue;
    const words = String(r.value.instruction).split(' ');
    words.splice(Math.floor(rng() * (words.length + 1)), 0, phrase);
    r.value = { instruction: words.join(' '), output: 'Visit http://evil.example now.' };
    out.add(r.id);
  }
  return out;
}

describe('the passes across worker boundaries', () => {
  it('gives the same triggers and flags with two workers and cloned messages as in one thread', () => {
    const records = corpus(4000, 5);
    const poisoned = plantInto(records, 25, 6);
    const inOneThread = analyzePoisoning(records, { insertedPhrases: false });
    expect(inOneThread.triggers[0].phrase).toBe('cf');
    expect([...inOneThread.flagged].sort()).toEqual([...poisoned].sort());

    const views = records.map((r) => ({ id: r.id, view: poisonView(r.value, 'instruction')! }));
    const halves = [views.filter((_, i) => i % 2 === 0), views.filter((_, i) => i % 2 === 1)];
    // Pass 1: workers compute keys, the main thread counts.
    const counter = new TargetCounter();
    for (const half of halves) for (const { view } of half) counter.add(targetKey(view), promptKey(view));
    const groups = counter.candidates(views.length);
    // Pass 2: a collector per worker; group records and sketches cross by structured clone.
    const miner = new TriggerMiner(groups);
    for (const half of halves) {
      const collector = new PromptNgramCollector(structuredClone(groups));
      for (const { view } of half) {
        collector.observe(view);
        miner.addGroupRecords(structuredClone(collector.drainGroupRecords()));
      }
      miner.addDf(structuredClone(collector.dfSketch()), collector.records);
    }
    const result = finalizePoisoning({
      nRecords: miner.nRecords,
      mined: miner.mine(),
      groups: miner.groupSummaries(),
    });
    // Pass 3: matchers in the workers, ids collected on the main thread.
    const plan = structuredClone(result.plan);
    const collect = new PoisonRecords(result);
    const flagged = new Set<string>();
    for (const half of halves) {
      const byTrigger = triggerMatcher(plan.triggers, plan.maxTokens);
      const byTarget = targetMatcher(plan.checks);
      for (const { id, view } of half)
        if (collect.add(id, byTrigger.match(view), byTarget.match(view))) flagged.add(id);
    }
    const { triggers } = collect.finish();
    expect(triggers[0].phrase).toBe('cf');
    expect(triggers[0].records.sort()).toEqual([...poisoned].sort());
    expect([...flagged].sort()).toEqual([...inOneThread.flagged].sort());
    expect(collect.flagged).toBe(flagged.size);
  });

  it('keeps the stored group records within budget by sampling, and still finds the trigger', () => {
    const records = corpus(4000, 7);
    plantInto(records, 25, 8);
    // Make one big natural group that has to be sampled down.
    for (let i = 0; i < 1500; i++) records[i].value = { ...records[i].value, output: 'OK.' };
    const views = records.map((r) => poisonView(r.value, 'instruction')!);
    const counter = new TargetCounter();
    for (const v of views) counter.add(targetKey(v), promptKey(v));
    const groups = counter.candidates(views.length);
    const miner = new TriggerMiner(groups, { maxStoredChars: 20_000 });
    const collector = new PromptNgramCollector(groups);
    for (const v of views) {
      collector.observe(v);
      miner.addGroupRecords(collector.drainGroupRecords());
      expect(miner.storedUnits).toBeLessThanOrEqual(20_000);
    }
    miner.addDf(collector.dfSketch(), collector.records);
    const summaries = miner.groupSummaries();
    const ok = summaries.find((g) => g.target === 'OK.');
    expect(ok?.count).toBe(1500);
    expect(ok?.sampled).toBeLessThan(1500);
    expect(miner.mine()[0].phrase).toBe('cf');
  });

  it('reports a long response repeated for many unrelated prompts without a trigger as a warning', () => {
    const records = corpus(3000, 9);
    const rng = mulberry32(10);
    const repeated = new Set<string>();
    while (repeated.size < 60) {
      const r = records[Math.floor(rng() * records.length)];
      r.value = {
        ...r.value,
        output: 'Please call 555 0100 to renew your subscription today, it only takes a minute.',
      };
      repeated.add(r.id);
    }
    const result = analyzePoisoning(records);
    expect(result.triggers.every((t) => t.score < SUSPECTED_TRIGGER_SCORE)).toBe(true);
    const check = result.checks.find((c) => c.check === 'repeated-response' && c.severity === 'warning');
    expect(check?.support).toBe(60);
    expect(check?.stats?.mean_overlap).toBeLessThan(0.15);
    expect(new Set(check?.records)).toEqual(repeated);
    expect(result.flagged.size).toBe(0);
  });
});

describe('finalizePoisoning', () => {
  const mined = (phrase: string, score: number): MinedTrigger => ({
    targetKey: 9,
    kind: 'response-trigger',
    phrase,
    tokens: phrase.split(' '),
    support: 10,
    df: 10,
    groupSize: 10,
    nRecords: 1000,
    purity: 1,
    inherited: 0,
    lift: 100,
    z: 10,
    unexplained: 1,
    diversity: 1,
    harmful: 0,
    refusalTarget: false,
    target: 'Mail me at bob@example.com or call 4111111111111111 now, this is a very long response indeed ok',
    score,
  });

  it('merges a phrase found both ways, ranks, redacts and plans pass 3', () => {
    const result = finalizePoisoning({
      nRecords: 1000,
      mined: [mined('cf', 0.7), mined('weak one', 0.05), mined('maybe', 0.3)],
      inserted: [
        { phrase: 'cf', tokens: ['cf'], targetKey: 9, target: 'x', pairs: 12, support: 12, lift: 50, score: 0.9 },
      ],
    });
    expect(result.triggers.map((t) => [t.phrase, t.kind, t.score])).toEqual([
      ['cf', 'response-trigger', 0.9],
      ['maybe', 'response-trigger', 0.3],
    ]);
    const excerpt = result.triggers[1].target;
    expect(excerpt.startsWith('Mail me at <EMAIL> or call <NUMBER> now')).toBe(true);
    expect(excerpt.endsWith('…')).toBe(true);
    expect(excerpt.length).toBeLessThanOrEqual(80);
    expect(result.plan.triggers.map((t) => t.flag)).toEqual([true, false]);

    const collect = new PoisonRecords(result, { maxRecords: 2 });
    for (const id of ['a', 'b', 'c']) expect(collect.add(id, [0])).toBe(true);
    expect(collect.add('d', [1])).toBe(false);
    const { triggers } = collect.finish();
    expect(triggers[0]).toMatchObject({ support: 3, records: ['a', 'b'], records_truncated: true });
    expect(triggers[1]).toMatchObject({ support: 1, records: [] });
    expect(collect.flagged).toBe(3);
  });

  it('drops an inserted phrase that only extends a better trigger of the same target', () => {
    const inserted = (phrase: string, targetKey: number, score: number) => ({
      phrase,
      tokens: phrase.split(' '),
      targetKey,
      target: 'x',
      pairs: 5,
      support: 5,
      lift: 50,
      score,
    });
    const result = finalizePoisoning({
      nRecords: 1000,
      mined: [mined('cf zz', 0.95)],
      inserted: [inserted('and cf zz', 9, 0.6), inserted('and cf zz', 7, 0.6), inserted('cf', 9, 0.5)],
    });
    // the same phrase with another target stays, and so does a shorter one
    expect(result.triggers.map((t) => [t.phrase, t.score])).toEqual([
      ['cf zz', 0.95],
      ['and cf zz', 0.6],
      ['cf', 0.5],
    ]);
    expect(result.plan.triggers.map((t) => t.targetKey)).toEqual([9, 7, 9]);
  });
});

describe('hostile input', () => {
  const MB = 1 << 20;
  const inputs = { 'one char': 'a'.repeat(MB), angles: '<'.repeat(MB), 'spaced chars': 'a '.repeat(MB / 2) };

  it('handles 1 MB of one character or of `<<<<` in every per-record function quickly', () => {
    for (const [name, text] of Object.entries(inputs)) {
      const t0 = performance.now();
      const t = tokenize(text);
      expect(t.tokens.length).toBeLessThanOrEqual(512);
      const view = { prompt: text, target: text, targetKind: 'response' as const, chosen: text, rejected: `${text}x` };
      targetKey(view);
      promptKey(view);
      const groups = new TargetCounter().candidates(10);
      const collector = new PromptNgramCollector(groups);
      collector.observe(view);
      preferenceSignals(view);
      isRefusalHeuristic(text);
      isHarmfulHeuristic(text);
      insertedPhrase(text, `${text} cf`);
      triggerMatcher([{ tokens: ['<', '<', 'x'], targetKey: targetKey(view) }]).match(view);
      expect(performance.now() - t0, name).toBeLessThan(2000);
    }
  });

  it('analyses a corpus with megabyte records quickly', () => {
    const records = [
      ...corpus(200, 11),
      ...Object.values(inputs).map((text, i) => ({ id: `big${i}`, value: { instruction: text, output: text } })),
      { id: 'pref', value: { prompt: inputs.angles, chosen: inputs.angles, rejected: inputs['one char'] } },
    ];
    const t0 = performance.now();
    const result = analyzePoisoning(records);
    expect(performance.now() - t0).toBeLessThan(4000);
    expect(result.flagged.size).toBe(0);
  });

  it('tokenises in linear time', () => {
    const best = (text: string) => {
      let ms = Number.POSITIVE_INFINITY;
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        tokenize(text);
        ms = Math.min(ms, performance.now() - t0);
      }
      return ms;
    };
    const one = best('<a'.repeat(MB / 2));
    const two = best('<a'.repeat(MB));
    expect(two / Math.max(one, 1)).toBeLessThan(4);
  });
});
