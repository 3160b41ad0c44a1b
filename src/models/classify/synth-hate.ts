/**
 * Functional hate-speech contrasts in the spirit of HateCheck (Röttger et al., 2021), with our own
 * templates: the same target and words, hateful or not depending on negation, counter-speech,
 * quotation, positive statements, or abuse aimed at things rather than people. Bag-of-n-gram models
 * learn "identity word = toxic" from tweets; these pairs teach them what actually makes text hateful.
 */
import { pick, type Rand } from './synth-random.js';
import { cap } from './synth-text.js';

/** Protected groups, plural and singular. */
const GROUPS: [string, string][] = [
  ['women', 'woman'],
  ['men', 'man'],
  ['girls', 'girl'],
  ['trans people', 'trans person'],
  ['transgender people', 'transgender person'],
  ['gay people', 'gay person'],
  ['gay men', 'gay man'],
  ['lesbians', 'lesbian'],
  ['bisexual people', 'bisexual person'],
  ['queer people', 'queer person'],
  ['black people', 'black person'],
  ['african americans', 'african american'],
  ['white people', 'white person'],
  ['asians', 'asian'],
  ['chinese people', 'chinese person'],
  ['indians', 'indian'],
  ['latinos', 'latino'],
  ['mexicans', 'mexican'],
  ['arabs', 'arab'],
  ['jews', 'jew'],
  ['muslims', 'muslim'],
  ['christians', 'christian'],
  ['hindus', 'hindu'],
  ['sikhs', 'sikh'],
  ['immigrants', 'immigrant'],
  ['refugees', 'refugee'],
  ['migrants', 'migrant'],
  ['foreigners', 'foreigner'],
  ['disabled people', 'disabled person'],
  ['people with disabilities', 'person with a disability'],
  ['autistic people', 'autistic person'],
  ['deaf people', 'deaf person'],
  ['blind people', 'blind person'],
  ['old people', 'old person'],
  ['indigenous people', 'indigenous person'],
  ['roma', 'roma person'],
  ['gypsies', 'gypsy'],
  ['pakistanis', 'pakistani'],
  ['africans', 'african'],
  ['non-binary people', 'non-binary person'],
];
/** Derogatory predicates: adjectives, and nouns that dehumanise. */
const DEROG_ADJ = [
  'disgusting',
  'pathetic',
  'worthless',
  'revolting',
  'vile',
  'filthy',
  'stupid',
  'dumb',
  'useless',
  'inferior',
  'subhuman',
  'evil',
  'dangerous',
  'lazy',
  'primitive',
  'repulsive',
  'sickening',
  'dirty',
  'ugly',
  'brainless',
  'retarded',
  'degenerate',
  'nasty',
  'gross',
  'hideous',
  'despicable',
  'wretched',
  'backward',
  'savage',
  'barbaric',
];
const DEROG_NOUN = [
  'vermin',
  'rats',
  'cockroaches',
  'animals',
  'savages',
  'apes',
  'pigs',
  'monsters',
  'insects',
  'parasites',
  'a disease',
  'a plague',
  'a cancer',
  'trash',
  'scum',
  'garbage',
  'filth',
  'a burden on society',
  'criminals',
  'rapists',
  'terrorists',
  'liars',
  'thieves',
  'leeches',
  'a virus',
  'maggots',
  'dogs',
  'snakes',
  'pests',
  'lesser beings',
];
const HATE_VERBS = ['hate', 'despise', 'loathe', "can't stand", 'detest', 'abhor', 'cannot stand'];
const THREATS = [
  'killed',
  'shot',
  'hanged',
  'deported',
  'exterminated',
  'wiped out',
  'locked up',
  'sterilised',
  'beaten',
  'burned',
  'gassed',
  'put down',
  'lynched',
  'thrown out',
  'eliminated',
  'executed',
];
const THREAT_ACTS = ['kill', 'hurt', 'beat up', 'shoot', 'stab', 'punch', 'attack', 'burn', 'strangle', 'destroy'];
const EXCLUDE = [
  'should not be allowed to vote',
  'should not be allowed to work here',
  "don't belong in this country",
  'should not be allowed to have children',
  'should be banned from our schools',
  'should go back where they came from',
  'have no place in our society',
  'should not be allowed near children',
  'should not have any rights',
  'are not welcome here',
  'should be kept out of our neighbourhood',
];
const OPINION = [
  'I think',
  'I believe',
  'Honestly,',
  'In my opinion',
  "Let's be real,",
  'Everyone knows',
  'Face it,',
  'Truth is,',
];
const POSITIVE = [
  'wonderful',
  'brilliant',
  'kind',
  'strong',
  'valued members of our community',
  'welcome here',
  'amazing',
  'talented',
  'our neighbours',
  'human beings like everyone else',
  'great',
  'lovely',
  'inspiring',
  'hard-working',
  'smart',
  'equal to everyone else',
  'an important part of our history',
  'just people',
];
const LIKE_VERBS = ['love', 'admire', 'respect', 'support', 'stand with', 'appreciate', 'am proud of'];
const CONDEMN = [
  'is hateful and wrong',
  'is deeply hurtful',
  'is bigotry, plain and simple',
  'is unacceptable',
  'is racist nonsense',
  'has no place here',
  'is disgusting',
  'should never be said',
  'hurts real people',
  'is the kind of hate we must fight',
];
const SPEAKERS = [
  'My uncle',
  'A guy at work',
  'Someone on Twitter',
  'That politician',
  'My neighbour',
  'A commenter',
  'The man on the bus',
];
const RELATIVES = [
  'sister',
  'brother',
  'best friend',
  'neighbour',
  'teacher',
  'doctor',
  'boss',
  'colleague',
  'cousin',
  'wife',
  'husband',
];
const NEUTRAL: ((p: string, s: string, r: Rand) => string)[] = [
  (p) => `I live with two ${p}.`,
  (p) => `We are a group of ${p}.`,
  (p, _s, r) => `${cap(p)} make up about ${1 + Math.floor(r() * 30)} percent of the population here.`,
  (p) => `Many ${p} live in this city.`,
  (_p, s, r) => `My ${pick(r, RELATIVES)} is ${article(s)} ${s}.`,
  (p) => `The conference has a session for ${p}.`,
  (p) => `Are there any ${p} in your club?`,
  (p) => `What challenges do ${p} face at work?`,
  (p) => `A history of ${p} in Europe.`,
  (_p, s) => `As ${article(s)} ${s}, I have a different perspective on this.`,
  (p) => `The new law affects ${p} the most.`,
  (p) => `How many ${p} voted in the last election?`,
  (p) => `There's a support group for ${p} on Tuesdays.`,
  (_p, s) => `I met ${article(s)} ${s} at the library today.`,
];
/** Profanity and abuse aimed at things, situations, pests: offensive maybe, not hate. */
const PROFANE_EXCL = [
  'Fuck',
  'Shit',
  'Damn',
  'Holy shit',
  'Fucking hell',
  'Goddamn',
  'Oh crap',
  'What the fuck',
  'Bloody hell',
  'Fuck me',
];
const THINGS = [
  'this printer',
  'my phone',
  'this traffic',
  'the weather',
  'Mondays',
  'this code',
  'the bus',
  'my laptop',
  'this game',
  'the wifi',
  'this exam',
  "the referee's call",
  'this song',
  'my alarm clock',
  'the queue',
  'this app',
  'the dishwasher',
];
const THING_INSULT = [
  'a piece of shit',
  'fucking useless',
  'absolute garbage',
  'trash',
  'crap',
  'a pain in the ass',
  'shit',
  'so damn slow',
  'the worst',
  'bullshit',
];
const PESTS = [
  'mosquitoes',
  'rats in the basement',
  'cockroaches in the kitchen',
  'wasps',
  'the pigeons',
  'slugs in my garden',
  'ticks',
];

