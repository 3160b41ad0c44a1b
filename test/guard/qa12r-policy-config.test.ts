import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadGatewayConfig, parseGatewayConfig } from '../../src/guard/gateway/config.js';
import { parsePolicy } from '../../src/guard/policy.js';
import { STARTER_CONFIG } from '../../src/guard/starter.js';

describe('qa12r: policy names a check could not tell apart', () => {
  it('refuses a list named like a built-in check (it silently replaced the pii detector)', () => {
    expect(() =>
      parsePolicy({
        lists: { pii: { terms: ['x'] } },
        input: [{ check: 'pii', action: 'redact', entities: ['EMAIL'] }],
      }),
    ).toThrow(/lists\.pii: "pii" is a built-in check/);
  });

  it('refuses a backend named like a built-in check', () => {
    expect(() =>
      parsePolicy({ backends: { secrets: { type: 'openai-moderation', baseUrl: 'http://127.0.0.1:1/v1' } } }),
    ).toThrow(/backends\.secrets: "secrets" is a built-in check/);
  });

  it('refuses a list and a backend of one name', () => {
    expect(() =>
      parsePolicy({
        lists: { mod: { terms: ['x'] } },
        backends: { mod: { type: 'openai-moderation', baseUrl: 'http://127.0.0.1:1/v1' } },
      }),
    ).toThrow(/lists\.mod: a backend has the same name/);
  });

  it('refuses two lists whose ids fold to one detector id, at parse time', () => {
    expect(() => parsePolicy({ lists: { Foo: { terms: ['a'] }, foo: { terms: ['b'] } } })).toThrow(
      /lists\.foo: too like lists\.Foo/,
    );
    expect(() => parsePolicy({ lists: { 'a b': { terms: ['a'] }, 'a-b': { terms: ['b'] } } })).toThrow(/too like/);
    expect(Object.keys(parsePolicy({ lists: { foo: { terms: ['a'] }, bar: { terms: ['b'] } } }).lists)).toEqual([
      'foo',
      'bar',
    ]);
  });
});

describe('qa12r: categories a check never reports', () => {
  it('refuses categories on injection and refusal without a backend', () => {
    for (const check of ['injection', 'refusal'])
      expect(() => parsePolicy({ output: [{ check, action: 'block', categories: { S1: 'warn' } }] })).toThrow(
        /`categories` does not apply/,
      );
  });

  it('keeps categories on injection with a backend (its labels are the categories)', () => {
    const p = parsePolicy({
      backends: {
        pg: { type: 'text-classification', baseUrl: 'http://127.0.0.1:1', positiveLabels: ['INJECTION', 'JAILBREAK'] },
      },
      input: [{ check: 'injection', action: 'block', backend: 'pg', categories: { JAILBREAK: 'warn' } }],
    });
    expect(p.input[0].categories).toEqual({ JAILBREAK: 'warn' });
  });

  it("checks a list's categories against the one type it reports", () => {
    const lists = { competitors: { terms: ['ExampleCorp'] } };
    expect(() =>
      parsePolicy({ lists, input: [{ check: 'competitors', action: 'block', categories: { S1: 'warn' } }] }),
    ).toThrow(/unknown categories S1; competitors reports LIST_COMPETITORS/);
    const p = parsePolicy({
      lists,
      input: [{ check: 'competitors', action: 'block', categories: { LIST_COMPETITORS: 'warn' } }],
    });
    expect(p.input[0].categories).toEqual({ LIST_COMPETITORS: 'warn' });
  });
});

describe('qa12r: tool rules and passthrough entries that match everything or nothing', () => {
  it('refuses an empty denyArgs string (it is in every call and blocked them all)', () => {
    expect(() => parsePolicy({ tools: { send_email: { denyArgs: [''] } } })).toThrow(/tools\.send_email\.denyArgs\.0/);
  });

  it('refuses passthrough entries with a wildcard or whitespace inside (prefixes, never patterns)', () => {
    for (const p of ['/v1/*', '/v1/files/*', '/v1/ ', '/v1/embeddings ']) {
      expect(() => parseGatewayConfig({ passthrough: [p] }), p).toThrow(/passthrough\.0: a path prefix/);
    }
    expect(parseGatewayConfig({ passthrough: ['*'] }).passthrough).toEqual(['*']);
    expect(parseGatewayConfig({ passthrough: ['/v1/embeddings'] }).passthrough).toEqual(['/v1/embeddings']);
  });
});

describe('qa12r: YAML the loader reads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lg-qa12r-'));

  it('refuses a billion-laughs alias expansion as a config error, quickly', () => {
    let text = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n';
    for (const [name, prev] of [
      ['b', 'a'],
      ['c', 'b'],
      ['d', 'c'],
      ['e', 'd'],
      ['f', 'e'],
      ['g', 'f'],
      ['h', 'g'],
    ])
      text += `${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]\n`;
    const file = join(dir, 'bomb.yaml');
    writeFileSync(file, text);
    const t0 = performance.now();
    expect(() => loadGatewayConfig(file)).toThrow(/not valid YAML: .*alias/i);
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it('refuses .nan and .inf thresholds and limits', () => {
    expect(() => parsePolicy(parse('input:\n  - { check: harmful, action: block, threshold: .nan }'))).toThrow(
      /input\.0\.threshold/,
    );
    expect(() => parseGatewayConfig(parse('rateLimit: { rpm: .inf }'))).toThrow(/rateLimit\.rpm/);
    expect(() => parseGatewayConfig(parse('rateLimit: { rpm: -5 }'))).toThrow(/rateLimit\.rpm/);
  });

  it('the starter still parses, and its commented-out lines parse too when uncommented', () => {
    expect(() => parseGatewayConfig(parse(STARTER_CONFIG))).not.toThrow();
    const uncommented = STARTER_CONFIG.replace(/^# (responses|passthrough|rateLimit): /gm, '$1: ');
    const cfg = parseGatewayConfig(parse(uncommented));
    expect(cfg.passthrough.length).toBeGreaterThan(0);
    expect(cfg.rateLimit).toEqual({ rpm: 600 });
  });
});
