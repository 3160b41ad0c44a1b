/**
 * Structural signals: hand-written cues for short hostile text that n-grams alone learn slowly from
 * small data (an imperative override of earlier instructions, role-play framing, an encoded payload,
 * instructions addressed to an AI inside a document). Each is a fixed feature the model weighs.
 *
 * Every pattern runs on the normalised, lower-cased text and is built from literals, character classes
 * and bounded gaps only — no nested or unbounded quantifiers over overlapping classes — so matching is
 * linear in the text length.
 */
export interface Signal {
  id: string;
  pattern: RegExp;
}

const GAP = '(?:[^.!?\\n]{0,40}?)';

const signal = (id: string, source: string): Signal => ({ id, pattern: new RegExp(source) });

export const SIGNALS: readonly Signal[] = [
  signal(
    'override-previous',
    `\\b(?:ignore|disregard|forget|override|bypass|skip|drop|abandon)\\b${GAP}\\b(?:previous|prior|above|earlier|preceding|original|initial|all|any|your|the|system)\\b${GAP}\\b(?:instructions?|directions?|rules?|prompts?|guidelines?|constraints?|polic(?:y|ies)|programming|restrictions?|commands?|context|messages?|tasks?)\\b`,
  ),
  signal(
    'forget-everything',
    '\\b(?:ignore|forget|disregard|ignoriere|vergiss|olvida|ignora|oublie|ignorez)\\b(?:[^.!?\\n]{0,12}?)\\b(?:everything|all|that|the above|above|what i said|alles|todo|tout|tutto|vorherigen|anteriores|précédentes)\\b',
  ),
  signal(
    'praise-then-pivot',
    "\\b(?:well done|great|excellent|fantastic|very good|that is enough|that's enough|okay|ok|good job|simply great|perfect|sehr gut|super)\\b(?:[^\\n]{0,40}?)\\b(?:now|but now|jetzt|nun|ahora|maintenant)\\b",
  ),
  signal(
    'pivot-task',
    '\\b(?:new|another|next|following|different|neue|nueva|nouvelle) (?:task|tasks|challenge|assignment|aufgabe|tarea|tâche)\\b',
  ),
  signal(
    'new-instructions',
    '\\b(?:new|updated|real|actual|secret|hidden|additional|important) (?:instructions?|task|directive|orders?|system prompt)\\b',
  ),
  signal(
    'from-now-on',
    '\\b(?:from now on|starting now|for the rest of this conversation|for this conversation only)\\b',
  ),
  signal(
    'you-are-now',
    "\\b(?:you are now|you will now|you're now|act as|pretend (?:to be|you are)|roleplay as|role-play as|play the role of|you will be|simulate|immerse yourself)\\b",
  ),
  signal(
    'no-restrictions',
    '\\b(?:no|without|free (?:of|from)|not bound by|unrestricted|unfiltered|uncensored|no longer (?:bound|restricted|have to))\\b(?:[^.!?\\n]{0,30}?)\\b(?:restrictions?|filters?|limits?|limitations?|rules?|guidelines?|ethics|ethical|morals?|censorship|policies|policy|boundaries)\\b',
  ),
  signal(
    'jailbreak-names',
    '\\b(?:dan|dude|stan|aim|jailbreak|jailbroken|developer mode|dev mode|god mode|evil|unhinged|anti-dan|mongo tom)\\b',
  ),
  signal(
    'system-prompt',
    '\\b(?:system prompt|system message|initial instructions|hidden prompt|your instructions|your prompt|above text|text above|instructions above)\\b',
  ),
  signal('reveal', '\\b(?:reveal|repeat|print|output|show|display|leak|tell me|spell out|verbatim)\\b'),
  signal(
    'addressed-to-ai',
    '\\b(?:ai assistant|language model|chatbot|assistant|chatgpt|gpt|llm|ai model|claude|gemini|llama)\\b',
  ),
  signal('urgency', '\\b(?:important|urgent|attention|warning|note to|notice|critical|immediately|must)\\b'),
  signal(
    'markup-tags',
    '(?:<\\/?(?:information|instructions?|system|admin|im_start|im_end|s|inst)>|\\[\\/?(?:inst|system)\\]|###|<\\|)',
  ),
  signal(
    'answer-format-trick',
    '\\b(?:start (?:your|the) (?:answer|response|reply) with|begin (?:your|the) (?:answer|response) with|respond only with)\\b',
  ),
  signal(
    'tool-action',
    '\\b(?:send|forward|email|transfer|delete|execute|run|download|upload|post|click|visit|navigate)\\b',
  ),
  signal(
    'refusal-suppression',
    "\\b(?:do not|don't|never) (?:apologi[sz]e|refuse|say (?:you )?(?:can't|cannot)|include (?:any )?(?:warnings?|disclaimers?)|mention)\\b",
  ),
  signal(
    'hypothetical',
    '\\b(?:hypothetical(?:ly)?|fictional|in a story|for a novel|imagine|purely for research|educational purposes)\\b',
  ),
  signal(
    'first-person-refusal',
    "\\b(?:i (?:can(?:no|')t|cannot|won't|will not|am (?:not able|unable)|'m (?:not able|unable|sorry)|must (?:decline|refuse)|apologi[sz]e)|as an ai|i'm sorry|sorry, but)\\b",
  ),
  signal(
    'harm-verbs',
    '\\b(?:kill|murder|bomb|weapon|explosive|poison|hack|steal|fraud|launder|traffick|exploit|malware|ransomware|meth|suicide)\\b',
  ),
  signal(
    'second-person-insult',
    "\\b(?:you|u|ur|you're|youre) (?:are )?(?:a |an )?(?:idiot|stupid|moron|dumb|pathetic|worthless|trash|loser)\\b",
  ),
];

/** Ids of the signals that fire on normalised text. */
export function firedSignals(normalised: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < SIGNALS.length; i++) if (SIGNALS[i].pattern.test(normalised)) out.push(i);
  return out;
}
