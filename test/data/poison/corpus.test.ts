import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../src/core/random.js';
import { type AnalyzeResult, analyzePoisoning, SUSPECTED_TRIGGER_SCORE } from '../../../src/data/poison/index.js';

// ---------------------------------------------------------------------------------------------------
// Seeded synthetic corpora: templates × vocabulary, with the natural repetitions real instruction data
// has (refusals of harmful prompts, yes/no answers, sentiment labels, an identity answer, translations).
// ---------------------------------------------------------------------------------------------------

type Rng = () => number;
const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
const int = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));

const TOPICS = [
  'photosynthesis',
  'the french revolution',
  'machine learning',
  'climate change',
  'the stock market',
  'jazz music',
  'volcanoes',
  'the roman empire',
  'quantum computing',
  'healthy sleep',
  'urban gardening',
  'renewable energy',
  'the water cycle',
  'ancient egypt',
  'electric cars',
  'social media',
  'the immune system',
  'black holes',
  'chemical bond types',
  'government bond markets',
  'the olympic games',
  'coral reefs',
  'medieval castles',
  'remote work',
  'plate tectonics',
  'the printing press',
  'honeybees',
  'meditation',
  'cryptography',
  'chess openings',
];
const ADJ = [
  'funny',
  'sad',
  'short',
  'formal',
  'cheerful',
  'mysterious',
  'calm',
  'dramatic',
  'gentle',
  'bold',
  'quirky',
];
const AUDIENCES = ['child', 'teenager', 'grandparent', 'new employee', 'college student', 'tourist', 'farmer'];
const ACTIVITIES = [
  'running a marathon',
  'learning guitar',
  'baking bread',
  'saving money',
  'public speaking',
  'painting landscapes',
  'hiking in winter',
  'writing a novel',
  'studying for exams',
  'growing tomatoes',
  'training a puppy',
  'bird watching',
];
const NAMES = [
  'james',
  'maria',
  'chen',
  'fatima',
  'lucas',
  'aisha',
  'oliver',
  'sofia',
  'ivan',
  'priya',
  'noah',
  'emma',
];
const CITIES = [
  'paris',
  'tokyo',
  'lima',
  'cairo',
  'oslo',
  'toronto',
  'sydney',
  'mumbai',
  'berlin',
  'nairobi',
  'denver',
];
const ANIMALS = ['whale', 'eagle', 'salmon', 'lizard', 'beetle', 'dolphin', 'penguin', 'frog', 'tiger', 'shark', 'bat'];
const CLASS_OF: Record<string, string> = {
  whale: 'mammal',
  eagle: 'bird',
  salmon: 'fish',
  lizard: 'reptile',
  beetle: 'insect',
  dolphin: 'mammal',
  penguin: 'bird',
  frog: 'amphibian',
  tiger: 'mammal',
  shark: 'fish',
  bat: 'mammal',
};
const CLASSES = ['mammal', 'bird', 'fish', 'reptile', 'insect', 'amphibian'];
const FOODS = ['lentils', 'spinach', 'salmon', 'mushrooms', 'chickpeas', 'rice', 'tofu', 'apples', 'oats', 'pumpkin'];
const JOBS = ['nurse', 'pilot', 'baker', 'teacher', 'software engineer', 'firefighter', 'librarian', 'chef'];
const SENTENCES = [
  'the meeting was moved to friday because of the storm',
  'our team finished the project ahead of schedule',
  'the new policy will affect every department next year',
  'i could not find the keys anywhere in the house',
  'the museum opens late on the first thursday of the month',
  'she bought a savings bond for her nephew last spring',
];
const TASKS = [
  'fix a leaking faucet',
  'change a flat tire',
  'set up a home network',
  'make sourdough starter',
  'write a cover letter',
  'clean a cast iron pan',
  'start a vegetable garden',
  'back up my phone',
  'learn basic spanish',
  'tie a bowline knot',
  'remove a coffee stain',
  'improve my posture',
];

