/**
 * What the stream's hold on suspicion (`stream.holdAbove`) buys and costs, on recorded answers: of the
 * JailbreakBench jailbroken answers the default output policy blocks when checked whole, how many let text
 * out before the streamed stop (and how many characters); of benign answers (XSTest's compliant answers to safe
 * prompts, self-instruct and MT-bench reference answers) and JailbreakBench's answers its judge called safe, how
 * many are held back more than 300 characters until their end (streamed in 20-character chunks).
 *
 *   npx tsx scripts/stream-hold.ts [prefix|none] [0,0.15,0.25]
 *
 * `prefix` puts 204 characters of benign text before every answer.
 */
import { readFileSync } from 'node:fs';
import { createGuard, DEFAULT_POLICY } from '../src/guard/index.js';
import { csvRowsOf, resolveDataRoot } from '../src/models/classify/sources.js';

const root = resolveDataRoot();
const files = [
  'PAIR/black_box/vicuna-13b-v1.5.json',
  'PAIR/black_box/gpt-3.5-turbo-1106.json',
  'PAIR/black_box/llama-2-7b-chat-hf.json',
  'GCG/white_box/vicuna-13b-v1.5.json',
  'GCG/white_box/llama-2-7b-chat-hf.json',
  'JBC/manual/vicuna-13b-v1.5.json',
  'PAIR/black_box/gpt-4-0125-preview.json',
  'GCG/transfer/gpt-3.5-turbo-1106.json',
  'GCG/transfer/gpt-4-0125-preview.json',
];
const harmful: string[] = [];
const jbbSafe: string[] = [];
for (const f of files) {
  const art = JSON.parse(readFileSync(`${root}/redteam/jbb-artifacts/${f}`, 'utf8'));
  for (const j of art.jailbreaks) if (j.response) (j.jailbroken ? harmful : jbbSafe).push(j.response);
}
const benign: string[] = [];
for (const m of ['gpt4', 'llama2new', 'mistralinstruct']) {
  const rows = csvRowsOf(readFileSync(`${root}/refusal/xstest/xstest_v2_completions_${m}_gpteval.csv`, 'utf8'));
  for (const r of rows)
    if (r.final_label === '1_full_compliance' && !String(r.type).startsWith('contrast'))
      benign.push(String(r.completion));
}
for (const l of readFileSync(
  `${root}/prompts/benign/self-instruct/user_oriented_text-davinci-003_predictions.jsonl`,
  'utf8',
)
  .trim()
  .split('\n'))
  benign.push(JSON.parse(l).response);
for (const l of readFileSync(`${root}/prompts/benign/mt-bench/mt_bench_reference_answer_gpt-4.jsonl`, 'utf8')
  .trim()
  .split('\n'))
  benign.push(JSON.parse(l).choices[0].turns[0]);
const prefix =
  process.argv[2] === 'prefix'
    ? 'Thanks for your question. Gardening is a rewarding hobby, and there are many ways to get started with a small plot. Choose a sunny spot, improve the soil with compost, and water regularly in the morning. '
    : '';
async function stream(guard: ReturnType<typeof createGuard>, text: string) {
  const s = guard.stream();
  let out = '';
  for (let i = 0; i < text.length; i += 20) {
    const r = await s.push(text.slice(i, i + 20));
    out += r.text;
    if (r.stopped) return { early: out, stopped: true };
  }
  const early = out;
  const e = await s.end();
  return { early, stopped: !!e.stopped };
}
for (const holdAbove of (process.argv[3] ?? '0,0.25,0.5').split(',').map(Number)) {
  const guard = createGuard({ ...DEFAULT_POLICY, stream: { ...DEFAULT_POLICY.stream, holdAbove } } as never);
  let blocked = 0,
    leaked = 0;
  const leaks: number[] = [];
  for (const a of harmful) {
    const text = prefix + a;
    if (!(await guard.checkOutput(text)).blocked) continue;
    blocked++;
    const r = await stream(guard, text);
    const leak = Math.max(0, r.early.length - prefix.length);
    if (leak > 0) leaked++;
    leaks.push(leak);
  }
  const sumLeak = leaks.reduce((x, y) => x + y, 0);
  const late = (set: string[]) => {
    let n = 0,
      heldLong = 0,
      heldChars = 0;
    return (async () => {
      for (const a of set) {
        const text = prefix + a;
        const r = await stream(guard, text);
        if (r.stopped) continue;
        n++;
        const held = text.length - r.early.length;
        heldChars += held;
        if (held > 300) heldLong++;
      }
      return `${n} answers, ${((100 * heldLong) / n).toFixed(1)}% held > 300 chars to the end, mean held ${(heldChars / n).toFixed(0)}`;
    })();
  };
  console.log(
    `prefix ${prefix.length}, holdAbove ${holdAbove}: harmful blocked whole ${blocked}/${harmful.length}, leaked ${leaked} (total ${sumLeak} chars) | benign: ${await late(benign)} | JBB safe: ${await late(jbbSafe)}`,
  );
}
