/**
 * Guard overhead, in process and through the gateway (issue 5's figures):
 * - `checkInput` with the default policy on ~1 KB prompts: p50 / p99 per request, one core;
 * - requests/s through the gateway against a local instant upstream, against the same upstream called
 *   directly, with the same client concurrency, in the same process (ratio = gateway / direct).
 *
 *   npm run bench:guard [-- --n 2000 --seconds 5 --concurrency 16]
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';

// Measure what ships: the compiled build (`npm run bench:guard` builds it first).
const guardLib = (await import(
  new URL('../dist/guard/index.js', import.meta.url).href
)) as typeof import('../src/guard/index.js');
const gw = (await import(
  new URL('../dist/guard/gateway/index.js', import.meta.url).href
)) as typeof import('../src/guard/gateway/index.js');

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '2000' },
    seconds: { type: 'string', default: '5' },
    concurrency: { type: 'string', default: '16' },
  },
});

const SENTENCES = [
  'I am planning a small garden behind the house and want to grow tomatoes, basil and a few peppers.',
  'The soil is a bit clay-heavy and the spot gets about six hours of sun in the summer months.',
  'Could you suggest a planting schedule, how far apart to space things, and what to add to the soil?',
  'I would also like to know which of these plants do well together and which should be kept apart.',
  'We have a dog, so anything toxic to pets should be flagged, and I prefer organic fertilisers.',
];
function prompt(i: number): string {
  let s = '';
  let k = i;
  while (s.length < 1000) s += `${SENTENCES[k++ % SENTENCES.length]} `;
  return `${s.slice(0, 1020)} (${i})`;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

// 1. In process.
const guard = guardLib.createGuard();
const n = Number(values.n);
for (let i = 0; i < 200; i++) await guard.checkInput([{ role: 'user', content: prompt(i) }]);
const times: number[] = [];
for (let i = 0; i < n; i++) {
  const t0 = performance.now();
  await guard.checkInput([{ role: 'user', content: prompt(i) }]);
  times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
console.log(`\n## Guard overhead in process (default policy, ~1 KB prompts, ${n} requests, ${process.version})\n`);
console.log('| | p50 ms | p99 ms |');
console.log('|---|---|---|');
console.log(`| checkInput | ${quantile(times, 0.5).toFixed(3)} | ${quantile(times, 0.99).toFixed(3)} |`);

// 2. Through the gateway vs direct, against an instant upstream.
const answer = JSON.stringify({
  id: 'x',
  object: 'chat.completion',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: 'Plant basil next to the tomatoes; keep peppers apart.' },
      finish_reason: 'stop',
    },
  ],
});
const upstream = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.setHeader('content-type', 'application/json');
    res.end(answer);
  });
});
await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
const upUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`;
const gateway = await gw.serveGateway(gw.parseGatewayConfig({ upstream: { baseUrl: upUrl }, server: { port: 0 } }));

async function load(url: string): Promise<number> {
  const seconds = Number(values.seconds);
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  let i = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      const res = await fetch(`${url}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: prompt(i++) }] }),
      });
      await res.arrayBuffer();
      if (res.ok) done++;
    }
  };
  await Promise.all(Array.from({ length: Number(values.concurrency) }, worker));
  return done / seconds;
}
await load(upUrl); // warm-up
const direct = await load(upUrl);
const through = await load(`${gateway.url}/v1`);
console.log(
  `\n## Gateway throughput (instant local upstream, ${values.concurrency} concurrent clients, ${values.seconds} s each)\n`,
);
console.log('| path | requests/s |');
console.log('|---|---|');
console.log(`| direct to upstream | ${direct.toFixed(0)} |`);
console.log(`| through the gateway | ${through.toFixed(0)} |`);
console.log(`| ratio | ${((through / direct) * 100).toFixed(1)}% |`);
await gateway.close();
upstream.close();