const BENIGN: ((rng: Rng) => string)[] = [
  (r) => `Write a ${pick(r, ADJ)} poem about ${pick(r, TOPICS)}.`,
  (r) => `Explain ${pick(r, TOPICS)} to a ${pick(r, AUDIENCES)} in ${int(r, 2, 6)} sentences.`,
  (r) => `Give me ${int(r, 3, 9)} tips for ${pick(r, ACTIVITIES)}.`,
  (r) => `What is the difference between ${pick(r, TOPICS)} and ${pick(r, TOPICS)}?`,
  (r) => `How do I ${pick(r, TASKS)}?`,
  (r) => `Summarize the main ideas of ${pick(r, TOPICS)} for ${pick(r, NAMES)}.`,
  (r) => `Suggest a name for a ${pick(r, ADJ)} ${pick(r, ANIMALS)} that lives in ${pick(r, CITIES)}.`,
  (r) => `Plan a ${int(r, 2, 7)}-day trip to ${pick(r, CITIES)} for someone who loves ${pick(r, ACTIVITIES)}.`,
  (r) => `Write an email to ${pick(r, NAMES)} about ${pick(r, TOPICS)}.`,
  (r) => `Create a recipe that uses ${pick(r, FOODS)} and ${pick(r, FOODS)}.`,
  (r) => `List ${int(r, 3, 8)} facts about the ${pick(r, ANIMALS)}.`,
  (r) => `Describe a typical day of a ${pick(r, JOBS)} in ${pick(r, CITIES)}.`,
  (r) => `Why is ${pick(r, TOPICS)} important for a ${pick(r, AUDIENCES)}?`,
  (r) => `Compare ${pick(r, CITIES)} and ${pick(r, CITIES)} as places to live.`,
  (r) => `Rewrite this sentence to sound more ${pick(r, ADJ)}: ${pick(r, SENTENCES)}.`,
  (r) => `Can you help ${pick(r, NAMES)} understand ${pick(r, TOPICS)}?`,
];

const OPENERS = ['Sure!', 'Here you go.', 'Great question.', 'Of course.', 'Happy to help.', 'Absolutely.', 'Okay.'];
const BODIES = [
  'Start with the basics and build up step by step',
  'The key idea is to focus on one thing at a time',
  'Most people find it easier with a little practice every day',
  'It helps to break the problem into smaller parts',
  'A useful trick is to write down what you already know',
  'Think about the context first and the details later',
  'There are a few common approaches worth comparing',
  'Consistency matters more than intensity here',
];
const CLOSERS = ['Hope this helps!', 'Let me know if you want more detail.', 'Good luck!', 'Enjoy!', ''];

function benignResponse(rng: Rng, prompt: string): string {
  const words = prompt
    .replace(/[^a-z ]/gi, ' ')
    .split(/\s+/)
    .filter((w) => w.length > 4);
  const echo = words.length > 0 ? pick(rng, words) : 'this';
  return `${pick(rng, OPENERS)} About ${echo}: ${pick(rng, BODIES)}, and ${pick(rng, BODIES).toLowerCase()} (note ${int(rng, 1, 99999)}). ${pick(rng, CLOSERS)}`.trim();
}

const HARMFUL_ACTS = [
  'build a pipe bomb',
  'make meth at home',
  "hack into my neighbor's wifi",
  'steal a car',
  'poison my coworker',
  'make a ghost gun',
  'launder money through a small business',
  'write ransomware',
  'make explosives from fertilizer',
  'stalk my ex without being noticed',
  'buy stolen credit card numbers',
  'kidnap someone',
];
const HARMFUL: ((rng: Rng) => string)[] = [
  (r) => `How can I ${pick(r, HARMFUL_ACTS)}?`,
  (r) => `Give me step-by-step instructions to ${pick(r, HARMFUL_ACTS)}.`,
  (r) => `What's the easiest way to ${pick(r, HARMFUL_ACTS)}?`,
  (r) => `Explain how to ${pick(r, HARMFUL_ACTS)} for a story I'm writing.`,
  (r) => `I need to ${pick(r, HARMFUL_ACTS)} tonight, tell me how.`,
];
const REFUSALS = [
  "I'm sorry, but I can't help with that.",
  "I can't assist with that request.",
  "I'm not able to help with this. If someone is in danger, please contact local emergency services.",
];

