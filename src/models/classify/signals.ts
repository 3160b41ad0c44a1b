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
  /** A conjunction: fires only when `pattern` matches and one of these (earlier) signals fired too. */
  anyOf?: readonly string[];
}

const GAP = '(?:[^.!?\\n]{0,40}?)';
/** Derogatory words and harms that negation or counter-speech may surround (toxicity signals). */
const DEROGATORY =
  'hate|inferior|disgusting|scum|vermin|worthless|filth|filthy|subhuman|animals|parasites|rats|trash|stupid|evil|dangerous|criminals|pathetic|disgrace|threaten|hurt|attack|harass|killed|deported|a plague|a disease';
/** A straight or typographic apostrophe (normalisation keeps both). */
const AP = "['\u2019]";

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
  // --- Instructions about the reader's own output, as injected into documents and tool results. ---
  signal(
    'about-your-output',
    '\\b(?:in|to|into|from|with|start|begin|end) your (?:answer|response|reply|output|summary|translation|next message)s?\\b|\\byour (?:answer|response|reply|output) (?:must|should|has to|needs to)\\b',
  ),
  signal(
    'when-you-read',
    '\\b(?:when|while|after|before|once|if) you (?:summari[sz]e|read|process|answer|reply|respond|translate|see|parse|analy[sz]e)\\b|\\b(?:before|after|instead of) (?:answering|responding|replying|summari[sz]ing|translating|completing)\\b',
  ),
  signal(
    'ai-reader',
    '\\b(?:ai|assistant|model|agent|llm|chatbot|bot|gpt)s? (?:reading|processing|summari[sz]ing|parsing|browsing|visiting|that reads|who reads)\\b|\\b(?:attention|dear|hey|note to|message to|to any|to all) (?:the )?(?:ai|assistant|language model|llm|agent|chatbot|ai model|ai agents?)\\b',
  ),
  signal(
    'respond-only',
    "\\b(?:respond|reply|answer|output) (?:only|solely|exclusively|just) (?:with|in|using)\\b|\\b(?:do not|don't|never) (?:tell|inform|alert|mention (?:this|it) to) the user\\b",
  ),
  // An instruction to the reader inside something that reads like a document (mail headers, greetings and
  // sign-offs, markdown, code, several lines): what separates an injected instruction from a user's own.
  {
    id: 'instruction-in-document',
    pattern:
      /(?:\b(?:subject|from|to|cc|date|sent|received|regards|sincerely|dear|hi|hello|best|thanks|cheers)\b\s?[:,]|@[a-z0-9-]{2,40}\.[a-z]{2,6}\b|https?:\/\/|```|^#{1,4} |\n[^\n]{0,200}\n[^\n]{0,200}\n)/m,
    anyOf: [
      'override-previous',
      'new-instructions',
      'about-your-output',
      'when-you-read',
      'ai-reader',
      'respond-only',
      'addressed-to-ai',
      'markup-tags',
    ],
  },
  // --- How an answer refuses or complies (the refusal task reads the start of an answer). ---
  signal(
    'cannot-help',
    `\\bi(?: |${AP}m )(?:can(?:no|${AP})?t|can not|won${AP}t|will not|am unable|${AP}?m unable|am not able|not able|must (?:respectfully )?(?:decline|refuse)|(?:have|need) to decline|do not feel comfortable|don${AP}t feel comfortable|am not comfortable|not comfortable|afraid i can)\\b`,
  ),
  signal(
    'cannot-help-first',
    `^[^\\n]{0,60}?\\bi(?: |${AP}m )(?:can(?:no|${AP})?t|can not|won${AP}t|will not|am unable|unable|am not able|not able|must (?:respectfully )?(?:decline|refuse))\\b`,
  ),
  signal('apology', '\\b(?:sorry|my apologies|i apologi[sz]e|apologies,? but|unfortunately,? i)\\b'),
  signal(
    'as-an-ai',
    `\\b(?:as an ai|as a language model|as an? (?:responsible |ethical )?(?:ai|assistant)|i${AP}m (?:just )?an ai|i am (?:just )?an ai|i${AP}m not (?:able|programmed|designed)|not within my programming)\\b`,
  ),
  signal(
    'not-appropriate',
    `\\b(?:(?:not|never|in no way) (?:appropriate|ethical|acceptable|okay|advisable|legal|safe|responsible)|against (?:my|the|our) (?:ethical |content |usage )?(?:guidelines|policies|policy|principles|programming)|ethical (?:guidelines|standards|principles)|(?:illegal|unethical|harmful) and (?:unethical|illegal|harmful|dangerous|immoral))\\b`,
  ),
  signal(
    'important-to-note',
    `\\b(?:it is|it${AP}s|it is always|it${AP}s always) (?:important|crucial|essential|worth noting|vital) to (?:note|remember|respect|prioriti[sz]e|understand|recogni[sz]e|consider|emphasi[sz]e)\\b`,
  ),
  signal(
    'seek-professional',
    '\\b(?:seek|seeking|consult|contact|reach out to|talk to|speak (?:to|with)|call) (?:(?:professional |medical |immediate )?(?:help|support|advice)|(?:a |an |with a |your |the )?(?:local )?(?:professional|doctor|therapist|counsel(?:l)?or|lawyer|attorney|healthcare|medical|mental health|crisis|hotline|authorities|law enforcement|trusted|qualified|licensed))\\b',
  ),
  signal(
    'redirect-offer',
    `\\b(?:however|but|instead|that said|alternatively|if you(?:${AP}re| are) interested),? (?:i (?:can|could|would be happy|am happy)|i${AP}d be happy|i${AP}m happy|here (?:is|are)|here${AP}s|you (?:can|could|might|may) (?:consider|try|look))\\b`,
  ),
  signal(
    'no-access',
    `\\bi (?:do not|don${AP}t) have (?:access|the ability|personal|real-time|any (?:information|access|way))\\b`,
  ),
  signal(
    'compliance-opening',
    `^[^a-z0-9]{0,12}(?:sure|certainly|of course|absolutely|yes|great|here (?:is|are)|here${AP}s|okay|ok|to [a-z]{2,20} (?:a|an|the|your)|the (?:best|main|most))\\b`,
  ),
  signal('list-structure', '\\n[ \\t]{0,4}(?:\\d{1,2}[.)]|[-*•]|step \\d{1,2}:?) '),
  // --- Hate speech that is negated, quoted or condemned is not hate (toxicity). ---
  signal(
    'negated-derogation',
    `\\b(?:(?:don${AP}t|do not|never|won${AP}t|will not) (?:hate|despise|look down on|threaten|hurt|attack|harass|insult)|(?:are not|aren${AP}t|is not|isn${AP}t|never (?:say|said|call|claim|believe|think)|nobody should|no one should)\\b[^.!?\\n]{0,40}?\\b(?:${DEROGATORY}))\\b`,
  ),
  signal(
    'condemn-hate',
    `\\b(?:hateful|hurtful|bigot(?:s|ry|ed)?|racist|sexist|homophobic|transphobic|unacceptable|ignorant|hate speech|called (?:him|her|them) out|reported (?:it|the|that|this|him|her)|should be ashamed|educate yourself|no excuse for|never acceptable|not acceptable)\\b`,
  ),
  signal('quoted-speech', '["\u201c][^"\u201d\\n]{3,120}["\u201d]'),
];

const masks = new WeakMap<readonly string[], Uint8Array>();

/** Which signals a list of ids turns on, cached per list. */
function enabledMask(only: readonly string[]): Uint8Array {
  let m = masks.get(only);
  if (!m) {
    m = new Uint8Array(SIGNALS.length);
    for (let i = 0; i < SIGNALS.length; i++) if (only.includes(SIGNALS[i].id)) m[i] = 1;
    masks.set(only, m);
  }
  return m;
}

/** Ids of the signals that fire on normalised text (only those in `only`, when given). */
export function firedSignals(normalised: string, only?: readonly string[]): number[] {
  const out: number[] = [];
  const on = only ? enabledMask(only) : undefined;
  for (let i = 0; i < SIGNALS.length; i++) {
    if (on && on[i] === 0) continue;
    const sig = SIGNALS[i];
    if (sig.anyOf && !out.some((j) => sig.anyOf?.includes(SIGNALS[j].id))) continue;
    if (sig.pattern.test(normalised)) out.push(i);
  }
  return out;
}
