/**
 * QA pass 12h: a JWT wrapped over lines (at 64 / 76 characters in a log or an e-mail, or broken after a dot) was
 * missed, or only its first line was reported (as a bearer token): the JWT finder read each part as one run of
 * base64url characters, ending at the line break. It now follows a part over a line break and indentation, and
 * reports the whole token over the original text. Unrelated lines are not joined: a line that starts with `eyJ`
 * never continues a part, a wrapped payload must decode to a JSON object, and a wrapped signature must end where it
 * has the length of a signature of the header's `alg`.
 */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/core/random.js';
import { scanText } from '../../src/core/scan.js';
import { detectSecrets, secretsDetector } from '../../src/detect/secrets/index.js';
import { expectLinearTime } from '../helpers/linear-time.js';

const rand = mulberry32(0x12a3e77);
const URLSAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
const r = (n: number): string => {
  let s = 'Q';
  while (s.length < n) s += URLSAFE[Math.floor(rand() * URLSAFE.length)];
  return s;
};
const b64url = (s: string): string => Buffer.from(s).toString('base64url');
const jwt = (header: object, payload: object, sigLength: number): string =>
  `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}.${r(sigLength)}`;

/** Hard-wraps `text` at `width` characters. */
const wrap = (text: string, width: number, indent = ''): string =>
  (text.match(new RegExp(`.{1,${width}}`, 'g')) ?? []).join(`\n${indent}`);

/** Findings as `rule:span` over the scanned text. */
const found = (text: string): string[] => detectSecrets(text).map((m) => `${m.rule}:${text.slice(m.start, m.end)}`);

const rs256 = jwt(
  { alg: 'RS256', typ: 'JWT', kid: 'k7Qz2Lm9Xw4Rt8Yp1Nb6Vc3Hd5Gf0Js' },
  { sub: 'u-77291', iss: 'https://id.acme-corp.io', aud: 'api', exp: 1900000000, scope: 'read write admin' },
  342,
);
const hs256 = jwt({ alg: 'HS256', typ: 'JWT' }, { sub: 'u-4410', role: 'admin', iat: 1716239022 }, 43);
const rs512 = jwt({ alg: 'RS512', typ: 'JWT' }, { sub: 'u-90210', exp: 1900000000 }, 683); // 4096-bit key
const es256 = jwt({ alg: 'ES256' }, { sub: 'svc-ingest', exp: 1900000000 }, 86);

