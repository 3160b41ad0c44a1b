/**
 * The CI gate: a small expression language over a run's metrics, parsed by hand (no `eval`, no regex
 * backtracking, linear in the expression's length). The expression is a FAIL condition:
 *
 *   asr > 5%                                   fails when the overall ASR exceeds 5 %
 *   asr[attack=base64] >= 0.1 or over_refusal_rate > 0.2
 *   asr[category="Harassment/Discrimination"] > 0, error_rate > 1%   (comma: each clause is checked on its own)
 *
 * Grammar: list := clause (',' clause)* ; clause := or ; or := and (('or' | '||') and)* ;
 * and := not (('and' | '&&') not)* ; not := ('not' | '!') not | '(' or ')' | operand op operand ;
 * op := > >= < <= == != ; operand := number ['%'] | metric ['[' key '=' value (',' key '=' value)* ']'].
 * Selector values are bare (up to the next `,` or `]`, trimmed) or quoted with ' or ".
 */
import { LifeguardError } from '../../core/errors.js';
import type { Interval } from '../metrics/index.js';

export type CmpOp = '>' | '>=' | '<' | '<=' | '==' | '!=';

export interface Selector {
  key: string;
  value: string;
  pos: number;
}

export type Operand =
  | { kind: 'num'; value: number; pos: number; text: string }
  | { kind: 'metric'; name: string; selectors: Selector[]; pos: number; text: string };

export type GateNode =
  | { kind: 'or' | 'and'; left: GateNode; right: GateNode }
  | { kind: 'not'; arg: GateNode }
  | { kind: 'cmp'; op: CmpOp; left: Operand; right: Operand; pos: number };

export interface GateClauseAst {
  node: GateNode;
  /** The clause's source text, trimmed. */
  text: string;
  pos: number;
}

function fail(src: string, pos: number, what: string): never {
  const col = Math.min(pos, src.length);
  const shown = src.length > 200 ? `${src.slice(0, 200)}…` : src;
  const caret = col <= 200 ? `\n  ${shown}\n  ${' '.repeat(col)}^` : '';
  throw new LifeguardError('LG_ERR_CONFIG_INVALID', `gate expression: ${what} at position ${col + 1}${caret}`);
}

const isDigit = (c: string) => c >= '0' && c <= '9';
const isIdentStart = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
const isIdent = (c: string) => isIdentStart(c) || isDigit(c);
const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r';

const MAX_EXPR = 10_000;
const MAX_DEPTH = 64;

class Parser {
  i = 0;
  depth = 0;
  constructor(readonly src: string) {}

  ws(): void {
    while (this.i < this.src.length && isSpace(this.src[this.i])) this.i++;
  }

  peekWord(): string {
    let j = this.i;
    while (j < this.src.length && isIdent(this.src[j])) j++;
    return this.src.slice(this.i, j);
  }

  /** Consumes a keyword (`and`) or symbol (`&&`) if it comes next. */
  eat(word: string, symbol: string): boolean {
    this.ws();
    if (this.src.startsWith(symbol, this.i)) {
      this.i += symbol.length;
      return true;
    }
    if (this.peekWord().toLowerCase() === word) {
      this.i += word.length;
      return true;
    }
    return false;
  }

  list(): GateClauseAst[] {
    const clauses: GateClauseAst[] = [];
    for (;;) {
      this.ws();
      const start = this.i;
      if (this.i >= this.src.length || this.src[this.i] === ',') fail(this.src, this.i, 'expected a condition');
      const node = this.or();
      this.ws();
      clauses.push({ node, text: this.src.slice(start, this.i).trim(), pos: start });
      if (this.i >= this.src.length) return clauses;
      if (this.src[this.i] !== ',') {
        fail(this.src, this.i, `unexpected "${this.src[this.i]}" (expected "and", "or", "," or the end)`);
      }
      this.i++;
    }
  }

  or(): GateNode {
    let left = this.and();
    while (this.eat('or', '||')) left = { kind: 'or', left, right: this.and() };
    return left;
  }

