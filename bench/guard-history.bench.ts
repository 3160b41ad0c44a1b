/**
 * The guard on a growing conversation: a chat client resends the whole history on every turn, so every earlier
 * user message is checked again, turn after turn, unless the guard keeps its check results (`cacheSize`,
 * default 4096). One "conversation" = `--turns` requests, request k carrying k user messages (~500 characters
 * each) and k − 1 assistant answers; a fresh guard per conversation, so the cache starts empty. Both guards run
 * in the same process, interleaved by tinybench; medians over the iterations.
 *
 *   npm run bench:guard-history [-- --turns 10 --time 3000]
 */
import { parseArgs } from 'node:util';
import { Bench } from 'tinybench';

// Measure what ships: the compiled build (`npm run bench:guard-history` builds it first).
const guardLib = (await import(
  new URL('../dist/guard/index.js', import.meta.url).href
)) as typeof import('../src/guard/index.js');

const { values } = parseArgs({
  options: { turns: { type: 'string', default: '10' }, time: { type: 'string', default: '3000' } },
});
const TURNS = Number(values.turns);

const QUESTIONS = [
  'We are planning a week in Portugal in May with two children aged six and nine, and we would like to split the time between Lisbon and the coast. Could you suggest how many nights to spend in each place, which neighbourhoods are good for families, and whether we need a car for the coastal part of the trip?',
  'Thanks. For the Lisbon part, what are three or four museums or attractions that keep children interested for a few hours, and are there any that we should book in advance because they sell out? We would also like one afternoon that is mostly outdoors, ideally with a playground nearby.',
  'That helps a lot. On the coast we are choosing between Cascais and Ericeira. The children can swim but not strongly, so calm water matters more than surf. Which would you pick, and is there a simple way to get there from Lisbon with luggage and a folding pushchair?',
  'We eat mostly vegetarian food, and the younger one is a very picky eater. Could you suggest a few typical Portuguese dishes that are vegetarian or easy to adapt, and the kind of restaurant where asking for simple plain pasta or rice would not be seen as rude?',
  'Last question for now: what should we pack for May weather, and is it worth carrying cash, or do cards work everywhere including small cafés and the local trains? Also, do we need any particular adapters for charging phones and a tablet?',
];
const ANSWER =
  'Here is a suggestion that balances both: spend four nights in Lisbon and three on the coast. Lisbon is easy on foot and by tram, and the coast is reachable by train, so a car is optional. Book popular sights a few days ahead in May.';

function conversation(turn: number): { role: string; content: string }[] {
  const messages: { role: string; content: string }[] = [];
  for (let k = 0; k < turn; k++) {
    messages.push({ role: 'user', content: `${QUESTIONS[k % QUESTIONS.length]} (${k + 1})` });
    if (k < turn - 1) messages.push({ role: 'assistant', content: ANSWER });
  }
  return messages;
}

async function wholeConversation(cacheSize: number): Promise<void> {
  const guard = guardLib.createGuard(undefined, { cacheSize });
  for (let t = 1; t <= TURNS; t++) await guard.checkInput(conversation(t));
}

// Guards are built per conversation (the cache starts empty); building one loads nothing new after the first.
await wholeConversation(0);
const bench = new Bench({ time: Number(values.time), warmup: true });
bench
  .add(`${TURNS}-turn conversation, no check cache (baseline)`, () => wholeConversation(0))
  .add(`${TURNS}-turn conversation, check cache (default)`, () => wholeConversation(4096));
await bench.run();
const rows = bench.tasks.map((t) => {
  const r = t.result as { latency?: { p50?: number } } | undefined;
  return {
    name: t.name,
    p50: r?.latency?.p50 ?? Number.NaN,
    n: (r?.latency as { samplesCount?: number } | undefined)?.samplesCount ?? 0,
  };
});
console.log('| conversation | median ms (all turns) | ms per request | iterations |');
console.log('|---|---|---|---|');
for (const r of rows) console.log(`| ${r.name} | ${r.p50.toFixed(1)} | ${(r.p50 / TURNS).toFixed(2)} | ${r.n} |`);
console.log(`\nspeed-up: ${(rows[0].p50 / rows[1].p50).toFixed(2)}× (Node ${process.version})`);
