import type { Command } from 'commander';
import type { Finding } from '../../core/finding.js';
import { scanText } from '../../core/scan.js';
import { createDefaultRegistry, DEFAULT_DETECTOR_IDS } from '../../detect/index.js';
import { DEFAULT_MAX_BYTES, openInput, parseScore, parseThresholds, readAllText, readJsonl, writeLine } from '../io.js';
import { formatTable } from '../table.js';

interface DetectFlags {
  detectors?: string;
  jsonl?: boolean;
  textField: string;
  minScore?: number;
  thresholds?: Record<string, number>;
  fast?: boolean;
  decode: boolean;
  maxBytes: number;
}

/** The shape `--jsonl` prints for each finding (a documented contract). */
export function findingRecord(f: Finding) {
  const out: Record<string, unknown> = {
    detector: f.detector,
    type: f.type,
    start: f.start,
    end: f.end,
    score: round(f.score),
  };
  if (f.rule) out.rule = f.rule;
  if (f.via) out.via = f.via;
  return out;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

export function registerDetect(program: Command): void {
  program
    .command('detect')
    .description('find personal data and secrets in text; offsets are UTF-16 indices into the original text')
    .argument('[file]', 'input file, or - for standard input', '-')
    .option('--detectors <ids>', `comma-separated detector ids (default: ${DEFAULT_DETECTOR_IDS.join(',')})`)
    .option('--jsonl', 'input is JSON Lines ({"id", "text"}); output is one JSON object per input line')
    .option('--text-field <name>', 'field holding the text in --jsonl mode', 'text')
    .option('--min-score <s>', 'drop findings scored below s (0..1)', parseScore)
    .option('--thresholds <list>', 'per-type score thresholds, e.g. PERSON=0.7,DATE_TIME=0.6', parseThresholds)
    .option('--fast', 'patterns and validators only: skip the sequence tagger')
    .option('--no-decode', 'do not decode base64 / hex / URL-encoded segments')
    .option(
      '--max-bytes <n>',
      'largest input (or JSONL line) accepted',
      (v) => Number.parseInt(v, 10),
      DEFAULT_MAX_BYTES,
    )
    .action(async (file: string, flags: DetectFlags) => {
      const registry = createDefaultRegistry();
      const detectors = registry.resolve(flags.detectors ?? DEFAULT_DETECTOR_IDS);
      const options = {
        detectors,
        minScore: flags.minScore,
        thresholds: flags.thresholds,
        fast: flags.fast,
        decode: flags.decode,
      };
      if (!flags.jsonl) {
        const text = await readAllText(file, flags.maxBytes);
        const findings = scanText(text, options);
        process.stdout.write(formatFindingsTable(text, findings));
        return;
      }
      for await (const rec of readJsonl(openInput(file), flags.textField, flags.maxBytes)) {
        if ('error' in rec) {
          process.exitCode = 1;
          await writeLine(JSON.stringify({ id: rec.id, error: rec.error }));
          continue;
        }
        let out: string;
        try {
          out = JSON.stringify({ id: rec.id, findings: scanText(rec.text, options).map(findingRecord) });
        } catch (e) {
          process.exitCode = 1;
          out = JSON.stringify({ id: rec.id, error: (e as Error).message });
        }
        await writeLine(out);
      }
    });
}

function formatFindingsTable(text: string, findings: Finding[]): string {
  if (findings.length === 0) return 'No findings.\n';
  const rows = findings.map((f) => [
    f.type,
    `${f.start}-${f.end}`,
    f.score.toFixed(2),
    f.detector + (f.via ? ` (${f.via})` : ''),
    excerpt(text.slice(f.start, f.end)),
  ]);
  return `${formatTable(['TYPE', 'SPAN', 'SCORE', 'DETECTOR', 'TEXT'], rows)}\n${findings.length} finding(s).\n`;
}

function excerpt(s: string): string {
  const flat = s.replace(/[\r\n\t]+/g, ' ');
  return flat.length > 48 ? `${flat.slice(0, 45)}...` : flat;
}
