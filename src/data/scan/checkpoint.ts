import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { open, readFile, rename } from 'node:fs/promises';
import { LifeguardError } from '../../core/errors.js';
import type { BatchStats } from './batch.js';
import type { ScanConfig } from './config.js';
import type { InputInfo, InputPosition } from './inputs.js';

/**
 * 2: dedup sketches with the prompt part (sketch version 2). 3: an exact copy of a near duplicate is an exact
 * duplicate (`exact_of`); a scan checkpointed before that would mix the two rules in one output. 4: ids that
 * are only a line number are marked (`id_from_line`; `dedup-ids.jsonl` logs `[id, 1]` for them) and records
 * flagged before the scan are found by place, not id; an older scan's outputs would lack the marks halfway.
 * 5: dedup sketch version 3 (characters of CJK, Thai, … are words): the logged sketches of an older scan
 * would replay other decisions than the rest of the scan makes. 6: dedup sketch version 4 (emoji are words, the
 * exact hash of a multi-part record includes its prompt boundary) and a multi-part record is never a near
 * duplicate of a plain text: the same.
 */
export const CHECKPOINT_VERSION = 6;

/** Everything a resumed scan needs to continue exactly where the last checkpoint left off. */
export interface Checkpoint {
  version: typeof CHECKPOINT_VERSION;
  /** Hash of the settings and inputs; a resume with anything different is refused. */
  fingerprint: string;
  done: boolean;
  startedAt: string;
  /** Scan seconds before this checkpoint, summed over interrupted runs. */
  elapsedS: number;
  prepassS: number;
  position: InputPosition;
  records: number;
  kept: number;
  quarantined: number;
  /** Committed sizes of the append-only files. */
  sizes: { kept: number; quarantine: number; sketches: number; dedupIds: number };
  /** Records given to the dedup index so far. */
  dedupOrdinal: number;
  stats: BatchStats;
  /** The poisoning collector's state (records matched per trigger and check). */
  poisonState: unknown;
  /** Records read per input. */
  fileRecords: number[];
  /** Which hash/pseudonym key made the outputs (absent when the operators use none). */
  redactKey?: KeyFingerprint;
}

/**
 * A salted scrypt digest of the redaction key, so a resume with another key is refused (it would mix two
 * keys' hashes and pseudonyms in one output) while the checkpoint, unlike a plain hash, makes each guess
 * at the key cost a scrypt. Base64 fields.
 */
export interface KeyFingerprint {
  salt: string;
  digest: string;
}

// N = 2^15, r = 8: 32 MiB and some 100 ms per guess; maxmem raised above Node's 32 MiB default to allow it.
const KEY_SCRYPT = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

function deriveKey(key: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(key, salt, 32, KEY_SCRYPT, (err, digest) => (err ? reject(err) : resolve(digest)));
  });
}

/** A fresh fingerprint of `key`, with a random salt. */
export async function keyFingerprint(key: string): Promise<KeyFingerprint> {
  const salt = randomBytes(16);
  const digest = await deriveKey(key, salt);
  return { salt: salt.toString('base64'), digest: digest.toString('base64') };
}

/** Whether `key` is the key `fp` was made from. */
export async function keyMatches(fp: KeyFingerprint, key: string): Promise<boolean> {
  const expected = Buffer.from(String(fp.digest), 'base64');
  const digest = await deriveKey(key, Buffer.from(String(fp.salt), 'base64'));
  return digest.length === expected.length && timingSafeEqual(digest, expected);
}

/** The fingerprint ties a checkpoint to one configuration and one set of unchanged inputs. */
export function fingerprintOf(config: ScanConfig, inputs: readonly InputInfo[]): string {
  const { workers: _workers, ...settings } = config;
  const h = createHash('sha256');
  h.update(JSON.stringify(settings));
  for (const i of inputs) h.update(`\u0000${i.path}\u0000${i.size}\u0000${i.mtimeMs}`);
  return h.digest('hex');
}

/** Writes JSON so that a crash leaves either the old file or the new one, never a torn one. */
export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  const tmp = `${path}.tmp`;
  await writeDurably(tmp, JSON.stringify(value));
  await rename(tmp, path);
}

/** Writes a file and fsyncs it before returning. */
export async function writeDurably(path: string, data: string | Uint8Array): Promise<void> {
  const h = await open(path, 'w');
  try {
    await h.writeFile(data);
    await h.sync();
  } finally {
    await h.close();
  }
}

export async function readCheckpoint(path: string): Promise<Checkpoint | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  let cp: Checkpoint;
  try {
    cp = JSON.parse(text) as Checkpoint;
  } catch (e) {
    throw new LifeguardError('LG_ERR_INPUT_INVALID', `${path}: the checkpoint is unreadable (${(e as Error).message})`);
  }
  if (typeof cp !== 'object' || cp === null || cp.version !== CHECKPOINT_VERSION) {
    const version = typeof cp === 'object' && cp !== null ? cp.version : undefined;
    const older = typeof version === 'number' && version < CHECKPOINT_VERSION;
    throw new LifeguardError(
      'LG_ERR_INPUT_INVALID',
      `${path}: checkpoint version ${String(version)} is not ${CHECKPOINT_VERSION} (${
        older ? 'written by an older Lifeguard' : 'not a checkpoint this Lifeguard can read'
      }): it cannot be resumed without mixing two output formats; run without --resume to start over`,
    );
  }
  return cp;
}
