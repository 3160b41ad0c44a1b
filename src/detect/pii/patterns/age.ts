/**
 * AGE: a number of years that describes a person's age. The span is the number only:
 * "34 years old", "34-year-old", "34 y/o", "34 years of age", "aged 34", "age: 34", "at the age of 34",
 * "turned 34", and, weaker, "she was 34." / "I'm 34,".
 */
import type { Candidate, Recognizer } from './types.js';
import * as typesModule from './types.js';

// Local bindings: loaders that rewrite imports into module-namespace lookups (vitest, tsx) would
// otherwise pay a property access on every call in the hot loops below.
const { isDigitCode, isWordCode, wordBefore } = typesModule;

/** The unit must end the word: "27yo," but not "0YO27g" or base64 "27yo+Q". */
const AFTER_STRONG_RE =
  /(?:[- ]?(?:years?|yrs?|yo)[- ](?:old|of age)(?![A-Za-z0-9_+=])|[- ]?(?:y\/o|y\.o\.|yo)(?![A-Za-z0-9_+=]))/iy;
const BEFORE_STRONG_RE = /(?:^|[^A-Za-z])(?:aged|age|ages|age of|age is|age was|age:|age -|ages of)\s{0,2}$/i;
const BEFORE_TURN_RE = /(?:^|[^A-Za-z])(?:turn|turns|turned|turning|reach|reached|reaching)\s$/i;
const BEFORE_BE_RE =
  /(?:^|[^A-Za-z])(?:i['’]m|i am|he['’]s|she['’]s|he is|she is|he was|she was|i was|they['’]re|they are|you['’]re|you are|who is|who was)\s$/i;
/** What may follow a weak age ("turned 47", "she was 34."): end of clause or a time word, not a unit. */
const AFTER_WEAK_RE =
  /(?:[ \t]{0,8}(?:$|\r?\n)|[ \t]{0,8}[.,;:!?)]|[ \t]{1,8}(?:years?|this|next|last|today|tomorrow|now|soon|in|on|and|when|but|so|yesterday)\b)/iy;

/** The last word of every "before" pattern, for a cheap first test. */
const LAST_WORDS: ReadonlySet<string> = new Set([
  'aged',
  'age',
  'ages',
  'of',
  'is',
  'was',
  'turn',
  'turns',
  'turned',
  'turning',
  'reach',
  'reached',
  'reaching',
  'm',
  's',
  're',
  'am',
  'are',
]);

export const ageRecognizer: Recognizer = {
  id: 'pii.age',
  entityTypes: ['AGE'],
  find(ctx, out: Candidate[]) {
    const text = ctx.text;
    for (const run of ctx.numberRuns()) {
      if (run.groups.length !== 1 || run.plus || run.groups[0] > 3) continue;
      const s = run.start;
      const e = run.end;
      if (text.charCodeAt(s) === 40) continue;
      const prev = text.charCodeAt(s - 1);
      // a word boundary before the number; '/', '+' and '=' are base64 and paths, '.', ',', '-' other numbers
      if (isWordCode(prev) || prev === 46 || prev === 44 || prev === 36 || prev === 35 || prev === 45) continue;
      if (prev === 47 || prev === 43 || prev === 61) continue;
      const next = text.charCodeAt(e);
      const unit = next === 121 || next === 89; // "34yo" / "34y/o" are fine
      if (isWordCode(next) && !unit) continue;
      if ((next === 46 || next === 44) && isDigitCode(text.charCodeAt(e + 1))) continue;
      const v = Number(run.digits);
      if (v > 125) continue;
      AFTER_STRONG_RE.lastIndex = e;
      if ((next === 32 || next === 45 || unit) && AFTER_STRONG_RE.test(text)) {
        out.push({ type: 'AGE', start: s, end: e, score: 0.85, rule: 'pii.age', priority: 4 });
        continue;
      }
      // "34yz", "34y/oz": a letter right after the number is only allowed as the unit
      if (unit) continue;
      // the other forms have a word and a space (or "age:") before the number
      if (prev !== 32 && prev !== 58 && prev !== 0xa0) continue;
      if (!LAST_WORDS.has(wordBefore(text, s, ':-', 3).word)) continue;
      const before = text.slice(Math.max(0, s - 16), s);
      if (BEFORE_STRONG_RE.test(before)) {
        out.push({ type: 'AGE', start: s, end: e, score: 0.8, rule: 'pii.age', priority: 4 });
        continue;
      }
      AFTER_WEAK_RE.lastIndex = e;
      if (!AFTER_WEAK_RE.test(text)) continue;
      if (BEFORE_TURN_RE.test(before)) {
        out.push({ type: 'AGE', start: s, end: e, score: 0.6, rule: 'pii.age', priority: 4 });
      } else if (BEFORE_BE_RE.test(before) && v >= 1) {
        out.push({ type: 'AGE', start: s, end: e, score: 0.45, rule: 'pii.age', priority: 4 });
      }
    }
  },
};
