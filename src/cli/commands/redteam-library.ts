import type { Command } from 'commander';
import { LifeguardError } from '../../core/errors.js';
import { formatTable } from '../table.js';

interface AttacksFlags {
  json?: boolean;
  templates?: boolean;
  family?: string;
}

interface GoalsFlags {
  json?: boolean;
  seed: string;
  limit?: string;
  sample?: string;
  stratify?: boolean;
  dedupe: boolean;
}

function parseIntFlag(value: string, name: string, min: number): number {
  const n = value.trim() === '' ? Number.NaN : Number(value); // Number('') is 0
  if (!Number.isInteger(n) || n < min) {
    throw new LifeguardError('LG_ERR_CONFIG_INVALID', `--${name} must be an integer ≥ ${min}, not "${value}"`);
  }
  return n;
}

/** A SPEC argument: a built-in id, a file path, or a JSON object spec. */
function specOf(arg: string, flags: GoalsFlags, builtinIds: readonly string[]): unknown {
  let spec: Record<string, unknown>;
  if (arg.trimStart().startsWith('{')) {
    try {
      spec = JSON.parse(arg) as Record<string, unknown>;
    } catch (e) {
      throw new LifeguardError('LG_ERR_CONFIG_INVALID', `goal spec ${arg}: not valid JSON (${(e as Error).message})`);
    }
  } else if (/\.(csv|jsonl|ndjson)$/i.test(arg)) spec = { file: arg };
  else if (builtinIds.includes(arg)) spec = { source: arg };
  else return arg; // loadGoals explains what a bare spec may be
  if (flags.limit !== undefined) spec.limit ??= parseIntFlag(flags.limit, 'limit', 1);
  if (flags.sample !== undefined) spec.sample ??= flags.sample;
  if (flags.stratify) spec.stratify ??= true;
  return spec;
}

/**
 * `lifeguard redteam attacks` lists the attack library; `lifeguard redteam goals SPEC…` previews how many
 * goals a list of goal specs yields, per source and category (nothing is sent anywhere).
 */
export function registerRedteamLibrary(redteam: Command): void {
  redteam
    .command('attacks')
    .description('list the attack library: ids, static or interactive, whether an attacker model is used')
    .option('--templates', 'list the shipped jailbreak templates (ids and families) instead')
    .option('--family <name>', 'with --templates: only this family')
    .option('--json', 'print JSON on stdout')
    .action(async (flags: AttacksFlags) => {
      const { attackCatalog, loadTemplates, templateFamilies } = await import('../../redteam/attacks/index.js');
      if (flags.templates) {
        const all = loadTemplates();
        const records = flags.family === undefined ? all : all.filter((t) => t.family === flags.family);
        if (records.length === 0) {
          throw new LifeguardError(
            'LG_ERR_CONFIG_INVALID',
            `no template family "${flags.family}"; families: ${Object.keys(templateFamilies(all)).join(', ')}`,
          );
        }
        const rows = records.map((t) => ({
          id: `template:${t.id}`,
          family: t.family,
          chars: t.text.length,
          source: t.source,
        }));
        if (flags.json)
          process.stdout.write(`${JSON.stringify({ templates: rows, families: templateFamilies(all) })}\n`);
        else {
          process.stdout.write(
            `${formatTable(
              ['id', 'family', 'chars', 'source'],
              rows.map((r) => [r.id, r.family, String(r.chars), r.source]),
            )}\n`,
          );
        }
        return;
      }
      const catalog = attackCatalog();
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ attacks: catalog, templateFamilies: templateFamilies() })}\n`);
        return;
      }
      process.stdout.write(
        `${formatTable(
          ['id', 'kind', 'attacker', 'options', 'description'],
          catalog.map((a) => [a.id, a.kind, a.attacker, a.options.join(',') || '-', a.description]),
        )}\n`,
      );
      const fams = Object.entries(templateFamilies())
        .map(([f, n]) => `${f} (${n})`)
        .join(', ');
      process.stderr.write(
        `Chains: "leetspeak+base64". Templates: template:<id> or {id: template, family, count}; families: ${fams}. ` +
          'List them with --templates.\n',
      );
    });

  redteam
    .command('goals')
    .description('preview the goals a list of goal specs yields, per source and category')
    .argument(
      '<spec...>',
      'built-in set (advbench, strongreject, jbb, jbb-benign, donotanswer, xstest), a .csv/.jsonl file, or a JSON spec',
    )
    .option('--limit <n>', 'at most N goals per spec')
    .option('--sample <how>', 'first | random (seeded)')
    .option('--stratify', 'with --limit: round-robin across categories')
    .option('--seed <n>', 'seed for --sample random', '0')
    .option('--no-dedupe', 'keep goals whose text repeats an earlier one')
    .option('--json', 'print JSON on stdout')
    .action(async (args: string[], flags: GoalsFlags) => {
      const { builtinSourceIds, loadGoalsSync } = await import('../../redteam/goals/index.js');
      const seed = parseIntFlag(flags.seed, 'seed', 0);
      const specs = args.map((a) => specOf(a, flags, builtinSourceIds()));
      const notices: string[] = [];
      const loaded = loadGoalsSync(specs, { seed, dedupe: flags.dedupe, onNotice: (m) => notices.push(m) });
      for (const n of notices) process.stderr.write(`lifeguard: ${n}\n`);
      const total = loaded.goals.length;
      const benign = loaded.goals.filter((g) => g.benign).length;
      if (flags.json) {
        process.stdout.write(
          `${JSON.stringify({
            total,
            harmful: total - benign,
            benign,
            duplicatesDropped: loaded.dropped.length,
            sources: loaded.specs.map((s) => ({
              source: s.source,
              goals: s.selected - s.duplicates,
              duplicates: s.duplicates,
              benign: s.benign,
              categories: s.byCategory,
            })),
          })}\n`,
        );
        return;
      }
      const rows: string[][] = [];
      for (const s of loaded.specs) {
        rows.push([s.source, '(all)', String(s.selected - s.duplicates), String(s.benign), String(s.duplicates)]);
        for (const [cat, n] of Object.entries(s.byCategory).sort((a, b) => b[1] - a[1])) {
          if (cat !== '(none)') rows.push(['', cat, String(n), '', '']);
        }
      }
      process.stdout.write(`${formatTable(['source', 'category', 'goals', 'benign', 'duplicates'], rows)}\n`);
      process.stderr.write(`${total} goals (${total - benign} harmful, ${benign} benign look-alikes)\n`);
    });
}