const article = (w: string): string => (/^[aeiou]/i.test(w) ? 'an' : 'a');

/** One hateful sentence about group (p plural, s singular). */
function hateful(p: string, s: string, r: Rand): { text: string; cats: string[] } {
  const adj = pick(r, DEROG_ADJ);
  const noun = pick(r, DEROG_NOUN);
  const pred = r() < 0.5 ? adj : noun;
  const k = r();
  const hate = ['hate'];
  if (k < 0.1) return { text: `${cap(p)} are ${pred}.`, cats: hate };
  if (k < 0.17)
    return {
      text: `All ${p} are ${pred}${pick(r, ['.', '!', ', every single one of them.', ' and always will be.'])}`,
      cats: hate,
    };
  if (k < 0.24)
    return {
      text: `I ${pick(r, HATE_VERBS)} ${p}${pick(r, ['.', '!', ' so much.', ' more than anything.', ', they are ' + pred + '.'])}`,
      cats: hate,
    };
  if (k < 0.29)
    return {
      text: `${cap(p)} ${pick(r, ['disgust me', 'make me sick', 'make me want to puke', 'are a waste of oxygen', 'ruin everything'])}.`,
      cats: hate,
    };
  if (k < 0.37)
    return {
      text: `${cap(p)} should ${pick(r, ['all ', '', 'be rounded up and '])}be ${pick(r, THREATS)}.`,
      cats: ['hate', 'violence'],
    };
  if (k < 0.43)
    return {
      text: `I ${pick(r, ['will', "'m going to", 'want to', 'would love to'])} ${pick(r, THREAT_ACTS)} ${pick(r, ['every', 'the next', 'any'])} ${s} I see.`,
      cats: ['hate', 'violence'],
    };
  if (k < 0.47)
    return {
      text: `${pick(r, ['We need to', 'We should', "It's time to", 'Someone should'])} ${pick(r, ['get rid of', 'exterminate', 'wipe out', 'eradicate', 'deport all', 'purge'])} ${p}.`,
      cats: ['hate', 'violence'],
    };
  if (k < 0.53) return { text: `${cap(p)} ${pick(r, EXCLUDE)}.`, cats: hate };
  if (k < 0.58)
    return {
      text: `${cap(p)} belong in ${pick(r, ['a zoo', 'a cage', 'the gutter', 'the trash', 'a camp', 'the stone age'])}.`,
      cats: hate,
    };
  if (k < 0.62)
    return {
      text: `Typical ${s}, ${pick(r, ['always lying', 'too stupid to understand', 'stealing again', 'ruining it for everyone', 'being ' + adj])}.`,
      cats: hate,
    };
  if (k < 0.66)
    return {
      text: `I would never ${pick(r, ['hire', 'date', 'rent to', 'trust', 'sit next to', 'vote for'])} ${article(s)} ${s}${pick(r, ['.', ', they are ' + pred + '.'])}`,
      cats: hate,
    };
  if (k < 0.71) return { text: `Why are ${pick(r, ['all ', '', 'so many '])}${p} so ${adj}?`, cats: hate };
  if (k < 0.76) return { text: `${pick(r, OPINION)} ${p} are ${pred}.`, cats: hate };
  if (k < 0.81)
    return {
      text: `I've met ${pick(r, ['many', 'a lot of', 'plenty of'])} ${p} and ${pick(r, ['they are all', 'every one of them was', 'I hate every single one of them, they are'])} ${pred}.`,
      cats: hate,
    };
  if (k < 0.85)
    return {
      text: `${cap(p)} think they ${pick(r, ['are special', 'deserve respect', 'are equal to us'])}. ${pick(r, ['They are', "They're just", 'In reality they are'])} ${pred}.`,
      cats: hate,
    };
  if (k < 0.9)
    return {
      text: `${cap(p)} ${pick(r, ['are not human', "don't deserve rights", 'lives do not matter', "don't deserve to live", 'are not real people', 'will never be equal to us'])}.`,
      cats: hate,
    };
  if (k < 0.95)
    return {
      text: `${pick(r, [`Fuck ${p}.`, `${cap(p)} are fucking ${pred}.`, `Fucking ${p} everywhere, ${pred}.`, `Shut up, you ${adj} ${s}.`])}`,
      cats: hate,
    };
  return { text: `You ${p} are all ${pred}${pick(r, ['.', '!', ', go back where you came from.'])}`, cats: hate };
}

