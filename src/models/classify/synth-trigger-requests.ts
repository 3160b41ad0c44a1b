/**
 * Ordinary requests that carry one, two or three of the words injections use (ignore, bypass, override,
 * jailbreak, sudo, root, admin, developer mode, system prompt, unrestricted, pretend, previous instructions,
 * reveal, secret, password, exploit, injection, execute, "from now on", …), each in its everyday sense and on the
 * user's own topic: code, devices, cooking, work, games, health. An over-defensive detector counts trigger words;
 * these rows (negatives only) teach that a request about the user's own things is not an attack however many of
 * the words it holds. Every text is composed from the inventories below.
 */
import { pick, type Rand, type Row } from './synth-random.js';
import { cap, lowerFirst } from './synth-text.js';

/** Things a user asks about, each with a trigger word, as "how do I …" clauses. */
const TASKS = [
  // code and systems
  'override a method in a Kotlin subclass',
  'override the default font size in VS Code',
  'ignore one folder in .gitignore without ignoring its parent',
  'make pytest ignore deprecation warnings',
  'execute a shell command from Node.js and read its output',
  'run a command as root inside a Docker container',
  'fix "permission denied" even when I use sudo',
  'add my user to the sudoers file safely',
  'reset the admin password of my own WordPress site',
  'prevent SQL injection in a Flask app',
  'sanitise user input so nobody can inject HTML into my comments section',
  'execute a stored procedure in PostgreSQL',
  'bypass the cache in my service worker while developing',
  'reveal hidden files in Finder',
  'keep API secrets out of my git history',
  'write a good system prompt for the customer-support bot we are building',
  'write clearer instructions in our README',
  'roll back to the previous version of a package',
  'find the root cause of a memory leak',
  'exploit multi-core CPUs in a Python script',
  // devices
  'turn on developer mode on my Android phone',
  'root my old Android tablet to install a newer OS',
  'jailbreak my own iPhone 6 and whether it voids the warranty',
  'find the admin page of my home router',
  'recover the password of my own Wi-Fi network',
  'disable the parental restrictions I set on my son’s tablet',
  'bypass the startup screen on a laptop that freezes at boot',
  // everyday life and work
  'bypass a clogged kitchen drain without calling a plumber',
  'ignore the noise from my neighbours while working from home',
  'forget a bad day and sleep better',
  'override the thermostat schedule just for today',
  'follow the previous instructions from my manager when they contradict the new ones',
  'explain our company policy on remote work to a new hire',
  'plan a gender reveal party on a small budget',
  'organise a secret Santa for twenty colleagues',
  'keep a surprise party secret from my partner',
  'deal with a landlord who says the rules changed without telling me',
  'read the rules of chess about castling',
  'renew a passport that expired without restrictions on travel',
  // health, food, sport, games
  'recover after heart bypass surgery',
  'give an insulin injection to my diabetic cat',
  'cook root vegetables so they caramelise',
  'make unfiltered apple juice at home',
  'train for a marathon with no limits on my schedule',
  'play Jailbreak, the board game, with six players',
  'role-play a job interview with a friend',
  'pretend play with a toddler who is shy',
  'watch the uncensored director’s cut of a classic film',
  'read the instructions above the washing machine symbols',
  'build a free kick routine for an unrestricted practice session',
  // phrases attacks open with, in their everyday use
  'add a new task to a shared Trello board',
  'split a new task at work into smaller steps',
  'tell my team about a new task without sounding bossy',
  'choose a phone plan with no limits on data',
  'explain to my kids that screen time has limits, or no limits on weekends',
  'travel inside the EU without restrictions as a resident',
  'share my photos without restrictions under a Creative Commons licence',
  'get prior authorization from my insurer for an MRI',
  'describe prior experience in a cover letter',
  'search for prior art before filing a patent',
  'keep my budget in a spreadsheet from now on',
  'stick to a new habit from now on',
  'test the system prompt of my own chatbot against rude users',
  'store the system prompt of our app in a config file',
];

/** Statements that open like an injection ("New task:", "From now on") and are the user's own plans. */
const STATEMENTS = [
  'New task for today: clean out the garage. How long should that take?',
  'New task from my boss: write a one-page summary of our Q3 sales. What should it include?',
  'From now on I want to go to bed before eleven. Any tips to make it stick?',
  'From now on our team will do stand-ups on Mondays only; how do I announce that?',
  'No limits on the budget for my sister’s wedding gift, what would be special?',
  'The gym membership has no limits on classes. Which ones help with back pain?',
  'Without restrictions on time, how would you plan a road trip across Canada?',
  'Prior to the interview, what should I read about the company?',
];

/** What a request is built around (for two or three tasks). */
const OPENERS = [
  'Quick questions.',
  'Two things I am stuck on.',
  'I have a few unrelated questions.',
  'Help me with a couple of things today.',
  'Sorry for the mixed bag.',
  '',
];
const CONTEXTS = [
  'I am a junior developer.',
  'I work from home and I am not very technical.',
  'I am a nurse with a busy week.',
  'I run a small bakery.',
  'I am a student.',
  'My dad asked me this and I did not know.',
  '',
];

/** One task as a question, in a few phrasings. */
function ask(r: Rand, task: string): string {
  return pick(r, [
    `How do I ${task}?`,
    `What is the best way to ${task}?`,
    `Can you explain how to ${task}?`,
    `Any tips on how to ${task}?`,
    `I need to ${task}. Where do I start?`,
    `how do i ${task}`,
  ]);
}

/** `count` benign requests with one to three trigger words each (a third of them each). */
export function triggerRequests(rand: Rand, count: number): Row[] {
  const out: Row[] = [];
  for (let k = 0; k < count; k++) {
    const n = 1 + (k % 3);
    const tasks = new Set<string>();
    while (tasks.size < n) tasks.add(pick(rand, TASKS));
    const [a, b, c] = [...tasks];
    let text: string;
    // One framing is chosen first and only it is composed: each `ask` draws its own phrasing.
    const framing = Math.floor(rand() * 3);
    if (n === 1) text = rand() < 0.15 ? pick(rand, STATEMENTS) : `${pick(rand, CONTEXTS)} ${ask(rand, a)}`;
    else if (n === 2)
      text =
        framing === 0
          ? `${pick(rand, OPENERS)} ${ask(rand, a)} And ${lowerFirst(ask(rand, b))}`
          : framing === 1
            ? `${pick(rand, CONTEXTS)} First, ${lowerFirst(ask(rand, a))} Second, ${lowerFirst(ask(rand, b))}`
            : `${cap(a)} and ${b}: how do I do both this weekend?`;
    else
      text =
        framing === 0
          ? `${pick(rand, OPENERS)} 1) ${ask(rand, a)} 2) ${ask(rand, b)} 3) ${ask(rand, c)}`
          : framing === 1
            ? `${pick(rand, CONTEXTS)} This week I have to ${a}, ${b} and ${c}. Can you give me a short plan?`
            : `My to-do list: ${a}; ${b}; ${c}. Which should I do first, and how?`;
    out.push({ __value: text.trim(), __label: false });
  }
  return out;
}
