/**
 * Functional hate-speech contrasts in the spirit of HateCheck (Röttger et al., 2021), with our own
 * templates: the same target and words, hateful or not depending on negation, counter-speech,
 * quotation, positive statements, or abuse aimed at things rather than people. Bag-of-n-gram models
 * learn "identity word = toxic" from tweets; these pairs teach them what actually makes text hateful.
 */
type Rand = () => number;
const pick = <T>(rand: Rand, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];

const GROUPS = [
  'women',
  'men',
  'trans people',
  'gay people',
  'lesbians',
  'black people',
  'white people',
  'asians',
  'immigrants',
  'refugees',
  'muslims',
  'jews',
  'christians',
  'hindus',
  'disabled people',
  'old people',
  'mexicans',
  'arabs',
  'indigenous people',
  'foreigners',
];
const SLURLESS_INSULTS = [
  'vermin',
  'trash',
  'scum',
  'parasites',
  'animals',
  'disgusting',
  'a plague',
  'worthless',
  'subhuman',
  'filth',
];
const HATE: ((g: string, i: string, r: Rand) => string)[] = [
  (g, i) => `${cap(g)} are ${i}.`,
  (g) => `I hate ${g}.`,
  (g, i) => `All ${g} are ${i} and should be treated like it.`,
  (g) => `${cap(g)} should not be allowed to live here.`,
  (g) => `We need to get rid of all ${g}.`,
  (g, _i, r) =>
    `${cap(g)} are ${pick(r, ['stupid', 'criminals', 'a disease', 'ruining everything', 'lesser beings'])}.`,
  (g) => `The world would be better without ${g}.`,
  (g) => `${cap(g)} deserve to suffer.`,
  (g) => `Never trust ${g}, they are all liars.`,
  (g, i) => `Typical ${g}, ${i} as always.`,
  (g) => `I'd never hire any of those ${g}.`,
  (g) => `Why are ${g} so dumb?`,
];
const NOT_HATE: ((g: string, i: string, r: Rand) => string)[] = [
  (g) => `I love ${g}.`,
  (g) => `${cap(g)} are welcome here.`,
  (g) => `${cap(g)} deserve the same rights as everyone else.`,
  (g, i) => `${cap(g)} are not ${i}.`,
  (g) => `I don't hate ${g} at all.`,
  (g, i) => `Saying "${g} are ${i}" is hateful and wrong.`,
  (g, i) => `If you call ${g} ${i}, you're the problem.`,
  (g) => `Stop spreading hate about ${g}.`,
  (g, i, r) =>
    `${pick(r, ['My neighbour', 'A man on the bus', 'Someone online'])} said ${g} are ${i}. That's disgusting of him.`,
  (g) => `Many of my friends are ${g}.`,
  (g) => `${cap(g)} have contributed so much to this country.`,
  (g) => `There is no excuse for discrimination against ${g}.`,
  (g) => `How can we make ${g} feel safer in our city?`,
  (g) => `I am one of the ${g} in this town and proud of it.`,
];
/** Profanity and abuse that target no protected group: offensive maybe, not hate. */
const NOT_HATE_PROFANE = [
  'Fuck yeah, what a great game!',
  'This traffic is shit.',
  'Holy shit, I passed the exam!',
  'Damn, that pizza was good.',
  'My printer is a useless piece of junk.',
  'This weather is absolute garbage.',
  'What the hell is going on with my code?',
  'I hate Mondays.',
  'I hate this stupid phone.',
  'Pineapple on pizza is disgusting.',
  'That movie was trash.',
];

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function hateFunctional(rand: Rand, count: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let k = 0; k < count; k++) {
    const g = pick(rand, GROUPS);
    const i = pick(rand, SLURLESS_INSULTS);
    const r = rand();
    if (r < 0.45) out.push({ __value: pick(rand, HATE)(g, i, rand), __label: true, __categories: ['hate'] });
    else if (r < 0.9) out.push({ __value: pick(rand, NOT_HATE)(g, i, rand), __label: false, __categories: [] });
    else out.push({ __value: pick(rand, NOT_HATE_PROFANE), __label: false, __categories: ['profanity'] });
  }
  return out;
}
