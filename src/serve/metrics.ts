/**
 * Prometheus metrics of the data plane (prom-client, one registry per server so several can live in
 * one process). Labels stay low-cardinality: model name, version, protocol, HTTP status, and the
 * predicted class (capped); never request ids, keys or values.
 *
 * - `keel_serve_requests_total{model,version,protocol,status}`
 * - `keel_serve_request_duration_seconds{model,version,protocol}` (histogram, 0.25 ms … 10 s)
 * - `keel_serve_requests_in_flight`
 * - `keel_serve_rows_per_request{model}` (histogram)
 * - `keel_serve_predictions_total{model,version,class}` (classifiers: rows predicted per class)
 * - `keel_serve_prediction_value{model,version}` (regressors: histogram of predicted values)
 * - `keel_serve_prediction_log_dropped_total`, `keel_serve_model_swaps_total{model}`, `keel_serve_batches_total{model}`
 * - Node's process metrics (`process_*`, `nodejs_*`).
 *
 * The per-request ones are `metric-cells.ts` counters and histograms: one plain cell per label set,
 * kept here by model and version, so a request adds to numbers and looks nothing up by labels.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from "prom-client";
import { CellCounter, CellHistogram, type CounterCell, type HistogramCell } from "./metric-cells.js";

/** Classes beyond this many share the label "other". */
const MAX_CLASS_LABELS = 50;

/**
 * Prometheus metrics of a serving process (prom-client): requests, latency, rows per request, predictions, batches, dropped log records and model swaps.
 * @example
 * ```ts
 * const metrics = new ServeMetrics({ processMetrics: true });
 * const app = await buildServeApp(state, { metrics });
 * ```
 */
export class ServeMetrics {
  readonly registry = new Registry();
  readonly requests: CellCounter;
  readonly latency: CellHistogram;
  readonly inFlight: Gauge;
  /** Requests being answered now: a plain counter on the request path, read into the gauge at scrape time. */
  active = 0;
  readonly rows: CellHistogram;
  readonly classes: CellCounter;
  readonly values: CellHistogram;
  readonly logDropped: Counter;
  readonly swaps: Counter<"model">;
  readonly batches: Counter<"model">;
  /** The cells of the last (model, version) a request was counted for, and of every one seen. */
  private last: VersionCells | null = null;
  private readonly byVersion = new Map<string, VersionCells>();

  constructor(options: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.requests = new CellCounter({ name: "keel_serve_requests_total", help: "Requests answered, by model, version, protocol and HTTP status", labelNames: ["model", "version", "protocol", "status"], registers });
    this.latency = new CellHistogram({
      name: "keel_serve_request_duration_seconds",
      help: "Time from request to response, by model, version and protocol",
      labelNames: ["model", "version", "protocol"],
      buckets: [0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
      registers,
    });
    const self = this;
    this.inFlight = new Gauge({
      name: "keel_serve_requests_in_flight",
      help: "Requests being answered now",
      registers,
      collect() {
        this.set(self.active);
      },
    });
    this.rows = new CellHistogram({ name: "keel_serve_rows_per_request", help: "Rows per prediction request", labelNames: ["model"], buckets: [1, 2, 5, 10, 50, 100, 500, 1000, 5000, 10000], registers });
    this.classes = new CellCounter({ name: "keel_serve_predictions_total", help: "Rows predicted, by predicted class (classifiers)", labelNames: ["model", "version", "class"], registers });
    this.values = new CellHistogram({
      name: "keel_serve_prediction_value",
      help: "Predicted values (regressors)",
      labelNames: ["model", "version"],
      buckets: [-1e6, -1e4, -1e3, -100, -10, -1, 0, 1, 10, 100, 1e3, 1e4, 1e6],
      registers,
    });
    this.logDropped = new Counter({ name: "keel_serve_prediction_log_dropped_total", help: "Prediction log entries dropped because the log could not keep up", registers });
    this.batches = new Counter({ name: "keel_serve_batches_total", help: "Micro-batches predicted (several requests in one model call), by model", labelNames: ["model"], registers });
    this.swaps = new Counter({ name: "keel_serve_model_swaps_total", help: "Hot swaps (a new version loaded, warmed and put in front of traffic)", labelNames: ["model"], registers });
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** The cells of one model version (found once per version, then kept). */
  private cellsOf(model: string, version: string): VersionCells {
    const last = this.last;
    if (last !== null && last.model === model && last.version === version) return last;
    const key = `${model}\u0000${version}`;
    let c = this.byVersion.get(key);
    if (!c) this.byVersion.set(key, (c = new VersionCells(model, version)));
    return (this.last = c);
  }

  /** Count one answered request and its latency (seconds). */
  observe(model: string, version: string, protocol: string, status: number, seconds: number): void {
    const c = this.cellsOf(model, version);
    let byProtocol = c.protocols.get(protocol);
    if (!byProtocol) c.protocols.set(protocol, (byProtocol = { latency: this.latency.cell(model, version, protocol), status: new Map() }));
    let count = byProtocol.status.get(status);
    if (!count) byProtocol.status.set(status, (count = this.requests.cell(model, version, protocol, String(status))));
    count.inc();
    byProtocol.latency.observe(seconds);
  }

  /** Count predicted classes / observe predicted values. */
  predictions(model: string, version: string, labels: readonly string[] | null, codes: Int32Array | null, values: Float64Array | null, nRows: number): void {
    const c = this.cellsOf(model, version);
    (c.rows ??= this.rows.cell(model)).observe(nRows);
    if (labels && codes) {
      const byCode = c.classes;
      for (let i = 0; i < nRows; i++) {
        const k = codes[i];
        (byCode[k + 1] ??= this.classes.cell(model, version, classLabel(labels, k))).inc();
      }
    } else if (values) {
      const h = (c.values ??= this.values.cell(model, version));
      for (let i = 0; i < nRows; i++) h.observe(values[i]);
    }
  }

  /** The exposition text and its content type. */
  async text(): Promise<{ body: string; contentType: string }> {
    return { body: await this.registry.metrics(), contentType: this.registry.contentType };
  }
}

/** One model version's cells. */
class VersionCells {
  readonly protocols = new Map<string, { latency: HistogramCell; status: Map<number, CounterCell> }>();
  rows: HistogramCell | null = null;
  /** By class code + 1 (0: no class). */
  readonly classes: CounterCell[] = [];
  values: HistogramCell | null = null;
  constructor(
    readonly model: string,
    readonly version: string,
  ) {}
}

function classLabel(labels: readonly string[], code: number): string {
  if (code < 0) return "";
  return code < MAX_CLASS_LABELS ? labels[code] : "other";
}
