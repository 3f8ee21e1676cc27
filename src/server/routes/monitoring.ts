/**
 * `keel/monitoring/*`: the monitoring store family over HTTP, and what the web UI's Monitoring
 * page reads.
 *
 * - `GET monitoring/models`: the registered models with their aliases and versions (the page's
 *   picker; a model's windows are listed by the next route).
 * - `POST monitoring/windows/save` (write): store or replace the windows of a model version
 *   (`model`, `version`, `window` = hour | day, `results` = the per-window results
 *   `keel monitor drift --model` computes). A bad window refuses the whole batch.
 * - `GET monitoring/windows/list` (read): stored windows oldest first, by `model` and optionally
 *   `version`, `window`, `since_ms` (start at or after) and `until_ms` (start before).
 *
 * The results are checked for the fields the store reads into its chart columns; the rest of each
 * result is kept as sent.
 */
import { z } from "zod";
import { InvalidInputError } from "../../core/index.js";
import { encodeMonitorWindow, MONITOR_WINDOW_SIZES, type MonitorWindowSize } from "../../wire/index.js";
import type { WindowMonitoring } from "../../monitor/index.js";
import type { ResolvedDeps } from "../deps.js";
import { empty, type RouteDef } from "../route.js";
import { field, required } from "../fields.js";

const num = z.number({ error: "a number" });
const nullableObject = <T extends z.ZodRawShape>(shape: T, what: string) => z.looseObject(shape, { error: what }).nullable();

/** One per-window result as `keel monitor drift --model` writes it: the fields the store reads, checked; the rest kept. */
const windowResult = z.looseObject(
  {
    start: z.string({ error: "an ISO 8601 time" }),
    end: z.string({ error: "an ISO 8601 time" }),
    serving: z.looseObject({ requests: z.int({ error: "an integer" }).min(0), error_rate: num, latency_ms: nullableObject({ p95: num }, "an object { p50, p95, p99, max } or null").optional() }, { error: "an object { requests, error_rate, ... }" }),
    drift: nullableObject({ drift_share: num, dataset_drift: z.boolean({ error: "a boolean" }) }, "a drift report or null"),
    prediction_drift: nullableObject({ drifted: z.boolean({ error: "a boolean" }) }, "a prediction drift result or null"),
    quality: nullableObject({ findings: z.array(z.unknown(), { error: "a list of findings" }) }, "a data-quality report or null"),
    performance: nullableObject({ task: z.string({ error: "a task name" }), metrics: z.record(z.string(), z.looseObject({ estimate: num.nullable() }, { error: "an object { estimate, low, high, ... }" })) }, "live performance or null"),
  },
  { error: "a window result { start, end, serving, drift, prediction_drift, quality, performance }" },
);
const windowResults = z.array(windowResult, { error: "a list of window results" });
const windowSize = z.enum(MONITOR_WINDOW_SIZES as [MonitorWindowSize, ...MonitorWindowSize[]], { error: 'a window size: "hour" or "day"' });

export function monitoringRoutes({ registry, monitoring }: ResolvedDeps): RouteDef[] {
  return [
    {
      methods: ["GET"],
      api: "keel",
      path: "monitoring/models",
      role: "read",
      summary: "Registered models with their aliases and versions, for picking what to look at.",
      handler: async () => {
        const models = [];
        let pageToken: string | undefined;
        do {
          const page = await registry.searchRegisteredModels({ maxResults: 1000, pageToken });
          models.push(...page.items);
          pageToken = page.nextPageToken;
        } while (pageToken);
        const out = [];
        for (const m of models) {
          const versions: string[] = [];
          let vToken: string | undefined;
          do {
            const page = await registry.searchModelVersions({ filter: `name = '${m.name.replaceAll("'", "''")}'`, maxResults: 1000, pageToken: vToken });
            versions.push(...page.items.map((v) => v.version));
            vToken = page.nextPageToken;
          } while (vToken);
          versions.sort((a, b) => Number(a) - Number(b));
          out.push({ name: m.name, aliases: (m.aliases ?? []).map((a) => ({ alias: a.alias, version: a.version })), versions });
        }
        return { models: out };
      },
    },
    {
      methods: ["POST"],
      api: "keel",
      path: "monitoring/windows/save",
      role: "write",
      summary: "Store (or replace) per-window monitoring results of a model version.",
      input: { model: required(field.text()), version: required(field.id()), window: required(windowSize), results: required(windowResults) },
      handler: empty(async ({ fields: f }) => {
        const results = f.objects<WindowMonitoring>("results");
        if (results === undefined) throw new InvalidInputError('missing value for required parameter "results"', { path: "results", expected: "a list of window results" });
        await monitoring.saveWindows(f.requiredString("model"), f.requiredString("version"), f.requiredString("window") as MonitorWindowSize, results);
      }),
    },
    {
      methods: ["GET"],
      api: "keel",
      path: "monitoring/windows/list",
      role: "read",
      summary: "Stored monitoring windows of a model, oldest first.",
      input: { model: required(field.text()), version: field.id(), window: windowSize, since_ms: field.int(), until_ms: field.int() },
      handler: async ({ fields: f }) => {
        const windows = await monitoring.listWindows({
          model: f.requiredString("model"),
          version: f.string("version"),
          window: f.string("window") as MonitorWindowSize | undefined,
          since: f.int("since_ms"),
          until: f.int("until_ms"),
        });
        return { windows: windows.map(encodeMonitorWindow) };
      },
    },
  ];
}
