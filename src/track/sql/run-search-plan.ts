/**
 * Run search as SQL: MLflow's filter and order_by over metrics, params, tags and attributes,
 * turned into parameterised SQL that walks indexes in order and stops at the page's end.
 */
import { InvalidInputError, show } from "../../core/index.js";
import type { Clause, OrderTerm } from "../search/filter.js";
import { TAG } from "../system-tags.js";
import { checkExperimentId } from "../validation.js";
import { and, compare, type Fragment } from "./clauses.js";
import type { SqlDriver, SqlValue } from "../../backend/index.js";

/** The run columns every run query selects (aliased `r`). */
export const RUN_COLUMNS = "r.id, r.run_uuid, r.experiment_id, r.name, r.user_id, r.status, r.start_time, r.end_time, r.artifact_uri, r.lifecycle_stage, r.deleted_time, r.hypothesis, r.parent_run_uuid";

/** Metric, param or tag keys of a filter that become joins; the others are grouped per table. */
const JOINED_KEYS = 4;

/** Run attributes a filter or order_by may name, and their columns. */
export const RUN_ATTRIBUTES: Record<string, { col: string; type: "number" | "string"; nullable?: boolean }> = {
  run_id: { col: "r.run_uuid", type: "string" },
  run_uuid: { col: "r.run_uuid", type: "string" },
  run_name: { col: "r.name", type: "string" },
  status: { col: "r.status", type: "string" },
  user_id: { col: "r.user_id", type: "string" },
  artifact_uri: { col: "r.artifact_uri", type: "string" },
  start_time: { col: "r.start_time", type: "number" },
  created: { col: "r.start_time", type: "number" },
  Created: { col: "r.start_time", type: "number" },
  end_time: { col: "r.end_time", type: "number", nullable: true },
  hypothesis: { col: "r.hypothesis", type: "string", nullable: true },
  parent_run_id: { col: "r.parent_run_uuid", type: "string", nullable: true },
};

/**
 * The run search as SQL. When the first order key is a metric, param or tag, the search runs
 * in two parts so the database can walk that key's (key, value) index in order and stop at
 * the page's end: `first` = runs with a value for the key, ordered by it; `second` = runs
 * without one (missing values sort last, in either direction, as in MLflow).
 *
 * SQLite's planner picks badly without fresh statistics, so on SQLite the join order is
 * fixed here (CROSS JOIN keeps its left table outermost): a filter that matches few rows
 * (counted on its index, at most a few thousand entries read) drives the search; otherwise
 * the order key's index (or the runs table in start-time order) drives it and the search
 * stops as soon as the page is full. PostgreSQL's planner, with autovacuum's statistics,
 * chooses on its own.
 */
