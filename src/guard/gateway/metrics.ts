/** A small Prometheus registry: counters and histograms with labels, text exposition format. */
type Labels = Record<string, string>;

const render = (labels: Labels) =>
  Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
    .join(',');

/** Rendered label sets, by their names and values in call order: a request's metrics repeat the same few sets. */
const rendered = new Map<string, string>();

const key = (labels: Labels) => {
  let raw = '';
  for (const k in labels) raw += `${k}\u0000${labels[k]}\u0001`;
  let k = rendered.get(raw);
  if (k === undefined) {
    k = render(labels);
    // Label values come from a small closed set (routes, checks, outcomes); the cap only guards a bug.
    if (rendered.size < 10_000) rendered.set(raw, k);
  }
  return k;
};

/** A registry's values, plain data, so worker processes can send theirs to the primary to be summed. */
export interface MetricsSnapshot {
  counters: Record<string, [labels: string, value: number][]>;
  histograms: Record<string, [labels: string, series: { buckets: number[]; sum: number; count: number }][]>;
}

class Counter {
  readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  inc(labels: Labels = {}, by = 1): void {
    const k = key(labels);
    this.values.set(k, (this.values.get(k) ?? 0) + by);
  }
  render(): string {
    return counterText(this.name, this.help, this.values);
  }
}

/** A counter in the Prometheus text format: its values by rendered label set (`''` for none). */
export function counterText(name: string, help: string, values: Iterable<[labels: string, value: number]>): string {
  const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} counter`];
  for (const [k, v] of values) lines.push(`${name}${k ? `{${k}}` : ''} ${v}`);
  return lines.join('\n');
}

class Histogram {
  readonly series = new Map<string, { buckets: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
    readonly bounds: number[],
  ) {}
  observe(value: number, labels: Labels = {}): void {
    const k = key(labels);
    let s = this.series.get(k);
    if (!s) {
      s = { buckets: this.bounds.map(() => 0), sum: 0, count: 0 };
      this.series.set(k, s);
    }
    for (let i = 0; i < this.bounds.length; i++) if (value <= this.bounds[i]) s.buckets[i]++;
    s.sum += value;
    s.count++;
  }
  /** Adds another registry's series (same bounds) to this one. */
  add(series: [string, { buckets: number[]; sum: number; count: number }][]): void {
    for (const [k, other] of series) {
      let s = this.series.get(k);
      if (!s) {
        s = { buckets: this.bounds.map(() => 0), sum: 0, count: 0 };
        this.series.set(k, s);
      }
      for (let i = 0; i < this.bounds.length; i++) s.buckets[i] += other.buckets[i] ?? 0;
      s.sum += other.sum;
      s.count += other.count;
    }
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const [k, s] of this.series) {
      const sep = k ? `${k},` : '';
      for (let i = 0; i < this.bounds.length; i++)
        lines.push(`${this.name}_bucket{${sep}le="${this.bounds[i]}"} ${s.buckets[i]}`);
      lines.push(`${this.name}_bucket{${sep}le="+Inf"} ${s.count}`);
      lines.push(`${this.name}_sum${k ? `{${k}}` : ''} ${s.sum}`);
      lines.push(`${this.name}_count${k ? `{${k}}` : ''} ${s.count}`);
    }
    return lines.join('\n');
  }
}

export class GatewayMetrics {
  readonly requests = new Counter('lifeguard_requests_total', 'Requests by route and outcome.');
  readonly decisions = new Counter(
    'lifeguard_decisions_total',
    'Check decisions by stage, check, action and whether they were enforced.',
  );
  readonly guardLatency = new Histogram(
    'lifeguard_guard_seconds',
    'Time spent in guard checks per request stage.',
    [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
  );
  readonly upstreamLatency = new Histogram(
    'lifeguard_upstream_seconds',
    'Upstream response time.',
    [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  );

  render(): string {
    return `${[this.requests, this.decisions, this.guardLatency, this.upstreamLatency].map((m) => m.render()).join('\n')}\n`;
  }

  snapshot(): MetricsSnapshot {
    const counters: MetricsSnapshot['counters'] = {};
    for (const c of [this.requests, this.decisions]) counters[c.name] = [...c.values];
    const histograms: MetricsSnapshot['histograms'] = {};
    for (const h of [this.guardLatency, this.upstreamLatency])
      histograms[h.name] = [...h.series].map(([k, s]) => [k, { buckets: [...s.buckets], sum: s.sum, count: s.count }]);
    return { counters, histograms };
  }

  /** Adds a snapshot's values to this registry (the primary sums its workers' registries). */
  add(snapshot: MetricsSnapshot): void {
    for (const c of [this.requests, this.decisions])
      for (const [k, v] of snapshot.counters[c.name] ?? []) c.values.set(k, (c.values.get(k) ?? 0) + v);
    for (const h of [this.guardLatency, this.upstreamLatency]) h.add(snapshot.histograms[h.name] ?? []);
  }

  /** The exposition text of several registries summed. */
  static renderSum(snapshots: Iterable<MetricsSnapshot>): string {
    const sum = new GatewayMetrics();
    for (const s of snapshots) sum.add(s);
    return sum.render();
  }
}