/** Threats in the many forms they take, threats stated as what a group deserves, and negated praise. */
function hatefulMore(p: string, s: string, r: Rand): { text: string; cats: string[] } {
  const k = r();
  const violent = ['hate', 'violence'];
  if (k < 0.14)
    return {
      text: `${cap(p)}, ${pick(r, ['watch your backs', 'you have been warned', 'your days here are numbered', 'we know where you live'])}${pick(r, ['.', '!', '. We are coming for you.'])}`,
      cats: violent,
    };
  if (k < 0.26)
    return {
      text: `If ${pick(r, ['I see another', 'one more', 'another'])} ${s} ${pick(r, ['moves into my street', 'walks past my house', 'shows up at my work', 'comes near my kids'])}, ${pick(r, ["I'll", 'I will', "I'm going to"])} ${pick(r, THREAT_ACTS)} ${pick(r, ['them', 'him', 'her'])}.`,
      cats: violent,
    };
  if (k < 0.38)
    return {
      text: `${pick(r, ["I'm going to make", "We'll make", 'I will make'])} ${pick(r, ['every', 'the', 'all the'])} ${p} ${pick(r, ['in this town', 'around here', 'at my school', 'on my street'])} ${pick(r, ['suffer', 'regret coming here', 'bleed', 'pay for it', 'wish they were never born'])}.`,
      cats: violent,
    };
  if (k < 0.48)
    return {
      text: `${pick(r, ['It would be great if someone', 'Somebody should', 'Next time someone should'])} ${pick(r, ['burned down', 'smashed up', 'shot up', 'firebombed'])} the ${pick(r, ['place where', 'centre where', 'building where', 'club where'])} ${p} ${pick(r, ['meet', 'hang out', 'live'])}.`,
      cats: violent,
    };
  if (k < 0.6)
    return {
      text: `${cap(p)} ${pick(r, ['deserve to', 'should'])} ${pick(r, ['suffer', 'be beaten', 'die', 'be hunted down', 'get hurt', 'be made to disappear'])}${pick(r, ['.', ', all of them.', ' for what they are.'])}`,
      cats: violent,
    };
  if (k < 0.7)
    return {
      text: `${pick(r, ['Violence against', 'Attacking', 'Beating up', 'Hurting'])} ${p} is ${pick(r, ['totally justified', 'what they deserve', 'the only answer', 'fine by me', 'long overdue'])}.`,
      cats: violent,
    };
  if (k < 0.78)
    return {
      text: `The world would be ${pick(r, ['better', 'so much better', 'a better place'])} if ${pick(r, ['all', 'every one of the', ''])} ${p} ${pick(r, ['died', 'disappeared', 'were gone', 'were wiped out'])}.`,
      cats: violent,
    };
  if (k < 0.88)
    return {
      text: `${pick(r, ["I'd never", 'I would never', 'I could never', 'Never'])} ${pick(r, ['trust', 'respect', 'believe', 'be friends with', 'let my kids near'])} ${article(s)} ${s}${pick(r, ['.', '. Never.', ', not one of them.'])}`,
      cats: ['hate'],
    };
  if (k < 0.94)
    return {
      text: `${pick(r, [`No ${s} has ever`, `Not one ${s} has ever`, `${cap(p)} have never`])} ${pick(r, ['done anything good for this country', 'been honest', 'contributed anything', 'been worth the space they take up', 'been a good parent'])}.`,
      cats: ['hate'],
    };
  // Praise negated: "are not decent people" is hate where "are not criminals" is its denial.
  return {
    text: `${cap(p)} ${pick(r, ['are not', "aren't", 'will never be', 'can never be', 'are just not'])} ${pick(r, ['decent people', 'capable of running anything', 'equal to the rest of us', 'trustworthy', 'worth the air they breathe', 'intelligent enough to vote', 'fit to raise children', 'real human beings', 'normal', 'good neighbours'])}${pick(r, ['.', ' and never will be.', ', not one of them.'])}`,
    cats: ['hate'],
  };
}

