import { describe, expect, it } from 'vitest';
import { APP_JS } from '../../src/guard/dashboard/assets.js';

/** A function of the page script, by name, evaluated on its own (it uses nothing but its argument). */
function pageFunction(name: string, deps = ''): (...args: unknown[]) => unknown {
  const start = APP_JS.indexOf(`function ${name}(`);
  expect(start).toBeGreaterThan(0);
  let depth = 0;
  let end = APP_JS.indexOf('{', start);
  for (let i = end; i < APP_JS.length; i++) {
    if (APP_JS[i] === '{') depth++;
    else if (APP_JS[i] === '}' && --depth === 0) {
      end = i + 1;
      break;
    }
  }
  return new Function(`${deps}\n${APP_JS.slice(start, end)}\nreturn ${name};`)() as (...args: unknown[]) => unknown;
}

describe('dashboard page script: labels from the audit log', () => {
  it('bidi controls and invisible characters are shown as code points, not obeyed', () => {
    const hidden = /var HIDDEN = [^\n]*/.exec(APP_JS)?.[0] ?? '';
    const visible = pageFunction('visible', hidden);
    expect(visible('a\u202eb\u200bc')).toBe('a\u27e8U+202E\u27e9b\u27e8U+200B\u27e9c');
    expect(visible('injection')).toBe('injection');
  });

  it('shorten never cuts an emoji in half', () => {
    const shorten = pageFunction('shorten');
    const cut = shorten(`ab\u{1F600}cdef`, 4) as string;
    expect(cut).toBe('ab…');
    expect(shorten('abcdef', 4)).toBe('abc…');
  });
});
