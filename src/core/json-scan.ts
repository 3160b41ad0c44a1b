/**
 * Index of the `}` closing the `{` at `start` in text that may hold JSON among prose (a model's reply),
 * skipping braces inside strings and escaped quotes; -1 when it never closes. One linear pass.
 */
export function matchingBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}