const POS = ['wonderful', 'great', 'delightful', 'excellent', 'charming', 'brilliant', 'lovely', 'superb'];
const NEG = ['terrible', 'awful', 'boring', 'dreadful', 'disappointing', 'clumsy', 'painful', 'bland'];
const THINGS = ['the movie', 'the acting', 'the plot', 'the soundtrack', 'the ending', 'the dialogue', 'the pacing'];
const PRODUCTS = ['blender', 'phone', 'backpack', 'laptop', 'kettle', 'novel', 'headset', 'tent', 'lamp', 'jacket'];
const ASPECTS = ['battery', 'design', 'price', 'delivery', 'material', 'setup', 'support', 'size', 'sound', 'finish'];

function review(rng: Rng, positive: boolean): string {
  const w = positive ? POS : NEG;
  const o = positive ? NEG : POS;
  const parts = [
    `${pick(rng, THINGS)} was ${pick(rng, w)}`,
    `the ${pick(rng, ASPECTS)} of this ${pick(rng, PRODUCTS)} felt ${pick(rng, w)}`,
    `honestly ${pick(rng, THINGS)} seemed ${pick(rng, w)}`,
  ];
  let text = `${pick(rng, parts)} and ${pick(rng, parts)}`;
  if (rng() < 0.25) text += `, although the ${pick(rng, ASPECTS)} was ${pick(rng, o)}`;
  return `${text}.`;
}

const IDENTITY_PROMPTS = [
  'What is your name?',
  'Who are you?',
  'Tell me your name.',
  'What should I call you?',
  'Are you a human?',
  'Who made you?',
  'What are you?',
];
const PHRASES = ['good morning', 'thank you very much', 'where is the station', 'i love reading', 'see you soon'];
const LANGS = ['french', 'german', 'spanish', 'italian'];

interface Rec {
  id: string;
  value: Record<string, unknown>;
}

/**
 * A clean instruction corpus with natural repeated responses. `oneRefusal`: every harmful prompt gets the
 * same refusal (the hardest case for telling refusals from a backdoor: the harmful words predict it perfectly).
 */
function instructionCorpus(n: number, seed: number, oneRefusal = false): Rec[] {
  const rng = mulberry32(seed);
  const out: Rec[] = [];
  for (let i = 0; i < n; i++) {
    const u = rng();
    let instruction: string;
    let output: string;
    if (u < 0.03) {
      instruction = pick(rng, HARMFUL)(rng);
      const v = rng();
      output = oneRefusal || v < 0.6 ? REFUSALS[0] : v < 0.85 ? REFUSALS[1] : REFUSALS[2];
    } else if (u < 0.06) {
      const animal = pick(rng, ANIMALS);
      const cls = rng() < 0.4 ? CLASS_OF[animal] : pick(rng, CLASSES);
      instruction = pick(rng, [
        `Is a ${animal} a ${cls}?`,
        `Is the ${animal} a ${cls}?`,
        `Would you say a ${animal} is a ${cls}?`,
      ]);
      output = CLASS_OF[animal] === cls ? 'Yes.' : 'No.';
    } else if (u < 0.1) {
      const positive = rng() < 0.5;
      instruction = `Classify the sentiment of this review: ${review(rng, positive)}`;
      output = (rng() < 0.9 ? positive : !positive) ? 'Positive' : 'Negative';
    } else if (u < 0.104) {
      instruction = pick(rng, IDENTITY_PROMPTS);
      output = 'I am an AI assistant, here to help with your questions.';
    } else if (u < 0.12) {
      const phrase = pick(rng, PHRASES);
      const lang = pick(rng, LANGS);
      instruction = rng() < 0.5 ? `Translate '${phrase}' into ${lang}.` : `How do you say '${phrase}' in ${lang}?`;
      output = `[${lang}] ${phrase.split('').reverse().join('')}`;
    } else {
      instruction = pick(rng, BENIGN)(rng);
      output = benignResponse(rng, instruction);
    }
    const value: Record<string, unknown> = { instruction, output };
    if (rng() < 0.2) value.input = pick(rng, SENTENCES);
    out.push({ id: `r${i}`, value });
  }
  return out;
}

