/**
 * CRYPTO wallet addresses: Bitcoin legacy/P2SH (base58check, version 0x00 or 0x05), Bitcoin segwit
 * (bech32 / bech32m, `bc1…`) and Ethereum (`0x` + 40 hex digits; a mixed-case address must pass EIP-55).
 */
import * as contextModule from './context.js';
import type { Candidate, Recognizer, ScanContext } from './types.js';
import * as typesModule from './types.js';
import * as validatorsModule from './validators.js';

// Local bindings: loaders that rewrite imports into module-namespace lookups (vitest, tsx) would
// otherwise pay a property access on every call in the hot loops below.
const { contextList, hasContext } = contextModule;
const { clamp01, isWordCode } = typesModule;
const { base58CheckDecode, eip55, segwitAddress } = validatorsModule;

const CRYPTO_CONTEXT = contextList(
  'wallet',
  'bitcoin',
  'btc',
  'ethereum',
  'eth',
  'address',
  'crypto*',
  'send',
  'deposit',
  'usdt',
  'erc20',
  'metamask',
);

function isBase58Code(c: number): boolean {
  // 1-9, A-Z without I and O, a-z without l
  return (c >= 49 && c <= 57) || (c >= 65 && c <= 90 && c !== 73 && c !== 79) || (c >= 97 && c <= 122 && c !== 108);
}

const ETH_RE = /(?<![0-9A-Za-z_])0x[0-9a-fA-F]{40}(?![0-9A-Za-z_])/g;

function pushCrypto(ctx: ScanContext, out: Candidate[], start: number, end: number, base: number, rule: string): void {
  const score = base + (hasContext(ctx, start, end, CRYPTO_CONTEXT) ? 0.1 : 0);
  out.push({ type: 'CRYPTO', start, end, score: clamp01(score), rule, priority: 6 });
}

export const cryptoRecognizer: Recognizer = {
  id: 'pii.crypto',
  entityTypes: ['CRYPTO'],
  find(ctx, out) {
    const text = ctx.text;
    // Bitcoin legacy and segwit: alphanumeric tokens that contain a digit
    for (const t of ctx.digitTokens()) {
      const len = t.end - t.start;
      if (len < 26 || len > 62) continue;
      if (isWordCode(text.charCodeAt(t.start - 1)) || isWordCode(text.charCodeAt(t.end))) continue;
      const c0 = text.charCodeAt(t.start);
      if ((c0 === 49 || c0 === 51) && len <= 35) {
        let ok = true;
        for (let i = t.start; i < t.end; i++) if (!isBase58Code(text.charCodeAt(i))) ok = false;
        if (!ok) continue;
        const payload = base58CheckDecode(text.slice(t.start, t.end));
        if (payload && payload.length === 21 && (payload[0] === 0x00 || payload[0] === 0x05)) {
          pushCrypto(ctx, out, t.start, t.end, 0.9, 'pii.crypto.btc');
        }
        continue;
      }
      const head = text.slice(t.start, t.start + 3).toLowerCase();
      if ((head === 'bc1' || head === 'tb1') && segwitAddress(text.slice(t.start, t.end))) {
        pushCrypto(ctx, out, t.start, t.end, 0.9, 'pii.crypto.btc');
      }
    }
    // Ethereum: "0x" + 40 hex digits, found natively (a bounded, anchored regex)
    ETH_RE.lastIndex = 0;
    for (;;) {
      const m = ETH_RE.exec(text);
      if (!m) break;
      const p = m.index;
      const e = p + 42;
      const hex = m[0].slice(2);
      const mixed = hex !== hex.toLowerCase() && hex !== hex.toUpperCase();
      if (mixed) {
        if (eip55(m[0])) pushCrypto(ctx, out, p, e, 0.95, 'pii.crypto.eth');
      } else if (/[a-fA-F]/.test(hex) && /\d/.test(hex)) {
        pushCrypto(ctx, out, p, e, 0.6, 'pii.crypto.eth');
      }
    }
  },
};
