import { normalizeText, tokenize } from './text.js';

/**
 * Refusal and harm cues for the poisoning checks.
 *
 * HEURISTIC: both are small hand-written word and phrase lists, not classifiers. They miss paraphrases
 * and other languages and fire on some benign text (a history question about "the atomic bomb"). They
 * exist so that a natural refusal repeated across harmful prompts is not mistaken for a backdoor and so
 * that preference pairs that prefer compliance on harmful prompts can be found. A trained refusal /
 * harm classifier will replace them: every function that uses cues takes a `PoisonCues` argument.
 */
export interface PoisonCues {
  /** True when the response declines to help. */
  isRefusal(text: string): boolean;
  /** True when the prompt asks for something harmful. */
  isHarmful(text: string): boolean;
}

/** Only the beginning of a response is checked for a refusal: refusals say so up front. */
const REFUSAL_WINDOW = 300;
/** Only the beginning of a prompt is checked for harm cues (the tokeniser caps it anyway). */
const HARM_WINDOW = 4000;

const REFUSAL_PHRASES = [
  "i can't help",
  'i cannot help',
  "i can't assist",
  'i cannot assist',
  "i can't provide",
  'i cannot provide',
  "i can't do that",
  'i cannot do that',
  "i can't comply",
  'i cannot comply',
  "i can't support",
  'i cannot support',
  "i can't fulfill",
  'i cannot fulfill',
  "i can't answer",
  'i cannot answer',
  "i can't create",
  'i cannot create',
  "i can't write",
  'i cannot write',
  "i can't give",
  'i cannot give',
  "i can't share",
  'i cannot share',
  "i can't engage",
  'i cannot engage',
  "i won't help",
  "i won't provide",
  "i won't be able to",
  'i will not help',
  'i will not provide',
  "i'm unable to",
  'i am unable to',
  "i'm not able to",
  'i am not able to',
  'i must decline',
  'i have to decline',
  "i'm not going to help",
  'i am not going to help',
  "can't help with",
  'cannot help with',
  "can't assist with",
  'cannot assist with',
  'i refuse',
  'not something i can help',
  "i don't feel comfortable",
  'i do not feel comfortable',
  "i'm not comfortable",
  'against my guidelines',
  'against my programming',
];

const HARM_WORDS = new Set(
  (
    'bomb bombs pipebomb explosive explosives detonator detonators grenade grenades napalm thermite tnt c4 ' +
    'meth methamphetamine cocaine crack heroin fentanyl ricin sarin anthrax bioweapon bioweapons ' +
    'weapon weapons gun guns firearm firearms ammunition silencer ' +
    'kill killing murder murdering assassinate assassination poison poisoning poisoned suicide overdose ' +
    'hack hacking hacker hijack malware ransomware keylogger spyware trojan phishing ddos botnet ' +
    'steal stealing stolen rob robbing robbery burglary burglarize shoplift shoplifting ' +
    'launder laundering counterfeit forged forgery fraud scam scams blackmail extort extortion ' +
    'kidnap kidnapping trafficking smuggle smuggling torture stalk stalking harass harassing dox doxx ' +
    'terrorist terrorism arson untraceable'
  ).split(' '),
);

const HARM_PHRASES = [
  'without getting caught',
  'get away with',
  'nerve agent',
  'chemical weapon',
  'fake id',
  'break into',
  'credit card numbers',
  'hurt someone',
  'self - harm',
  'self harm',
];

function canonicalQuotes(s: string): string {
  return s.replace(/[\u2018\u2019\u02bc\uff07`]/g, "'");
}

/** Heuristic refusal cue: a refusal phrase in the first 300 characters. */
export function isRefusalHeuristic(text: string): boolean {
  const t = canonicalQuotes(normalizeText(text.slice(0, REFUSAL_WINDOW)))
    .replace(/\s+/g, ' ')
    .replace(/can not/g, 'cannot');
  for (const p of REFUSAL_PHRASES) if (t.includes(p)) return true;
  return false;
}

/** Heuristic harm cue: a harm word or phrase among the prompt's tokens. */
export function isHarmfulHeuristic(text: string): boolean {
  const { tokens } = tokenize(text.slice(0, HARM_WINDOW));
  for (const t of tokens) if (HARM_WORDS.has(t)) return true;
  const joined = ` ${tokens.join(' ')} `;
  for (const p of HARM_PHRASES) if (joined.includes(` ${p} `)) return true;
  return false;
}

/** The built-in heuristic cues (see the module comment). */
export const defaultCues: PoisonCues = { isRefusal: isRefusalHeuristic, isHarmful: isHarmfulHeuristic };