/** Praise of a group that swears: profanity is not hate. */
function praiseWithProfanity(p: string, r: Rand): string {
  return pick(r, [
    `${cap(p)} are fucking ${pick(r, ['amazing', 'brilliant', 'awesome', 'the best'])}${pick(r, ['.', '!', ', fight me.'])}`,
    `I fucking love ${p}${pick(r, ['.', '!', ', they throw the best parties.'])}`,
    `Damn, ${p} ${pick(r, ['know how to cook', 'are so talented', 'really showed up today', 'make this city great'])}${pick(r, ['!', '.'])}`,
    `Hell yes, ${pick(r, ['more', 'all the'])} ${p} ${pick(r, ['in politics', 'in science', 'on the team', 'in charge'])}, it's about damn time.`,
    `Shit, ${p} ${pick(r, ['crushed it at the fundraiser', 'built this whole neighbourhood', 'are the kindest people I know'])}.`,
  ]);
}

/** One non-hateful sentence about the group: positive, neutral, negated hate or counter-speech. */
function notHateful(p: string, s: string, r: Rand): string {
  const pred = r() < 0.5 ? pick(r, DEROG_ADJ) : pick(r, DEROG_NOUN);
  const k = r();
  if (k < 0.14)
    return `I ${pick(r, LIKE_VERBS)} ${p}${pick(r, ['.', '!', ' so much.', ', they make our town better.'])}`;
  if (k < 0.26) return `${cap(p)} are ${pick(r, POSITIVE)}.`;
  if (k < 0.44) return pick(r, NEUTRAL)(p, s, r);
  if (k < 0.54)
    return `${cap(p)} are not ${pred}${pick(r, ['.', ', and anyone who says so is wrong.', '. They are people.'])}`;
  if (k < 0.6)
    return `I ${pick(r, ["don't", 'do not', 'never'])} ${pick(r, ['hate', 'despise', 'look down on'])} ${p}.`;
  if (k < 0.66) return `No ${s} deserves to be ${pick(r, THREATS)}.`;
  if (k < 0.72)
    return `${pick(r, ['Saying', 'Claiming', 'Tweeting', 'Writing'])} "${p} are ${pred}" ${pick(r, CONDEMN)}.`;
  if (k < 0.78)
    return `${pick(r, SPEAKERS)} said ${p} are ${pred}. ${pick(r, ["That's disgusting.", 'I called him out.', 'So ignorant.', 'I reported it.', 'What a bigot.'])}`;
  if (k < 0.84)
    return `If you think ${p} are ${pred}, ${pick(r, ["you're the problem", 'you need to educate yourself', 'unfollow me', 'you are a bigot'])}.`;
  if (k < 0.9)
    return `${pick(r, ['Stop saying', 'Quit pretending', "It's a lie that", 'There is no evidence that'])} ${p} are ${pred}.`;
  if (k < 0.95)
    return `${pick(r, ['People who call', 'Anyone calling', 'Those who call'])} ${p} ${pred} ${pick(r, ['are bigots', 'should be ashamed', 'are spreading hate', 'need to be challenged'])}.`;
  return `There is no excuse for ${pick(r, ['violence', 'discrimination', 'hate', 'harassment'])} against ${p}.`;
}

