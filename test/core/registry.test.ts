import { describe, expect, it } from 'vitest';
import {
  DetectorRegistry,
  defineDetector,
  LifeguardError,
  MLCOMMONS_HAZARDS,
  OWASP_LLM_2025,
  RISKS,
  risksForHazard,
  scanText,
  scanTextAsync,
} from '../../src/core/index.js';

const word = (w: string, type = 'WORD') =>
  defineDetector({
    id: `test.${w}`,
    description: `finds "${w}"`,
    risk: 'content.harmful',
    entityTypes: [type],
    detect: (text) => {
      const out = [];
      for (let i = text.indexOf(w); i !== -1; i = text.indexOf(w, i + 1)) {
        out.push({ type, start: i, end: i + w.length, score: 0.8 });
      }
      return out;
    },
  });

describe('DetectorRegistry', () => {
  it('resolves ids and lists the valid ones for an unknown id', () => {
    const reg = new DetectorRegistry([word('foo'), word('bar')]);
    expect(reg.resolve('test.foo, test.bar').map((d) => d.id)).toEqual(['test.foo', 'test.bar']);
    try {
      reg.get('nope');
      expect.unreachable();
    } catch (e) {
      expect(LifeguardError.isInstance(e)).toBe(true);
      expect((e as LifeguardError).code).toBe('LG_ERR_UNKNOWN_DETECTOR');
      expect((e as Error).message).toContain('valid detectors: test.bar, test.foo');
    }
  });

  it('refuses duplicate ids, bad ids and unknown risks', () => {
    expect(() => new DetectorRegistry([word('foo'), word('foo')])).toThrow(/already registered/);
    expect(() => defineDetector({ ...word('x'), id: 'Bad Id' })).toThrow(/lower-case/);
    expect(() => defineDetector({ ...word('x'), risk: 'made.up' as never })).toThrow(/unknown risk/);
  });
});

describe('scan engine', () => {
  it('maps matches from every view to the original and de-duplicates them', () => {
    const text = `foo f\u200boo ${Buffer.from('say foo now please').toString('base64')}`;
    const found = scanText(text, { detectors: [word('foo')] });
    expect(found.map((f) => [text.slice(f.start, f.end), f.via ?? 'plain'])).toEqual([
      ['foo', 'plain'],
      ['f\u200boo', 'plain'],
      [Buffer.from('say foo now please').toString('base64'), 'decoded:base64'],
    ]);
    expect(found.every((f) => f.detector === 'test.foo' && f.risk === 'content.harmful')).toBe(true);
  });

  it('applies minScore, per-type thresholds and entity filters', () => {
    const d = [word('foo', 'A'), word('bar', 'B')];
    const text = 'foo bar';
    expect(scanText(text, { detectors: d, minScore: 0.9 })).toEqual([]);
    expect(scanText(text, { detectors: d, minScore: 0.9, thresholds: { B: 0.5 } }).map((f) => f.type)).toEqual(['B']);
    expect(scanText(text, { detectors: d, entities: new Set(['A']) }).map((f) => f.type)).toEqual(['A']);
    expect(scanText(text, { detectors: d, decode: false }).length).toBe(2);
  });

  it('awaits asynchronous detectors and rejects non-string input', async () => {
    const slow = defineDetector({
      ...word('baz'),
      id: 'test.async',
      detect: () => [],
      detectAsync: async (text) => {
        await new Promise((r) => setTimeout(r, 5));
        const i = text.indexOf('baz');
        return i < 0 ? [] : [{ type: 'WORD', start: i, end: i + 3, score: 0.9 }];
      },
    });
    const found = await scanTextAsync('a baz b', { detectors: [slow] });
    expect(found.map((f) => [f.start, f.end])).toEqual([[2, 5]]);
    expect(() => scanText(42 as unknown as string, { detectors: [slow] })).toThrow(/expected text to be a string/);
  });
});

describe('taxonomy', () => {
  it('maps every risk to real MLCommons hazard codes and OWASP ids', () => {
    for (const risk of Object.values(RISKS)) {
      for (const h of risk.hazards) expect(Object.keys(MLCOMMONS_HAZARDS)).toContain(h);
      for (const o of risk.owasp) expect(Object.keys(OWASP_LLM_2025)).toContain(o);
    }
    expect(Object.keys(MLCOMMONS_HAZARDS)).toHaveLength(14);
    expect(Object.keys(OWASP_LLM_2025)).toHaveLength(10);
    expect(risksForHazard('S7')).toEqual(['privacy.pii', 'privacy.secret']);
  });
});
