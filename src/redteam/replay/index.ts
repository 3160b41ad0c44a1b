/**
 * Replay: read recorded prompt → answer files (JailbreakBench artifacts, XSTest completions, PyRIT-style
 * CSVs, JSONL) so they can be judged offline (`lifeguard redteam replay`) or answered from (the replay target).
 */
export {
  loadRecorded,
  MAX_RECORDED_BYTES,
  parseCsvTable,
  parseJbb,
  parseJsonl,
  parseRecordedCsv,
  type Recorded,
  type RecordedMeta,
} from './readers.js';
