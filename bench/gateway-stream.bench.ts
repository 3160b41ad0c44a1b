/**
 * A streamed chat answer through the gateway, end to end: a local node:http upstream writes the answer as SSE
 * deltas as fast as the gateway takes them, a node:http client reads it. The output policy empty (the gateway's
 * own cost: parsing, the stream checker's bookkeeping, re-serialising, backpressure) and the default policy.
 * Median of `--runs` runs after two warm-ups.
 *
 *   npx tsx bench/gateway-stream.bench.ts [--runs 7] [--kb 64,256]
 */
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseArgs } from 'node:util';
import { parseGatewayConfig, serveGateway } from '../src/guard/gateway/index.js';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '7' }, kb: { type: 'string', default: '64,256' } },
});
const RUNS = Number(values.runs);
const SENTENCE =
  'The quarterly report shows steady growth in all regions, with particular strength in the northern markets. ';
let answer = '';
let deltaChars = 20;

const upstream = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const base = { id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1, model: 'bench' };
    const event = (delta: Record<string, unknown>, finish: string | null = null) =>
      `data: ${JSON.stringify({ ...base, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    const parts = [event({ role: 'assistant', content: '' })];
    for (let i = 0; i < answer.length; i += deltaChars) parts.push(event({ content: answer.slice(i, i + deltaChars) }));
    parts.push(event({}, 'stop'), 'data: [DONE]\n\n');
    let i = 0;
    const pump = () => {
      while (i < parts.length) if (!res.write(parts[i++])) return void res.once('drain', pump);
      res.end();
    };
    pump();
  });
});
await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
const baseUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`;

function once(port: number): Promise<number> {
  const body = JSON.stringify({
    model: 'bench',
    stream: true,
    messages: [{ role: 'user', content: 'Write a report.' }],
  });
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path: '/v1/chat/completions',
        method: 'POST',
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(performance.now() - t0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

console.log('| policy | answer | delta | end to end (ms, median) |');
console.log('|---|---|---|---|');
for (const policy of ['empty output', 'default'] as const) {
  const gw = await serveGateway(
    parseGatewayConfig({
      upstream: { baseUrl },
      server: { port: 0 },
      ...(policy === 'default' ? {} : { policy: { name: 'empty', output: [] } }),
    }),
    { onDecisions: () => {} },
  );
  const port = Number(new URL(gw.url).port);
  for (const kb of values.kb.split(',').map(Number)) {
    answer = SENTENCE.repeat(Math.ceil((kb * 1024) / SENTENCE.length)).slice(0, kb * 1024);
    for (const d of [20, 2048]) {
      deltaChars = d;
      for (let w = 0; w < 2; w++) await once(port);
      const ts: number[] = [];
      for (let r = 0; r < RUNS; r++) ts.push(await once(port));
      console.log(`| ${policy} | ${kb} KB | ${d} chars | ${median(ts).toFixed(1)} |`);
    }
  }
  await gw.close();
}
upstream.close();
