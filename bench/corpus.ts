/**
 * A realistic mixed corpus for throughput benchmarks, built from the shared data: technical markdown,
 * Shakespeare, real user prompts and model answers, with PII sentences from the synthetic PII set mixed
 * in (about one document in five carries personal data). Deterministic for a given size.
 */
import { readFileSync } from 'node:fs';

const SHARED = new URL('../../shared/data/', import.meta.url);

function readJsonl(rel: string, field: string): string[] {
  return readFileSync(new URL(rel, SHARED), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .map((r) => r[field])
    .filter((t): t is string => typeof t === 'string');
}

function prose(): string[] {
  const docs = [
    ...readJsonl('prompts/benign/docs/fastchat_docs.jsonl', 'text'),
    ...readJsonl('prompts/benign/docs/oasst_docs.jsonl', 'text'),
  ];
  const shakespeare = readFileSync(new URL('prompts/benign/docs/tinyshakespeare.txt', SHARED), 'utf8').split('\n\n');
  const passages: string[] = [];
  for (let i = 0; i + 20 < shakespeare.length; i += 20) passages.push(shakespeare.slice(i, i + 20).join('\n\n'));
  return [...docs, ...passages];
}

function piiSentences(): string[] {
  const rows = JSON.parse(readFileSync(new URL('pii/synth_dataset_v2.json', SHARED), 'utf8')) as Array<{
    full_text: string;
  }>;
  return rows.map((r) => r.full_text);
}

/** Documents totalling about `bytes` UTF-8 bytes. */
export function buildCorpus(bytes: number): string[] {
  const base = prose();
  const pii = piiSentences();
  const out: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    let doc = base[i % base.length];
    if (doc.length > 6000) {
      const off = (i * 7919) % (doc.length - 4000);
      doc = doc.slice(off, off + 4000);
    }
    if (i % 5 === 0) {
      const cut = doc.indexOf('\n', doc.length >> 1);
      const at = cut === -1 ? doc.length : cut;
      doc = `${doc.slice(0, at)}\n${pii[i % pii.length]} ${pii[(i * 31) % pii.length]}\n${doc.slice(at)}`;
    }
    out.push(doc);
    size += Buffer.byteLength(doc);
  }
  return out;
}

export function totalBytes(docs: readonly string[]): number {
  return docs.reduce((n, d) => n + Buffer.byteLength(d), 0);
}
