import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';
import { access, chmod, open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { inspect } from 'node:util';
import { LifeguardError } from '../errors.js';
import { nextTag } from './tags.js';

/** Vault file format version. */
export const VAULT_VERSION = 1;

/** scrypt parameters, stored in the file header. */
export interface ScryptParams {
  name: 'scrypt';
  /** CPU/memory cost, a power of two. */
  N: number;
  r: number;
  p: number;
  /** Derived key length in bytes (32: AES-256). */
  keyLength: number;
}

/** The JSON envelope of a vault file. Binary fields are base64. */
export interface VaultEnvelope {
  version: number;
  kdf: ScryptParams;
  salt: string;
  iv: string;
  tag: string;
  data: string;
}

export interface VaultSealOptions {
  /** scrypt cost N, a power of two from 2^14 to 2^20 (default 2^15: ~32 MiB, ~0.1 s). */
  cost?: number;
}

const DEFAULT_COST = 2 ** 15;
const MIN_COST = 2 ** 14;
const MAX_COST = 2 ** 20;
const SALT_BYTES = 16;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const TAG_SHAPE = /^<[A-Z0-9_]+_(\d+)>$/;

interface Entry {
  label: string;
  value: string;
}

function vaultError(message: string, cause?: unknown): LifeguardError {
  return new LifeguardError('LG_ERR_VAULT', message, { cause });
}

function passphraseBytes(passphrase: string | Uint8Array): Buffer {
  const bytes =
    typeof passphrase === 'string'
      ? Buffer.from(passphrase, 'utf8')
      : passphrase instanceof Uint8Array
        ? Buffer.from(passphrase)
        : undefined;
  if (bytes === undefined || bytes.length === 0) {
    throw vaultError('a vault passphrase must be a non-empty string or Uint8Array');
  }
  // UTF-8 writes every lone surrogate as U+FFFD: a passphrase `'a\uD800'` sealed a vault that `'a\uDBFF'` and
  // `'a\uFFFD'` opened too. Such a string (a mangled paste or decoding) is refused rather than silently weakened.
  if (typeof passphrase === 'string' && /\p{Cs}/u.test(passphrase)) {
    bytes.fill(0);
    throw vaultError(
      'a vault passphrase string must be well-formed Unicode: it has a lone surrogate (half of a UTF-16 pair); ' +
        'pass the intended text, or the bytes as a Uint8Array',
    );
  }
  return bytes;
}

function deriveKey(passphrase: Buffer, salt: Buffer, kdf: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const maxmem = 256 * kdf.N * kdf.r + 16 * 1024 * 1024;
    scrypt(passphrase, salt, kdf.keyLength, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem }, (error, key) => {
      passphrase.fill(0);
      if (error) reject(vaultError('could not derive the vault key', error));
      else resolve(key);
    });
  });
}

/** Header fields bound to the ciphertext as AES-GCM associated data. */
function associatedData(version: number, kdf: ScryptParams, salt: string): Buffer {
  return Buffer.from(`lifeguard-vault|${version}|${kdf.name}|${kdf.N}|${kdf.r}|${kdf.p}|${kdf.keyLength}|${salt}`);
}

function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
}

function decodeField(envelope: Record<string, unknown>, field: string, bytes?: number): Buffer {
  const raw = envelope[field];
  if (typeof raw !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(raw)) {
    throw vaultError(`not a valid Lifeguard vault: field "${field}" is missing or not base64`);
  }
  const buf = Buffer.from(raw, 'base64');
  if (bytes !== undefined && buf.length !== bytes) {
    throw vaultError(`not a valid Lifeguard vault: field "${field}" must be ${bytes} bytes`);
  }
  return buf;
}

function parseKdf(raw: unknown): ScryptParams {
  const kdf = raw as Partial<ScryptParams> | null;
  if (
    typeof kdf !== 'object' ||
    kdf === null ||
    kdf.name !== 'scrypt' ||
    typeof kdf.N !== 'number' ||
    !isPowerOfTwo(kdf.N) ||
    kdf.N < MIN_COST ||
    kdf.N > MAX_COST ||
    !Number.isInteger(kdf.r) ||
    (kdf.r as number) < 1 ||
    (kdf.r as number) > 32 ||
    !Number.isInteger(kdf.p) ||
    (kdf.p as number) < 1 ||
    (kdf.p as number) > 16 ||
    kdf.keyLength !== KEY_BYTES
  ) {
    throw vaultError('not a valid Lifeguard vault: unsupported or out-of-range key derivation parameters');
  }
  return { name: 'scrypt', N: kdf.N, r: kdf.r as number, p: kdf.p as number, keyLength: KEY_BYTES };
}

/**
 * A reversible mapping `tag → original`, filled by the `vault` operator and read by `restore`.
 * In memory it holds originals in clear; on disk it is encrypted (`save` / `load`, `seal` / `open`).
 * `console.log`, `util.inspect` and `JSON.stringify` show only its size.
 */
