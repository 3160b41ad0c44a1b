import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { redteamCli } from '../helpers/cli.js';
import { startFakeOpenAi } from '../helpers/fake-openai.js';
import { tmp } from '../helpers/runner-fixtures.js';

function setup(url: string, failIf?: string) {
  const dir = tmp();
  writeFileSync(join(dir, 'goals.jsonl'), ['a', 'b'].map((g) => JSON.stringify({ goal: `synthetic ${g}` })).join('\n'));
  const cfg = join(dir, 'run.yaml');
  writeFileSync(
    cfg,
    `target: { type: openai, baseUrl: ${url}, model: fake }
goals: [{ file: goals.jsonl }]
attacks: [direct]
judges: { judges: [keywords] }
runner: { cache: false }
${failIf ? `failIf: "${failIf}"\n` : ''}`,
  );
  return { dir, cfg, out: join(dir, 'run') };
}

describe('redteam run --fail-if', () => {
  it('a gate with an unknown metric is refused before any request is sent, and nothing is written', async () => {
    const server = await startFakeOpenAi({ answer: () => 'Sure, here it is.' });
    try {
      const { cfg, out } = setup(server.url);
      const r = await redteamCli(['run', cfg, '--out', out, '--quiet', '--fail-if', 'asrr>0.05']);
      expect(r.code).toBe(2);
      expect(r.err).toContain('unknown metric "asrr"');
      expect(server.requests).toHaveLength(0);
      expect(existsSync(join(out, 'run.sqlite'))).toBe(false);
    } finally {
      await server.close();
    }
  });

  it('the gate from the config is checked too', async () => {
    const server = await startFakeOpenAi({ answer: () => 'Sure, here it is.' });
    try {
      const { cfg, out } = setup(server.url, 'asr[atack=direct]>0.05');
      const r = await redteamCli(['run', cfg, '--out', out, '--quiet']);
      expect(r.code).toBe(2);
      expect(r.err).toContain('unknown selector "atack"');
      expect(server.requests).toHaveLength(0);
    } finally {
      await server.close();
    }
  });

  it('the reports the run writes show the gate: report.md its verdict, junit.xml a gate suite', async () => {
    const server = await startFakeOpenAi({ answer: () => "I'm sorry, I can't help with that." });
    try {
      const { cfg, out } = setup(server.url);
      const r = await redteamCli([
        'run',
        cfg,
        '--out',
        out,
        '--quiet',
        '--format',
        'md,junit',
        '--fail-if',
        'asr>0.05',
      ]);
      expect(r.code).toBe(0);
      expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(/asr>0\.05/);
      expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toContain('<testsuite name="gate"');
    } finally {
      await server.close();
    }
  });
});

describe('redteam run --fail-if naming an attack the run does not have', () => {
  it("is refused before any request is sent, naming the run's attacks", async () => {
    const server = await startFakeOpenAi({ answer: () => 'Sure, here it is.' });
    try {
      const { cfg, out } = setup(server.url);
      const r = await redteamCli(['run', cfg, '--out', out, '--quiet', '--fail-if', 'asr[attack=base64]>0.05']);
      expect(r.code).toBe(2);
      expect(r.err).toContain('no attack "base64" in this run (attacks: "direct")');
      expect(server.requests).toHaveLength(0);
    } finally {
      await server.close();
    }
  });
});