  and(): GateNode {
    let left = this.not();
    while (this.eat('and', '&&')) left = { kind: 'and', left, right: this.not() };
    return left;
  }

  not(): GateNode {
    this.ws();
    if (++this.depth > MAX_DEPTH) fail(this.src, this.i, `nesting deeper than ${MAX_DEPTH}`);
    try {
      if (this.src[this.i] === '!' && this.src[this.i + 1] !== '=') {
        this.i++;
        return { kind: 'not', arg: this.not() };
      }
      const w = this.peekWord().toLowerCase();
      if (w === 'not') {
        this.i += 3;
        return { kind: 'not', arg: this.not() };
      }
      if (this.src[this.i] === '(') {
        this.i++;
        const inner = this.or();
        this.ws();
        if (this.src[this.i] !== ')') fail(this.src, this.i, 'expected ")"');
        this.i++;
        return inner;
      }
      return this.comparison();
    } finally {
      this.depth--;
    }
  }

  comparison(): GateNode {
    this.ws();
    const pos = this.i;
    const left = this.operand();
    this.ws();
    const op = this.op();
    const right = this.operand();
    if (left.kind === 'num' && right.kind === 'num') fail(this.src, pos, 'a comparison needs a metric on one side');
    return { kind: 'cmp', op, left, right, pos };
  }

  op(): CmpOp {
    const two = this.src.slice(this.i, this.i + 2);
    if (two === '>=' || two === '<=' || two === '==' || two === '!=') {
      this.i += 2;
      return two;
    }
    const one = this.src[this.i];
    if (one === '>' || one === '<') {
      this.i++;
      return one;
    }
    if (one === '=') fail(this.src, this.i, 'use "==" to compare for equality');
    return fail(this.src, this.i, 'expected a comparison operator (> >= < <= == !=)');
  }

  operand(): Operand {
    this.ws();
    const pos = this.i;
    const c = this.src[this.i] ?? '';
    if (isDigit(c) || c === '.' || c === '-' || c === '+') return this.number();
    if (!isIdentStart(c)) {
      return fail(
        this.src,
        this.i,
        c === '' ? 'expected a metric or a number, found the end' : 'expected a metric or a number',
      );
    }
    const name = this.peekWord();
    this.i += name.length;
    let end = this.i;
    const selectors: Selector[] = [];
    this.ws();
    if (this.src[this.i] === '[') {
      this.i++;
      for (;;) {
        this.ws();
        const kpos = this.i;
        const key = this.peekWord();
        if (key === '') fail(this.src, this.i, 'expected a selector name (attack or category)');
        this.i += key.length;
        this.ws();
        if (this.src[this.i] !== '=') fail(this.src, this.i, 'expected "=" after the selector name');
        this.i++;
        this.ws();
        const value = this.selectorValue();
        selectors.push({ key, value, pos: kpos });
        this.ws();
        if (this.src[this.i] === ',') {
          this.i++;
          continue;
        }
        if (this.src[this.i] === ']') {
          this.i++;
          break;
        }
        fail(this.src, this.i, 'expected "," or "]" in the selector');
      }
      end = this.i;
    }
    return { kind: 'metric', name, selectors, pos, text: this.src.slice(pos, end) };
  }

  selectorValue(): string {
    const q = this.src[this.i];
    if (q === '"' || q === "'") {
      const start = this.i + 1;
      const end = this.src.indexOf(q, start);
      if (end < 0) fail(this.src, this.i, `unterminated quoted value (missing ${q})`);
      this.i = end + 1;
      return this.src.slice(start, end);
    }
    const start = this.i;
    while (this.i < this.src.length && this.src[this.i] !== ',' && this.src[this.i] !== ']') this.i++;
    const value = this.src.slice(start, this.i).trim();
    if (value === '') fail(this.src, start, 'expected a selector value');
    return value;
  }

