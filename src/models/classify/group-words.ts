/**
 * Social-group words, for features that should not learn any group's name as evidence. Benchmarks of harmful
 * requests name some groups far more often than benign data does (hate-speech prompts about Muslims or trans
 * people), so a model learns the name itself and flags a benign question that uses it
 * (`scripts/bias-probe.ts`). Masking reads them all as one word.
 *
 * Only unambiguous group words: words with everyday senses — colours ("black market", "white paper"),
 * nationality adjectives ("Chinese food"), "straight", "trans", "disabled" ("disabled the firewall") — stay,
 * except in phrases such as "black people" or "disabled people".
 */
const WORDS = [
  'muslims?',
  'moslems?',
  'islamic',
  'christians?',
  'jews',
  'jewish',
  'hindus?',
  'buddhists?',
  'sikhs?',
  'atheists?',
  'catholics?',
  'protestants?',
  'mormons?',
  'gays?',
  'lesbians?',
  'bisexuals?',
  'homosexuals?',
  'heterosexuals?',
  'queer',
  'lgbtq?',
  'transgender',
  'non-binary',
  'nonbinary',
  'immigrants?',
  'migrants?',
  'refugees?',
  'latinos?',
  'latinas?',
  'hispanics?',
  'arabs?',
  'africans?',
  'asians?',
  'mexicans?',
  '(?:black|white|brown|asian|chinese|indian|african|trans|disabled|straight) (?:people|men|women|person|persons|folks|americans)',
];

/** Word-bounded, on lower-cased text; one pass, literal alternatives only (linear time). */
const GROUP = new RegExp(`\\blgbtq?\\+|\\b(?:${WORDS.join('|')})\\b`, 'g');

/** `text` (lower-cased) with every group word or phrase replaced by `group`. */
export function maskGroupWords(text: string): string {
  return text.replace(GROUP, 'group');
}
