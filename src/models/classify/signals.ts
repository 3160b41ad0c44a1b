/**
 * Structural signals: hand-written cues for short hostile text that n-grams alone learn slowly from
 * small data (an imperative override of earlier instructions, role-play framing, an encoded payload,
 * instructions addressed to an AI inside a document). Each is a fixed feature the model weighs.
 *
 * Every pattern runs on the normalised, lower-cased text and is built from literals, character classes
 * and bounded gaps only — no nested or unbounded quantifiers over overlapping classes — so matching is
 * linear in the text length.
 */
import { indexText, Prefilter } from './signal-prefilter.js';

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
/** What an override aims at: the model's set-up, in the languages the multilingual signals read. */
const SETUP_NOUN =
  '(?:instructions?|rules?|prompts?|guidelines?|directions?|directives?|orders?|commands?|context|information|text|tasks?|messages?|conversation|input|content|settings|constraints?|polic(?:y|ies)|programming|everything|anweisungen|informationen|vorgaben|regeln|befehle|aufgaben|instrucciones|reglas|indicaciones|consignes|règles|istruzioni|regole)';

/** People as the object of a violent verb (the difference between killing a process and killing a person). */
const PERSON_NOUNS = `him|her|them|me|someone|somebody|anyone|people|persons?|humans?|(?:a|an|the|this|that) (?:man|woman|child|kid|baby|girl|boy|person|human|stranger|cop|police officer|officer|teacher|student|classmate|coworker|neighbou?r|politician|judge|witness|protester|journalist|senator|president|old man|old woman|toddler)|(?:my|his|her|their|our) (?:wife|husband|partner|ex|ex-wife|ex-husband|boyfriend|girlfriend|boss|coworker|co-worker|colleague|neighbou?r|roommate|teacher|mother|father|mom|mum|dad|sister|brother|son|daughter|child|children|kids?|baby|family|friends?|classmates?|landlord|stepfather|stepmother|step-?dad|step-?mom|uncle|aunt|cousin|grandmother|grandfather|wife${AP}s \\w{2,12}|husband${AP}s \\w{2,12})|children|kids|civilians|protesters|a crowd|crowds|students|police officers|cops|voters|women|men|jews|muslims|christians|immigrants|refugees|black people|gay people|trans people|asians|mexicans|arabs`;

/** Protected groups named in the plural (toxicity's target-aware signals): religion, ethnicity, nationality,
 * gender, sexuality, disability, age. Other groups — jobs, hobbies, politics — are `OTHER_GROUPS`. */
const PROTECTED_GROUPS =
  'women|men|girls|females|trans(?:gender)? (?:people|women|men|folks|kids)|transgenders?|gays|gay (?:people|men|women|folks|couples?)|lesbians|bisexuals|queers|homosexuals|lgbtq?|(?:black|white|brown|asian|chinese|indian|african|jewish|muslim|disabled|autistic|deaf|blind|old|elderly|indigenous|native|non-binary|nonbinary) (?:people|folks|men|women|kids|americans|families|athletes|persons)|blacks|asians|indians|latinos|latinas|hispanics|mexicans|arabs|jews|muslims|moslems|christians|hindus|sikhs|catholics|mormons|immigrants|migrants|refugees|asylum seekers|foreigners|people with disabilities|the disabled|the elderly|pensioners|roma|gypsies|pakistanis|africans';
/** Groups no hate-speech definition protects: abuse of them is rude, not hateful. */
const OTHER_GROUPS =
  'politicians|lawyers|landlords|bankers|cyclists|drivers|motorists|influencers|telemarketers|journalists|reporters|cops|managers|bosses|ceos|billionaires|millionaires|tourists|critics|trolls|referees|celebrities|hipsters|vegans|gamers|boomers|millennials|zoomers|estate agents|salesmen|salespeople|marketers|bureaucrats|executives|lobbyists|spammers|scammers|anti-?vaxxers|flat earthers|conspiracy theorists|liberals|conservatives|republicans|democrats|tories|socialists|communists|fascists|nazis|racists|bigots|paedophiles|pedophiles|murderers|people who|anyone who|those who|tech bros|crypto bros|teenagers';
