import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { LifeguardError } from '../core/errors.js';
import { BUILTIN_DETECTORS } from '../detect/index.js';

/**
 * Flag-value parsers and file checks shared by the commands. Each parser is made for one flag, so its
 * error names that flag and the values it accepts; an empty or blank value is never read as 0.
 */

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

function invalid(message: string): LifeguardError {
  return new LifeguardError('LG_ERR_CONFIG_INVALID', message);
}

/** A number from `min` to `max` (inclusive), e.g. `--threshold` (0 to 1). */
export function parseNumber(flag: string, value: string, min: number, max: number): number {
  const v = value.trim();
  const n = Number(v);
  if (!DECIMAL.test(v) || !Number.isFinite(n) || n < min || n > max) {
    throw invalid(`${flag} must be a number from ${min} to ${max}, got "${value}"`);
  }
  return n;
}

/** A whole number from `min` to `max` (inclusive); `max` defaults to the largest safe integer. */
export function parseInteger(flag: string, value: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const v = value.trim();
  const n = Number(v);
  if (!INTEGER.test(v) || !Number.isSafeInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
    throw invalid(`${flag} must be a whole number ${range}, got "${value}"`);
  }
  return n;
}

/** A commander parser for a score flag (0 to 1). */
export const scoreFlag =
  (flag: string) =>
  (value: string): number =>
    parseNumber(flag, value, 0, 1);

/** A commander parser for a whole-number flag. */
export const integerFlag =
  (flag: string, min: number, max?: number) =>
  (value: string): number =>
    parseInteger(flag, value, min, max);

/**
 * A commander parser for a field-name flag (`--text-field`, `--label-field`, `--source-field`): an empty
 * name was ignored by some commands and failed every record in others.
 */
export const fieldFlag =
  (flag: string) =>
  (value: string): string => {
    if (value.trim() === '') throw invalid(`${flag} must name a field, got an empty name`);
    return value;
  };

/** A commander parser for `--max-bytes`: a positive whole number of bytes. */
export function parseMaxBytes(value: string): number {
  const v = value.trim();
  const n = Number(v);
  if (!/^\+?\d+$/.test(v) || !Number.isSafeInteger(n) || n < 1) {
    throw invalid(`--max-bytes must be a positive whole number of bytes (e.g. 1048576), got "${value}"`);
  }
  return n;
}

/** The built-in detector ids, sorted. */
export function builtinDetectorIds(): string[] {
  return BUILTIN_DETECTORS.map((d) => d.id).sort();
}

/** Every entity type a built-in detector reports, sorted. */
export function knownEntityTypes(): string[] {
  return [...new Set(BUILTIN_DETECTORS.flatMap((d) => d.entityTypes))].sort();
}

/** Refuses an entity type no detector reports (`default` too, unless `allowDefault`). */
export function checkEntityType(flag: string, type: string, allowDefault = false): void {
  if (allowDefault && type === 'default') return;
  const known = knownEntityTypes();
  if (!known.includes(type)) {
    throw invalid(
      `${flag}: unknown entity type "${type}"; known types${allowDefault ? ' (or default)' : ''}: ${known.join(', ')}`,
    );
  }
}

/** `PERSON=0.7,US_SSN=0.5` → per-type score thresholds (`--thresholds`). */
export function parseThresholds(value: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of value.split(',')) {
    const eq = part.indexOf('=');
    const type = eq < 0 ? part.trim() : part.slice(0, eq).trim();
    if (!type || eq < 0) {
      throw invalid(`--thresholds: cannot read "${part}"; use TYPE=score,TYPE=score`);
    }
    checkEntityType('--thresholds', type);
    out[type] = parseNumber(`--thresholds ${type}`, part.slice(eq + 1), 0, 1);
  }
  return out;
}

/** A comma-separated list with at least one non-empty entry, e.g. `--detectors`. */
export function parseIdList(flag: string, value: string, valid: readonly string[]): string[] {
  const ids = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (ids.length === 0) throw invalid(`${flag}: name at least one id; valid ids: ${valid.join(', ')}`);
  return ids;
}

/** Why a path cannot be read, in words. */
function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOTDIR') return 'a part of the path is not a folder';
  return (e as Error).message;
}

/** Refuses, with a clear one-line error, a path that is missing, a folder, or unreadable. */
export function checkReadableFile(path: string): void {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
    accessSync(path, constants.R_OK);
  } catch (e) {
    throw new LifeguardError('LG_ERR_INPUT_INVALID', `cannot read ${path}: ${reason(e)}`, { cause: e });
  }
  if (isDir) throw new LifeguardError('LG_ERR_INPUT_INVALID', `cannot read ${path}: it is a folder, not a file`);
}

/** An output folder flag: it may not exist yet (it is created), but it must not be a file. */
export function checkOutputDir(flag: string, path: string): void {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw invalid(`${flag} ${path}: ${reason(e)}`);
  }
  if (!isDir) throw invalid(`${flag} ${path} is a file; ${flag} must be a folder (it is created when missing)`);
}

/**
 * An output file flag: its folder may be created, but the path itself must not be a folder, nor lie under a
 * file (`--out report.txt/x.json` failed only when written, after the work, as "already exists (mkdir)").
 */
export function checkOutputFile(flag: string, path: string): void {
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw new LifeguardError('LG_ERR_CONFIG_INVALID', `${flag} ${path} is a folder; ${flag} must be a file`);
  }
  for (let dir = dirname(resolve(path)); ; dir = dirname(dir)) {
    if (existsSync(dir)) {
      if (!statSync(dir).isDirectory()) throw invalid(`${flag} ${path}: ${dir} is a file, not a folder`);
      return;
    }
    if (dirname(dir) === dir) return;
  }
}

/** An input folder flag: the folder must exist. */
export function checkExistingDir(flag: string, path: string): void {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw invalid(`${flag} ${path}: ${code === 'ENOENT' ? 'the folder does not exist' : reason(e)}`);
  }
  if (!isDir) throw invalid(`${flag} ${path} is a file; ${flag} must be a folder`);
}

/**
 * A path as one POSIX shell word, for commands printed into a starter file's comments. A name with a line
 * break (which would end the comment and turn the rest into YAML) stays a placeholder.
 */
export function shellWord(path: string): string {
  if (/^[\w./@%+=:,-]+$/.test(path)) return path;
  if (/[\p{Cc}\u2028\u2029]/u.test(path)) return 'THIS_FILE';
  return `'${path.replaceAll("'", `'\\''`)}'`;
}