describe('JWTs wrapped over lines', () => {
  it.each([
    ['RS256 at 64 columns', wrap(rs256, 64)],
    ['RS256 at 76 columns', wrap(rs256, 76)],
    ['HS256 at 64 columns', wrap(hs256, 64)],
    ['ES256 at 40 columns', wrap(es256, 40)],
    ['indented continuation lines', wrap(rs256, 64, '    ')],
    ['CRLF line breaks', wrap(rs256, 76).replace(/\n/g, '\r\n')],
    ['a break after each dot', rs256.replace(/\./g, '.\n')],
    ['a break before each dot', hs256.replace(/\./g, '\n.')],
    ['a break and indentation after each dot', es256.replace(/\./g, '.\n\t\t')],
    ['a break after each dot, and wrapped', wrap(rs256.replace(/\./g, '.\n'), 64)],
    // 512 characters (8 full lines) is also an RSA signature length: the full-width line end is not its end.
    ['a 4096-bit RS512 signature on its own lines', wrap(rs512.replace(/\./g, '.\n'), 64)],
  ])('%s: one JWT over the whole token', (_name, token) => {
    for (const text of [token, `token: ${token}\n`, `Authorization: Bearer ${token}\n\nThanks`]) {
      expect(found(text)).toEqual([`secrets.jwt:${token}`]);
    }
  });

  it('a line of text right after a wrapped token is not part of it', () => {
    for (const token of [wrap(hs256, 50), wrap(rs256, 64), wrap(rs512.replace(/\./g, '.\n'), 64)]) {
      const text = `${token}\nThanks\n`;
      expect(found(text)).toEqual([`secrets.jwt:${token}`]);
    }
  });

  it('the header line alone is no longer reported as a bearer token', () => {
    const text = `curl -H "Authorization: Bearer ${wrap(hs256, 40)}" https://api.internal`;
    expect(found(text)).toEqual([`secrets.jwt:${wrap(hs256, 40)}`]);
  });

  it('is found through the scan engine, at its offsets in the original text', () => {
    const token = wrap(rs256, 64, '  ');
    const text = `Ünïcödé ✓ log:\n  ${token}\nend`;
    const hits = scanText(text, { detectors: [secretsDetector] }).filter((f) => f.type === 'JWT');
    expect(hits.map((f) => text.slice(f.start, f.end))).toEqual([token]);
  });

  describe('unrelated lines are not joined', () => {
    it('a complete token followed by a base64 line', () => {
      const text = `${hs256}\n${r(60)}\n`;
      expect(found(text)).toEqual([`secrets.jwt:${hs256}`]);
    });

    it('tokens on consecutive lines stay separate', () => {
      const text = `${hs256}\n${es256}\n${rs256}`;
      expect(found(text)).toEqual([`secrets.jwt:${hs256}`, `secrets.jwt:${es256}`, `secrets.jwt:${rs256}`]);
    });

    it('a sentence ending with the header and payload is not signed by the next line', () => {
      const [header, payload] = hs256.split('.');
      const text = `The token was ${header}.${payload}.\nAuthenticationRequiredException was thrown next.`;
      expect(found(text)).toEqual([]);
    });

    it('a header-like line and base64 lines are not one token', () => {
      const text = `eyJhbGciOiJIUzI1NiJ9\n${r(64)}\n${r(64)}.${r(40)}\n`;
      expect(found(text).filter((f) => f.startsWith('secrets.jwt'))).toEqual([]);
    });

    it('a broken token before a real one does not hide it', () => {
      const text = `eyJhbGciOiJIUzI1NiJ9\n${hs256}\n`;
      expect(found(text)).toEqual([`secrets.jwt:${hs256}`]);
      const text2 = `eyJub3QiOiJhIGhlYWRlciJ9.\n${hs256}\n`;
      expect(found(text2)).toEqual([`secrets.jwt:${hs256}`]);
    });

    it('a wrapped payload must decode', () => {
      const [header, payload, sig] = hs256.split('.');
      const text = `${header}.${payload.slice(0, 20)}\n${r(17)}.${sig}`;
      expect(found(text).filter((f) => f.startsWith('secrets.jwt'))).toEqual([]);
    });

    it('a blank line ends a token', () => {
      const [header, payload] = hs256.split('.');
      expect(found(`${header}.\n\n${payload}.${r(43)}`).filter((f) => f.startsWith('secrets.jwt'))).toEqual([]);
    });
  });

  describe('linear time', () => {
    const repeatTo = (unit: string, n: number): string => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
    const [h, p] = hs256.split('.');
    it.each([
      ['headers with a dot, one per line', (n: number) => repeatTo('eyJhbGciOiJub25lIn0.\n', n)],
      ['headers without a dot, one per line', (n: number) => repeatTo('eyJhbGciOiJIUzI1NiJ9\n', n)],
      ['eyJ lines', (n: number) => repeatTo('eyJ\n', n)],
      ['long eyJ lines, indented', (n: number) => repeatTo(`eyJ${r(61)}\n    `, n)],
      ['header and payload, then short lines', (n: number) => `${h}.${p}.\n${repeatTo('x\n', n)}`],
      ['header, then base64 lines', (n: number) => `${h}\n${repeatTo(`${r(63)}\n`, n)}`],
      ['header and payload pairs over lines', (n: number) => repeatTo(`${h}.\n${p}.\n`, n)],
      ['dots and line breaks', (n: number) => repeatTo('eyJhbGciOiJIUzI1NiJ9\n.\n', n)],
      ['wrapped tokens', (n: number) => repeatTo(`${wrap(rs256, 64)}\n`, n)],
    ])('%s', { retry: 2 }, (_name, make) => {
      expectLinearTime(make, detectSecrets);
    });
  });
});
