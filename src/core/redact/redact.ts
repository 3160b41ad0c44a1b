import { LifeguardError } from '../errors.js';
import type { Finding } from '../finding.js';
import { keyBytes, typeLabel } from './keys.js';
import type { OperatorEnv } from './operator.js';
import { vault as vaultOperator } from './operators/vault.js';
import { checkFindings, type ResolvedSpan, resolveOverlaps } from './overlap.js';
import { type Plan, planner } from './plan.js';
import { RedactionSession } from './session.js';
import type { RedactOptions, RedactResult, Replacement } from './types.js';
import { Vault } from './vault.js';

const TAG_TOKEN = /<[A-Z0-9_]+>/g;
/** The shape of a numbered tag, as the vault and the tag operator write them: `<LABEL_n>`. */
const NUMBERED_TAG = /^<([A-Z0-9_]+)_\d+>$/;
const VAULT_PLAN: Plan = { operator: vaultOperator, options: {} };

/**
 * With a vault, the numbered tags already written in the input (`<EMAIL_ADDRESS_1>` in a template or a pasted,
 * already redacted text) that no finding covers: `restore` replaces every tag the vault knows, so such a literal
 * came back as whatever value the vault held (or later gave) under that tag — another record's address — and the
 * round trip was not byte for byte. A literal the vault does not hold is reserved (it stands for itself and is
 * never handed out); one it holds for a value is returned as a span to replace with a tag of its own, whose
 * original is the literal. One pass over the tokens and the sorted spans.
 */
function literalTagSpans(text: string, spans: readonly ResolvedSpan[], vault: Vault): ResolvedSpan[] {
  if (!text.includes('<')) return [];
  const out: ResolvedSpan[] = [];
  let k = 0;
  for (const m of text.matchAll(TAG_TOKEN)) {
    const label = NUMBERED_TAG.exec(m[0])?.[1];
    if (label === undefined) continue;
    const start = m.index;
    const end = start + m[0].length;
    while (k < spans.length && (spans[k] as ResolvedSpan).end <= start) k++;
    if (k < spans.length && (spans[k] as ResolvedSpan).start < end) continue; // inside a finding: replaced with it
    if (vault.reserveLiteral(m[0])) continue;
    const finding: Finding = { detector: 'redact', type: label, start, end, score: 1, risk: 'privacy.pii' };
    out.push({ start, end, type: label, finding, merged: 1 });
  }
  return out;
}

/**
 * Replaces the findings in `text` according to `options.operator`.
 *
 * 1. Offsets are checked (UTF-16, `0 <= start <= end <= text.length`) and widened so they never split a
 *    surrogate pair; empty findings are ignored.
 * 2. Overlaps are resolved (`resolveOverlaps`): overlapping findings merge into one span covering them all,
 *    typed after the longest (then highest-score) member.
 * 3. Every operator in use is checked once (keys, vault, options) before anything is replaced.
 * 4. Replacements are computed in reading order (so tag numbers follow the text) and spliced in from
 *    right to left, so every span's input offsets stay valid while the text changes.
 *
 * Neither the result's `replacements` nor any error carries an original value.
 */
export function redact(text: string, findings: readonly Finding[], options: RedactOptions): RedactResult {
  if (typeof text !== 'string') throw new LifeguardError('LG_ERR_INPUT_INVALID', 'redact expects text to be a string');
  if (typeof options !== 'object' || options === null) {
    throw new LifeguardError('LG_ERR_INPUT_INVALID', 'redact expects options, e.g. { operator: "tag" }');
  }
  const found = resolveOverlaps(checkFindings(text, findings));
  const planFor = planner(options);
  const env: OperatorEnv = {
    key: keyBytes(options.key),
    vault: options.vault,
    session: options.session ?? new RedactionSession(),
  };
  const foundPlans = found.map((span) => planFor(span.type));
  const checked = new Set<Plan>();
  for (const plan of foundPlans) {
    if (checked.has(plan)) continue;
    plan.operator.check?.(plan.options, env);
    checked.add(plan);
  }
  // Only once every check has passed, so a failing call leaves the vault as it was.
  const literals =
    options.reserveLiteralTags && options.vault instanceof Vault ? literalTagSpans(text, found, options.vault) : [];
  let spans = found;
  let plans = foundPlans;
  if (literals.length > 0) {
    const literalSet: ReadonlySet<ResolvedSpan> = new Set(literals);
    spans = [...found, ...literals].sort((a, b) => a.start - b.start);
    plans = spans.map((span) => (literalSet.has(span) ? VAULT_PLAN : planFor(span.type)));
  }

  const existingTags: ReadonlySet<string> = new Set(
    spans.length > 0 || options.session !== undefined ? (text.match(TAG_TOKEN) ?? []) : [],
  );
  // A shared session remembers the numbered tags written in its inputs: a later call (the next JSONL record)
  // skipped only the tags in its own text, so a literal `<EMAIL_ADDRESS_1>` in one record and a value tagged
  // `<EMAIL_ADDRESS_1>` in a later one shared a tag in the run's output.
  if (options.session !== undefined) {
    for (const t of existingTags) if (NUMBERED_TAG.test(t)) env.session.markIssued(t);
  }
  const outputs = spans.map((span, i) => {
    const plan = plans[i] as Plan;
    const out = plan.operator.apply(
      {
        // Spelled out rather than spread: a spread here made the context object ~10x slower to build.
        key: env.key,
        vault: env.vault,
        session: env.session,
        type: span.type,
        label: typeLabel(span.type),
        value: text.slice(span.start, span.end),
        text,
        start: span.start,
        end: span.end,
        existingTags,
      },
      plan.options,
    );
    if (typeof out !== 'string') {
      throw new LifeguardError(
        'LG_ERR_INPUT_INVALID',
        `operator "${plan.operator.name}" returned ${typeof out} instead of a string for a ${span.type} finding`,
      );
    }
    return out;
  });

  const parts: string[] = [];
  let cursor = text.length;
  for (let i = spans.length - 1; i >= 0; i--) {
    const span = spans[i]!;
    parts.push(text.slice(span.end, cursor), outputs[i]!);
    cursor = span.start;
  }
  parts.push(text.slice(0, cursor));

  let delta = 0;
  const replacements: Replacement[] = spans.map((span, i) => {
    const replacement = outputs[i]!;
    const newStart = span.start + delta;
    delta += replacement.length - (span.end - span.start);
    return {
      type: span.type,
      operator: (plans[i] as Plan).operator.name,
      start: span.start,
      end: span.end,
      replacement,
      newStart,
      newEnd: newStart + replacement.length,
    };
  });
  return { text: parts.reverse().join(''), replacements };
}
