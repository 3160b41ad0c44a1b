import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { LifeguardError } from './errors.js';

/** Validates `input` against a zod schema; every problem is listed with its path, prefixed by `origin`. */
export function parseWithSchema<S extends z.ZodType>(schema: S, input: unknown, origin: string): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new LifeguardError('LG_ERR_CONFIG_INVALID', `${origin}: ${issues}`);
  }
  return parsed.data;
}

/** Reads a YAML file; a syntax error is a config error naming the file (I/O errors pass through). */
export function readYamlFile(path: string): unknown {
  const text = readFileSync(path, 'utf8');
  try {
    return parseYaml(text);
  } catch (e) {
    throw new LifeguardError('LG_ERR_CONFIG_INVALID', `${path}: not valid YAML: ${(e as Error).message}`);
  }
}
