// An instant OpenAI-compatible upstream for the guard bench: answers every chat completion at once with a
// fixed short answer (streamed as SSE when asked). Prints its URL on stdout when ready.
// Run: node bench/guard/instant-upstream.mjs [port]
import { createServer } from 'node:http';

const text = 'Plant basil next to the tomatoes; keep peppers apart, and mulch to keep the soil moist.';
const answer = JSON.stringify({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  model: 'bench',
  choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 250, completion_tokens: 20, total_tokens: 270 },
});
const chunk = (delta, finish = null) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', model: 'bench', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;

const server = createServer((req, res) => {
  let raw = '';
  req.setEncoding('utf8');
  req.on('data', (c) => {
    raw += c;
  });
  req.on('end', () => {
    if (raw.includes('"stream":true')) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      let out = chunk({ role: 'assistant', content: '' });
      for (const w of text.split(/(?<= )/)) out += chunk({ content: w });
      res.end(`${out}${chunk({}, 'stop')}data: [DONE]\n\n`);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
    res.end(answer);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  process.stdout.write(`http://127.0.0.1:${server.address().port}/v1\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
