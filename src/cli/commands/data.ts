import type { Command } from 'commander';
import { insertCanaries } from '../../data/canary.js';
import { verifyManifest, writeManifest } from '../../data/integrity/index.js';
import { checkOutputDir, fieldFlag, integerFlag } from '../flags.js';
import { registerDataScan } from './data-scan.js';

/** `lifeguard data …`: the corpus stage. */
export function registerData(program: Command): void {
  const data = program
    .command('data')
    .description('training-data stage: scan and clean corpora, integrity manifests, canaries');

  registerDataScan(data);

  data
    .command('manifest')
    .description('write per-record SHA-256 hashes, per-shard hashes and a Merkle root (JSON Lines)')
    .argument('<inputs...>', 'JSONL (.gz/.zst), CSV, Parquet files or text folders')
    .requiredOption('-o, --out <manifest>', 'where to write the manifest')
    .action(async (inputs: string[], flags: { out: string }) => {
      const summary = await writeManifest(inputs, flags.out);
      process.stderr.write(`${summary.records} records, merkle root ${summary.merkleRoot}\n`);
    });

  data
    .command('verify')
    .description('report records modified, added or removed since a manifest; exits 1 when anything changed')
    .argument('<manifest>', 'a manifest written by `lifeguard data manifest`')
    .argument('<inputs...>', 'the same inputs, in the same order')
    .option('--json', 'print {"ok", "modified", "added", "removed"}')
    .action(async (manifest: string, inputs: string[], flags: { json?: boolean }) => {
      const result = await verifyManifest(manifest, inputs);
      if (flags.json) process.stdout.write(`${JSON.stringify(result)}\n`);
      else {
        process.stdout.write(
          result.ok
            ? 'ok: every record matches the manifest\n'
            : `changed: ${result.modified.length} modified, ${result.added.length} added, ${result.removed.length} removed\n`,
        );
      }
      if (!result.ok) process.exitCode = 1;
    });

  data
    .command('canary')
    .description('copy a corpus with N random secret canaries inserted, listed in OUT/canaries.json')
    .argument('<input>', 'a JSONL (.gz/.zst), CSV or Parquet file')
    .requiredOption('-n, --count <n>', 'how many records get a canary', integerFlag('--count', 1))
    .requiredOption('--out <dir>', 'output folder (the copy keeps the input name and format)')
    .option('--seed <n>', 'make the choice and the canaries reproducible', integerFlag('--seed', 0, 2 ** 32 - 1))
    .option('--text-field <name>', 'text field of plain-text records', fieldFlag('--text-field'), 'text')
    .action(async (input: string, flags: { count: number; out: string; seed?: number; textField: string }) => {
      checkOutputDir('--out', flags.out);
      const placed = await insertCanaries(input, flags.out, flags);
      process.stderr.write(`${placed.length} canaries inserted; list in ${flags.out}/canaries.json\n`);
    });
}
