/**
 * QA pass 12h: AWS STS session tokens (`AWS_SESSION_TOKEN=IQoJb3JpZ2luX2Vj…`, the older `FwoGZXIvYXdz…`, the
 * `"SessionToken"` of `aws sts get-session-token`) were not found: no rule knew their format, and the generic rule
 * rejects values over 200 characters (real tokens are 300 to 1,000+). `secrets.aws-session-token` recognises the
 * fixed header every token generation starts with, with a bounded length.
 */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/core/random.js';
import { scanText } from '../../src/core/scan.js';
import { detectSecrets, secretsDetector } from '../../src/detect/secrets/index.js';
import { expectLinearTime } from '../helpers/linear-time.js';

const rand = mulberry32(0x12a5e55);
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const r = (alphabet: string, n: number): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(rand() * alphabet.length)];
  return s;
};
const b64url = (s: string): string => Buffer.from(s).toString('base64url');

/** Findings as `rule:span` over the scanned text. */
const found = (text: string): string[] => detectSecrets(text).map((m) => `${m.rule}:${text.slice(m.start, m.end)}`);

describe('AWS session tokens', () => {
  const modern = `IQoJb3JpZ2luX2Vj${r(B64, 900)}=`;
  const older = `FwoGZXIvYXdz${r(B64, 360)}`;
  const oldest = `FQoDYXdz${r(B64, 300)}`;

  it.each([
    ['an env var', modern, (s: string) => `export AWS_SESSION_TOKEN=${s}\n`],
    ['the older STS form', older, (s: string) => `AWS_SESSION_TOKEN="${s}"`],
    ['the 2016 STS form in a credentials file', oldest, (s: string) => `[tmp]\naws_session_token = ${s}\n`],
    [
      'get-session-token JSON',
      modern,
      (s: string) =>
        `{\n    "Credentials": {\n        "SessionToken": "${s}",\n        "Expiration": "2030-01-01T00:00:00+00:00"\n    }\n}`,
    ],
    ['a security-token header', older, (s: string) => `x-amz-security-token: ${s}\r\n`],
  ])('is found in %s, as one AWS_SESSION_TOKEN over exactly the token', (_name, token, wrap) => {
    const text = wrap(token);
    expect(found(text)).toEqual([`secrets.aws-session-token:${token}`]);
    expect(detectSecrets(text)[0].type).toBe('AWS_SESSION_TOKEN');
  });

  it('is found percent-encoded in a presigned URL', () => {
    const token = `IQoJb3JpZ2luX2Vj${r(B64, 500).replace(/\+/g, '%2B').replace(/\//g, '%2F')}%3D%3D`;
    const text = `https://bucket.s3.amazonaws.com/f.pdf?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Security-Token=${token}&X-Amz-Expires=300`;
    expect(found(text)).toEqual([`secrets.aws-session-token:${token}`]);
  });

  it('is found through the scan engine, at its offsets in the original text', () => {
    const text = `Ünïcödé ✓ creds:\nAWS_SESSION_TOKEN=${modern}\n`;
    const hits = scanText(text, { detectors: [secretsDetector] }).filter((f) => f.type === 'AWS_SESSION_TOKEN');
    expect(hits.map((f) => text.slice(f.start, f.end))).toEqual([modern]);
  });

  it('is reported next to the access key id and secret of the same credentials', () => {
    const id = `ASIA${r('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`;
    const secret = r(B64, 40);
    const text = `AWS_ACCESS_KEY_ID=${id}\nAWS_SECRET_ACCESS_KEY=${secret}\nAWS_SESSION_TOKEN=${modern}\n`;
    expect(detectSecrets(text).map((m) => m.type)).toEqual([
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_SESSION_TOKEN',
    ]);
  });

  describe('false positives', () => {
    const jwt = `${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url(JSON.stringify({ sub: 'u-5521', exp: 1900000000 }))}.${r(B64, 43).replace(/[+/]/g, 'x')}`;
    it.each([
      ['a base64 image', `<img src="data:image/png;base64,${Buffer.from(r(B64, 4000)).toString('base64')}">`],
      [
        'lockfile hashes',
        Array.from(
          { length: 30 },
          (_, i) =>
            `"node_modules/p${i}": {\n  "integrity": "sha512-${Buffer.from(r(B64, 64)).toString('base64')}"\n},`,
        ).join('\n'),
      ],
      ['a yarn.lock checksum', `  checksum: ${Buffer.from(r(B64, 96)).toString('hex')}\n`],
      ['a JWT', `Authorization: Bearer ${jwt}`],
      ['a long base64 run', r(B64, 20000)],
      ['a header glued inside a base64 run', `${r(B64, 300)}IQoJb3JpZ2luX2Vj${r(B64, 500)}`],
      ["AWS's documentation token", `AWS_SESSION_TOKEN=IQoJb3JpZ2luX2VjEXAMPLE${r(B64, 400)}`],
      ['a truncated token', 'AWS_SESSION_TOKEN=IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ...'],
      ['a masked token', `"SessionToken": "IQoJb3JpZ2luX2Vj${'x'.repeat(300)}"`],
      ['a token cut off with an ellipsis', `SessionToken: IQoJb3JpZ2luX2Vj${r(B64, 200)}...`],
      ['a repetitive blob', `AWS_SESSION_TOKEN=IQoJb3JpZ2luX2Vj${'AAAAAAAA'.repeat(60)}`],
    ])('nothing is reported as a session token in %s', (_name, text) => {
      expect(detectSecrets(text).filter((m) => m.type === 'AWS_SESSION_TOKEN')).toEqual([]);
    });
  });

  describe('linear time', () => {
    const repeatTo = (unit: string, n: number): string => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
    it.each([
      ['repeated headers (one run)', (n: number) => repeatTo('IQoJb3JpZ2luX2Vj', n)],
      ['repeated headers, space-separated', (n: number) => repeatTo('IQoJb3JpZ2luX2Vj ', n)],
      ['headers before long runs', (n: number) => repeatTo(`FQoDYXdz${r(B64, 5000)} `, n)],
      ['headers before runs over the limit', (n: number) => repeatTo(`FwoGZXIvYXdz${r(B64, 5000)}-`, n)],
      ['percent-encoded runs', (n: number) => repeatTo(`=IQoJb3JpZ2luX2Vj${'%2F'.repeat(2000)}`, n)],
    ])('%s', { retry: 2 }, (_name, make) => {
      expectLinearTime(make, detectSecrets);
    });
  });
});
