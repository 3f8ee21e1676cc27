/**
 * Counters and histograms for the request path that cost a few additions per request. prom-client's
 * own `inc` / `observe` hash the label set and validate it on every call, even through a labelled
 * child — several microseconds a request here. These keep one plain cell per label set, made once,
 * and export at scrape time in the shape prom-client's registry prints and its `AggregatorRegistry`
 * sums across cluster workers (the `get()` of prom-client's `Counter` and `Histogram`: values with
 * `labels`, `value` and, for histograms, `metricName` `_bucket` (cumulative, `le`), `_sum`, `_count`).
 * They register with a prom-client `Registry` like its own metrics.
 */
import type { Registry } from "prom-client";

type Labels = Record<string, string>;

interface MetricValue {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
}

/** One label set of a `CellCounter`. */
export class CounterCell {
  value = 0;
  constructor(readonly labels: Labels) {}
  inc(by = 1): void {
    this.value += by;
  }
}

/** One label set of a `CellHistogram`: per-bucket (not cumulative) counts, the last slot above every bound. */
export class HistogramCell {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  constructor(
    readonly labels: Labels,
    private readonly bounds: Float64Array,
  ) {
    this.counts = new Float64Array(bounds.length + 1);
  }

  /** Count `v` in the first bucket whose upper bound is ≥ v (as Prometheus' `le`); non-finite values are ignored. */
  observe(v: number): void {
    if (!Number.isFinite(v)) return;
    const b = this.bounds;
    let i = 0;
    while (i < b.length && v > b[i]) i++;
    this.counts[i]++;
    this.sum += v;
    this.count++;
  }
}

abstract class CellMetric<C extends { labels: Labels }> {
  readonly aggregator = "sum";
  protected readonly cells = new Map<string, C>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: "counter" | "histogram",
    protected readonly labelNames: readonly string[],
    registers: readonly Registry[],
  ) {
    for (const r of registers) r.registerMetric(this as never);
  }

  /** The cell of these label values (in `labelNames` order), made on first use: keep it. */
  cell(...values: string[]): C {
    const key = values.join("\u0000");
    let c = this.cells.get(key);
    if (!c) {
      const labels: Labels = {};
      this.labelNames.forEach((n, i) => (labels[n] = values[i]));
      this.cells.set(key, (c = this.make(labels)));
    }
    return c;
  }

  protected abstract make(labels: Labels): C;
  protected abstract values(): MetricValue[];

  /** What prom-client's registry reads: `{name, help, type, values, aggregator}`. */
  async get(): Promise<{ name: string; help: string; type: string; values: MetricValue[]; aggregator: string }> {
    return { name: this.name, help: this.help, type: this.type, values: this.values(), aggregator: this.aggregator };
  }

  reset(): void {
    this.cells.clear();
  }
}

/** A counter whose label sets are `CounterCell`s. */
export class CellCounter extends CellMetric<CounterCell> {
  constructor(options: { name: string; help: string; labelNames?: readonly string[]; registers: readonly Registry[] }) {
    super(options.name, options.help, "counter", options.labelNames ?? [], options.registers);
  }
  protected make(labels: Labels): CounterCell {
    return new CounterCell(labels);
  }
  protected values(): MetricValue[] {
    return [...this.cells.values()].map((c) => ({ labels: { ...c.labels }, value: c.value }));
  }
}

/** A histogram whose label sets are `HistogramCell`s. */
export class CellHistogram extends CellMetric<HistogramCell> {
  private readonly bounds: Float64Array;
  constructor(options: { name: string; help: string; labelNames?: readonly string[]; buckets: readonly number[]; registers: readonly Registry[] }) {
    super(options.name, options.help, "histogram", options.labelNames ?? [], options.registers);
    this.bounds = Float64Array.from(options.buckets);
  }
  protected make(labels: Labels): HistogramCell {
    return new HistogramCell(labels, this.bounds);
  }
  protected values(): MetricValue[] {
    const out: MetricValue[] = [];
    const bucket = `${this.name}_bucket`;
    for (const c of this.cells.values()) {
      let acc = 0;
      for (let i = 0; i < this.bounds.length; i++) {
        acc += c.counts[i];
        out.push({ labels: { le: this.bounds[i], ...c.labels }, value: acc, metricName: bucket });
      }
      out.push({ labels: { le: "+Inf", ...c.labels }, value: c.count, metricName: bucket });
      out.push({ labels: { ...c.labels }, value: c.sum, metricName: `${this.name}_sum` });
      out.push({ labels: { ...c.labels }, value: c.count, metricName: `${this.name}_count` });
    }
    return out;
  }
}