export async function runSearchPlan(sql: SqlDriver, experimentIds: readonly string[], viewType: string, clauses: Clause[], orderTerms: OrderTerm[], need: number): Promise<{ first: Fragment; second?: Fragment }> {
  interface Join {
    kind: "JOIN" | "LEFT JOIN";
    table: string;
    alias: string;
    /** the join condition without the link to r */
    cond: Fragment;
  }
  const joins: Join[] = [];
  const where: Fragment[] = [];
  const pg = sql.dialect === "postgres";
  if (viewType !== "ALL") where.push({ sql: "r.lifecycle_stage = ?", params: [viewType === "ACTIVE_ONLY" ? "active" : "deleted"] });
  if (experimentIds.length > 0) {
    const ids = experimentIds.map((id) => Number(checkExperimentId(id)));
    if (ids.length === 1) where.push({ sql: "r.experiment_id = ?", params: [ids[0]] });
    else {
      const l = sql.inList("r.experiment_id", ids, "bigint");
      where.push({ sql: l.sql, params: [l.param] });
    }
  }
  let n = 0;
  const tableOfEntity = { metric: "latest_metrics", param: "params", tag: "tags" } as const;
  type KeyedEntity = keyof typeof tableOfEntity;
  /**
   * Clauses on one metric, param or tag key: the run must have that key's row (one per run:
   * the tables are keyed by (run_id, key)) satisfying every comparison.
   */
  interface Group {
    entity: KeyedEntity;
    key: string;
    /** The comparisons on the row aliased `alias`. */
    conds: ((alias: string) => Fragment)[];
  }
  const groups = new Map<string, Group>();
  const absent: Record<KeyedEntity, string[]> = { metric: [], param: [], tag: [] };
  for (const c of clauses) {
    if (c.entity === "metric" || c.entity === "param" || c.entity === "tag") {
      if (c.comparator === "IS NULL") {
        if (!absent[c.entity].includes(c.key)) absent[c.entity].push(c.key);
        continue;
      }
      const id = `${c.entity}\u0000${c.key}`;
      let g = groups.get(id);
      if (!g) groups.set(id, (g = { entity: c.entity, key: c.key, conds: [] }));
      if (c.comparator === "IS NOT NULL") continue; // the key's row exists: the group says so
      if (c.entity === "metric") {
        compare(sql, "x.value", c, "number"); // validate now, not when the SQL is built
        g.conds.push((alias) => compare(sql, `${alias}.value`, c, "number"));
      } else {
        compare(sql, "x.value", c, "string");
        g.conds.push((alias) => {
          // PostgreSQL indexes a 200-character prefix of values: compare through it so the
          // index (and its statistics) apply. For a shorter value the prefix test alone is
          // exact; a longer one also needs the full comparison
          const cmp = compare(sql, `${alias}.value`, c, "string");
          if (pg && c.comparator === "=" && typeof c.value === "string") {
            return c.value.length < 200
              ? { sql: `left(${alias}.value, 200) = ?`, params: [c.value] }
              : { sql: `left(${alias}.value, 200) = ? AND ${cmp.sql}`, params: [Array.from(c.value).slice(0, 200).join(""), ...cmp.params] };
          }
          return cmp;
        });
      }
    } else if (c.entity === "attribute") {
      const a = RUN_ATTRIBUTES[c.key];
      if (!a) {
        throw new InvalidInputError(`filter: unknown run attribute ${show(c.key)}; expected one of ${Object.keys(RUN_ATTRIBUTES).join(", ")}`, { path: "filter", expected: Object.keys(RUN_ATTRIBUTES).join(", "), received: c.key });
      }
      where.push(compare(sql, a.col, c, a.type, a.nullable));
    } else {
      const alias = `f${n++}`;
      // datasets.name / datasets.digest / datasets.context
      if (c.key === "name" || c.key === "digest") {
        const cmp = compare(sql, `${alias}d.${c.key}`, c, "string");
        where.push({ sql: `EXISTS (SELECT 1 FROM inputs ${alias} JOIN datasets ${alias}d ON ${alias}d.id = ${alias}.dataset_id WHERE ${alias}.run_id = r.id AND ${cmp.sql})`, params: cmp.params });
      } else if (c.key === "context") {
        const cmp = compare(sql, `${alias}t.value`, c, "string");
        where.push({
          sql: `EXISTS (SELECT 1 FROM inputs ${alias} JOIN input_tags ${alias}t ON ${alias}t.input_id = ${alias}.id WHERE ${alias}.run_id = r.id AND ${alias}t.key = ? AND ${cmp.sql})`,
          params: [TAG.datasetContext, ...cmp.params],
        });
      } else {
        throw new InvalidInputError(`filter: unknown dataset field ${show(c.key)}; expected datasets.name, datasets.digest or datasets.context`, { path: "filter", received: c.key });
      }
    }
  }
  // The first few keys are joins (an index on (key, value) can drive the search, and the
  // planner sees their selectivity); the others are tested together, one set per table
  // computed once (not per run): the runs whose rows satisfy every remaining key's comparisons,
  // and the runs that have any key the filter wants absent. So a filter of any length joins at
  // most JOINED_KEYS + 1 tables and adds at most six uncorrelated subqueries (SQLite refuses
  // more than 64 tables in a join; PostgreSQL plans many joins slowly).
  const grouped = [...groups.values()];
  for (const g of grouped.slice(0, JOINED_KEYS)) {
    const alias = `f${n++}`;
    const cond = and([{ sql: `${alias}.key = ?`, params: [g.key] }, ...g.conds.map((f) => f(alias))]);
    joins.push({ kind: "JOIN", table: tableOfEntity[g.entity], alias, cond: { sql: cond.sql, params: cond.params } });
  }
  for (const entity of ["metric", "param", "tag"] as const) {
    const rest = grouped.slice(JOINED_KEYS).filter((g) => g.entity === entity);
    const table = tableOfEntity[entity];
    if (rest.length > 0) {
      // one row per (run, key), and the keys differ: a run passes when `rest.length` rows match
      const alias = `g${n++}`;
      const any: Fragment[] = rest.map((g) => and([{ sql: `${alias}.key = ?`, params: [g.key] }, ...g.conds.map((f) => f(alias))]));
      where.push({
        sql: `r.id IN (SELECT ${alias}.run_id FROM ${table} ${alias} WHERE ${any.map((f) => `(${f.sql})`).join(" OR ")} GROUP BY ${alias}.run_id HAVING COUNT(*) = ?)`,
        params: [...any.flatMap((f) => f.params), rest.length],
      });
    }
    const keys = absent[entity];
    if (keys.length > 0) {
      const alias = `a${n++}`;
      const test = keys.length === 1 ? { sql: `${alias}.key = ?`, param: keys[0] as SqlValue } : sql.inList(`${alias}.key`, keys, "text");
      where.push({ sql: `r.id NOT IN (SELECT ${alias}.run_id FROM ${table} ${alias} WHERE ${test.sql})`, params: [test.param] });
    }
  }

  // SQLite: the most selective indexed filter, when it matches few rows
  let selective: Join | undefined;
  if (!pg && joins.length > 0) {
    const cap = Math.max(5000, 2 * need);
    let best = Infinity;
    for (const j of joins.slice(0, 4)) {
      const c = await sql.get<{ n: number }>(`SELECT COUNT(*) AS n FROM (SELECT 1 FROM ${j.table} ${j.alias} WHERE ${j.cond.sql} LIMIT ?) q`, [...j.cond.params, cap]);
      const count = Number(c?.n ?? 0);
      if (count < cap && count < best) {
        best = count;
        selective = j;
      }
    }
  }

  const tableOf = (o: OrderTerm) => (o.entity === "metric" ? "latest_metrics" : o.entity === "param" ? "params" : "tags");
  /** ORDER BY terms with their LEFT JOINs. */
  const orderPart = (terms: readonly OrderTerm[]) => {
    const oj: Join[] = [];
    const parts: string[] = [];
    const params: SqlValue[] = [];
    let sawStart = false;
    let sawId = false;
    for (const o of terms) {
      const dir = o.ascending ? "ASC" : "DESC";
      let expr: string;
      let nullable = true;
      if (o.entity === "metric" || o.entity === "param" || o.entity === "tag") {
        const alias = `o${n++}`;
        if (pg) {
          // a value looked up per run that passed the filter: PostgreSQL reorders only 8
          // joined tables at a time, and LEFT JOINs for sorting would fix the filter's join order
          expr = `(SELECT ${alias}.value FROM ${tableOf(o)} ${alias} WHERE ${alias}.run_id = r.id AND ${alias}.key = ?)`;
          params.push(o.key);
          parts.push(`${expr} ${dir} NULLS LAST`); // missing values last (as MLflow)
          continue;
        } else {
          oj.push({ kind: "LEFT JOIN", table: tableOf(o), alias, cond: { sql: `${alias}.key = ?`, params: [o.key] } });
          expr = `${alias}.value`;
        }
      } else if (o.entity === "attribute" && RUN_ATTRIBUTES[o.key]) {
        const a = RUN_ATTRIBUTES[o.key];
        expr = a.col;
        nullable = a.nullable === true;
        if (expr === "r.start_time") sawStart = true;
        if (expr === "r.run_uuid") sawId = true;
      } else {
        throw new InvalidInputError(`order_by: ${show(o.key)} is not a valid run order key; expected metrics.<key>, params.<key>, tags.<key> or an attribute (${Object.keys(RUN_ATTRIBUTES).join(", ")})`, {
          path: "order_by",
          received: o.key,
        });
      }
      // missing values last, whatever the direction (as MLflow)
      parts.push(nullable ? `(${expr} IS NULL), ${expr} ${dir}` : `${expr} ${dir}`);
    }
    if (!sawStart) parts.push("r.start_time DESC");
    if (!sawId) parts.push("r.run_uuid ASC");
    return { joins: oj, sql: parts.join(", "), params };
  };
  /** One SELECT; `drive` is the table SQLite must read first (undefined: runs). */
  const select = (all: readonly Join[], extraWhere: readonly Fragment[], order: Fragment, drive: Join | undefined): Fragment => {
    const link = (j: Join) => `${j.alias}.run_id = r.id AND ${j.cond.sql}`;
    const pieces: string[] = [];
    const params: SqlValue[] = [];
    if (!pg && drive) {
      pieces.push(`FROM ${drive.table} ${drive.alias} CROSS JOIN runs r ON ${link(drive)}`);
      params.push(...drive.cond.params);
    } else {
      pieces.push("FROM runs r");
    }
    for (const j of all) {
      if (j === drive && !pg) continue;
      // on SQLite, tables after the driving one are inner loops (CROSS JOIN keeps the order)
      const kind = !pg && j.kind === "JOIN" ? "CROSS JOIN" : j.kind;
      pieces.push(`${kind} ${j.table} ${j.alias} ON ${link(j)}`);
      params.push(...j.cond.params);
    }
    const w = and([...where, ...extraWhere]);
    return { sql: `SELECT ${RUN_COLUMNS} ${pieces.join(" ")} WHERE ${w.sql} ORDER BY ${order.sql}`, params: [...params, ...w.params, ...order.params] };
  };

  const head = orderTerms[0];
  if (head && (head.entity === "metric" || head.entity === "param" || head.entity === "tag")) {
    const alias = `o${n++}`;
    const table = tableOf(head);
    const rest = orderPart(orderTerms.slice(1));
    const orderJoin: Join = { kind: "JOIN", table, alias, cond: { sql: `${alias}.key = ? AND ${alias}.value IS NOT NULL`, params: [head.key] } };
    const first = select([orderJoin, ...joins, ...rest.joins], [], { sql: `${alias}.value ${head.ascending ? "ASC" : "DESC"}, ${rest.sql}`, params: rest.params }, selective ?? orderJoin);
    const missing = `m${n++}`;
    const second = select(
      [...joins, ...rest.joins],
      [{ sql: `NOT EXISTS (SELECT 1 FROM ${table} ${missing} WHERE ${missing}.run_id = r.id AND ${missing}.key = ? AND ${missing}.value IS NOT NULL)`, params: [head.key] }],
      rest,
      selective,
    );
    return { first, second };
  }
  const all = orderPart(orderTerms);
  return { first: select([...joins, ...all.joins], [], all, selective) };
}
