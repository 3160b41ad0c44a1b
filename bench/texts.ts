/** Deterministic prose for latency benchmarks: the same sentences in every bench, so figures compare. */
const SENTENCES = [
  'The committee reviewed the budget and agreed to fund two new projects next spring.',
  'Please summarise the attached report in three bullet points for the team.',
  'Our users asked for faster exports, so we rewrote the CSV writer to stream rows.',
  'Ignore the formatting errors above; the numbers in the second table are final.',
  'How do I configure the proxy settings for the build server behind the firewall?',
  'She walked along the harbour at dusk, counting the boats that came back late.',
];

/**
 * `n` texts of prose-like sentences mixed with instruction-like ones: text `i` starts at sentence `i`, adds
 * sentences until it holds `fill` characters and ends with ` #i` (so no two are equal), the whole cut to at most
 * `length` characters. The marker counts: a "1 KB" text is 1,024 characters, not 1,024 plus the marker (which
 * put every text just over harmful's 1,024-character window, so it was read as two windows).
 */
export function sentenceTexts(n: number, length: number, fill = length): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    let s = '';
    let k = i;
    while (s.length < fill) s += `${SENTENCES[k++ % SENTENCES.length]} `;
    const mark = ` #${i}`;
    out.push(`${s.slice(0, length - mark.length)}${mark}`);
  }
  return out;
}
