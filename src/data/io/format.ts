import { LifeguardError } from '../../core/errors.js';
import type { Compression, DataFormat, FormatInfo } from './types.js';

const FORMATS: readonly DataFormat[] = ['jsonl', 'csv', 'parquet', 'text'];

/**
 * Detects format and compression from a file name: `.jsonl`, `.ndjson`, `.json` (JSON lines), `.csv`,
 * `.parquet` / `.pq`, each line format optionally followed by `.gz` or `.zst` / `.zstd`. A path with
 * no known extension (a folder) is a plain-text folder. Explicit overrides win.
 */
export function detectFormat(path: string, override: Partial<FormatInfo> = {}): FormatInfo {
  let name = path.replace(/[\\/]+$/, '').toLowerCase();
  let compression: Compression = 'none';
  if (name.endsWith('.gz')) {
    compression = 'gzip';
    name = name.slice(0, -3);
  } else if (name.endsWith('.zst') || name.endsWith('.zstd')) {
    compression = 'zstd';
    name = name.slice(0, name.lastIndexOf('.'));
  }
  let format: DataFormat;
  if (/\.(jsonl|ndjson|json)$/.test(name)) format = 'jsonl';
  else if (name.endsWith('.csv')) format = 'csv';
  else if (/\.(parquet|pq)$/.test(name)) format = 'parquet';
  else format = 'text';
  const info: FormatInfo = {
    format: override.format ?? format,
    compression: override.compression ?? compression,
  };
  if (!FORMATS.includes(info.format)) {
    throw new LifeguardError('LG_ERR_INPUT_INVALID', `unknown format "${info.format}"; use ${FORMATS.join(', ')}`);
  }
  if (info.compression !== 'none' && info.format !== 'jsonl' && info.format !== 'csv') {
    throw new LifeguardError(
      'LG_ERR_INPUT_INVALID',
      `${path}: ${info.compression} compression applies to JSONL and CSV only, not ${info.format}`,
    );
  }
  return info;
}
