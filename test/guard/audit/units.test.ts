import { describe, expect, it } from 'vitest';
import {
  AUDIT_ID_PATTERN,
  auditIdTime,
  EXCERPT_MAX_CHARS,
  newAuditId,
  parseTimeBound,
  prepareEvent,
  scrubText,
} from '../../../src/guard/audit/index.js';
import { EMAIL, event, GITHUB_TOKEN, PHONE } from './suite.js';

describe('audit ids', () => {
  it('are 26 base32 characters that carry their time and sort by it', () => {
    const t = Date.UTC(2026, 5, 1, 12);
    const id = newAuditId(t);
    expect(id).toMatch(AUDIT_ID_PATTERN);
    expect(auditIdTime(id)).toBe(t);
    expect(newAuditId(t + 1) > id).toBe(true);
    expect(newAuditId(t - 1) < id).toBe(true);
  });

  it('increase within one millisecond and never repeat', () => {
    const t = Date.now();
    const ids = Array.from({ length: 10_000 }, () => newAuditId(t));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });
});

describe('scrubText', () => {
  it('redacts an email, a phone number and a GitHub token with tags', () => {
    expect(scrubText(`Please contact ${EMAIL} or ${PHONE}, token ${GITHUB_TOKEN} thanks`)).toBe(
      'Please contact <EMAIL_ADDRESS_1> or <PHONE_NUMBER_1>, token <GITHUB_TOKEN_1> thanks',
    );
  });

  it("redacts people's names too (the name tagger, as the guard's PII check finds them)", () => {
    const out = scrubText('Please write to my colleague Margaret Thompson about the budget.');
    expect(out).not.toContain('Margaret');
    expect(out).not.toContain('Thompson');
    expect(out).toMatch(/<PERSON_1>/);
  });

  it('finds values before cutting, so a value crossing the limit is never half-kept', () => {
    const out = scrubText(`${'a '.repeat(90)}${GITHUB_TOKEN} and more words after it`);
    expect(out).toBe(`${'a '.repeat(90)}<GITHUB_TOKEN_1> an…`);
    // A tag the cut would split is left out whole.
    expect(scrubText(`${'a '.repeat(95)}${GITHUB_TOKEN} and more words after it`)).toBe(`${'a '.repeat(95)}…`);
  });

  it('keeps nothing from near the end of the scan window of a very long text', () => {
    // The token straddles the 4096-character scan window; redaction shrinks the text before it a lot.
    const emails = Array.from({ length: 140 }, (_, i) => `u${i}.person@example.com`).join(' ');
    const text = `${emails}${' '.repeat(Math.max(0, 4080 - emails.length))}${GITHUB_TOKEN} tail`;
    const out = scrubText(text);
    expect(out.length).toBeLessThanOrEqual(EXCERPT_MAX_CHARS);
    expect(out).not.toMatch(/ghp_|example\.com/);
    expect(out.endsWith('…')).toBe(true);
  });

  it('drops control characters (PostgreSQL cannot store NUL) and never splits a surrogate pair', () => {
    expect(scrubText('a\u0000b\u0007c\nd')).toBe('a b c\nd');
    const out = scrubText('😀'.repeat(150));
    expect(out.length).toBeLessThanOrEqual(EXCERPT_MAX_CHARS);
    expect(out).toBe(`${'😀'.repeat(99)}…`);
  });
});

describe('prepareEvent', () => {
  it('fills in the id and time and keeps an API key out of apiKeyId', () => {
    const e = prepareEvent(event({ apiKeyId: GITHUB_TOKEN }), 1_700_000_000_000);
    expect(e.ts).toBe(1_700_000_000_000);
    expect(auditIdTime(e.id)).toBe(e.ts);
    expect(e.apiKeyId).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(prepareEvent(event({ apiKeyId: 'team-a' })).apiKeyId).toBe('team-a');
  });

  it('names what is wrong', () => {
    expect(() => prepareEvent(event({ action: 'nuke' as never }))).toThrow(/action/);
    expect(() => prepareEvent(event({ latencyMs: -1 }))).toThrow(/latencyMs/);
    expect(() => prepareEvent(event({ id: 'not-an-id' }))).toThrow(/audit id/);
    expect(() => prepareEvent({} as never)).toThrow(/requestId/);
  });
});

describe('parseTimeBound', () => {
  const now = Date.UTC(2026, 0, 10);
  it('reads durations back from now, ISO dates and epoch milliseconds', () => {
    expect(parseTimeBound('90s', now)).toBe(now - 90_000);
    expect(parseTimeBound('15m', now)).toBe(now - 900_000);
    expect(parseTimeBound('1h', now)).toBe(now - 3_600_000);
    expect(parseTimeBound('7d', now)).toBe(now - 7 * 86_400_000);
    expect(parseTimeBound('2w', now)).toBe(now - 14 * 86_400_000);
    expect(parseTimeBound('1.5h', now)).toBe(now - 5_400_000);
    expect(parseTimeBound('2026-01-09T12:00:00Z', now)).toBe(Date.UTC(2026, 0, 9, 12));
    expect(parseTimeBound('2026-01-09', now)).toBe(Date.UTC(2026, 0, 9));
    expect(parseTimeBound('1767225600000', now)).toBe(1_767_225_600_000);
  });

  it('refuses anything else with the accepted forms', () => {
    for (const bad of ['yesterday', '1y', '', '-1h', '2026-13-45']) {
      expect(() => parseTimeBound(bad, now)).toThrow(/30m, 1h, 7d/);
    }
  });
});
