/**
 * Request body templates for the generic HTTP target. Placeholders (`{{prompt}}`, `{{messages}}`,
 * `{{system}}`, `{{session_id}}`, `{{seed}}`) are substituted as values, never pasted into JSON text:
 * - in a structured template (a YAML/JSON object), a string that is exactly one placeholder becomes that
 *   value (so `{{messages}}` becomes an array), and placeholders inside a longer string are replaced by
 *   the value's text; the result is serialised with `JSON.stringify`;
 * - in a text template, each placeholder (with or without surrounding quotes) becomes the value's JSON
 *   encoding, so `{"q": {{prompt}}}` and `{"q": "{{prompt}}"}` both give valid, escaped JSON; inside a
 *   longer JSON string (`{"q": "User: {{prompt}}"}`) it becomes the value's text, escaped for that string.
 */
export type TemplateVars = Record<string, unknown>;

const ONE = /^\{\{\s*([a-z_]+)\s*\}\}$/;
const ANY = /\{\{\s*([a-z_]+)\s*\}\}/g;

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

/** A placeholder at a given position (sticky). */
const AT = /\{\{\s*([a-z_]+)\s*\}\}/y;

/**
 * Fills a text template, JSON-encoding every value. A placeholder that is a whole JSON string (`"{{prompt}}"`)
 * or stands outside any string (`{{messages}}`) becomes the value's JSON; one inside a longer JSON string
 * (`"User says: {{prompt}}"`) becomes the value's text, escaped for that string. (Replacing that one with the
 * quoted JSON too made `"User says: "hi""`: invalid JSON, which the endpoint rejected.) The scan knows JSON
 * strings and their escapes, in one pass.
 */
export function fillText(template: string, vars: TemplateVars): string {
  if (!template.includes('{{')) return template;
  let out = '';
  let inString = false;
  let stringStart = -1; // index in `out` of the open quote of the current string
  for (let i = 0; i < template.length; ) {
    const c = template[i];
    if (c === '{' && template[i + 1] === '{') {
      AT.lastIndex = i;
      const m = AT.exec(template);
      if (m) {
        const end = i + m[0].length;
        const value = vars[m[1]];
        if (!inString) out += JSON.stringify(value ?? null);
        else if (stringStart === out.length - 1 && template[end] === '"') {
          // the whole string is the placeholder: the value's JSON replaces the string, quotes included
          out = out.slice(0, stringStart) + JSON.stringify(value ?? null);
          inString = false;
          i = end + 1;
          continue;
        } else out += JSON.stringify(asText(value)).slice(1, -1);
        i = end;
        continue;
      }
    }
    if (inString && c === '\\' && i + 1 < template.length) {
      out += c + template[i + 1];
      i += 2;
      continue;
    }
    if (c === '"') {
      inString = !inString;
      if (inString) stringStart = out.length;
    }
    out += c;
    i++;
  }
  return out;
}

function asText(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}
