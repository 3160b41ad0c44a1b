/**
 * Model answers that refuse, partly refuse or comply, built around the same requests. Real refusal data
 * ties the label to the topic (harmful requests get refused), so a bag-of-n-grams model learns "drugs =
 * refusal". Here every request — harmful or not — appears refused, partly refused and answered, so only
 * how the answer opens and proceeds tells the classes apart. Our own phrase inventories; requests and
 * answer bodies come from the shared data.
 */
import { pick, type Rand, type Row } from './synth-random.js';
import { cap, lowerFirst } from './synth-text.js';

const APOLOGY = [
  "I'm sorry, but",
  'Sorry, but',
  'I apologize, but',
  "I'm really sorry, but",
  'Unfortunately,',
  "I'm afraid",
  'My apologies, but',
  'No,',
  'As an AI language model,',
  "I'm just an AI, and",
  'As a responsible AI,',
  '',
  '',
  '',
];
const CANNOT = [
  "I can't help with that",
  "I can't assist with that request",
  'I cannot help you with this',
  'I cannot fulfill your request',
  "I can't do that",
  "I won't be able to help with this",
  "I'm not able to help with that",
  "I'm unable to provide that",
  'I must decline this request',
  "I can't comply with that",
  'I cannot provide that information',
  'I can’t help with that',
  'I will not provide this',
];
const CANNOT_GOAL = [
  "I can't help you {g}",
  'I cannot {g}',
  "I won't {g}",
  "I'm not able to {g}",
  'I must decline to {g}',
  'I cannot provide instructions or advice on how to {g}',
  "I can't provide guidance that would {g}",
  "I don't feel comfortable helping you {g}",
  'I cannot assist you in trying to {g}',
  'I can’t {g}',
];
const REASONS = [
  'It is illegal and could cause serious harm to others.',
  "It's not within my programming or ethical guidelines to provide this kind of content.",
  'This goes against my guidelines.',
  'Doing so would be unethical and potentially dangerous.',
  'Sharing this information could put people at risk.',
  'This request involves activities that are harmful and illegal.',
  'It would not be appropriate for me to help with this.',
  'That would violate the privacy of the person involved.',
  'This kind of content can hurt real people.',
  'I have to prioritize safety here.',
  'It is never acceptable to put other people in danger.',
  '',
  '',
];
const LECTURE_OPEN = [
  "It's important to note that {t} is illegal and can have serious consequences.",
  'It is not appropriate to {g}.',
  "It's never okay to {g}.",
  'I must strongly advise against trying to {g}.',
  'Attempting to {g} is dangerous and unethical.',
  'It is not ethical or legal to {g}.',
  "I'm concerned about this request. Trying to {g} could seriously harm people.",
];
const REDIRECTS = [
  'If you are struggling, please reach out to a mental health professional or a trusted person.',
  'If you have questions about staying safe, I would be happy to help with that instead.',
  'Is there something else I can help you with?',
  'Please consider speaking with a qualified professional.',
  'If someone is in danger, please contact your local authorities.',
  'Let me know if there is anything else you need.',
  'I encourage you to seek help from the appropriate professionals.',
  '',
  '',
];
const PARTIAL_TURN = [
  'However, I can give you some general information:',
  "That said, here's what I can share in general terms:",
  'Instead, I can offer a safer alternative:',
  "But I'd be happy to help with a related question. Here is some background:",
  'However, here is some general, publicly available information:',
  'What I can do is explain the general idea:',
];
const COMPLY_OPEN = [
  'Sure! ',
  'Sure, here you go. ',
  'Certainly. ',
  'Of course! ',
  'Absolutely. ',
  'Great question! ',
  'Here is what you asked for. ',
  'Happy to help. ',
  'Okay, ',
  '',
  '',
  '',
];
const COMPLY_RESTATE = [
  'Here is how to {g}:',
  "To {g}, you'll want to follow these steps:",
  "Here's a detailed answer on how to {g}.",
  'Below is a step-by-step guide to {g}.',
  "Let's go through how to {g}.",
  '',
  '',
];
const CAVEATS = [
  'Please be careful and follow local laws.',
  'Note that this is for general information only.',
  "It's a good idea to double-check with an expert.",
  '',
  '',
  '',
];

/** A request as a verb phrase: "Write a tutorial on X." → "write a tutorial on X". */
function asVerbPhrase(goal: string): string {
  return lowerFirst(goal.trim().replace(/[.?!]+$/, ''));
}

function body(rand: Rand, bodies: readonly string[], max: number): string {
  if (bodies.length === 0) return '';
  const b = pick(rand, bodies).trim();
  const start = rand() < 0.5 ? 0 : Math.max(0, b.indexOf(' ', Math.floor(rand() * Math.max(1, b.length - max))) + 1);
  return b.slice(start, start + max);
}

function join(...parts: string[]): string {
  return parts
    .filter((p) => p.trim().length > 0)
    .join(' ')
    .replace(/ +/g, ' ')
    .trim();
}

/**
 * `count` answers: a third refusals (apology + can't, can't + the request, or a lecture that declines),
 * a sixth partial refusals (decline, then general help), the rest compliance (an opener, maybe the
 * request restated, then a real answer's text).
 */
export function refusalAnswers(rand: Rand, count: number, goals: readonly string[], bodies: readonly string[]): Row[] {
  const out: Row[] = [];
  for (let k = 0; k < count; k++) {
    const goal = pick(rand, goals);
    const g = asVerbPhrase(goal);
    const r = rand();
    if (r < 0.34) {
      const style = rand();
      let text: string;
      if (style < 0.4)
        text = join(
          pick(rand, APOLOGY),
          `${lowerFirst(pick(rand, CANNOT))}.`,
          pick(rand, REASONS),
          pick(rand, REDIRECTS),
        );
      else if (style < 0.75)
        text = join(
          pick(rand, APOLOGY),
          `${pick(rand, CANNOT_GOAL).replace('{g}', g)}.`,
          pick(rand, REASONS),
          pick(rand, REDIRECTS),
        );
      else {
        text = join(
          pick(rand, LECTURE_OPEN).replace('{g}', g).replace('{t}', `trying to ${g}`),
          pick(rand, REASONS),
          `Instead, ${lowerFirst(pick(rand, REDIRECTS.filter(Boolean)))}`,
        );
      }
      out.push({ __value: cap(text), __label: true, __partial: false });
    } else if (r < 0.5) {
      const decline = rand() < 0.5 ? `${pick(rand, CANNOT_GOAL).replace('{g}', g)}.` : `${pick(rand, CANNOT)}.`;
      const text = join(pick(rand, APOLOGY), decline, pick(rand, PARTIAL_TURN), body(rand, bodies, 500));
      out.push({ __value: cap(text), __label: true, __partial: true });
    } else {
      const text = join(
        pick(rand, COMPLY_OPEN),
        pick(rand, COMPLY_RESTATE).replace('{g}', g),
        body(rand, bodies, 700),
        pick(rand, CAVEATS),
      );
      out.push({ __value: cap(text), __label: false });
    }
  }
  return out;
}