  number(): Operand {
    const pos = this.i;
    if (this.src[this.i] === '-' || this.src[this.i] === '+') this.i++;
    const digitsStart = this.i;
    while (this.i < this.src.length && isDigit(this.src[this.i])) this.i++;
    let digits = this.i - digitsStart;
    if (this.src[this.i] === '.') {
      this.i++;
      const fracStart = this.i;
      while (this.i < this.src.length && isDigit(this.src[this.i])) this.i++;
      digits += this.i - fracStart;
    }
    const text = this.src.slice(pos, this.i);
    if (digits === 0) fail(this.src, pos, 'expected a number');
    let value = Number(text);
    this.ws();
    let shown = text;
    if (this.src[this.i] === '%') {
      this.i++;
      // Shift the decimal point rather than divide: 1.1 / 100 is 0.011000000000000001, above a rate of 11/1000.
      value = Number(`${text}e-2`);
      shown += '%';
    }
    if (!Number.isFinite(value)) fail(this.src, pos, 'expected a finite number');
    return { kind: 'num', value, pos, text: shown };
  }
}

/** Parses a gate expression into its comma-separated clauses; throws `LG_ERR_CONFIG_INVALID` with the position. */
export function parseGate(expr: string): GateClauseAst[] {
  if (typeof expr !== 'string' || expr.trim() === '') {
    throw new LifeguardError('LG_ERR_CONFIG_INVALID', 'gate expression: empty (example: "asr > 0.05")');
  }
  if (expr.length > MAX_EXPR) {
    throw new LifeguardError('LG_ERR_CONFIG_INVALID', `gate expression: longer than ${MAX_EXPR} characters`);
  }
  return new Parser(expr).list();
}

/** A metric's value as the gate sees it, with words for the failure message. */
export interface MetricValue {
  value: number;
  /** e.g. `12.0% (12/100, 95% CI 6.8–19.9%)`. */
  describe: string;
  /**
   * Set when the metric has no data (n = 0), saying why (`every item failed (200 errors); nothing was
   * judged`). A clause that reads such a metric FAILS whatever its comparison says: a gate must not pass
   * on a placeholder 0.
   */
  noData?: string;
}

/** What the gate can read: a run summary or a comparison supply one. */
export interface MetricSource {
  metrics: readonly string[];
  selectors: readonly string[];
  /**
   * The values a metric can take (`[0, 1]` for a rate), when bounded: a number above them compared with it
   * is a mistake (`asr > 5` meant 5 %, and would never fail), refused rather than evaluated.
   */
  range?(name: string): readonly [number, number] | undefined;
  /** Returns the value or throws `LG_ERR_CONFIG_INVALID` (unknown selector value: list the valid ones). */
  value(name: string, selectors: Readonly<Record<string, string>>, fail: (what: string) => never): MetricValue;
}

export interface GateClause {
  /** The clause as written. */
  expr: string;
  /** True when the clause's fail condition holds. */
  failed: boolean;
  /** The metrics the clause reads, with their values. */
  values: string;
  /** True when the clause failed because a metric it reads has no data (n = 0). */
  noData?: boolean;
}

export interface GateResult {
  pass: boolean;
  /** One line per failing clause: the clause and the actual values. */
  failures: string[];
  clauses: GateClause[];
}

export const fmtPct = (x: number, digits = 1) => `${(x * 100).toFixed(digits)}%`;

/** `12.0% (12/100, 95% CI 6.8–19.9%)`, or `no data (n = 0)`: not a rate of 0%. */
export function describeInterval(iv: Interval): string {
  if (iv.n === 0) return 'no data (n = 0)';
  return `${fmtPct(iv.rate)} (${iv.k}/${iv.n}, 95% CI ${fmtPct(iv.low)}–${fmtPct(iv.high)})`;
}

/**
 * Values this close are equal: rates are k/n and deltas differences of two, so 3/10 − 1/10 is
 * 0.19999999999999998, which `asr_delta >= 0.2` must read as 0.2. Distinct rates of runs up to a million
 * items lie further apart.
 */
