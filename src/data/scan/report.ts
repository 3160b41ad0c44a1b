import { createRequire } from 'node:module';
import type { BatchStats } from './batch.js';
import type { ScanConfig } from './config.js';
import type { InputInfo } from './inputs.js';
import type { DataScanReport, DuplicateCluster, PoisoningReport } from './report-types.js';

/** A cluster while the scan runs: `members` are the duplicates, without the representative. */
export interface ClusterState extends DuplicateCluster {
  memberKinds: ('exact' | 'near')[];
  /** Whether the representative's id, and each member's (parallel to `members`), is only a line number. */
  representativeFromLine: boolean;
  memberFromLine: boolean[];
}

const VERSION = (createRequire(import.meta.url)('../../../package.json') as { version: string }).version;

export interface ReportParts {
  config: ScanConfig;
  inputs: readonly InputInfo[];
  startedAt: string;
  resumed: boolean;
  counts: { in: number; kept: number; quarantined: number };
  stats: BatchStats;
  /** Clusters in creation order; `members` holds the duplicates (the representative is added here). */
  clusters: readonly ClusterState[];
  prepassS: number;
  poisoning: PoisoningReport;
  elapsedS: number;
  /** CPU seconds of this process (all threads) during this run. */
  cpuS: number;
  workers: number;
  /** Records read per input. */
  fileRecords: number[];
}

/** Assembles `report.json` from the run's counters. */
export function buildReport(p: ReportParts): DataScanReport {
  const { stats } = p;
  const clusters: DuplicateCluster[] = p.clusters.map((c) => {
    const cluster: DuplicateCluster = {
      id: c.id,
      kind: c.kind,
      representative: c.representative,
      members: [c.representative, ...c.members],
    };
    const fromLine = [c.representativeFromLine, ...c.memberFromLine];
    if (fromLine.includes(true)) cluster.members_id_from_line = fromLine;
    return cluster;
  });
  const sizes: Record<string, number> = {};
  let removed = 0;
  for (const c of clusters) {
    sizes[String(c.members.length)] = (sizes[String(c.members.length)] ?? 0) + 1;
    removed += c.members.length - 1;
  }
  // Found but kept (`dedup.action: keep`, `--keep-duplicates`): clusters are reported, nothing was removed.
  if (p.config.dedup?.action === 'keep') removed = 0;
  const { poisoning } = p;
  const mb = stats.bytes / 1e6;
  const elapsed = Math.max(p.elapsedS, 1e-9);
  const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
  return {
    version: 1,
    tool: { name: 'lifeguard', version: VERSION },
    started_at: p.startedAt,
    finished_at: new Date().toISOString(),
    resumed: p.resumed,
    inputs: p.inputs.map((i, idx) => ({
      path: i.path,
      format: i.format.format,
      compression: i.format.compression,
      records: p.fileRecords[idx] ?? 0,
      bytes: i.size,
    })),
    config: p.config as unknown as Record<string, unknown>,
    counts: {
      in: p.counts.in,
      kept: p.counts.kept,
      quarantined: p.counts.quarantined,
      redacted: stats.redacted,
      malformed: stats.malformed,
      duplicates_exact: countKind(p.clusters, 'exact'),
      duplicates_near: countKind(p.clusters, 'near'),
      low_quality: stats.lowQuality,
      poisoned: poisoning.flagged,
      findings_quarantined: stats.findingsQuarantined,
      balanced: p.counts.in === p.counts.kept + p.counts.quarantined,
    },
    findings: {
      by_type: sortDesc(stats.findingsByType),
      by_detector: sortDesc(stats.findingsByDetector),
      records: stats.recordsWithFindings,
    },
    quarantine: { reasons: sortDesc(stats.reasons) },
    quality: { failed_rules: sortDesc(stats.qualityFailed) },
    duplicates: { clusters, cluster_sizes: sizes, removed },
    poisoning,
    throughput: {
      records_per_s: round(p.counts.in / elapsed, 1),
      mb_per_s: round(mb / elapsed),
      mb_per_s_per_worker: round(mb / elapsed / Math.max(1, p.workers)),
      workers: p.workers,
      bytes: stats.bytes,
      elapsed_s: round(p.elapsedS),
      prepass_s: round(p.prepassS),
      cpu_s: round(p.cpuS),
    },
    memory: { peak_rss_mb: Math.round(peakRssMb()) },
  };
}

/** Duplicates (not representatives) found as exact or near copies. */
function countKind(clusters: readonly ClusterState[], kind: 'exact' | 'near'): number {
  let n = 0;
  for (const c of clusters) for (const k of c.memberKinds) if (k === kind) n++;
  return n;
}

function sortDesc(map: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(map).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
}

/** Peak resident memory of this process (worker threads share it), from the OS. */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}