/** More negation, counter-speech that quotes real hate, and everyday mentions of the group. */
function notHatefulMore(p: string, s: string, r: Rand): string {
  const pred = r() < 0.5 ? pick(r, DEROG_ADJ) : pick(r, DEROG_NOUN);
  const k = r();
  if (k < 0.12)
    return `${pick(r, ['Nobody', 'No one'])} should ${pick(r, ['ever ', ''])}${pick(r, [...THREAT_ACTS, 'harass', 'insult', 'bully', 'discriminate against', 'threaten'])} ${p}${pick(r, ['.', ', ever.', ' for who they are.'])}`;
  if (k < 0.24)
    return `I ${pick(r, ['would never', 'will never', 'refuse to', "don't"])} ${pick(r, ['say', 'believe', 'claim', 'pretend', 'accept'])} that ${p} are ${pred}.`;
  if (k < 0.4) {
    const quoted = hateful(p, s, r).text.replace(/[.!]$/, '');
    return `${pick(r, ['Posting', 'Shouting', 'Writing', 'Telling people', 'Spray-painting'])} "${quoted}" ${pick(r, CONDEMN)}.`;
  }
  if (k < 0.52) {
    const quoted = hateful(p, s, r).text;
    return `${pick(r, SPEAKERS)} ${pick(r, ['wrote', 'tweeted', 'yelled', 'posted'])} "${quoted}" ${pick(r, ['and got banned, good.', '- disgusting.', 'and everyone called him out.', 'We need to report this.', 'How is this allowed?'])}`;
  }
  if (k < 0.64)
    return `${cap(p)} ${pick(r, ['contribute so much to', 'enrich', 'have made huge contributions to', 'are an important part of', 'help build'])} ${pick(r, ['our culture', 'science', 'our economy', 'the community', 'this town', 'our schools'])}.`;
  if (k < 0.76)
    return `${pick(r, ['More', 'Fewer', 'Lots of', 'Some'])} ${p} ${pick(r, ['are studying medicine', 'work in tech', 'live in the suburbs', 'run small businesses', 'vote in local elections', 'joined the union'])} ${pick(r, ['than ever before', 'these days', 'now', 'this year'])}.`;
  if (k < 0.86)
    return `${pick(r, ['Our', 'The', 'My'])} ${pick(r, ['team', 'class', 'book club', 'choir', 'office'])} has ${pick(r, ['three', 'a few', 'many', 'two'])} ${p} ${pick(r, ['in it', 'as members', 'this year'])}.`;
  if (k < 0.94)
    return `${cap(p)} make ${pick(r, ['me proud', 'me happy', 'our street friendlier', 'great neighbours', 'the best teachers', 'our team stronger', 'the world more interesting'])}${pick(r, ['.', '!', ', honestly.'])}`;
  return `${pick(r, ['Thank you', 'Thanks', 'Shout out'])} to all the ${p} who ${pick(r, ['helped', 'volunteered', 'showed up', 'organised the event'])} ${pick(r, ['today', 'this weekend', 'last night'])}!`;
}

