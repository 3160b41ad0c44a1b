import { constants, existsSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Command } from 'commander';
import { LifeguardError } from '../../core/errors.js';
import {
  lockVaultFile,
  operatorsUsed,
  parseOperatorList,
  RedactionSession,
  type RedactOptions,
  redact,
  restore,
  Vault,
} from '../../core/redact/index.js';
import { scanText } from '../../core/scan.js';
import { checkReadableFile, integerFlag, knownEntityTypes } from '../flags.js';
import {
  addInputOptions,
  addScanOptions,
  type InputFlags,
  processInput,
  type ScanFlags,
  scanOptionsFrom,
} from '../options.js';

interface RedactFlags extends InputFlags, ScanFlags {
  operator: string;
  keyEnv: string;
  vault?: string;
  passphraseEnv: string;
  keepLast?: number;
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
  if (existsSync(path)) return Vault.load(path, passphrase);
  // A vault that cannot be saved is found out now: at the end of the run the redacted text was already written,
  // with tags nothing could restore.
  try {
    await access(dirname(resolve(path)), constants.W_OK);
  } catch (error) {
    throw new LifeguardError(
      'LG_ERR_VAULT',
      `cannot create the vault file ${path}: ${(error as NodeJS.ErrnoException).code ?? error}`,
      { cause: error },
    );
  }
  return new Vault();
}

/**
 * The entity types of a per-type `--operator` list must be ones a detector reports (matched as the redactor
 * matches them: exactly, then case-insensitively). A misspelt type (`EMAIL=remove`, `CREDITCARD=mask`) was
 * accepted and never matched, so those values got the default operator instead, with status 0.
 */
function checkOperatorTypes(operator: ReturnType<typeof parseOperatorList>): void {
  if (typeof operator === 'string' || 'operator' in operator) return;
  const known = knownEntityTypes();
  const upper = new Set(known.map((t) => t.toUpperCase()));
  for (const type of Object.keys(operator)) {
    if (type === 'default' || upper.has(type.toUpperCase())) continue;
    throw new LifeguardError(
      'LG_ERR_CONFIG_INVALID',
      `--operator: unknown entity type "${type}"; known types (or default): ${known.join(', ')}`,
    );
  }
}

export function registerRedact(program: Command): void {
  const redactCmd = program
    .command('redact')
    .description(
      'replace personal data and secrets: mask, numbered tags, keyed hashes, pseudonyms, or a reversible vault',
    );
  addInputOptions(redactCmd, 'input is JSON Lines; each record is written back with its text field redacted');
  addScanOptions(redactCmd)
    .option(
      '--operator <op>',
      'mask | tag | hash | pseudonym | vault | replace | remove, or per type: default=tag,CREDIT_CARD=mask',
      'tag',
    )
    .option('--keep-last <n>', 'with mask: leave the last n characters visible', integerFlag('--keep-last', 0))
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
    .action(async (file: string, flags: RedactFlags) => {
      const operator = parseOperatorList(flags.operator, flags.keepLast);
      checkOperatorTypes(operator);
      const scan = scanOptionsFrom(flags);
      const used = operatorsUsed(operator);
      const options: RedactOptions = { operator, session: new RedactionSession() };
      if (used.has('hash') || used.has('pseudonym')) {
        options.key = secretFromEnv(flags.keyEnv, 'a key for hash/pseudonym', '--key-env');
      }
      let passphrase = '';
      let vaultExisted = false;
      let unlock: (() => Promise<void>) | undefined;
      if (used.has('vault')) {
        if (!flags.vault) throw new LifeguardError('LG_ERR_CONFIG_INVALID', 'the vault operator needs --vault FILE');
        passphrase = secretFromEnv(flags.passphraseEnv, 'a vault passphrase', '--passphrase-env');
        // A missing input is refused before the vault's key is derived (loading it is the slow step).
        if (file && file !== '-') checkReadableFile(file);
        unlock = await lockVaultFile(flags.vault);
        try {
          vaultExisted = existsSync(flags.vault);
          options.vault = await openVault(flags.vault, passphrase);
        } catch (error) {
          await unlock();
          throw error;
        }
        // Tags already written in the input stay literals: restore must give them back as written.
        options.reserveLiteralTags = true;
      }
      const recordedBefore = options.vault?.size ?? 0;
      let refusedLines = -1; // stays -1 when the input was refused as a whole
      const redactText = (text: string) => redact(text, scanText(text, scan), options).text;
      try {
        // Invalid UTF-8 is refused, not read as U+FFFD: redact then restore must give the input back byte for byte.
        refusedLines = await processInput(
          file,
          flags,
          redactText,
          (rec) => ({ ...rec.record, [flags.textField]: redactText(rec.text) }),
          false,
          true,
        );
      } finally {
        // Saved when this run recorded something (even if a later record failed: every tag already written must
        // restore), or to create the vault after a run with nothing refused (so `restore` finds it). A refused
        // input leaves no new vault behind and an existing one byte for byte as it was.
        const recorded = (options.vault?.size ?? 0) !== recordedBefore;
        try {
          if (options.vault && flags.vault && (recorded || (refusedLines === 0 && !vaultExisted))) {
            await options.vault.save(flags.vault, passphrase);
          }
        } finally {
          await unlock?.();
        }
      }
    });

  const restoreCmd = program
    .command('restore')
    .description('put the original values back into text redacted with --operator vault');
  addInputOptions(restoreCmd, 'input is JSON Lines; the text field of each record is restored')
    .requiredOption('--vault <file>', 'the vault file written by `lifeguard redact --operator vault`')
    .option(
      '--passphrase-env <name>',
      'environment variable holding the vault passphrase',
      'LIFEGUARD_VAULT_PASSPHRASE',
    )
    .action(async (file: string, flags: InputFlags & { vault: string; passphraseEnv: string }) => {
      if (!existsSync(flags.vault))
        throw new LifeguardError('LG_ERR_VAULT', `vault file ${flags.vault} does not exist`);
      const passphrase = secretFromEnv(flags.passphraseEnv, 'the vault passphrase', '--passphrase-env');
      const vault = await Vault.load(flags.vault, passphrase);
      await processInput(
        file,
        flags,
        (text) => restore(text, vault),
        (rec) => ({ ...rec.record, [flags.textField]: restore(rec.text, vault) }),
      );
    });
}
