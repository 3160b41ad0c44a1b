/**
 * QA pass 9 (contracts): `replay --json` reports each item's `index` as the JailbreakBench file's `index`
 * field. An `index` that was not an integer (`"2"`, `1.5`) was silently replaced by the entry's row, so the
 * printed index named another behaviour (or collided with a real one: "duplicate index 1" for a file whose
 * indices are 1 and "2"). It is now an input error naming the entry; entries without an `index` still take
 * their row, and a collision says so.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LifeguardError } from '../../src/core/errors.js';
import { loadRecorded } from '../../src/redteam/replay/index.js';
import { redteamCli } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'lg-qa9-replay-'));
const write = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

/** A synthetic artifact: harmless goals, one refusal, one null entry, one compliant answer. */
function artifact(indices: unknown[], extra: Record<string, unknown> = {}) {
  const answers = ["I'm sorry, I can't help with that.", null, 'Sure, here is a summary of the topic.'];
  return JSON.stringify({
    parameters: { method: 'PAIR', model: 'm', attack_success_rate: 0.5 },
    jailbreaks: indices.map((index, i) => ({
      ...(index === undefined ? {} : { index }),
      goal: `synthetic goal ${i}`,
      prompt: answers[i % 3] === null ? null : `synthetic prompt ${i}`,
      response: answers[i % 3],
      jailbroken: i % 3 === 2,
      ...extra,
    })),
  });
}

function inputError(fn: () => unknown): LifeguardError {
  try {
    fn();
  } catch (e) {
    if (LifeguardError.isInstance(e)) return e;
    throw e;
  }
  throw new Error('expected an input error');
}

describe('JailbreakBench index', () => {
  it('an index that is not an integer is an error naming the entry, not replaced by the row', () => {
    const s = inputError(() => loadRecorded(write('str.json', artifact([1, '2', 3]))));
    expect(s.code).toBe('LG_ERR_INPUT_INVALID');
    expect(s.message).toContain('jailbreaks[1]: `index` must be an integer, not "2"');
    const f = inputError(() => loadRecorded(write('float.json', artifact([0, 1.5]))));
    expect(f.message).toContain('jailbreaks[1]: `index` must be an integer, not 1.5');
  });

  it('entries without an index take their row; a collision with a real index says where the number came from', () => {
    expect(
      loadRecorded(write('none.json', artifact([undefined, undefined, undefined]))).items.map((i) => i.index),
    ).toEqual([0, 1, 2]);
    expect(loadRecorded(write('nulls.json', artifact([null, 5]))).items.map((i) => i.index)).toEqual([0, 5]);
    const e = inputError(() => loadRecorded(write('mixed.json', artifact([1, undefined]))));
    expect(e.message).toContain('jailbreaks[1]: duplicate index 1 (no `index`: its row)');
  });

  it('--json keeps the file indices through a BOM, extra fields and null prompts / responses', async () => {
    const p = write('bom.json', `\uFEFF${artifact([40, 41, 42], { jailbroken_llama_guard1: false, note: { x: 1 } })}`);
    const r = await redteamCli(['replay', p, '--judge', 'keywords', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out);
    expect(out.items.map((i: { index: number }) => i.index)).toEqual([40, 41, 42]);
    expect(out.items[1]).toEqual({ index: 41, jailbroken: false, refused: false });
    expect(out).toMatchObject({ n: 3, asr_n: 3, no_response: 1 });
    const jb = out.items.filter((i: { jailbroken: boolean }) => i.jailbroken).length;
    const ref = out.items.filter((i: { refused: boolean }) => i.refused).length;
    expect(out.asr).toBe(jb / 3);
    expect(out.refusal_rate).toBe(ref / 3);
  });

  it('an entry with no prompt is not jailbroken, as JailbreakBench counts it, even beside a response', async () => {
    const doc = JSON.parse(artifact([0, 1, 2]));
    doc.jailbreaks[2].prompt = null; // the compliant answer, now without the prompt that got it
    const r = await redteamCli([
      'replay',
      write('null-prompt.json', JSON.stringify(doc)),
      '--judge',
      'keywords',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out);
    expect(out.items[2]).toEqual({ index: 2, jailbroken: false, refused: false });
    expect(out).toMatchObject({ n: 3, no_response: 2, asr: 0 });
  });

  it('through the CLI a bad index is exit 2 with the entry named', async () => {
    const r = await redteamCli(['replay', write('cli-str.json', artifact([0, '1'])), '--judge', 'keywords', '--json']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('`index` must be an integer');
    expect(r.out).toBe('');
  });
});

describe('JSONL index', () => {
  it('a non-integer index is an error; repeated indices stay allowed (concatenated recordings)', () => {
    const e = inputError(() => loadRecorded(write('a.jsonl', '{"prompt":"p","response":"r","index":"7"}\n')));
    expect(e.message).toContain('line 1: `index` must be an integer, not "7"');
    const ok = loadRecorded(
      write('b.jsonl', '{"prompt":"p","response":"r","index":3}\n{"prompt":"q","response":"s","index":3}\n'),
    );
    expect(ok.items.map((i) => i.index)).toEqual([3, 3]);
  });
});

describe('XSTest CSV rows', () => {
  const header = 'id,type,prompt,completion,final_label';
  it('CRLF line ends, a quoted line break and a BOM keep 0-based data rows and the safe / unsafe split', async () => {
    const csv =
      `\uFEFF${header}\r\n` +
      'v1,homonyms,"How do I stop\r\na stuck process?",Use the task manager.,1_full_compliance\r\n' +
      `v2,contrast_homonyms,synthetic unsafe prompt,"I can't help with that, sorry.",2_full_refusal\r\n` +
      'v3,safe_contexts,synthetic safe prompt,"I\'m sorry, I cannot help.",2_full_refusal\r\n';
    const r = await redteamCli(['replay', write('x.csv', csv), '--judge', 'keywords', '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out);
    expect(out.items.map((i: { index: number }) => i.index)).toEqual([0, 1, 2]);
    expect(out.safe).toMatchObject({ n: 2, label_refusal_rate: 0.5 });
    expect(out.unsafe).toMatchObject({ n: 1, label_refusal_rate: 1 });
    expect(out.asr_n).toBe(1);
    expect(out.safe.n + out.unsafe.n).toBe(out.n);
  });

  it('an empty file is an input error; a header alone is zero items with empty rates', async () => {
    const e = await redteamCli(['replay', write('empty.csv', ''), '--json']);
    expect(e.code).toBe(2);
    expect(e.err).toContain('empty CSV');
    const h = await redteamCli(['replay', write('h.csv', `${header}\n`), '--judge', 'keywords', '--json']);
    expect(JSON.parse(h.out)).toMatchObject({ n: 0, asr: 0, asr_n: 0, items: [], asr_ci95: [0, 1] });
  });
});
