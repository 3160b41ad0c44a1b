import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../cli/helpers.js';

const fx = (name: string) => join(import.meta.dirname, '..', '..', 'fixtures', 'redteam', name);

describe('lifeguard redteam replay', () => {
  it('--json on a JailbreakBench artifact: the contract fields, JBB indices, nulls counted as not jailbroken', () => {
    const r = runCli(['redteam', 'replay', fx('jbb-mini.json'), '--json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(expect.arrayContaining(['n', 'asr', 'refusal_rate', 'items']));
    expect(out.n).toBe(4);
    expect(out.items.map((i: { index: number }) => i.index)).toEqual([7, 8, 9, 10]);
    for (const i of out.items) expect(Object.keys(i).sort()).toEqual(['index', 'jailbroken', 'refused']);
    expect(out.items[2]).toEqual({ index: 9, jailbroken: false, refused: false }); // response: null
    expect(out.items[1]).toMatchObject({ jailbroken: false, refused: true });
    expect(out.asr).toBe(out.items.filter((i: { jailbroken: boolean }) => i.jailbroken).length / 4);
    expect(out).toMatchObject({ judge: 'jailbreak-classifier', format: 'jbb', published_asr: 0.25, no_response: 1 });
    expect(out.label_agreement.label).toBe('jailbroken');
  });

  it('--json on XSTest completions: 0-based rows and refusal rates split by safe and unsafe prompts', () => {
    const r = runCli(['redteam', 'replay', fx('xstest-mini.csv'), '--json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.judge).toBe('refusal-classifier');
    expect(out.items.map((i: { index: number }) => i.index)).toEqual([0, 1, 2, 3]);
    expect(out.safe).toMatchObject({ n: 2, label_refusal_rate: 0.5 });
    expect(out.unsafe).toMatchObject({ n: 2, label_refusal_rate: 1 });
    expect(out.refusal_rate).toBe(out.items.filter((i: { refused: boolean }) => i.refused).length / 4);
    expect(out.asr).toBe(0); // benign goals never count; the refusal judge jailbroken proxy on unsafe ones
  });

  it('--judge takes a comma list (ensemble) and a folder gives one summary per file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-replay-cli-'));
    copyFileSync(fx('jbb-mini.json'), join(dir, 'a.json'));
    copyFileSync(fx('mini.jsonl'), join(dir, 'b.jsonl'));
    writeFileSync(join(dir, 'attack-info.json'), '{"models": {}}');
    const r = runCli(['redteam', 'replay', dir, '--judge', 'keywords,refusal-classifier', '--json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toHaveLength(2);
    expect(out[0].judge).toBe('ensemble(keywords,refusal-classifier)');
    expect(out[1]).toMatchObject({ format: 'jsonl', n: 3 });
    const text = runCli(['redteam', 'replay', dir, '--judge', 'keywords']);
    expect(text.stdout).toContain('attack success rate');
    expect(text.stdout).toContain('a.json');
  });

  it('a damaged file among several: the others are judged and printed, the damaged one is an error entry, exit 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-replay-mixed-'));
    copyFileSync(fx('jbb-mini.json'), join(dir, 'a.json'));
    writeFileSync(join(dir, 'b.json'), readFileSync(fx('jbb-mini.json'), 'utf8').slice(0, 200));
    const r = runCli(['redteam', 'replay', dir, '--json']);
    expect(r.status).toBe(2);
    const out = JSON.parse(r.stdout);
    expect(out).toHaveLength(2);
    expect(out[0]).toMatchObject({ format: 'jbb', n: 4 });
    expect(out[1]).toMatchObject({ file: join(dir, 'b.json'), code: 'LG_ERR_INPUT_INVALID' });
    expect(r.stderr).toContain('b.json');
    const text = runCli(['redteam', 'replay', dir]);
    expect(text.status).toBe(2);
    expect(text.stdout).toContain('attack success rate');
  });

  it('a malformed file is a clear input error naming the file and row; an unknown judge lists the valid ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-replay-bad-'));
    const bad = join(dir, 'broken.csv');
    writeFileSync(bad, 'id,type,prompt,completion,final_label\na,b,c\n');
    const r = runCli(['redteam', 'replay', bad, '--json']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('broken.csv');
    expect(r.stderr).toContain('data row 0');
    expect(r.stderr).toContain('LG_ERR_INPUT_INVALID');
    const u = runCli(['redteam', 'replay', fx('jbb-mini.json'), '--judge', 'oracle']);
    expect(u.status).toBe(2);
    expect(u.stderr).toContain('LG_ERR_CONFIG_INVALID');
    expect(u.stderr).toContain('jailbreak-classifier');
  });
});

describe('lifeguard redteam judge-eval', () => {
  it('reports agreement per labelled source in a data folder', () => {
    const root = mkdtempSync(join(tmpdir(), 'lg-judge-eval-'));
    mkdirSync(join(root, 'refusal', 'xstest'), { recursive: true });
    mkdirSync(join(root, 'redteam', 'jbb-artifacts', 'SYNTH', 'black_box'), { recursive: true });
    copyFileSync(fx('xstest-mini.csv'), join(root, 'refusal', 'xstest', 'xstest_v2_completions_toy_gpteval.csv'));
    copyFileSync(fx('jbb-mini.json'), join(root, 'redteam', 'jbb-artifacts', 'SYNTH', 'black_box', 'toy.json'));
    const r = runCli(['redteam', 'judge-eval', '--data', root, '--judge', 'keywords', '--json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.judge).toBe('keywords');
    expect(out.rows.map((x: { source: string; label: string; n: number }) => [x.source, x.label, x.n])).toEqual([
      ['xstest', 'refused', 4],
      ['jbb', 'jailbroken', 4],
    ]);
    const x = out.rows[0];
    expect(x.safe).toMatchObject({ n: 2, label_rate: 0.5 });
    expect(x.in_sample).toBe(false);
    expect(typeof x.kappa === 'number' || x.kappa === null).toBe(true);
  });
});

describe('--judges-config', () => {
  it('takes the judges section, or a whole red-team config and reads its judges section', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-judges-config-'));
    const section = join(dir, 'judges.yaml');
    writeFileSync(section, 'judges: [keywords]\n');
    const whole = join(dir, 'redteam.yaml');
    writeFileSync(
      whole,
      'target: { type: replay, path: x.json }\ngoals: [{ source: jbb }]\njudges: { judges: [keywords] }\n',
    );
    for (const file of [section, whole]) {
      const r = runCli(['redteam', 'replay', fx('jbb-mini.json'), '--judges-config', file, '--json']);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout).judge).toBe('keywords');
    }
  });
});
