/**
 * The next numbered tag `<LABEL_n>` for a label: counts up from the label's counter past every tag
 * `taken` rejects, stores the new count and returns the tag. Shared by sessions and vaults so both
 * number tags the same way.
 */
export function nextTag(label: string, counters: Map<string, number>, taken: (tag: string) => boolean): string {
  let n = counters.get(label) ?? 0;
  let tag: string;
  do {
    n += 1;
    tag = `<${label}_${n}>`;
  } while (taken(tag));
  counters.set(label, n);
  return tag;
}