/** Predicates that demean or dehumanise people. */
const DEMEANING =
  'vermin|cockroach(?:es)?|rats|parasites?|leeches|maggots|animals|beasts|dogs|pigs|apes|monkeys|savages|insects|snakes|pests|subhuman|less than human|not human|lesser beings|a (?:disease|plague|cancer|virus|pest|burden|drain|waste|menace|threat|stain)|an? (?:infestation|invasion|invading army)|invaders|infest\\w{0,3}|swarm\\w{0,3}|breed\\w{0,3} like|inferior|worthless|useless|stupid|dumb|brainless|disgusting|revolting|repulsive|vile|filthy|dirty|evil|scum|trash|garbage|filth|criminals|rapists|terrorists|thugs|crooks|liars|thieves|freaks|perverts|degenerates?|abominations?|not normal|primitive|backward|barbaric|lazy|greedy';
/** Praise of people. */
const PRAISE =
  'amazing|awesome|brave|wonderful|brilliant|incredible|generous|kind|kindest|heroes|legends?|beautiful|talented|strong|smart|clever|backbone|joy|proud|welcome|welcomed|lovely|inspiring|inspirational|hilarious|funny|badass|great|fantastic|valued|valuable|wise|wisdom|rule|rock|the best|deserve (?:respect|rights|dignity|equality|happiness|every|better|love|to be (?:safe|happy|heard|respected))|loving|caring|hard-?working|resilient|heroic|gorgeous|essential|welcoming|friendly|respected|treasures?|a gift|a blessing';
