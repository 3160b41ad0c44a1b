/**
 * A tiny JSON path: `$`, `.name`, `['name']` / `["name"]`, `[3]`, `[-1]` (from the end). Parsed once by a
 * linear scanner; evaluation walks the steps. No filters, wildcards or eval.
 */
export type PathStep = string | number;

export function parseJsonPath(path: string): PathStep[] {
  const steps: PathStep[] = [];
  let i = 0;
  const n = path.length;
  if (path[0] === '$') i = 1;
  const fail = (why: string): never => {
    throw new Error(`bad JSON path "${path}" at ${i}: ${why} (use e.g. $.choices[0].message.content)`);
  };
  while (i < n) {
    const c = path[i];
    if (c === '.') {
      i++;
      const start = i;
      while (i < n && path[i] !== '.' && path[i] !== '[') i++;
      if (i === start) fail('empty name after "."');
      steps.push(path.slice(start, i));
    } else if (c === '[') {
      i++;
      const q = path[i];
      if (q === '"' || q === "'") {
        i++;
        let name = '';
        while (i < n && path[i] !== q) {
          if (path[i] === '\\' && i + 1 < n) i++;
          name += path[i];
          i++;
        }
        if (path[i] !== q) fail('unclosed quote');
        i++;
        steps.push(name);
      } else {
        const start = i;
        if (path[i] === '-') i++;
        while (i < n && path[i] >= '0' && path[i] <= '9') i++;
        const num = path.slice(start, i);
        if (num === '' || num === '-') fail('expected an index or a quoted name');
        steps.push(Number(num));
      }
      if (path[i] !== ']') fail('expected "]"');
      i++;
    } else if (steps.length === 0 && i === 0) {
      // a bare first name: `output.text`
      const start = i;
      while (i < n && path[i] !== '.' && path[i] !== '[') i++;
      steps.push(path.slice(start, i));
    } else {
      fail(`unexpected "${c}"`);
    }
  }
  return steps;
}

/** The value at `steps`, or `undefined` when any step is missing. */
export function evalJsonPath(value: unknown, steps: readonly PathStep[]): unknown {
  let v: unknown = value;
  for (const s of steps) {
    if (v === null || typeof v !== 'object') return undefined;
    if (typeof s === 'number') {
      if (!Array.isArray(v)) return undefined;
      v = v[s < 0 ? v.length + s : s];
    } else {
      if (!Object.hasOwn(v, s)) return undefined;
      v = (v as Record<string, unknown>)[s];
    }
  }
  return v;
}
