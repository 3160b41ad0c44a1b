import { mulberry32 } from '../../../src/core/random.js';

const WORDS = (
  'the a river city garden teacher students library morning evening project report system data model ' +
  'museum history painting market bread coffee travel train station weather forecast mountain valley ' +
  'engineer design bridge concrete steel river boat harbour island festival music concert orchestra ' +
  'violin theatre actor stage lesson chapter novel author poem letter window kitchen recipe flour sugar ' +
  'butter oven minutes careful quickly slowly because although however therefore during before after ' +
  'village farmer field harvest autumn winter spring summer light shadow colour green blue yellow quiet'
).split(' ');

/** Seeded prose-like sentences (not English, but word statistics like text). */
export function prose(rand: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) {
    let w = WORDS[Math.floor(rand() * WORDS.length)] as string;
    if (i % 12 === 0) w = w[0]?.toUpperCase() + w.slice(1);
    out.push(i % 12 === 11 ? `${w}.` : w);
  }
  return `${out.join(' ')}.`;
}

/** Copies `text` with about `rate` of its words substituted. */
export function edit(rand: () => number, text: string, rate: number): string {
  const words = text.split(' ');
  const edits = Math.max(1, Math.round(words.length * rate));
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rand() * words.length);
    words[at] = `${words[at]}x`; // a word the vocabulary does not have: always a real change
  }
  return words.join(' ');
}

export interface SmallCorpus {
  lines: string[];
  ids: {
    email: string[];
    secret: string[];
    exactDup: { id: string; of: string }[];
    nearDup: { id: string; of: string }[];
    lowQuality: string[];
    malformedLines: number[];
  };
}

/** A mixed instruction corpus with one of each problem planted. */
export function smallCorpus(seed = 7, n = 300): SmallCorpus {
  const rand = mulberry32(seed);
  const lines: string[] = [];
  const ids: SmallCorpus['ids'] = {
    email: [],
    secret: [],
    exactDup: [],
    nearDup: [],
    lowQuality: [],
    malformedLines: [],
  };
  const records: { id: string; prompt: string; response: string }[] = [];
  const clean: typeof records = [];
  for (let i = 0; i < n; i++) {
    const id = `r${i}`;
    let prompt = `Write about ${prose(rand, 6)}`;
    let response = prose(rand, 60 + Math.floor(rand() * 60));
    if (i % 61 === 7 && clean.length > 10) {
      const src = clean[Math.floor(rand() * clean.length)] as (typeof records)[number];
      prompt = src.prompt;
      response = src.response;
      ids.exactDup.push({ id, of: src.id });
    } else if (i % 37 === 11 && clean.length > 10) {
      const src = clean[Math.floor(rand() * clean.length)] as (typeof records)[number];
      prompt = src.prompt;
      response = edit(rand, src.response, 0.03);
      ids.nearDup.push({ id, of: src.id });
    } else if (i % 83 === 13) {
      response = Array.from({ length: 30 }, () => 'BUY NOW!!! $$$ ### ***').join('\n');
      ids.lowQuality.push(id);
    } else if (i % 50 === 3) {
      response += ' You can reach the organiser at jane.doe@example.org for details.';
      ids.email.push(id);
    } else if (i % 97 === 5) {
      response += ' Use the key AKIAZ7VRSQ2LMB4XK6PD in the config.';
      ids.secret.push(id);
    }
    const rec = { id, prompt, response };
    records.push(rec);
    if (
      !ids.lowQuality.includes(id) &&
      !ids.exactDup.some((d) => d.id === id) &&
      !ids.nearDup.some((d) => d.id === id)
    ) {
      clean.push(rec);
    }
    lines.push(JSON.stringify(rec));
    if (i % 113 === 17) {
      ids.malformedLines.push(lines.length);
      lines.push('{"id": "broken", "prompt": "unterminated');
    }
  }
  return { lines, ids };
}