/** A group one may belong to, singular or plural, after "as a", "I'm", "us", "being". */
const SELF_GROUP =
  'wom[ae]n|m[ae]n|girls?|trans(?:gender)?(?: (?:wom[ae]n|m[ae]n|person|people|folks?|kids?))?|gay(?: (?:m[ae]n|wom[ae]n|person|people|folks|guys?))?|gays|lesbians?|bisexuals?|queer(?: folks| people)?|black(?: (?:wom[ae]n|m[ae]n|person|people|folks))?|brown|asians?|latin[ao]s?|latinx|hispanics?|mexicans?|arabs?|jews?|jewish|muslims?|christians?|hindus?|sikhs?|catholics?|immigrants?|migrants?|refugees?|disabled(?: (?:wom[ae]n|m[ae]n|person|people|folks))?|autistic(?: (?:person|people|folks))?|deaf|blind|wheelchair users?|old(?: (?:people|folks|m[ae]n|wom[ae]n|lad(?:y|ies)))?|elderly|pensioners?|indigenous|roma|gypsy|gypsies|pakistanis?|africans?|non-binary|nonbinary';

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
    `\\b(?:(?:don${AP}t|do not|never|won${AP}t|will not) (?:hate|despise|look down on|threaten|hurt|attack|harass|insult)|(?:are not|aren${AP}t|is not|isn${AP}t|in no way|never (?:say|said|call|claim|believe|think)|nobody should|no one should)\\b[^.!?\\n]{0,40}?\\b(?:${DEROGATORY}|${DEMEANING}))\\b`,
  ),
  signal(
    'condemn-hate',
    `\\b(?:hateful|hurtful|bigot(?:s|ry|ed)?|racis[mt]|sexis[mt]|homophob\\w{1,3}|transphob\\w{1,3}|misogyn\\w{1,4}|xenophob\\w{1,3}|islamophob\\w{1,3}|antisemit\\w{1,4}|ableis[mt]|ageis[mt]|stereotypes?|do better|unacceptable|ignorant|hate speech|called (?:him|her|them) out|reported (?:it|the|that|this|him|her)|should be ashamed|educate yourself|no excuse for|never acceptable|not acceptable)\\b`,
  ),
  signal('quoted-speech', '["\u201c][^"\u201d\\n]{3,120}["\u201d]'),
  // --- Instruction hijacking, second set (injection): conjunctions and families the first set misses. ---
  // Overrides in German, Spanish, French, Italian and Portuguese: a verb of dismissal near an object that
  // names earlier instructions or information.
  signal(
    'override-multilingual',
    `\\b(?:ignorier\\w{0,3}|vergiss|vergessen sie|missachte\\w{0,2}|verwirf|ignora\\w{0,2}|olvid[ae]\\w{0,2}|descarta\\w{0,2}|oubli\\w{0,3}|ignor(?:e|ez)|n${AP}?obéis|dimentica\\w{0,2}|esque[cç]a\\w{0,2}|desconsidere)\\b${GAP}\\b(?:anweisung\\w{0,2}|anleitung\\w{0,2}|befehl\\w{0,2}|vorgabe\\w{0,2}|regel\\w{0,2}|information\\w{0,2}|aufgabe\\w{0,2}|ausführungen|alles|vorherig\\w{0,2}|bisherig\\w{0,2}|obig\\w{0,2}|vorangehend\\w{0,2}|vorausgegangen\\w{0,2}|davor|instrucciones|indicaciones|reglas|anteriores|todo|instructions|consignes|règles|précédentes|tout|istruzioni|regole|precedenti|tutto|instruções|regras)\\b`,
  ),
  // "All previous information is irrelevant", "the rules above no longer apply": what is voided is the set-up
  // (instructions, rules, context, everything), not an earlier answer ("your previous answer was wrong").
  signal(
    'prior-void',
    `\\b(?:(?:previous|prior|earlier|preceding|original|old|bisherigen|vorherigen|obigen|anteriores|précédentes|precedenti)(?:[ \\t]+[\\w'’-]{1,20}){0,2}?[ \\t]+${SETUP_NOUN}|above)\\b${GAP}\\b(?:irrelevant|void|obsolete|cancel(?:l?ed)|no longer (?:apply|applies|valid|relevant|matter)|do(?:es)? not (?:apply|matter|count)|(?:is|are|was|were) (?:a test|fake|wrong|outdated)|unwichtig|irrelevante?s?|ungültig|hinfällig|ya no|ne (?:comptent|s${AP}appliquent) plus)\\b`,
  ),
  // A persona or mode that is told it has no rules: role reassignment and the lifted limits together.
  {
    id: 'persona-unbound',
    pattern:
      /\b(?:no|without|free (?:of|from)|not bound by|ignores?|breaks?|bypass(?:es)?|does not (?:follow|care about|have))\b[^.!?\n]{0,40}?\b(?:restrictions?|filters?|limits?|limitations?|rules?|guidelines?|ethics|morals?|censorship|polic(?:y|ies)|boundaries|openai|anthropic|safety)\b|\b(?:unrestricted|unfiltered|uncensored|never refuses?|can do anything|do anything now|stays? in character|break(?:ing)? character)\b/,
    anyOf: ['you-are-now', 'jailbreak-names', 'from-now-on'],
  },
  // Asking for the hidden set-up: the prompt, the instructions above, a password or secret key.
  signal(
    'extract-secret',
    `\\b(?:repeat|print|reveal|output|show|display|leak|tell|give|write (?:out|down)|spell|share|paste|translate|summari[sz]e|what (?:is|are|was|were)|what${AP}s|list)\\b${GAP}\\b(?:(?:your|the|my|this|these) (?:system prompt|initial prompt|original prompt|hidden prompt|prompt|instructions|initial instructions|rules|guidelines|configuration|pre-?prompt|secret|password|passcode|passphrase|secret (?:key|word|code|phrase)|access code|api key)|(?:text|words|everything|all) (?:above|before this|before that|so far|preceding)|(?:everything|all) you (?:were|have been) (?:told|given))\\b`,
  ),
  // The answer dictated: "instead say …", "print 'X' and nothing else", "respond with just …".
  signal(
    'output-hijack',
    `\\b(?:instead|just|only|simply|now|then)\\b,? (?:say|print|output|write|type|reply|respond|answer|return)\\b|\\b(?:say|print|output|write|type|reply with|respond with|answer with|return)\\b:? ["\u201c'][^"\u201d'\\n]{1,80}["\u201d'] (?:and nothing else|only|and stop|and end)\\b|\\band nothing else\\b`,
  ),
  // A fake turn or channel boundary: chat-template tokens, role labels on their own line, "end of document".
  signal(
    'fake-turn',
    `<\\|(?:im_start|im_end|endoftext|system|user|assistant|eot_id|start_header_id)\\|?>|<<\\/?sys>>|\\[\\/?inst\\]|(?:^|\\n)[ \\t#*>\\[(]{0,6}(?:system|assistant|admin|developer|root|sudo)[ \\])*]{0,3}:|\\bend of (?:the )?(?:document|text|input|context|email|message|data|file|prompt|user input|conversation)\\b|\\b(?:begin|start) (?:of )?(?:new|system|admin) (?:instructions?|prompt|message)\\b`,
  ),
  // Text addressed to an AI that may be reading it: "if you are an AI…", "note to the language model".
  signal(
    'if-you-are-ai',
    '\\b(?:if|in case|when) you (?:are|were) (?:an? )?(?:ai|llm|large language model|language model|assistant|chatbot|bot|agent|gpt|automated)\\b|\\b(?:instructions?|message|note) (?:for|to) (?:the |any |all )?(?:ai|llm|language model|assistant|agent|model|bot)s?\\b',
  ),
  // Exfiltration through a rendered link: a markdown image or link whose URL carries a query to fill in.
  signal(
    'exfil-link',
    '!\\[[^\\]\\n]{0,60}\\]\\(https?:\\/\\/[^)\\s?]{1,120}\\?[^)\\s]{1,160}\\)|\\b(?:append|add|attach|include|encode|put)\\b[^.!?\\n]{0,40}?\\b(?:to|in|into) (?:the |this |that )?(?:url|link|query string|image (?:url|link))\\b',
  ),
  // An order to decode hidden text and obey it, as encoded and cipher attacks are wrapped.
  signal(
    'decode-and-obey',
    '\\b(?:decode|decipher|decrypt|unscramble|reverse|translate|convert)\\b[^.!?\\n]{0,50}?\\b(?:and|then)\\b[^.!?\\n]{0,12}?\\b(?:follow|obey|do|execute|carry out|perform|comply|act on|respond to|answer)\\b',
  ),
  // --- Harmful requests (harmful): hazard lexicons per MLCommons category, the shape of a request for
  // operational help, and the contexts that defuse an alarming word. Conjunctions (`anyOf`) make
  // "intent × hazard" a feature of its own, so a hazard word in a question about history, a game or a
  // process on a computer weighs differently from the same word in a request for steps.
  signal(
    'request-operational',
    '\\b(?:step[- ]by[- ]step|detailed (?:instructions|steps|guide|plan|tutorial)|instructions (?:for|on|to)|how (?:do|can|could|would|should|might) (?:i|we|you|someone|one|a person)|how to|(?:the )?(?:best|easiest|quickest|most effective|safest) (?:way|ways|method|methods|approach)|tutorial (?:on|for)|guide (?:to|on|for)|recipe for|(?:ways|methods|tips|techniques|tricks) (?:to|for)|tell me how|show me how|teach me|walk me through|help me|what (?:do|would) i need to|where (?:can|could|do) i (?:buy|get|find|order))\\b',
  ),
  signal(
    'request-artefact',
    '\\b(?:write|create|develop|design|generate|draft|compose|build|produce|code|program)\\b(?:[^.!?\\n]{0,30}?)\\b(?:article|post|blog|essay|speech|letter|email|message|note|tweet|thread|campaign|script|program|app|tool|bot|website|story|text|advert(?:isement)?|review|pamphlet|flyer|video)\\b',
  ),
  signal(
    'evade-detection',
    '\\b(?:without (?:(?:them|him|her|anyone|anybody|my \\w{2,12}) )?(?:getting caught|being caught|being (?:seen|noticed|detected|traced)|knowing|noticing|finding out|leaving (?:any )?(?:evidence|traces?|marks?|bruises)|a trace|consent|permission|a prescription|a license|a background check)|avoid (?:detection|getting caught|suspicion|the police|being (?:caught|traced|detected))|untraceable|undetectable|cover (?:my|our|their) tracks|get away with|look like an accident|(?:so|that) (?:no one|nobody) (?:knows|finds out|notices|can tell)|in secret|secretly)\\b',
  ),
  signal(
    'hazard-weapons',
    '\\b(?:bombs?|explosives?|detonat\\w{0,4}|pipe bombs?|ied|grenades?|napalm|thermite|molotov|guns?|firearms?|rifles?|ammunition|silencer|fully automatic|nerve agents?|sarin|vx|anthrax|ricin|botulinum|toxins?|pathogens?|bioweapons?|biological weapons?|chemical weapons?|mustard gas|chlorine gas|dirty bomb|uranium|plutonium|radioactive)\\b',
  ),
  signal(
    'hazard-drugs',
    '\\b(?:meth|methamphetamine|fentanyl|cocaine|crack|heroin|opioids?|oxycodone|mdma|lsd|ketamine|narcotics|pseudoephedrine|drugs?|date rape|roofies|overdose)\\b',
  ),
  signal(
    'hazard-cyber',
    '\\b(?:malware|ransomware|keyloggers?|botnets?|ddos|phishing|exploits?|backdoors?|trojans?|spyware|stalkerware|rootkits?|sql injection|brute[- ]force|hack(?:ing|ed)? into|crack (?:the |a |someone)|credential stuffing|zero[- ]day|steal (?:passwords|credentials|cookies|data)|bypass (?:the )?(?:login|authentication|security|paywall|antivirus))\\b',
  ),
  signal(
    'hazard-fraud',
    '\\b(?:scams?|scamm\\w{1,4}|fraud\\w{0,5}|launder\\w{0,3}|counterfeit|forge[ds]?|forging|fake (?:ids?|passports?|documents|reviews|invoices|charity|news|doctor)|ponzi|pyramid scheme|embezzl\\w{1,4}|insider trading|tax evasion|evade (?:paying )?taxes|identity theft|stolen (?:credit cards?|identities|goods|cars?)|shoplift\\w{0,3}|blackmail\\w{0,3}|extort\\w{0,4}|bribe\\w{0,2}|smuggl\\w{1,4}|traffick\\w{0,4})\\b',
  ),
  signal(
    'hazard-violence',
    `\\b(?:kill|murder|stab|shoot|strangle|choke|suffocate|drown|poison|torture|kidnap|abduct|assault|beat up|punch|maim|mutilate|behead|massacre|assassinate|lynch|terrori[sz]e|hurt|injure|attack|burn|run over|knock out|gut|slaughter|rape)\\b(?:[^.!?\\n]{0,16}?)\\b(?:${PERSON_NOUNS})\\b`,
  ),
  signal(
    'hazard-self-harm',
    '\\b(?:suicide|kill myself|end my life|take my (?:own )?life|hang myself|cut myself|cutting myself|hurt myself|harm myself|self[- ]harm|starve myself|purge|pro[- ]ana|anorexi\\w{1,2}|bulimi\\w{1,2}|not wake up|overdose on)\\b',
  ),
  signal(
    'hazard-minors-sexual',
    '\\b(?:child|children|minor|minors|underage|kids?|teen(?:ager)?s?|\\d{1,2}[- ]year[- ]olds?|little girl|little boy|school ?girl|school ?boy)\\b(?:[^.!?\\n]{0,40}?)\\b(?:sex|sexual\\w{0,4}|nudes?|naked|explicit|porn\\w{0,5}|groom\\w{0,3}|molest\\w{0,3}|erotic)\\b|\\b(?:sex|sexual\\w{0,4}|nudes?|naked|explicit|porn\\w{0,5}|groom\\w{0,3}|molest\\w{0,3}|erotic)\\b(?:[^.!?\\n]{0,40}?)\\b(?:child|children|minor|minors|underage|kids?|teen(?:ager)?s?|\\d{1,2}[- ]year[- ]olds?)\\b',
  ),
  signal(
    'hazard-hate',
    '\\b(?:inferior|subhuman|vermin|slurs?|racist jokes?|(?:are|is)\\b(?:[^.!?\\n]{0,30}?) (?:all |always |so |just |naturally |inherently |too |really )?(?:lazy|stupid|violent|dishonest|dirty|greedy|criminals?|untrustworthy|terrorists|animals|ugly|rude)|(?:deport|ban|exterminate|get rid of|drive out|keep out) (?:all )?(?:the )?(?:immigrants|muslims|jews|blacks|black people|gays|gay people|trans people|refugees|mexicans|asians|arabs)|should not (?:be allowed to|have) (?:vote|rights|work|marry))\\b',
  ),
  signal(
    'hazard-privacy',
    "\\b(?:home address|social security number|ssn|phone number|medical (?:records|history)|bank (?:details|account|login)|private (?:messages|photos|texts|conversations)|browsing history|location of|track (?:my|his|her|their|someone)|spy on|dox\\w{0,4}|stalk\\w{0,3}|read (?:my|his|her|their) \\w{2,12}(?:'s)? (?:texts|messages|emails)|hidden camera|without (?:their|his|her) (?:knowledge|consent))\\b",
  ),
  signal(
    'hazard-disinfo',
    '\\b(?:fake news|propaganda|disinformation|misinformation|conspiracy|hoax|defam\\w{1,6}|false (?:claims?|story|rumou?rs?|information)|rumou?rs? (?:that|about)|made[- ]up|never happened|was (?:staged|faked|a lie)|rigged|stolen election|deepfakes?)\\b',
  ),
  {
    id: 'intent-x-hazard',
    pattern:
      /\b(?:bombs?|explosives?|detonat\w{0,4}|grenades?|napalm|thermite|molotov|firearms?|guns?|nerve agents?|sarin|anthrax|ricin|toxins?|pathogens?|bioweapons?|chemical weapons?|meth|methamphetamine|fentanyl|cocaine|heroin|malware|ransomware|keyloggers?|botnets?|ddos|phishing|spyware|backdoors?|launder\w{0,3}|counterfeit|forge[ds]?|ponzi|blackmail\w{0,3}|extort\w{0,4}|smuggl\w{1,4}|traffick\w{0,4}|kill|murder|stab|strangle|poison|torture|kidnap|suicide|self[- ]harm|dox\w{0,4}|stalk\w{0,3}|propaganda|fake news|scam\w{0,4}|fraud\w{0,5}|steal|hack(?:ing)? into)\b/,
    anyOf: ['request-operational', 'request-artefact'],
  },
  signal(
    'benign-context',
    '\\b(?:python|linux|unix|windows|docker|kubernetes|process(?:es)?|threads?|terminal|servers?|containers?|git|sql query|code|bug|in (?:the |a )?(?:game|video game|novel|story|movie|film|book|play|show|series)|minecraft|fortnite|call of duty|gta|skyrim|elden ring|zelda|pok[eé]mon|chess|poker|board game|video games?|photos?|photograph\\w{0,3}|camera|recipe|cake|cook\\w{0,3}|bak(?:e|ing)|garden\\w{0,3}|weeds?|lawn|pests?|ants|mosquito\\w{0,2}|wasps?|rats?|mice|mould|mold|novel|fiction\\w{0,2}|characters?|shakespeare|romeo|harry potter|presentation|interview|exam|workout|calories|karaoke|guitar|drums?|balloon|pumpkin)\\b',
  ),
  signal(
    'safety-seeking',
    '\\b(?:protect\\w{0,3}|prevent\\w{0,3}|avoid being|recogni[sz]e|report\\w{0,3}|defend\\w{0,3} against|stay safe|keep \\w{2,16} safe|safe from|warning signs|signs of|help (?:a|my) (?:friend|child|teen|partner|parent)|support (?:a|my|someone)|cope with|recover from|victims? of|awareness|prevention|stop (?:being|someone from))\\b',
  ),
  signal(
    'knowledge-question',
    `^[^a-z0-9]{0,4}(?:what (?:is|are|was|were|does|did|happened)(?! the (?:best|easiest|quickest|fastest|safest|simplest|most))|who (?:is|was|were)|why (?:did|do|does|was|were|is)|when (?:did|was|were)|how (?:did|does|do \\w{2,14} work|common|many|much)|define|explain (?:what|why|the history)|describe the history|briefly describe|summari[sz]e|what${AP}s the (?:history|difference|meaning))\\b|\\b(?:history of|historical|in the past|during (?:the )?(?:war|world war)|definition of|what does \\w{2,20} mean)\\b`,
  ),
  // Words that say the aim itself is wrong: unlawful, without consent, meant to hurt, deceive or demean.
  signal(
    'wrongful-aim',
    `\\b(?:illegal(?:ly)?|illicit(?:ly)?|unlawful(?:ly)?|fraudulent(?:ly)?|unauthori[sz]ed|without (?:their|his|her|my \\w{2,12}${AP}s|the owner${AP}s) (?:consent|permission|knowledge)|non-?consensual|against (?:their|his|her) will|revenge|get back at|get even with|incit\\w{1,4}|glorif\\w{1,4}|normali[sz]\\w{1,4}|justif\\w{1,6} (?:the )?(?:genocide|violence|slavery|terrorism|rape|abuse|murder|killing)|promot\\w{1,3} (?:violence|hate|hatred|terrorism|self-harm|suicide|anorexia|eating disorders|drug use|racism)|predatory|prey on|defraud\\w{0,3}|harass\\w{0,4}|humiliat\\w{1,3}|intimidat\\w{1,3}|threaten\\w{0,3}|coerc\\w{1,3}|manipulat\\w{1,4}|bully\\w{0,3}|extremis\\w{1,2}|genocide|ethnic cleansing|slurs?|pirat\\w{1,3}|circumvent\\w{0,3}|vigilante|make (?:them|him|her|people) suffer|ruin (?:their|his|her) (?:life|reputation))\\b`,
  ),
  // --- New signals go last: a model's signal weights are stored by position. ---
  // The answer rejects the question's premise instead of answering it ("X was not justified", "it is not
  // accurate to say …"): how answers to loaded questions refuse without saying "I can't".
  signal(
    'premise-rejection',
    `^[^\\n]{0,90}?\\b(?:(?:was|is|were|are)(?: not|n${AP}t| never)(?: morally| ever| in any way)? (?:right|justified|justifiable|a good thing|acceptable|true|accurate|correct|fair|ethical|okay|moral|inherently)|not (?:accurate|true|fair|correct|appropriate) to (?:say|claim|suggest|assume|make)|should not be (?:discriminated|treated|judged|blamed)|there is no (?:justification|evidence|excuse))\\b`,
  ),
  // Who an insult is aimed at (toxicity): the same words are hate against a protected group, rudeness against
  // politicians or landlords, and praise or self-description are neither. Conjunctions a bag of words cannot form.
  signal(
    'group-derogation',
    `\\b(?:${PROTECTED_GROUPS})\\b[^.!?\\n]{0,40}?\\b(?:${DEMEANING})\\b|\\b(?:filthy|dirty|disgusting|stupid|lazy|greedy|vile|evil|subhuman|worthless|useless|dumb|fucking|bloody|damn|goddamn) (?:${PROTECTED_GROUPS})\\b`,
  ),
  signal(
    'group-praise',
    `\\b(?:${PROTECTED_GROUPS})\\b[^.!?\\n]{0,40}?\\b(?:${PRAISE})\\b|\\b(?:love|admire|respect|support|stand with|appreciate|celebrate|welcome|proud of|thank|grateful for|salute)\\b[^.!?\\n]{0,15}?\\b(?:${PROTECTED_GROUPS})\\b`,
  ),
  signal(
    'other-group-derogation',
    `\\b(?:${OTHER_GROUPS})\\b[^.!?\\n]{0,40}?\\b(?:${DEMEANING}|morons?|idiots?|arrogant|pathetic|bloodsucking|lying|clowns|losers|assholes|pricks|wankers|bastards|vapid)\\b`,
  ),
  // Praise denied to a group ("are not decent people", "will never be equal"): hate, where a denied insult is not.
  signal(
    'group-negated-worth',
    `\\b(?:${PROTECTED_GROUPS})\\b[^.!?\\n]{0,25}?\\b(?:are not|aren${AP}t|are just not|will never be|can never be|could never be|are never|have never been)\\b[^.!?\\n]{0,20}?\\b(?:decent|capable|valid|worth|welcome|equals?|intelligent|smart|trustworthy|honest|human|people|normal|good|fit|qualified|deserving)\\b`,
  ),
  signal(
    'self-identity',
    `\\b(?:as an?|i${AP}m(?: an?| a proud| proudly)?|i am(?: an?| a proud| proudly)?|us|we${AP}re|we are|being(?: an?)?|proud to be(?: an?)?|my fellow)\\s(?:${SELF_GROUP})\\b`,
  ),
];

