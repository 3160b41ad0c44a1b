import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { LifeguardError } from '../../core/errors.js';
import type { ItemResult } from '../types.js';
import { renderHtml } from './html.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import type { ReportOptions } from './options.js';
import { REPORT_FORMATS, type ReportFormat, type RunSummary } from './types.js';

/** File name of each format inside the run (or `--out`) directory. */
export const REPORT_FILES: Record<ReportFormat, string> = {
  json: 'summary.json',
  md: 'report.md',
  html: 'report.html',
  junit: 'junit.xml',
};

/** Parses `json,md,html,junit` (also `all`, `markdown`, `xml`); unknown names list the valid ones. */
export function parseFormats(value: string): ReportFormat[] {
  const aliases: Record<string, ReportFormat[]> = {
    all: [...REPORT_FORMATS],
    json: ['json'],
    md: ['md'],
    markdown: ['md'],
    html: ['html'],
    junit: ['junit'],
    xml: ['junit'],
  };
  const out: ReportFormat[] = [];
  for (const raw of value.split(',')) {
    const name = raw.trim().toLowerCase();
    if (name === '') continue;
    const f = aliases[name];
    if (!f) {
      throw new LifeguardError(
        'LG_ERR_CONFIG_INVALID',
        `--format: unknown report format "${raw.trim()}" (valid: ${REPORT_FORMATS.join(', ')}, all)`,
      );
    }
    for (const x of f) if (!out.includes(x)) out.push(x);
  }
  if (out.length === 0) throw new LifeguardError('LG_ERR_CONFIG_INVALID', '--format: no format given');
  return out;
}

/** Writes through a temporary file and a rename, so a reader never sees half a file. */
export async function writeAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text, 'utf8');
  await rename(tmp, path);
}

/**
 * Writes the reports of a run into `dir` (created when missing): `summary.json`, `report.md`,
 * `report.html`, `junit.xml` for the formats asked. Returns the written paths, in the order asked.
 */
export async function writeReports(
  dir: string,
  summary: RunSummary,
  results: readonly ItemResult[],
  formats: readonly ReportFormat[] = REPORT_FORMATS,
  options: ReportOptions = {},
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const f of formats) {
    const path = join(dir, REPORT_FILES[f]);
    let text: string;
    switch (f) {
      case 'json':
        text = `${JSON.stringify(summary, null, 2)}\n`;
        break;
      case 'md':
        text = renderMarkdown(summary, results, options);
        break;
      case 'html':
        text = renderHtml(summary, results, options);
        break;
      case 'junit':
        text = renderJunit(summary, results, options);
        break;
      default:
        throw new LifeguardError('LG_ERR_CONFIG_INVALID', `unknown report format "${String(f)}"`);
    }
    await writeAtomic(path, text);
    written.push(path);
  }
  return written;
}