/** Groups no hate-speech definition protects (jobs, habits, politics): abuse of them is rude, not hate. */
const OTHER_GROUPS = [
  'politicians',
  'lawyers',
  'landlords',
  'estate agents',
  'bankers',
  'cyclists',
  'drivers who tailgate',
  'influencers',
  'telemarketers',
  'journalists',
  'referees',
  'celebrities',
  'hipsters',
  'tourists',
  'football hooligans',
  'internet trolls',
  'spammers',
  'scammers',
  'billionaires',
  'CEOs',
  'lobbyists',
  'flat earthers',
  'anti-vaxxers',
  'people who talk in cinemas',
  'people who chew loudly',
  'middle managers',
  'car salesmen',
  'tech bros',
  'tax dodgers',
  'litterers',
];

/** Self-description and in-group talk: a member of the group about themselves, proud or joking. */
function selfReference(p: string, s: string, r: Rand): string {
  const k = r();
  if (k < 0.3)
    return `As ${article(s)} ${s}, ${pick(r, ["I've heard every joke there is and I still laugh", 'I love where I come from', 'I can tell you this festival means a lot to us', 'my family taught me to feed every guest twice', 'I get asked this all the time and I am happy to explain', "I'm proud of who I am"])}${pick(r, ['.', '!', ' :)'])}`;
  if (k < 0.5)
    return `I'm ${article(s)} ${s} and ${pick(r, ['proud of it', "I wouldn't change a thing", 'honestly my life is great', 'I run the best bakery in town', 'I just got my degree'])}${pick(r, ['.', '!', '!!'])}`;
  if (k < 0.7)
    return `${pick(r, ['Us', 'We'])} ${p} ${pick(r, ['are the funniest people I know', 'always bring too much food', 'know how to throw a party', 'have the best group chats', 'look out for each other'])}${pick(r, ['.', '!', ', no contest.'])}`;
  if (k < 0.85)
    return `Proud ${s} here, ${pick(r, ['ask me anything', 'and my community means everything to me', 'happy to answer questions', 'celebrating with my family tonight'])}${pick(r, ['.', '!'])}`;
  return `Being ${article(s)} ${s} ${pick(r, ['is a big part of who I am', 'has taught me patience', 'means my family is loud and loving', 'is not the most interesting thing about me'])}${pick(r, ['.', '!'])}`;
}

