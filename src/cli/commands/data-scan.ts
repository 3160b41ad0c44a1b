import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { LifeguardError } from '../../core/errors.js';
import { DEDUP_LIMITS } from '../../data/dedup/options.js';
import type { ScanConfigInput } from '../../data/scan/config.js';
import type { ScanProgress } from '../../data/scan/pipeline.js';
import {
  builtinDetectorIds,
  checkEntityType,
  checkOutputDir,
  fieldFlag,
  integerFlag,
  parseIdList,
  parseNumber,
  parseThresholds,
  scoreFlag,
} from '../flags.js';

interface ScanFlags {
  out?: string;
  config?: string;
  resume?: boolean;
  workers?: number;
  detectors?: string;
  fast?: boolean;
  decode: boolean;
  minScore?: number;
  thresholds?: Record<string, number>;
  textField?: string;
  labelField?: string;
  action?: string[];
  operator?: string;
  keyEnv?: string;
  quality: boolean;
  qualityPreset?: string;
  keepLowQuality?: boolean;
  dedup: boolean;
  nearDedup: boolean;
  keepDuplicates?: boolean;
  shingle?: number;
  bands?: number;
  rows?: number;
  dedupThreshold?: number;
  poison?: boolean;
  quarantinePoison?: boolean;
  checkpointRecords?: number;
  progress?: boolean;
  json?: boolean;
  printSchema?: boolean;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function registerDataScan(data: Command): void {
  data
    .command('scan')
    .description(
      'scan and clean corpora: PII and secrets (keep / redact / quarantine), quality rules, exact and near dedup, poisoning analysis',
    )
    .argument('[inputs...]', 'JSONL (.gz/.zst), CSV, Parquet files or text folders, all of one format')
    .option('--out <dir>', 'output folder: kept.<format>, quarantine.jsonl, report.json, report.html')
    .option('--config <file>', 'YAML settings (see --print-schema); flags override it')
    .option('--resume', 'continue the interrupted scan whose checkpoint is in --out')
    .option(
      '--workers <n>',
      'worker threads (default: all cores; 0 = main thread only)',
      integerFlag('--workers', 0, 256),
    )
    .option('--detectors <ids>', 'comma-separated detector ids (default: pii,secrets)')
    .option('--fast', 'patterns and validators only: skip the PII sequence tagger')
    .option('--no-decode', 'do not scan decoded base64/hex/URL segments and de-spaced runs')
    .option('--min-score <s>', 'ignore findings scored below s (0..1)', scoreFlag('--min-score'))
    .option('--thresholds <list>', 'per-type score thresholds, e.g. PERSON=0.7', parseThresholds)
    .option('--text-field <name>', 'text field of plain-text records (default text)', fieldFlag('--text-field'))
    .option('--label-field <name>', 'label field of classification records (default label)', fieldFlag('--label-field'))
    .option(
      '--action <list>',
      'per-type action keep|redact|quarantine, e.g. default=redact,US_SSN=quarantine (repeatable)',
      collect,
    )
    .option('--operator <list>', 'redaction operator(s), as for `lifeguard redact` (default replace)')
    .option('--key-env <name>', 'environment variable holding the hash/pseudonym key (default LIFEGUARD_REDACT_KEY)')
    .option('--no-quality', 'skip the quality rules')
    .option('--quality-preset <name>', 'lenient (default), gopher or c4')
    .option('--keep-low-quality', 'count records failing quality rules but keep them')
    .option('--no-dedup', 'skip exact and near-duplicate detection')
    .option('--no-near-dedup', 'exact duplicates only')
    .option('--keep-duplicates', 'report duplicate clusters but keep every record')
    .option('--shingle <n>', 'words per shingle for near-dedup', integerFlag('--shingle', ...DEDUP_LIMITS.shingle))
    .option('--bands <n>', 'LSH bands (bands × rows ≤ 4096)', integerFlag('--bands', ...DEDUP_LIMITS.bands))
    .option('--rows <n>', 'rows per LSH band', integerFlag('--rows', ...DEDUP_LIMITS.rows))
    .option('--dedup-threshold <j>', 'estimated Jaccard similarity for near-duplicates (0 < j ≤ 1)', dedupThreshold)
    .option('--poison', 'run the poisoning analysis even when records have no response or label')
    .option('--no-poison', 'skip the poisoning analysis')
    .option('--quarantine-poison', 'quarantine records flagged by a suspected trigger')
    .option(
      '--checkpoint-records <n>',
      'records between checkpoints (default 50000)',
      integerFlag('--checkpoint-records', 100),
    )
    .option('--progress', 'show the progress bar even when stderr is not a terminal')
    .option('--json', 'print the report counts and throughput as JSON on stdout')
    .option('--print-schema', 'print the JSON Schema of the --config file and exit')
    .action(async (inputs: string[], flags: ScanFlags, cmd: Command) => {
      const { scanConfigJsonSchema } = await import('../../data/scan/config.js');
      if (flags.printSchema) {
        process.stdout.write(`${JSON.stringify(scanConfigJsonSchema(), null, 2)}\n`);
        return;
      }
      if (inputs.length === 0) throw new LifeguardError('LG_ERR_INPUT_INVALID', 'data scan: name at least one input');
      if (!flags.out) throw new LifeguardError('LG_ERR_INPUT_INVALID', 'data scan: --out <dir> is required');
      checkOutputDir('--out', flags.out);
      const config = await configFrom(flags, cmd);
      const { scanCorpus } = await import('../../data/scan/pipeline.js');
      const bar = await progressBar(flags.progress === true || process.stderr.isTTY === true);
      try {
        const report = await scanCorpus({
          inputs,
          outDir: flags.out,
          config,
          resume: flags.resume,
          onProgress: bar?.update,
        });
        bar?.stop();
        const c = report.counts;
        process.stderr.write(
          `${c.in} records: ${c.kept} kept (${c.redacted} redacted), ${c.quarantined} quarantined ` +
            `(${c.malformed} malformed, ${c.duplicates_exact + c.duplicates_near} duplicates, ${c.low_quality} low quality); ` +
            `${report.poisoning.triggers.length} suspected triggers; ` +
            `${report.throughput.mb_per_s} MB/s on ${report.throughput.workers} workers. Report: ${flags.out}/report.html\n`,
        );
        if (flags.json) {
          process.stdout.write(
            `${JSON.stringify({ out: flags.out, counts: report.counts, throughput: report.throughput })}\n`,
          );
        }
      } finally {
        bar?.stop();
      }
    });
}

/** `--dedup-threshold` in (0, 1], as the dedup index takes it: at 0 every candidate pair would be a duplicate. */
function dedupThreshold(value: string): number {
  const j = parseNumber('--dedup-threshold', value, 0, 1);
  if (j === 0) throw new LifeguardError('LG_ERR_CONFIG_INVALID', `--dedup-threshold must be above 0, got "${value}"`);
  return j;
}

/** File settings, then flags given on the command line on top (flag > file > defaults). */
async function configFrom(flags: ScanFlags, cmd: Command): Promise<ScanConfigInput> {
  let cfg: Record<string, unknown> = {};
  if (flags.config) {
    const text = await readFile(flags.config, 'utf8');
    let parsed: unknown;
    try {
      parsed = parseYaml(text);
    } catch (e) {
      throw new LifeguardError('LG_ERR_CONFIG_INVALID', `${flags.config}: not valid YAML: ${(e as Error).message}`);
    }
    if (parsed !== null && parsed !== undefined && (typeof parsed !== 'object' || Array.isArray(parsed))) {
      throw new LifeguardError('LG_ERR_CONFIG_INVALID', `${flags.config}: expected a mapping of settings`);
    }
    cfg = (parsed ?? {}) as Record<string, unknown>;
  }
  const given = (name: string) => cmd.getOptionValueSource(name) === 'cli';
  const section = (name: string): Record<string, unknown> => {
    const cur = cfg[name];
    const obj = typeof cur === 'object' && cur !== null ? { ...(cur as Record<string, unknown>) } : {};
    cfg[name] = obj;
    return obj;
  };
  if (flags.workers !== undefined) cfg.workers = flags.workers;
  if (flags.detectors !== undefined) cfg.detectors = parseIdList('--detectors', flags.detectors, builtinDetectorIds());
  if (flags.fast) cfg.fast = true;
  if (given('decode')) cfg.decode = flags.decode;
  if (flags.minScore !== undefined) cfg.minScore = flags.minScore;
  if (flags.thresholds) cfg.thresholds = flags.thresholds;
  if (flags.textField !== undefined) cfg.textField = flags.textField;
  if (flags.labelField !== undefined) cfg.labelField = flags.labelField;
  if (flags.action) {
    const actions = { ...((cfg.actions as Record<string, unknown>) ?? {}) };
    for (const list of flags.action) {
      for (const part of list.split(',')) {
        const [type, act] = part.split('=').map((s) => s.trim());
        if (!type || !act)
          throw new LifeguardError('LG_ERR_CONFIG_INVALID', `--action: cannot read "${part}"; use TYPE=action`);
        checkEntityType('--action', type, true);
        actions[type] = act;
      }
    }
    cfg.actions = actions;
  }
  if (flags.operator) section('redact').operator = flags.operator;
  if (flags.keyEnv) section('redact').keyEnv = flags.keyEnv;
  if (given('quality')) section('quality').enabled = flags.quality;
  if (flags.qualityPreset) {
    const q = section('quality');
    q.options = { ...((q.options as Record<string, unknown>) ?? {}), preset: flags.qualityPreset };
  }
  if (flags.keepLowQuality) section('quality').action = 'keep';
  if (given('dedup')) section('dedup').enabled = flags.dedup;
  if (given('nearDedup')) section('dedup').near = flags.nearDedup;
  if (flags.keepDuplicates) section('dedup').action = 'keep';
  if (flags.shingle !== undefined) section('dedup').shingle = flags.shingle;
  if (flags.bands !== undefined) section('dedup').bands = flags.bands;
  if (flags.rows !== undefined) section('dedup').rows = flags.rows;
  if (flags.dedupThreshold !== undefined) section('dedup').threshold = flags.dedupThreshold;
  if (given('poison')) section('poisoning').enabled = flags.poison;
  if (flags.quarantinePoison) section('poisoning').quarantine = true;
  if (flags.checkpointRecords !== undefined) cfg.checkpointRecords = flags.checkpointRecords;
  return cfg as ScanConfigInput;
}

/** A one-line terminal progress bar on stderr: records/s, MB/s, ETA from bytes. */
async function progressBar(
  show: boolean,
): Promise<{ update: (p: ScanProgress) => void; stop: () => void } | undefined> {
  if (!show) return undefined;
  const { SingleBar } = await import('cli-progress');
  const bar = new SingleBar(
    {
      format: '{phase} |{bar}| {percentage}% | {records} records | {rps} rec/s | {mbps} MB/s | ETA {etaText}',
      stream: process.stderr,
      hideCursor: true,
      etaBuffer: 50,
      fps: 5,
    },
    undefined,
  );
  let started = false;
  let stopped = false;
  let phase = '';
  return {
    update: (p) => {
      if (stopped) return;
      const total = Math.max(1, Math.round(p.totalBytes / 1e6));
      const rate = p.bytes / Math.max(p.elapsedS, 1e-3);
      const payload = {
        phase: p.phase.padEnd(20),
        records: p.records,
        rps: Math.round(p.records / Math.max(p.elapsedS, 1e-3)),
        mbps: (rate / 1e6).toFixed(2),
        // Our own ETA from the byte rate: cli-progress's own one misreads a bar restarted per phase.
        etaText: rate > 0 ? formatSeconds(Math.max(0, p.totalBytes - p.bytes) / rate) : '…',
      };
      if (!started || phase !== p.phase) {
        if (started) bar.stop();
        bar.start(total, 0, payload);
        started = true;
        phase = p.phase;
      }
      bar.update(Math.min(total, Math.round(p.bytes / 1e6)), payload);
    },
    stop: () => {
      if (started && !stopped) bar.stop();
      stopped = true;
    },
  };
}

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '…';
  const t = Math.round(s);
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const sec = t % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m${String(sec).padStart(2, '0')}s` : `${sec}s`;
}
