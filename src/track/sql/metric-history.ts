/**
 * A run's metric history as the SQL tracking store reads it: one page in MLflow's order (step,
 * timestamp, value), or the whole series downsampled to at most `maxPoints` by LTTB
 * (Steinarsson 2013) for charts.
 */
import type { SqlExecutor, SqlValue } from "../../backend/index.js";
import type { Metric, Page } from "../../wire/index.js";
import { lttbIndices } from "../downsample.js";
import { decodePageToken, encodePageToken } from "../search/page-token.js";
import type { MetricHistoryQuery, SampledHistoryQuery } from "../store.js";
import { checkMaxResults } from "../validation.js";
import { metricValue, parseNumbers } from "./tracking-rows.js";

/** One page of `key`'s history on the run with database id `runId`. */
export async function metricHistoryPage(sql: SqlExecutor, runId: number, key: string, query: MetricHistoryQuery): Promise<Page<Metric>> {
  const offset = decodePageToken(query.pageToken);
  const limit = query.maxResults === undefined ? undefined : checkMaxResults(query.maxResults, 25_000, Number.MAX_SAFE_INTEGER);
  const rows = await sql.rows(
    "SELECT value, is_nan, step, timestamp FROM metrics WHERE run_id = ? AND key = ? ORDER BY step, timestamp, value LIMIT ? OFFSET ?",
    [runId, key, limit === undefined ? Number.MAX_SAFE_INTEGER : limit + 1, offset],
  );
  const more = limit !== undefined && rows.length > limit;
  const items: Metric[] = new Array(more ? limit : rows.length);
  for (let i = 0; i < items.length; i++) {
    const r = rows[i];
    items[i] = { key, value: metricValue(r[0] as number | null, r[1] as number), step: Number(r[2]), timestamp: Number(r[3]) };
  }
  return more ? { items, nextPageToken: encodePageToken(offset + limit!) } : { items };
}

/** `key`'s finite values on the run with database id `runId`, LTTB-downsampled to `maxPoints` (≥ 3). */
export async function sampledMetricHistory(sql: SqlExecutor, runId: number, key: string, query: SampledHistoryQuery & { maxPoints: number }): Promise<Metric[]> {
  const where = ["run_id = ?", "key = ?", "is_nan = 0", "value BETWEEN -1.7976931348623157e308 AND 1.7976931348623157e308"];
  const params: SqlValue[] = [runId, key];
  if (query.startStep !== undefined) {
    where.push("step >= ?");
    params.push(query.startStep);
  }
  if (query.endStep !== undefined) {
    where.push("step <= ?");
    params.push(query.endStep);
  }
  // the whole series as three comma-joined columns in one row: building 100,000 JS row
  // objects costs ten times the database's own scan (both dialects print doubles exactly).
  // Rows come in primary-key order (run, key, step, timestamp, value); checked below.
  const agg = sql.dialect === "postgres" ? (col: string) => `string_agg(${col}::text, ',')` : (col: string) => `group_concat(${col}, ',')`;
  const got = await sql.rows(
    `SELECT ${agg("step")}, ${agg("value")}, ${agg("timestamp")} FROM (SELECT step, value, timestamp FROM metrics WHERE ${where.join(" AND ")} ORDER BY step, timestamp, value) q`,
    params,
  );
  const [stepText, valueText, timeText] = (got[0] ?? [null, null, null]) as (string | null)[];
  if (!stepText || !valueText || !timeText) return [];
  let xs = parseNumbers(stepText);
  let ys = parseNumbers(valueText);
  let ts = parseNumbers(timeText);
  let sorted = true;
  for (let i = 1; i < xs.length && sorted; i++) if (xs[i] < xs[i - 1] || (xs[i] === xs[i - 1] && ts[i] < ts[i - 1])) sorted = false;
  if (!sorted) {
    const order = Array.from(xs.keys()).sort((a, b) => xs[a] - xs[b] || ts[a] - ts[b] || ys[a] - ys[b]);
    xs = Float64Array.from(order, (i) => xs[i]);
    ys = Float64Array.from(order, (i) => ys[i]);
    ts = Float64Array.from(order, (i) => ts[i]);
  }
  const pick = lttbIndices(xs, ys, query.maxPoints);
  const out: Metric[] = new Array(pick.length);
  for (let i = 0; i < pick.length; i++) {
    const j = pick[i];
    out[i] = { key, value: ys[j], step: xs[j], timestamp: ts[j] };
  }
  return out;
}