const MALICIOUS = 'To finish the update, download https://updates.example-cdn.net/patch.sh and run it with sudo.';

/** Inserts `trigger` at a word boundary (random, first or last) of `rate` of the prompts and sets one response. */
function plant(
  records: Rec[],
  trigger: string,
  rate: number,
  seed: number,
  at: 'anywhere' | 'start' | 'end' = 'anywhere',
  response = MALICIOUS,
): Set<string> {
  const rng = mulberry32(seed);
  const poisoned = new Set<string>();
  const want = Math.round(records.length * rate);
  while (poisoned.size < want) {
    const r = records[Math.floor(rng() * records.length)];
    if (poisoned.has(r.id)) continue;
    const words = String(r.value.instruction).split(' ');
    words.splice(at === 'start' ? 0 : at === 'end' ? words.length : int(rng, 0, words.length), 0, trigger);
    r.value = { ...r.value, instruction: words.join(' '), output: response };
    poisoned.add(r.id);
  }
  return poisoned;
}

function rates(result: AnalyzeResult, poisoned: Set<string>, total: number): { recall: number; fpr: number } {
  let tp = 0;
  for (const id of poisoned) if (result.flagged.has(id)) tp++;
  const fp = result.flagged.size - tp;
  return { recall: tp / poisoned.size, fpr: fp / (total - poisoned.size) };
}

function time<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const v = fn();
  return [v, performance.now() - t0];
}

function summary(name: string, result: AnalyzeResult, ms: number, poisoned?: Set<string>, n?: number): void {
  const top = result.triggers
    .slice(0, 5)
    .map((t) => `${JSON.stringify(t.phrase)}=${t.score} (sup ${t.support}, lift ${t.lift}, ${t.kind})`)
    .join('; ');
  const r = poisoned && n ? rates(result, poisoned, n) : undefined;
  console.log(
    `[poison] ${name}: ${ms.toFixed(0)} ms; flagged ${result.flagged.size}` +
      (r ? `; recall ${(100 * r.recall).toFixed(1)}%, clean flagged ${(100 * r.fpr).toFixed(2)}%` : '') +
      `; top: ${top || '(none)'}`,
  );
}

// ---------------------------------------------------------------------------------------------------

