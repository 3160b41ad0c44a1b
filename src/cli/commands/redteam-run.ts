import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { LifeguardError } from '../../core/errors.js';
import { checkReadableFile, shellWord } from '../flags.js';

interface RunFlags {
  out?: string;
  resume?: boolean;
  force?: boolean;
  resend: boolean;
  concurrency?: string;
  failIf?: string;
  junit?: string;
  format?: string;
  quiet?: boolean;
}

const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

/**
 * `lifeguard redteam run | init | override`: run a config (resumable), write a starter config, record a
 * human override. Heavy modules are imported inside the actions.
 */
export function registerRedteamRun(redteam: Command): void {
  redteam
    .command('run')
    .description('run a red-team config: attack, judge, log (resumable with --resume) and report')
    .argument('<config>', 'the run config (YAML); `lifeguard redteam init` writes a starter')
    .option('--out <dir>', 'run directory (default: output.dir in the config)')
    .option('--resume', 'continue the run in the run directory: only what is missing is sent')
    .option('--force', 'with --resume: continue even though the config changed')
    .option('--no-resend', 'with --resume: do not re-send requests a hard kill left unanswered (fail those items)')
    .option('--concurrency <n>', 'items in flight at once (overrides runner.concurrency)')
    .option('--fail-if <expr>', 'CI gate, e.g. "asr>0.05": exit code 1 when it holds (overrides failIf)')
    .option('--junit <file>', 'also write the JUnit report to this file')
    .option('--format <list>', 'reports to write: json,md,html,junit (overrides output.formats)')
    .option('--quiet', 'no progress on stderr')
    .action(async (file: string, flags: RunFlags) => {
      const { loadRedteamConfig } = await import('../../redteam/config.js');
      const { runRedteam } = await import('../../redteam/runner/index.js');
      const { closeTargetConnections } = await import('../../redteam/targets/index.js');
      const { parseFormats } = await import('../../redteam/report/index.js');
      checkReadableFile(file);
      const config = loadRedteamConfig(file);
      let concurrency: number | undefined;
      if (flags.concurrency !== undefined) {
        concurrency = Number(flags.concurrency);
        if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 1024) {
          throw new LifeguardError(
            'LG_ERR_CONFIG_INVALID',
            `--concurrency: expected 1..1024, got ${flags.concurrency}`,
          );
        }
      }
      if (!flags.resend) config.runner.resendUnanswered = false;
      let formats = flags.format ? parseFormats(flags.format) : config.output.formats;
      if (flags.junit && !formats.includes('junit')) formats = [...formats, 'junit'];
      const outDir = resolve(flags.out ?? config.output.dir);

      const stop = new AbortController();
      const abort = new AbortController();
      let signalled: string | undefined;
      const onSignal = (sig: NodeJS.Signals) => {
        if (!signalled) {
          signalled = sig;
          process.stderr.write(
            `\nlifeguard: ${sig}: stopping — no new items; waiting up to ${Math.round(config.runner.graceMs / 1000)} s for requests in flight (again to abort now)\n`,
          );
          stop.abort();
        } else {
          process.stderr.write(`lifeguard: ${sig} again: aborting requests in flight\n`);
          abort.abort();
        }
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      const progress = flags.quiet ? undefined : await makeProgress();
      try {
        const outcome = await runRedteam(config, {
          outDir,
          resume: flags.resume,
          force: flags.force,
          signal: stop.signal,
          abortSignal: abort.signal,
          onProgress: progress?.update,
          concurrency,
          failIf: flags.failIf,
          formats,
          baseDir: config.baseDir,
        });
        progress?.stop();
        if (flags.junit) copyFileSync(join(outcome.dir, 'junit.xml'), flags.junit);
        const c = outcome.counts;
        const line = (s: string) => process.stderr.write(`${s}\n`);
        if (!flags.quiet) {
          line(
            `lifeguard: ${c.items} items: ${c.done} answered (${c.fromLog} earlier), ${c.failed} failed, ${c.skipped} skipped; ${c.sent} requests sent, ${c.cached} from cache, ${c.retries} retries`,
          );
        }
        if (c.unanswered > 0) {
          const killed = c.unanswered - c.abortedAtStop;
          const how = [
            killed > 0 ? `${killed} sent before a hard kill` : '',
            c.abortedAtStop > 0 ? `${c.abortedAtStop} aborted when the stop's grace period (graceMs) ran out` : '',
          ]
            .filter(Boolean)
            .join(', ');
          line(
            config.runner.resendUnanswered
              ? `lifeguard: ${c.unanswered} request(s) of ${c.resent} item(s) were never answered (${how}): sent again (the endpoint may have seen them twice; --no-resend fails those items instead)`
              : `lifeguard: ${c.unanswered} request(s) of ${c.notResent} item(s) were never answered (${how}): not re-sent, those items are failed`,
          );
        }
        if (outcome.status === 'budget')
          line(
            `lifeguard: budget spent (${outcome.budget}): ${c.skipped} item(s) skipped` +
              (c.cutShort > 0 ? `, ${c.cutShort} cut short (judged on the answers they got)` : ''),
          );
        if (outcome.gate && !outcome.gate.pass)
          for (const f of outcome.gate.failures) line(`lifeguard: gate failed: ${f}`);
        process.stdout.write(
          `${JSON.stringify({ dir: outcome.dir, status: outcome.status, counts: c, gate: outcome.gate ?? null, files: outcome.files })}\n`,
        );
        if (outcome.status === 'interrupted') {
          line(
            `lifeguard: interrupted with ${c.pending} item(s) left; continue with: lifeguard redteam run ${file} --out ${outcome.dir} --resume`,
          );
          process.exitCode = SIGNAL_EXIT[signalled ?? 'SIGINT'] ?? 130;
        } else if (outcome.gate && !outcome.gate.pass) process.exitCode = 1;
      } finally {
        progress?.stop();
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        await closeTargetConnections();
      }
    });

  redteam
    .command('init')
    .description('write a commented starter red-team config (offline: replays a recorded JailbreakBench run)')
    .argument('[file]', 'where to write it', 'lifeguard-redteam.yaml')
    .option('--force', 'overwrite an existing file')
    .option('--print-schema', 'print the config JSON Schema instead')
    .action(async (file: string, flags: { force?: boolean; printSchema?: boolean }) => {
      if (flags.printSchema) {
        const { redteamConfigJsonSchema } = await import('../../redteam/config.js');
        process.stdout.write(`${JSON.stringify(redteamConfigJsonSchema(), null, 2)}\n`);
        return;
      }
      if (existsSync(file) && !flags.force) {
        throw new LifeguardError('LG_ERR_INPUT_INVALID', `${file} exists; pass --force to overwrite it`);
      }
      const { redteamStarterConfig } = await import('../../redteam/starter.js');
      writeFileSync(file, redteamStarterConfig(shellWord(file)), 'utf8');
      process.stderr.write(`wrote ${file}; run it with: lifeguard redteam run ${shellWord(file)}\n`);
    });

  redteam
    .command('override')
    .description("record a human's verdict on one item of a run (kept in run.sqlite, wins over every judge)")
    .argument('<run-dir>', 'the run directory')
    .argument('<key>', 'the item key (from results.jsonl)')
    .requiredOption('--jailbroken <bool>', 'true | false')
    .option('--refused <bool>', 'true | false (default: the current verdict)')
    .option('--note <text>', 'why')
    .action(async (dir: string, key: string, flags: { jailbroken: string; refused?: string; note?: string }) => {
      const bool = (name: string, v: string): boolean => {
        if (v === 'true') return true;
        if (v === 'false') return false;
        throw new LifeguardError('LG_ERR_INPUT_INVALID', `--${name}: expected true or false, got "${v}"`);
      };
      const jailbroken = bool('jailbroken', flags.jailbroken);
      const { RunStore } = await import('../../redteam/store/index.js');
      const { collectResults, writeOutputs } = await import('../../redteam/runner/index.js');
      if (!existsSync(join(dir, 'run.sqlite'))) {
        throw new LifeguardError('LG_ERR_INPUT_INVALID', `${dir}: no run.sqlite (not a run directory)`);
      }
      const store = RunStore.open(dir);
      try {
        const state = store.load();
        const row = state.items.get(key);
        if (!row)
          throw new LifeguardError(
            'LG_ERR_INPUT_INVALID',
            `${dir}: no item with key ${key} (keys are in results.jsonl)`,
          );
        // "The current verdict" is the latest human override of this item when there is one (it is what the
        // reports show), else the judges' final verdict: a second override must not silently undo the first
        // one's `refused`.
        const earlier = state.overrides
          .filter((x) => x.key === key)
          .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
        const current = earlier.at(-1) ?? state.verdicts.get(key)?.final;
        const refused = flags.refused !== undefined ? bool('refused', flags.refused) : (current?.refused ?? false);
        const o = {
          key,
          jailbroken,
          refused,
          at: new Date().toISOString(),
          ...(flags.note ? { note: flags.note } : {}),
        };
        store.addOverride(o);
        store.event('override', { key });
        store.flush();
        const first = store.firstRun();
        let formats: ('json' | 'md' | 'html' | 'junit')[] = ['json', 'md', 'html'];
        let failIf: string | undefined;
        try {
          const cfg = JSON.parse(first?.config ?? '{}') as { output?: { formats?: typeof formats }; failIf?: string };
          formats = cfg.output?.formats ?? formats;
          failIf = cfg.failIf;
        } catch {
          // keep the defaults
        }
        // `run --format` is not stored in the config: re-render every report the directory already holds too,
        // so no report (a junit.xml CI reads) is left stale, still counting the item the human overrode.
        const { REPORT_FILES } = await import('../../redteam/report/write.js');
        for (const [f, file] of Object.entries(REPORT_FILES) as [keyof typeof REPORT_FILES, string][]) {
          if (!formats.includes(f) && existsSync(join(dir, file))) formats = [...formats, f];
        }
        let meta: Record<string, unknown> = {};
        try {
          meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as Record<string, unknown>;
        } catch {
          meta = { id: dir, target: 'unknown', startedAt: first?.startedAt ?? new Date().toISOString(), judges: [] };
        }
        const after = store.load();
        const out = await writeOutputs(dir, collectResults(after, []), meta as never, {
          formats,
          failIf,
          overrides: after.overrides,
        });
        process.stdout.write(`${JSON.stringify({ key, jailbroken, refused, files: out.files })}\n`);
      } finally {
        store.close();
      }
    });
}

