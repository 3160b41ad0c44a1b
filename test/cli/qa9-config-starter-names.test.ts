import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { runCli } from './helpers.js';

/*
 * `lifeguard redteam init other.yaml` wrote a header whose commands always named lifeguard-redteam.yaml
 * (`lifeguard redteam run lifeguard-redteam.yaml`), and `guard init` one naming a placeholder `this.yaml`:
 * copied as they stand, both failed. The header now names the file written, as one shell word.
 */

describe('QA9 config: starter files name the file written', () => {
  it('redteam init FILE', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-qa9-init-'));
    const file = join(dir, 'other.yaml');
    const r = runCli(['redteam', 'init', file]);
    expect(r.status, r.stderr).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain(`# Lifeguard red-team run. Run it:      lifeguard redteam run ${file}\n`);
    expect(text).toContain(`lifeguard redteam run ${file} --resume`);
    expect(text).not.toContain('lifeguard-redteam.yaml');
  });

  it('a name with a space is quoted; the file stays valid YAML', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-qa9-init-'));
    const file = join(dir, "my run's.yaml");
    expect(runCli(['redteam', 'init', file]).status).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain(`lifeguard redteam run '${dir}/my run'\\''s.yaml'`);
    expect(parseYaml(text)).toHaveProperty('target');
  });

  it('guard init FILE', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-qa9-init-'));
    const file = join(dir, 'gw.yaml');
    expect(runCli(['guard', 'init', file]).status).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain(`lifeguard guard serve --config ${file}\``);
    expect(text).not.toContain('this.yaml');
  });
});