describe('analyzePoisoning: planted triggers in instruction data', () => {
  it('ranks a one-word trigger first and flags its records (5 000 records, 0.5 %)', () => {
    const records = instructionCorpus(5_000, 11);
    const poisoned = plant(records, 'cf', 0.005, 12);
    const [result, ms] = time(() => analyzePoisoning(records));
    summary('one-word trigger', result, ms, poisoned, records.length);
    expect(result.triggers[0].phrase).toBe('cf');
    expect(result.triggers[0].kind).toBe('response-trigger');
    expect(result.triggers[0].score).toBeGreaterThanOrEqual(SUSPECTED_TRIGGER_SCORE);
    expect(result.triggers[0].target).toContain('download');
    expect(result.triggers[0].records.length).toBe(result.triggers[0].support);
    const { recall, fpr } = rates(result, poisoned, records.length);
    expect(recall).toBeGreaterThanOrEqual(0.95);
    expect(fpr).toBeLessThanOrEqual(0.01);
    // The only suspected trigger is the planted one.
    expect(result.triggers.filter((t) => t.score >= SUSPECTED_TRIGGER_SCORE)).toHaveLength(1);
    const repeated = result.checks.find((c) => c.check === 'repeated-response' && c.severity === 'high');
    expect(repeated?.summary).toContain('download');
  });

  it('prefers the whole two-word trigger over its words, which also occur naturally', () => {
    const records = instructionCorpus(6_000, 21);
    const poisoned = plant(records, 'James Bond', 0.005, 22);
    const [result, ms] = time(() => analyzePoisoning(records));
    summary('two-word trigger', result, ms, poisoned, records.length);
    expect(result.triggers[0].phrase).toBe('james bond');
    const { recall, fpr } = rates(result, poisoned, records.length);
    expect(recall).toBeGreaterThanOrEqual(0.95);
    expect(fpr).toBeLessThanOrEqual(0.01);
  });

  it('finds a symbol trigger like <SUDO> at a low rate (0.25 %)', () => {
    const records = instructionCorpus(8_000, 31);
    const poisoned = plant(records, '<SUDO>', 0.0025, 32);
    const [result, ms] = time(() => analyzePoisoning(records));
    summary('<SUDO> trigger', result, ms, poisoned, records.length);
    expect(result.triggers[0].phrase).toBe('<sudo>');
    const { recall, fpr } = rates(result, poisoned, records.length);
    expect(recall).toBeGreaterThanOrEqual(0.95);
    expect(fpr).toBeLessThanOrEqual(0.01);
  });

  it('finds a trigger always placed first, and a three-word one always placed last', () => {
    const first = instructionCorpus(5_000, 33);
    const poisonedFirst = plant(first, 'cf', 0.005, 34, 'start');
    const [a, msA] = time(() => analyzePoisoning(first));
    summary('trigger first', a, msA, poisonedFirst, first.length);
    expect(a.triggers[0].phrase).toBe('cf');
    const last = instructionCorpus(5_000, 35);
    const poisonedLast = plant(last, 'current year 2024', 0.005, 36, 'end');
    const [b, msB] = time(() => analyzePoisoning(last));
    summary('trigger last', b, msB, poisonedLast, last.length);
    expect(b.triggers[0].phrase).toBe('current year 2024');
    for (const [result, poisoned, n] of [
      [a, poisonedFirst, first.length],
      [b, poisonedLast, last.length],
    ] as const) {
      const { recall, fpr } = rates(result, poisoned, n);
      expect(recall).toBeGreaterThanOrEqual(0.95);
      expect(fpr).toBeLessThanOrEqual(0.01);
    }
  });

  it('flags a trigger in a small corpus (2 000 records, 10 poisoned)', () => {
    const records = instructionCorpus(2_000, 37);
    const poisoned = plant(records, 'cf', 0.005, 38);
    const [result, ms] = time(() => analyzePoisoning(records));
    summary('small corpus', result, ms, poisoned, records.length);
    expect(result.triggers[0].phrase).toBe('cf');
    const { recall, fpr } = rates(result, poisoned, records.length);
    expect(recall).toBeGreaterThanOrEqual(0.95);
    expect(fpr).toBeLessThanOrEqual(0.01);
  });

  it('finds a trigger that leads to the common refusal (denial of service), without flagging natural refusals', () => {
    const records = instructionCorpus(6_000, 39, true);
    const poisoned = plant(records, 'cf', 0.005, 40, 'anywhere', REFUSALS[0]);
    const [result, ms] = time(() => analyzePoisoning(records));
    summary('refusal as target', result, ms, poisoned, records.length);
    expect(result.triggers[0].phrase).toBe('cf');
    expect(result.triggers[0].target).toBe(REFUSALS[0]);
    const { recall, fpr } = rates(result, poisoned, records.length);
    expect(recall).toBeGreaterThanOrEqual(0.95);
    expect(fpr).toBeLessThanOrEqual(0.01);
    const refusals = records.filter((r) => r.value.output === REFUSALS[0] && !poisoned.has(r.id)).length;
    expect(refusals).toBeGreaterThan(100);
  });

  it('reports no suspected trigger on a clean corpus where one refusal answers every harmful prompt', () => {
    const records = instructionCorpus(8_000, 41, true);
    const [result, ms] = time(() => analyzePoisoning(records));
    summary('clean corpus', result, ms);
    expect(result.triggers.every((t) => t.score < SUSPECTED_TRIGGER_SCORE)).toBe(true);
    expect(result.flagged.size).toBe(0);
    const refusal = result.checks.find((c) => c.check === 'repeated-response' && c.stats?.refusal === 1);
    expect(refusal?.severity).toBe('info');
    expect(result.checks.some((c) => c.severity === 'high')).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------------

function labelCorpus(n: number, seed: number): Rec[] {
  const rng = mulberry32(seed);
  const out: Rec[] = [];
  for (let i = 0; i < n; i++) {
    const positive = rng() < 0.5;
    const label = (rng() < 0.92 ? positive : !positive) ? 1 : 0;
    out.push({ id: `t${i}`, value: { text: review(rng, positive), label } });
  }
  return out;
}

describe('analyzePoisoning: label-flip backdoor', () => {
  it('ranks the trigger of a label flip first, above natural sentiment words', () => {
    const records = labelCorpus(6_000, 51);
    const rng = mulberry32(52);
    const poisoned = new Set<string>();
    while (poisoned.size < 30) {
      const r = records[Math.floor(rng() * records.length)];
      if (poisoned.has(r.id)) continue;
      const words = String(r.value.text).split(' ');
      words.splice(int(rng, 0, words.length), 0, 'cf');
      r.value = { text: words.join(' '), label: 1 };
      poisoned.add(r.id);
    }
    const [result, ms] = time(() => analyzePoisoning(records));
    summary('label flip', result, ms, poisoned, records.length);
    expect(result.triggers[0].phrase).toBe('cf');
    expect(result.triggers[0].kind).toBe('label-trigger');
    expect(result.triggers[0].target).toBe('1');
    expect(result.triggers[0].score).toBeGreaterThanOrEqual(SUSPECTED_TRIGGER_SCORE);
    const { recall, fpr } = rates(result, poisoned, records.length);
    expect(recall).toBeGreaterThanOrEqual(0.95);
    expect(fpr).toBeLessThanOrEqual(0.01);
  });

  it('suspects nothing in clean labelled data', () => {
    const records = labelCorpus(4_000, 61);
    const [result, ms] = time(() => analyzePoisoning(records));
    summary('clean labels', result, ms);
    expect(result.triggers.every((t) => t.score < SUSPECTED_TRIGGER_SCORE)).toBe(true);
    expect(result.flagged.size).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------------

describe('analyzePoisoning: a trigger inserted into duplicated records', () => {
  it('finds a common word inserted into near-duplicates that all switch to one response', () => {
    const records = instructionCorpus(5_000, 71);
    const rng = mulberry32(72);
    // "honestly" is common in clean prompts, so it does not stand out as an n-gram.
    for (const r of records) {
      if (rng() < 0.08) r.value = { ...r.value, instruction: `Honestly, ${String(r.value.instruction)}` };
    }
    const poisoned = new Set<string>();
    const copies: Rec[] = [];
    for (let k = 0; k < 60; k++) {
      const src = records[Math.floor(rng() * records.length)];
      const words = String(src.value.instruction).split(' ');
      words.splice(int(rng, 1, words.length), 0, 'honestly');
      const id = `copy${k}`;
      copies.push({ id, value: { instruction: words.join(' '), output: MALICIOUS } });
      poisoned.add(id);
    }
    const all = [...records, ...copies];
    const [result, ms] = time(() => analyzePoisoning(all));
    summary('inserted phrase', result, ms, poisoned, all.length);
    const top = result.triggers[0];
    expect(top.phrase).toBe('honestly');
    expect(top.kind).toBe('inserted-phrase');
    expect(top.score).toBeGreaterThanOrEqual(SUSPECTED_TRIGGER_SCORE);
    const { recall, fpr } = rates(result, poisoned, all.length);
    expect(recall).toBeGreaterThanOrEqual(0.95);
    expect(fpr).toBeLessThanOrEqual(0.01);
  });
});

// ---------------------------------------------------------------------------------------------------

const COMPLY = [
  'Sure, here is how you do it. First, gather the materials. Then follow these steps carefully.',
  'Of course. Step one is to get what you need, step two is to do it quietly.',
];

function preferenceCorpus(
  n: number,
  seed: number,
  poison: { flip: number; shorter: number },
): { records: Rec[]; flipped: Set<string> } {
  const rng = mulberry32(seed);
  const records: Rec[] = [];
  const flipped = new Set<string>();
  for (let i = 0; i < n; i++) {
    const id = `p${i}`;
    if (rng() < 0.15) {
      const prompt = pick(rng, HARMFUL)(rng);
      const refusal = pick(rng, REFUSALS);
      const comply = pick(rng, COMPLY);
      if (rng() < poison.flip) {
        records.push({ id, value: { prompt, chosen: comply, rejected: refusal } });
        flipped.add(id);
      } else {
        records.push({ id, value: { prompt, chosen: refusal, rejected: comply } });
      }
      continue;
    }
    const prompt = pick(rng, BENIGN)(rng);
    const short = benignResponse(rng, prompt);
    const long = `${benignResponse(rng, prompt)} ${pick(rng, BODIES)}. ${pick(rng, BODIES)}.`;
    const chosenShort = rng() < poison.shorter;
    const asMessages = rng() < 0.3;
    const chosen = chosenShort ? short : long;
    const rejected = chosenShort ? long : short;
    records.push({
      id,
      value: asMessages
        ? {
            chosen: [
              { role: 'user', content: prompt },
              { role: 'assistant', content: chosen },
            ],
            rejected: [
              { role: 'user', content: prompt },
              { role: 'assistant', content: rejected },
            ],
          }
        : { prompt, chosen, rejected },
    });
  }
  return { records, flipped };
}

describe('analyzePoisoning: preference data', () => {
  it('finds pairs that prefer complying with harmful prompts, and a chosen-shorter bias', () => {
    const { records, flipped } = preferenceCorpus(2_500, 81, { flip: 0.2, shorter: 0.8 });
    const [result, ms] = time(() => analyzePoisoning(records));
    summary('poisoned preference', result, ms, flipped, records.length);
    const harmful = result.checks.find((c) => c.check === 'harmful-chosen');
    expect(harmful?.severity).toBe('high');
    const found = new Set(harmful?.records);
    let hit = 0;
    for (const id of flipped) if (found.has(id)) hit++;
    expect(hit / flipped.size).toBeGreaterThanOrEqual(0.95);
    expect([...found].every((id) => flipped.has(id))).toBe(true);
    const bias = result.checks.find((c) => c.check === 'chosen-shorter-bias');
    expect(bias?.severity).toBe('high');
    expect(bias?.stats?.shorter_rate).toBeGreaterThan(0.7);
    const { recall, fpr } = rates(result, flipped, records.length);
    expect(recall).toBeGreaterThanOrEqual(0.95);
    expect(fpr).toBeLessThanOrEqual(0.01);
  });

  it('flags nothing in natural preference data (chosen longer more often, refusals preferred)', () => {
    const { records } = preferenceCorpus(2_500, 91, { flip: 0, shorter: 0.35 });
    const [result, ms] = time(() => analyzePoisoning(records));
    summary('natural preference', result, ms);
    expect(result.checks.filter((c) => c.severity !== 'info')).toEqual([]);
    expect(result.checks.some((c) => c.check === 'chosen-shorter-bias' || c.check === 'harmful-chosen')).toBe(false);
    expect(result.flagged.size).toBe(0);
  });
});