/** A progress bar on a TTY; otherwise one status line every 5 s. */
async function makeProgress(): Promise<{
  update: (p: import('../../redteam/runner/index.js').RunProgress) => void;
  stop: () => void;
}> {
  if (process.stderr.isTTY) {
    const { SingleBar, Presets } = await import('cli-progress');
    let bar: InstanceType<typeof SingleBar> | undefined;
    return {
      update: (p) => {
        if (!bar) {
          bar = new SingleBar(
            {
              format: 'redteam {bar} {value}/{total} items | {rps} req/s | failed {failed} | cached {cached}',
              stream: process.stderr,
              hideCursor: true,
            },
            Presets.shades_classic,
          );
          bar.start(p.total, 0, { rps: 0, failed: 0, cached: 0 });
        }
        const rps = p.elapsedMs > 0 ? Math.round((p.sent * 1000) / p.elapsedMs) : 0;
        bar.update(p.done + p.failed + p.skipped, { rps, failed: p.failed, cached: p.cached });
      },
      stop: () => {
        bar?.stop();
        bar = undefined;
      },
    };
  }
  let last = 0;
  return {
    update: (p) => {
      const t = Date.now();
      if (t - last < 5000 && p.done + p.failed + p.skipped < p.total) return;
      last = t;
      process.stderr.write(
        `redteam: ${p.done + p.failed + p.skipped}/${p.total} items, ${p.failed} failed, ${p.sent} sent, ${p.cached} cached, ${p.inflight} in flight, ${(p.elapsedMs / 1000).toFixed(1)} s\n`,
      );
    },
    stop: () => {},
  };
}
