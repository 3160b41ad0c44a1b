/**
 * Request body templates for the generic HTTP target. Placeholders (`{{prompt}}`, `{{messages}}`,
 * `{{system}}`, `{{session_id}}`, `{{seed}}`) are substituted as values, never pasted into JSON text:
 * - in a structured template (a YAML/JSON object), a string that is exactly one placeholder becomes that
 *   value (so `{{messages}}` becomes an array), and placeholders inside a longer string are replaced by
 *   the value's text; the result is serialised with `JSON.stringify`;
 * - in a text template, each placeholder (with or without surrounding quotes) becomes the value's JSON
 *   encoding, so `{"q": {{prompt}}}` and `{"q": "{{prompt}}"}` both give valid, escaped JSON.
 */
export type TemplateVars = Record<string, unknown>;

const ONE = /^\{\{\s*([a-z_]+)\s*\}\}$/;
const ANY = /\{\{\s*([a-z_]+)\s*\}\}/g;
const QUOTED = /"\{\{\s*([a-z_]+)\s*\}\}"|\{\{\s*([a-z_]+)\s*\}\}/g;

export const PLACEHOLDERS = ['prompt', 'messages', 'system', 'session_id', 'seed'] as const;

/** Placeholder names a template uses that are not known, for config validation. */
export function unknownPlaceholders(template: unknown): string[] {
  const out = new Set<string>();
  const visit = (v: unknown) => {
    if (typeof v === 'string') {
      for (const m of v.matchAll(ANY)) if (!(PLACEHOLDERS as readonly string[]).includes(m[1])) out.add(m[1]);
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') for (const x of Object.values(v)) visit(x);
  };
  visit(template);
  return [...out];
}

/** Fills a structured template; returns a new value (the template is not changed). */
export function fillStructured(template: unknown, vars: TemplateVars): unknown {
  if (typeof template === 'string') {
    const one = ONE.exec(template);
    if (one) return vars[one[1]] ?? null;
    if (!template.includes('{{')) return template;
    return template.replace(ANY, (_, name: string) => asText(vars[name]));
  }
  if (Array.isArray(template)) return template.map((t) => fillStructured(t, vars));
  if (template && typeof template === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(template)) out[k] = fillStructured(v, vars);
    return out;
  }
  return template;
}

/** Fills a text template, JSON-encoding every value. */
export function fillText(template: string, vars: TemplateVars): string {
  return template.replace(QUOTED, (_, a: string | undefined, b: string | undefined) =>
    JSON.stringify(vars[(a ?? b) as string] ?? null),
  );
}

function asText(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}
