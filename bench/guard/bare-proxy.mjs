// The least a proxy can do, for the guard bench's floor: node:http in, an undici keep-alive pool out, the request
// body and the answer passed on as they are (no parsing, no checks, no audit). Prints its URL when ready.
// Run: node bench/guard/bare-proxy.mjs <upstream base URL>
import { createServer } from 'node:http';
import { Pool } from 'undici';

const upstream = new URL(process.argv[2]);
const pool = new Pool(upstream.origin, { connections: 64 });
const prefix = upstream.pathname.replace(/\/v1\/?$/, '');

const server = createServer((req, res) => {
  const parts = [];
  req.on('data', (c) => parts.push(c));
  req.on('end', async () => {
    try {
      const r = await pool.request({
        path: `${prefix}${req.url}`,
        method: req.method,
        headers: { 'content-type': req.headers['content-type'] ?? 'application/json' },
        body: Buffer.concat(parts),
      });
      res.writeHead(r.statusCode, { 'content-type': r.headers['content-type'] ?? 'application/json' });
      res.end(Buffer.from(await r.body.arrayBuffer()));
    } catch (e) {
      res.writeHead(502).end(String(e));
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(`proxy on http://127.0.0.1:${server.address().port}\n`));
