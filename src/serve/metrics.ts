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
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

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
  readonly requests: Counter<"model" | "version" | "protocol" | "status">;
  readonly latency: Histogram<"model" | "version" | "protocol">;
  readonly inFlight: Gauge;
  /** Requests being answered now: a plain counter on the request path, read into the gauge at scrape time. */
  active = 0;
  readonly rows: Histogram<"model">;
  readonly classes: Counter<"model" | "version" | "class">;
  readonly values: Histogram<"model" | "version">;
  readonly logDropped: Counter;
  readonly swaps: Counter<"model">;
  readonly batches: Counter<"model">;
  private readonly children = new Map<string, { count: Counter.Internal; latency: Histogram.Internal<"model" | "version" | "protocol"> }>();
  /** Labelled children by model and version, so a request looks up no labels (prom-client hashes them on every `labels` call). */
  private readonly rowChildren = new Map<string, Histogram.Internal<"model">>();
  private readonly classChildren = new Map<string, Counter.Internal[]>();
  private readonly valueChildren = new Map<string, Histogram.Internal<"model" | "version">>();

  constructor(options: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.requests = new Counter({ name: "keel_serve_requests_total", help: "Requests answered, by model, version, protocol and HTTP status", labelNames: ["model", "version", "protocol", "status"], registers });
    this.latency = new Histogram({
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
    this.rows = new Histogram({ name: "keel_serve_rows_per_request", help: "Rows per prediction request", labelNames: ["model"], buckets: [1, 2, 5, 10, 50, 100, 500, 1000, 5000, 10000], registers });
    this.classes = new Counter({ name: "keel_serve_predictions_total", help: "Rows predicted, by predicted class (classifiers)", labelNames: ["model", "version", "class"], registers });
    this.values = new Histogram({
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

  /** Count one answered request and its latency (seconds). */
  observe(model: string, version: string, protocol: string, status: number, seconds: number): void {
    const key = `${model}\u0000${version}\u0000${protocol}\u0000${status}`;
    let c = this.children.get(key);
    if (!c) {
      c = { count: this.requests.labels(model, version, protocol, String(status)), latency: this.latency.labels(model, version, protocol) };
      this.children.set(key, c);
    }
    c.count.inc();
    c.latency.observe(seconds);
  }

  /** Count predicted classes / observe predicted values. */
  predictions(model: string, version: string, labels: readonly string[] | null, codes: Int32Array | null, values: Float64Array | null, nRows: number): void {
    let rows = this.rowChildren.get(model);
    if (!rows) this.rowChildren.set(model, (rows = this.rows.labels(model)));
    rows.observe(nRows);
    if (labels && codes) {
      const key = `${model}\u0000${version}`;
      let byCode = this.classChildren.get(key);
      if (!byCode) this.classChildren.set(key, (byCode = []));
      const child = (c: number) => byCode![c + 1] ?? (byCode![c + 1] = this.classes.labels(model, version, classLabel(labels, c)));
      if (nRows === 1) {
        child(codes[0]).inc();
        return;
      }
      const counts = new Map<number, number>();
      for (let i = 0; i < nRows; i++) counts.set(codes[i], (counts.get(codes[i]) ?? 0) + 1);
      for (const [c, k] of counts) child(c).inc(k);
    } else if (values) {
      const key = `${model}\u0000${version}`;
      let h = this.valueChildren.get(key);
      if (!h) this.valueChildren.set(key, (h = this.values.labels(model, version)));
      for (let i = 0; i < nRows; i++) if (Number.isFinite(values[i])) h.observe(values[i]);
    }
  }

  /** The exposition text and its content type. */
  async text(): Promise<{ body: string; contentType: string }> {
    return { body: await this.registry.metrics(), contentType: this.registry.contentType };
  }
}

function classLabel(labels: readonly string[], code: number): string {
  if (code < 0) return "";
  return code < MAX_CLASS_LABELS ? labels[code] : "other";
}