/** Abuse of groups no definition protects: rude, maybe harassment, not hate. */
function otherGroupAbuse(r: Rand): string {
  const g = pick(r, OTHER_GROUPS);
  const pred = r() < 0.5 ? pick(r, DEROG_ADJ) : pick(r, DEROG_NOUN);
  const k = r();
  if (k < 0.4) return `${cap(g)} are ${pred}${pick(r, ['.', '!', ', every single one of them.', ', all of them.'])}`;
  if (k < 0.6) return `I ${pick(r, HATE_VERBS)} ${g}${pick(r, ['.', '!', ". They're " + pred + '.'])}`;
  if (k < 0.8)
    return `${pick(r, ['Honestly,', 'I swear', 'Face it,'])} ${g} are ${pick(r, ['lying', 'greedy', 'bloodsucking', 'useless', 'arrogant'])} ${pick(r, ['morons', 'leeches', 'clowns', 'idiots', 'parasites'])}.`;
  return `${cap(g)} ${pick(r, ['should be banned from the internet', 'ruin everything', 'make me sick', 'are the worst people alive'])}${pick(r, ['.', '!'])}`;
}

function profaneNotHate(r: Rand): { text: string; cats: string[] } {
  const k = r();
  if (k < 0.35)
    return { text: `${pick(r, PROFANE_EXCL)}, ${pick(r, THINGS)} is ${pick(r, THING_INSULT)}.`, cats: ['profanity'] };
  if (k < 0.55)
    return {
      text: `${cap(pick(r, THINGS))} is ${pick(r, THING_INSULT)}${pick(r, ['.', ' today.', ' again!'])}`,
      cats: ['profanity'],
    };
  if (k < 0.62)
    return {
      text: `${pick(r, PROFANE_EXCL)}${pick(r, [' yeah', '', ''])}, ${pick(r, ['we won the game', 'I passed the exam', 'that concert was amazing', 'I got the job', 'look at that view', 'this pizza is good'])}!`,
      cats: ['profanity'],
    };
  if (k < 0.7)
    return {
      text: `${pick(r, PROFANE_EXCL)}, I ${pick(r, ['spilled coffee on my shirt', 'missed the train', 'locked myself out', 'burned the toast', 'dropped my phone', 'overslept again'])}${pick(r, ['.', '!', ' again.'])}`,
      cats: ['profanity'],
    };
  if (k < 0.74)
    return {
      text: `${cap(pick(r, ['that test', 'this week', 'the hike', 'moving house', 'the final level']))} was a ${pick(r, ['bitch', 'pain in the ass', 'fucking nightmare', 'shitshow'])}, but ${pick(r, ['we made it', 'I survived', 'it was worth it'])}.`,
      cats: ['profanity'],
    };
  if (k < 0.85) return { text: `I ${pick(r, HATE_VERBS)} ${pick(r, THINGS)}.`, cats: [] };
  return {
    text: `${cap(pick(r, PESTS))} are ${pick(r, ['vermin', 'disgusting', 'a plague', 'filthy', 'pests', 'nasty'])}.`,
    cats: [],
  };
}

/** An adjacent-letter swap in one word of ten: spelling variation both classes share. */
function typo(text: string, r: Rand): string {
  if (r() >= 0.1 || text.length < 6) return text;
  const i = 1 + Math.floor(r() * (text.length - 3));
  if (!/[a-z]/i.test(text[i]) || !/[a-z]/i.test(text[i + 1])) return text;
  return text.slice(0, i) + text[i + 1] + text[i] + text.slice(i + 2);
}

/**
 * `count` sentences: 45% hateful, 40% not hateful about the same groups, 3% self-description or abuse of groups
 * no definition protects, 12% profanity or abuse of things.
 */
export function hateFunctional(rand: Rand, count: number): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let k = 0; k < count; k++) {
    const [p, s] = pick(rand, GROUPS);
    const r = rand();
    if (r < 0.45) {
      const h = rand() < 0.7 ? hateful(p, s, rand) : hatefulMore(p, s, rand);
      out.push({ __value: typo(h.text, rand), __label: true, __categories: h.cats });
    } else if (r < 0.85) {
      const k = rand();
      const text =
        k < 0.55 ? notHateful(p, s, rand) : k < 0.92 ? notHatefulMore(p, s, rand) : praiseWithProfanity(p, rand);
      out.push({ __value: typo(text, rand), __label: false, __categories: [] });
    } else if (r < 0.88) {
      const text = rand() < 0.5 ? selfReference(p, s, rand) : otherGroupAbuse(rand);
      out.push({ __value: typo(text, rand), __label: false, __categories: [] });
    } else {
      const n = profaneNotHate(rand);
      out.push({ __value: typo(n.text, rand), __label: false, __categories: n.cats });
    }
  }
  return out;
}
