import type { Command } from 'commander';
import type { Finding } from '../../core/finding.js';
import { scanText } from '../../core/scan.js';
import {
  addInputOptions,
  addScanOptions,
  type InputFlags,
  processInput,
  type ScanFlags,
  scanOptionsFrom,
} from '../options.js';
import { formatTable } from '../table.js';

interface DetectFlags extends InputFlags, ScanFlags {
  decode: boolean;
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
  const cmd = program
    .command('detect')
    .description('find personal data and secrets in text; offsets are UTF-16 indices into the original text');
  addInputOptions(cmd, 'input is JSON Lines ({"id", "text"}); output is one JSON object per input line');
  addScanOptions(cmd)
    .option('--no-decode', 'do not decode base64 / hex / URL-encoded segments')
    .action(async (file: string, flags: DetectFlags) => {
      const options = { ...scanOptionsFrom(flags), decode: flags.decode };
      await processInput(
        file,
        flags,
        (text) => formatFindingsTable(text, scanText(text, options)),
        (rec) => ({ id: rec.id, findings: scanText(rec.text, options).map(findingRecord) }),
        // `--text-field msg.text` reads a nested field, as `data scan` does; detect writes no text back.
        true,
      );
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

/**
 * Control and format characters inside a finding (a bidi override in `b\u202Eob@example.com`, an ANSI
 * escape, zero-width and tag characters) are shown as `<U+202E>`: printed raw, they reorder or restyle the
 * row in a terminal, so the table showed a different text from the one found.
 */
const UNPRINTABLE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;

function excerpt(s: string): string {
  const flat = s
    .replace(/[\r\n\t]+/g, ' ')
    .replace(UNPRINTABLE, (c) => `<U+${(c.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}>`);
  return flat.length > 48 ? `${flat.slice(0, 45)}...` : flat;
}
