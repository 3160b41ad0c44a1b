import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { LifeguardError } from '../core/errors.js';
import { mulberry32 } from '../core/random.js';
import { hasOwnId } from './io/ids.js';
import { detectShape, openRecordReader, openRecordWriter, recordId, textsOf, withTexts } from './io/index.js';

export interface CanaryOptions {
  /** How many records get a canary. */
  count: number;
  /** Seed for choosing records and drawing canaries (default: cryptographically random canaries). */
  seed?: number;
  /** Text field of plain-text records (default `text`). */
  textField?: string;
}

export interface CanaryRecord {
  id: string | number;
  /**
   * Present when the record has no `id` of its own: its id is then only its 0-based line / row number
   * (`line`), which a real record may also carry.
   */
  line?: number;
  id_from_line?: true;
  /** Path of the text the canary was appended to, e.g. `text` or `messages.1.content`. */
  path: string;
  canary: string;
}

const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function drawCanary(next: () => number): string {
  let s = '';
  for (let i = 0; i < 24; i++) s += ALPHABET[Math.floor(next() * ALPHABET.length)];
  return `LG-CANARY-${s}`;
}

/**
 * Copies `input` to `outDir` (same name and format) with a unique random canary sentence appended to
 * the last text of `count` records chosen at random, and writes `outDir/canaries.json` listing them, so
 * a model trained on the copy can later be probed for memorising them. Records that cannot hold a
 * canary (malformed lines, no text) are copied as they are.
 */
export async function insertCanaries(input: string, outDir: string, options: CanaryOptions): Promise<CanaryRecord[]> {
  if (!Number.isInteger(options.count) || options.count < 1) {
    throw new LifeguardError('LG_ERR_CONFIG_INVALID', `canary count must be a positive integer, got ${options.count}`);
  }
  // First pass: which records can hold a canary.
  const eligible: number[] = [];
  for await (const rec of openRecordReader(input)) {
    if (rec.value && textsOf(rec.value, detectShape(rec.value, options), options).length > 0) eligible.push(rec.index);
  }
  if (eligible.length < options.count) {
    throw new LifeguardError(
      'LG_ERR_INPUT_INVALID',
      `${input} has ${eligible.length} records with text; cannot place ${options.count} canaries`,
    );
  }
  const seeded = options.seed === undefined ? null : mulberry32(options.seed);
  const next = seeded ?? (() => randomBytes(4).readUInt32BE(0) / 2 ** 32);
  // Partial Fisher-Yates: the first `count` of a shuffled copy.
  const pool = [...eligible];
  for (let i = 0; i < options.count; i++) {
    const j = i + Math.floor(next() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  const chosen = new Set(pool.slice(0, options.count));

  mkdirSync(outDir, { recursive: true });
  const writer = openRecordWriter(join(outDir, basename(input)));
  const placed: CanaryRecord[] = [];
  for await (const rec of openRecordReader(input)) {
    if (!rec.value) {
      await writer.write(rec.raw ?? '');
      continue;
    }
    if (!chosen.has(rec.index)) {
      await writer.write(rec.value);
      continue;
    }
    const slots = textsOf(rec.value, detectShape(rec.value, options), options);
    const slot = slots[slots.length - 1];
    const canary = drawCanary(next);
    await writer.write(withTexts(rec.value, new Map([[slot.path, `${slot.text} The access code is ${canary}.`]])));
    const where = hasOwnId(rec.value) ? {} : { line: rec.index, id_from_line: true as const };
    placed.push({ id: recordId(rec), ...where, path: slot.path, canary });
  }
  await writer.close();
  writeFileSync(
    join(outDir, 'canaries.json'),
    `${JSON.stringify({ input: basename(input), seed: options.seed ?? null, canaries: placed }, null, 2)}\n`,
    { mode: 0o600 },
  );
  return placed;
}
