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
 * sentences until it holds `fill` characters, is cut to `length` and ends with ` #i` (so no two are equal).
 */
export function sentenceTexts(n: number, length: number, fill = length): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    let s = '';
    let k = i;
    while (s.length < fill) s += `${SENTENCES[k++ % SENTENCES.length]} `;
    out.push(`${s.slice(0, length)} #${i}`);
  }
  return out;
}
