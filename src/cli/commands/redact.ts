import { existsSync, readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { LifeguardError } from '../../core/errors.js';
import {
  isOperatorName,
  type OperatorChoice,
  type OperatorMap,
  RedactionSession,
  type RedactOptions,
  redact,
  restore,
  Vault,
} from '../../core/redact/index.js';
import { scanText } from '../../core/scan.js';
import { createDefaultRegistry, DEFAULT_DETECTOR_IDS } from '../../detect/index.js';
import { DEFAULT_MAX_BYTES, openInput, parseScore, parseThresholds, readAllText, readJsonl, writeLine } from '../io.js';

interface RedactFlags {
  operator: string;
  detectors?: string;
  jsonl?: boolean;
  textField: string;
  minScore?: number;
  thresholds?: Record<string, number>;
  fast?: boolean;
  keyEnv: string;
  vault?: string;
  passphraseEnv: string;
  keepLast?: number;
  maxBytes: number;
}

/** `tag`, or `default=tag,CREDIT_CARD=mask,PERSON=pseudonym`. */
export function parseOperatorFlag(value: string, keepLast?: number): OperatorChoice | OperatorMap {
  const choice = (name: string): OperatorChoice => {
    if (!isOperatorName(name)) {
      throw new LifeguardError(
        'LG_ERR_CONFIG_INVALID',
        `unknown operator "${name}"; valid operators: mask, tag, hash, pseudonym, vault, replace, remove`,
      );
    }
    return name === 'mask' && keepLast ? { operator: 'mask', options: { keepLast } } : name;
  };
  if (!value.includes('=')) return choice(value.trim());
  const map: Record<string, OperatorChoice> = {};
  for (const part of value.split(',')) {
    const [type, name] = part.split('=').map((s) => s.trim());
    if (!type || !name)
      throw new LifeguardError('LG_ERR_CONFIG_INVALID', `--operator: cannot read "${part}"; use TYPE=operator`);
    map[type] = choice(name);
  }
  return map;
}

/** Names of the built-in operators a parsed --operator value uses. */
function operatorsUsed(op: OperatorChoice | OperatorMap): Set<string> {
  const name = (c: unknown) => (typeof c === 'string' ? c : ((c as { operator?: unknown }).operator as string));
  if (typeof op === 'string' || 'operator' in op) return new Set([name(op)]);
  return new Set(Object.values(op).map(name));
}

function secretFromEnv(name: string, what: string, flag: string): string {
  const v = process.env[name];
  if (!v)
    throw new LifeguardError(
      'LG_ERR_CONFIG_INVALID',
      `${what} is required: set the ${name} environment variable (or choose another with ${flag})`,
    );
  return v;
}

async function openVault(path: string, passphrase: string): Promise<Vault> {
  return existsSync(path) ? Vault.load(path, passphrase) : new Vault();
}

export function registerRedact(program: Command): void {
  program
    .command('redact')
    .description(
      'replace personal data and secrets: mask, numbered tags, keyed hashes, pseudonyms, or a reversible vault',
    )
    .argument('[file]', 'input file, or - for standard input', '-')
    .option(
      '--operator <op>',
      'mask | tag | hash | pseudonym | vault | replace | remove, or per type: default=tag,CREDIT_CARD=mask',
      'tag',
    )
    .option('--detectors <ids>', `comma-separated detector ids (default: ${DEFAULT_DETECTOR_IDS.join(',')})`)
    .option('--jsonl', 'input is JSON Lines; each record is written back with its text field redacted')
    .option('--text-field <name>', 'field holding the text in --jsonl mode', 'text')
    .option('--min-score <s>', 'ignore findings scored below s (0..1)', parseScore)
    .option('--thresholds <list>', 'per-type score thresholds, e.g. PERSON=0.7,DATE_TIME=0.6', parseThresholds)
    .option('--fast', 'patterns and validators only: skip the sequence tagger')
    .option('--keep-last <n>', 'with mask: leave the last n characters visible', (v) => Number.parseInt(v, 10))
    .option(
      '--key-env <name>',
      'environment variable holding the key for hash and pseudonym (≥ 16 bytes)',
      'LIFEGUARD_REDACT_KEY',
    )
    .option('--vault <file>', 'encrypted vault file for the vault operator (created, or extended if it exists)')
    .option(
      '--passphrase-env <name>',
      'environment variable holding the vault passphrase',
      'LIFEGUARD_VAULT_PASSPHRASE',
    )
    .option(
      '--max-bytes <n>',
      'largest input (or JSONL line) accepted',
      (v) => Number.parseInt(v, 10),
      DEFAULT_MAX_BYTES,
    )
    .action(async (file: string, flags: RedactFlags) => {
      const operator = parseOperatorFlag(flags.operator, flags.keepLast);
      const detectors = createDefaultRegistry().resolve(flags.detectors ?? DEFAULT_DETECTOR_IDS);
      const used = operatorsUsed(operator);
      const options: RedactOptions = { operator, session: new RedactionSession() };
      if (used.has('hash') || used.has('pseudonym'))
        options.key = secretFromEnv(flags.keyEnv, 'a key for hash/pseudonym', '--key-env');
      let passphrase = '';
      if (used.has('vault')) {
        if (!flags.vault) throw new LifeguardError('LG_ERR_CONFIG_INVALID', 'the vault operator needs --vault FILE');
        passphrase = secretFromEnv(flags.passphraseEnv, 'a vault passphrase', '--passphrase-env');
        options.vault = await openVault(flags.vault, passphrase);
      }
      const scan = { detectors, minScore: flags.minScore, thresholds: flags.thresholds, fast: flags.fast };
      try {
        if (!flags.jsonl) {
          const text = await readAllText(file, flags.maxBytes);
          process.stdout.write(redact(text, scanText(text, scan), options).text);
          return;
        }
        for await (const rec of readJsonl(openInput(file), flags.textField, flags.maxBytes)) {
          if ('error' in rec) {
            process.exitCode = 1;
            await writeLine(JSON.stringify({ id: rec.id, error: rec.error }));
            continue;
          }
          const out = redact(rec.text, scanText(rec.text, scan), options).text;
          await writeLine(JSON.stringify({ ...rec.record, [flags.textField]: out }));
        }
      } finally {
        // Save what was recorded even when a later record failed, so every tag already written restores.
        if (options.vault && flags.vault) await options.vault.save(flags.vault, passphrase);
      }
    });

  program
    .command('restore')
    .description('put the original values back into text redacted with --operator vault')
    .argument('[file]', 'input file, or - for standard input', '-')
    .requiredOption('--vault <file>', 'the vault file written by `lifeguard redact --operator vault`')
    .option(
      '--passphrase-env <name>',
      'environment variable holding the vault passphrase',
      'LIFEGUARD_VAULT_PASSPHRASE',
    )
    .option('--jsonl', 'input is JSON Lines; the text field of each record is restored')
    .option('--text-field <name>', 'field holding the text in --jsonl mode', 'text')
    .option(
      '--max-bytes <n>',
      'largest input (or JSONL line) accepted',
      (v) => Number.parseInt(v, 10),
      DEFAULT_MAX_BYTES,
    )
    .action(
      async (
        file: string,
        flags: { vault: string; passphraseEnv: string; jsonl?: boolean; textField: string; maxBytes: number },
      ) => {
        if (!existsSync(flags.vault))
          throw new LifeguardError('LG_ERR_VAULT', `vault file ${flags.vault} does not exist`);
        readFileSync(flags.vault); // surface permission errors before reading input
        const vault = await Vault.load(
          flags.vault,
          secretFromEnv(flags.passphraseEnv, 'the vault passphrase', '--passphrase-env'),
        );
        if (!flags.jsonl) {
          process.stdout.write(restore(await readAllText(file, flags.maxBytes), vault));
          return;
        }
        for await (const rec of readJsonl(openInput(file), flags.textField, flags.maxBytes)) {
          if ('error' in rec) {
            process.exitCode = 1;
            await writeLine(JSON.stringify({ id: rec.id, error: rec.error }));
            continue;
          }
          await writeLine(JSON.stringify({ ...rec.record, [flags.textField]: restore(rec.text, vault) }));
        }
      },
    );
}