/** Each signal's literal-prefix pre-test, for the pattern it was read from (undefined: its regex always runs). */
const PREFILTERS = SIGNALS.map((s) => ({ pattern: s.pattern, test: Prefilter.of(s.pattern) }));

/**
 * The pre-test's pass over the text costs about what two to three regex scans do: with fewer pre-tested
 * signals than this it does not pay (toxicity's five and refusal's thirteen ran slower with it, injection's
 * thirty-three and harmful's twenty-five faster).
 */
const MIN_PRETESTED = 16;

/** The signals a list of ids turns on, and whether to pre-test them. */
interface Selection {
  on: Uint8Array | undefined;
  pretest: boolean;
}

const ALL: Selection = { on: undefined, pretest: true };
const selections = new WeakMap<readonly string[], Selection>();

/** The selection of a list of ids, cached per list. */
function selectionOf(only: readonly string[] | undefined): Selection {
  if (!only) return ALL;
  let sel = selections.get(only);
  if (!sel) {
    const on = new Uint8Array(SIGNALS.length);
    let pretested = 0;
    for (let i = 0; i < SIGNALS.length; i++) {
      if (!only.includes(SIGNALS[i].id)) continue;
      on[i] = 1;
      if (PREFILTERS[i].test) pretested++;
    }
    sel = { on, pretest: pretested >= MIN_PRETESTED };
    selections.set(only, sel);
  }
  return sel;
}

/** Ids of the signals that fire on normalised text (only those in `only`, when given). */
export function firedSignals(normalised: string, only?: readonly string[]): number[] {
  const out: number[] = [];
  const { on, pretest } = selectionOf(only);
  let indexed = false;
  for (let i = 0; i < SIGNALS.length; i++) {
    if (on && on[i] === 0) continue;
    const sig = SIGNALS[i];
    if (sig.anyOf && !out.some((j) => sig.anyOf?.includes(SIGNALS[j].id))) continue;
    // A pattern swapped in after load (SIGNALS is exported) has no pre-test.
    const pre = pretest && PREFILTERS[i].pattern === sig.pattern ? PREFILTERS[i].test : undefined;
    if (pre) {
      if (!indexed) indexText(normalised);
      indexed = true;
      if (!pre.mayMatch()) continue;
    }
    if (sig.pattern.test(normalised)) out.push(i);
  }
  return out;
}