const EPSILON = 1e-12;

function compare(op: CmpOp, x: number, y: number): boolean {
  const [a, b] = Math.abs(x - y) <= EPSILON ? [x, x] : [x, y];
  switch (op) {
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '==':
      return a === b;
    case '!=':
      return a !== b;
  }
}

/** Parses and evaluates a gate over any metric source (unknown names are errors even in unevaluated branches). */
export function evaluateGateOn(expr: string, source: MetricSource): GateResult {
  const clauses = parseGate(expr);
  const resolved = new Map<Operand, MetricValue>();
  const resolve = (o: Operand) => {
    if (o.kind === 'num') return;
    const at = (what: string): never => fail(expr, o.pos, what);
    if (!source.metrics.includes(o.name)) {
      at(`unknown metric "${o.name}" (valid metrics: ${source.metrics.join(', ')})`);
    }
    const sel: Record<string, string> = {};
    for (const s of o.selectors) {
      if (!source.selectors.includes(s.key)) {
        fail(expr, s.pos, `unknown selector "${s.key}" (valid selectors: ${source.selectors.join(', ') || 'none'})`);
      }
      if (s.key in sel) fail(expr, s.pos, `selector "${s.key}" given twice`);
      sel[s.key] = s.value;
    }
    resolved.set(o, source.value(o.name, sel, at));
  };
  // Only above: `asr > 5` passes silently forever, while `asr > -1` fails every run and is soon noticed.
  const inRange = (m: Operand, num: Operand) => {
    if (m.kind !== 'metric' || num.kind !== 'num') return;
    const r = source.range?.(m.name);
    if (r && num.value > r[1]) {
      const hint = num.text.endsWith('%') ? '' : ` (a percentage is written ${num.text}%)`;
      fail(expr, num.pos, `${num.text} is above ${m.name}'s range ${r[0]} to ${r[1]}${hint}`);
    }
  };
  const walk = (n: GateNode): void => {
    if (n.kind === 'cmp') {
      resolve(n.left);
      resolve(n.right);
      inRange(n.left, n.right);
      inRange(n.right, n.left);
    } else if (n.kind === 'not') walk(n.arg);
    else {
      walk(n.left);
      walk(n.right);
    }
  };
  for (const c of clauses) walk(c.node);

  const val = (o: Operand) => (o.kind === 'num' ? o.value : resolved.get(o)!.value);
  const evaluate = (n: GateNode): boolean => {
    if (n.kind === 'cmp') return compare(n.op, val(n.left), val(n.right));
    if (n.kind === 'not') return !evaluate(n.arg);
    if (n.kind === 'and') return evaluate(n.left) && evaluate(n.right);
    return evaluate(n.left) || evaluate(n.right);
  };
  const out: GateClause[] = clauses.map((c) => {
    const seen = new Map<string, string>();
    let noData = false;
    const collect = (n: GateNode): void => {
      if (n.kind === 'cmp') {
        for (const o of [n.left, n.right]) {
          if (o.kind !== 'metric' || seen.has(o.text)) continue;
          const v = resolved.get(o)!;
          if (v.noData !== undefined) noData = true;
          seen.set(o.text, v.noData !== undefined ? `no data (n = 0): ${v.noData}` : v.describe);
        }
      } else if (n.kind === 'not') collect(n.arg);
      else {
        collect(n.left);
        collect(n.right);
      }
    };
    collect(c.node);
    const values = [...seen].map(([k, v]) => `${k} = ${v}`).join('; ');
    // A metric without data has no value to compare: the clause fails rather than passing on a placeholder 0.
    if (noData) return { expr: c.text, failed: true, values: `${values} (the gate fails without data)`, noData };
    return { expr: c.text, failed: evaluate(c.node), values };
  });
  return {
    pass: out.every((c) => !c.failed),
    failures: out.filter((c) => c.failed).map((c) => `${c.expr}: ${c.values}`),
    clauses: out,
  };
}
