/** `--keep-last` only means something to the mask operator: without one in --operator it is refused. */
import { describe, expect, it } from 'vitest';
import { parseOperatorList } from '../../src/core/redact/index.js';
import { runCli } from './helpers.js';

const TEXT = 'card 4111 1111 1111 1111 and mail jo@example.com\n';

describe('lifeguard redact --keep-last', () => {
  // Before: `--operator tag --keep-last 4` exited 0 and tagged everything: the flag was silently dropped.
  it('is refused when no operator in the spec is mask', () => {
    for (const op of ['tag', 'hash', 'default=tag,EMAIL_ADDRESS=replace']) {
      const r = runCli(['redact', '--fast', '--operator', op, '--keep-last', '4', '-'], TEXT, {
        LIFEGUARD_REDACT_KEY: 'qa9 keep-last key, 16+ bytes',
      });
      expect(r.status, op).toBe(2);
      expect(r.stdout, op).toBe('');
      expect(r.stderr, op).toContain('LG_ERR_CONFIG_INVALID');
      expect(r.stderr, op).toMatch(/--keep-last works with the mask operator only/);
    }
  });

  it('applies to the mask entries only when some are mask', () => {
    const r = runCli(['redact', '--fast', '--operator', 'default=tag,CREDIT_CARD=mask', '--keep-last', '4', '-'], TEXT);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('card ***************1111 and mail <EMAIL_ADDRESS_1>\n');
    expect(parseOperatorList('default=mask,PERSON=tag', 4)).toEqual({
      default: { operator: 'mask', options: { keepLast: 4 } },
      PERSON: 'tag',
    });
  });

  it('is still accepted with mask, and not needed without it', () => {
    expect(parseOperatorList('mask', 0)).toBe('mask');
    expect(parseOperatorList('tag')).toBe('tag');
    expect(() => parseOperatorList('tag', 0)).toThrow(/--keep-last/);
  });
});