export class Vault {
  readonly #byTag = new Map<string, Entry>();
  /** label + '\0' + value → tag */
  readonly #byValue = new Map<string, string>();
  readonly #counters = new Map<string, number>();
  #maxTagLength = 0;

  /** Number of tags recorded. */
  get size(): number {
    return this.#byTag.size;
  }

  /** Length (UTF-16 units) of the longest recorded tag; 0 when empty. */
  get maxTagLength(): number {
    return this.#maxTagLength;
  }

  has(tag: string): boolean {
    return this.#byTag.has(tag);
  }

  /** The original value behind `tag`. */
  get(tag: string): string | undefined {
    return this.#byTag.get(tag)?.value;
  }

  /** The recorded tags, in the order they were created. */
  tags(): IterableIterator<string> {
    return this.#byTag.keys();
  }

  /**
   * The tag for a value of this type: the one recorded already (in any session), or the next free
   * `<LABEL_n>` that is neither recorded nor rejected by `isReserved`; records it.
   */
  tagFor(label: string, value: string, isReserved: (tag: string) => boolean = () => false): string {
    const known = this.#byValue.get(`${label}\0${value}`);
    if (known !== undefined) return known;
    const tag = nextTag(label, this.#counters, (t) => this.#byTag.has(t) || isReserved(t));
    this.#record(tag, label, value);
    return tag;
  }

  /**
   * Called for a tag written literally in a text being redacted (`<EMAIL_ADDRESS_7>` in a template): records it as
   * standing for itself, so `restore` gives the literal back and the vault never hands that tag to a value (the
   * label's counter is left alone, so numbering goes on as before). Returns false when the vault already holds
   * the tag for a value: the literal must then be replaced by a tag of its own.
   */
  reserveLiteral(tag: string): boolean {
    const held = this.#byTag.get(tag);
    if (held !== undefined) return held.value === tag;
    const label = tag.slice(1, tag.lastIndexOf('_'));
    this.#byTag.set(tag, { label, value: tag });
    this.#byValue.set(`${label}\0${tag}`, tag);
    if (tag.length > this.#maxTagLength) this.#maxTagLength = tag.length;
    return true;
  }

  #record(tag: string, label: string, value: string): void {
    this.#byTag.set(tag, { label, value });
    this.#byValue.set(`${label}\0${value}`, tag);
    if (tag.length > this.#maxTagLength) this.#maxTagLength = tag.length;
    // A reserved literal (it stands for itself) leaves the counter alone, as `reserveLiteral` does: loading one
    // such as `<EMAIL_ADDRESS_99999999999999999999>` set the counter past 2^53, where `n + 1 === n`, and the next
    // new value after that made `nextTag` loop forever.
    if (value === tag) return;
    const n = Number(TAG_SHAPE.exec(tag)?.[1] ?? 0);
    if (n > (this.#counters.get(label) ?? 0)) this.#counters.set(label, n);
  }

  /** Forgets every entry (the strings themselves stay in memory until garbage-collected). */
  clear(): void {
    this.#byTag.clear();
    this.#byValue.clear();
    this.#counters.clear();
    this.#maxTagLength = 0;
  }

  /** Encrypts the vault into a JSON envelope string (see docs/redaction.md for the format). */
  async seal(passphrase: string | Uint8Array, options: VaultSealOptions = {}): Promise<string> {
    const cost = options.cost ?? DEFAULT_COST;
    if (!isPowerOfTwo(cost) || cost < MIN_COST || cost > MAX_COST) {
      throw vaultError(`vault cost must be a power of two from ${MIN_COST} to ${MAX_COST}`);
    }
    const kdf: ScryptParams = { name: 'scrypt', N: cost, r: 8, p: 1, keyLength: KEY_BYTES };
    const salt = randomBytes(SALT_BYTES).toString('base64');
    const iv = randomBytes(IV_BYTES);
    const key = await deriveKey(passphraseBytes(passphrase), Buffer.from(salt, 'base64'), kdf);
    try {
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(associatedData(VAULT_VERSION, kdf, salt));
      const entries = [...this.#byTag].map(([tag, entry]) => [tag, entry.label, entry.value]);
      const plain = Buffer.from(JSON.stringify({ entries }), 'utf8');
      const data = Buffer.concat([cipher.update(plain), cipher.final()]);
      plain.fill(0);
      const envelope: VaultEnvelope = {
        version: VAULT_VERSION,
        kdf,
        salt,
        iv: iv.toString('base64'),
        tag: cipher.getAuthTag().toString('base64'),
        data: data.toString('base64'),
      };
      return `${JSON.stringify(envelope, null, 2)}\n`;
    } finally {
      key.fill(0);
    }
  }

  /** Decrypts an envelope made by `seal`. Wrong passphrase or any modification → `LG_ERR_VAULT`. */
  static async open(envelope: string, passphrase: string | Uint8Array): Promise<Vault> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(envelope);
    } catch (error) {
      throw vaultError('not a valid Lifeguard vault: the content is not JSON', error);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw vaultError('not a valid Lifeguard vault: expected a JSON object');
    }
    const fields = parsed as Record<string, unknown>;
    if (fields.version !== VAULT_VERSION) {
      throw vaultError(
        `unsupported vault version ${JSON.stringify(fields.version)}; this Lifeguard reads version ${VAULT_VERSION}`,
      );
    }
    const kdf = parseKdf(fields.kdf);
    const salt = decodeField(fields, 'salt');
    if (salt.length < SALT_BYTES)
      throw vaultError(`not a valid Lifeguard vault: salt shorter than ${SALT_BYTES} bytes`);
    const iv = decodeField(fields, 'iv', IV_BYTES);
    const tag = decodeField(fields, 'tag', TAG_BYTES);
    const data = decodeField(fields, 'data');

    const key = await deriveKey(passphraseBytes(passphrase), salt, kdf);
    let plain: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(associatedData(VAULT_VERSION, kdf, fields.salt as string));
      decipher.setAuthTag(tag);
      plain = Buffer.concat([decipher.update(data), decipher.final()]);
    } catch (error) {
      throw vaultError(
        'could not decrypt the vault: the passphrase is wrong, or the file was modified or corrupted',
        error,
      );
    } finally {
      key.fill(0);
    }

    const vault = new Vault();
    try {
      const body = JSON.parse(plain.toString('utf8')) as { entries?: unknown };
      if (!Array.isArray(body.entries)) throw new Error('entries missing');
      for (const entry of body.entries) {
        if (
          !Array.isArray(entry) ||
          entry.length !== 3 ||
          typeof entry[0] !== 'string' ||
          !TAG_SHAPE.test(entry[0]) ||
          typeof entry[1] !== 'string' ||
          typeof entry[2] !== 'string' ||
          vault.#byTag.has(entry[0])
        ) {
          throw new Error('malformed entry');
        }
        vault.#record(entry[0], entry[1], entry[2]);
      }
    } catch {
      // No cause: it could quote decrypted content.
      throw vaultError('the vault decrypted but its content is malformed');
    } finally {
      plain.fill(0);
    }
    return vault;
  }

  /**
   * Writes the encrypted vault to `path` with mode 0600, atomically (temporary file in the same folder,
   * then rename). Overwrites an existing file.
   */
  async save(path: string, passphrase: string | Uint8Array, options: VaultSealOptions = {}): Promise<void> {
    const content = await this.seal(passphrase, options);
    const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      const handle = await open(temporary, 'wx', 0o600);
      try {
        await handle.writeFile(content, 'utf8');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await chmod(temporary, 0o600);
      await rename(temporary, path);
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      throw vaultError(
        `could not write the vault file ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`,
        error,
      );
    }
  }

  /** Reads and decrypts a vault file written by `save`. */
  static async load(path: string, passphrase: string | Uint8Array): Promise<Vault> {
    let content: string;
    try {
      content = await readFile(path, 'utf8');
    } catch (error) {
      throw vaultError(
        `could not read the vault file ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`,
        error,
      );
    }
    return Vault.open(content, passphrase);
  }

  toJSON(): { size: number } {
    return { size: this.size };
  }

  [inspect.custom](): string {
    return `Vault { size: ${this.size} }`;
  }
}

/** Whether `path` exists. */
async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** Whether process `pid` is running (on this machine): a lock it holds is live. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Holds `PATH.lock` (with this process's id) from loading the vault to saving it. Two runs on one vault each loaded
 * it, numbered their own values from the same counter and saved at the end, the last save replacing the other:
 * both printed `<EMAIL_ADDRESS_1>`, for two people, and one run's output restored to the other's value. A second
 * run is refused while the first lives; a lock whose process has ended (killed mid-run) is taken over. Returns
 * the release.
 */
export async function lockVaultFile(path: string): Promise<() => Promise<void>> {
  const lock = `${path}.lock`;
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(lock, 'wx', 0o600);
      try {
        await handle.writeFile(`${process.pid}\n`, 'utf8');
      } finally {
        await handle.close();
      }
      return () => unlink(lock).catch(() => undefined);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') {
        const what = (await exists(path)) ? 'cannot write the vault file' : 'cannot create the vault file';
        throw new LifeguardError('LG_ERR_VAULT', `${what} ${path} (its lock file ${lock}): ${code ?? error}`, {
          cause: error,
        });
      }
    }
    const holder = Number.parseInt(await readFile(lock, 'utf8').catch(() => ''), 10);
    // No id yet (its run is writing it) counts as live: only a lock whose process is gone is stale.
    const stale = Number.isInteger(holder) && holder > 0 && !isRunning(holder);
    if (attempt > 0 || !stale) {
      throw new LifeguardError(
        'LG_ERR_VAULT',
        `the vault file ${path} is in use by another run${Number.isInteger(holder) ? ` (process ${holder})` : ''}: ` +
          `wait for it, or delete ${lock} if no run is using the vault`,
      );
    }
    // Left by a process that has ended: taken over (once; a run that took it in between wins).
    await unlink(lock).catch(() => undefined);
  }
}
