/**
 * MLflow's search filter grammar, parsed into clauses: `<entity>.<key> <comparator> <value>`
 * joined by AND (no OR). Entities: `metrics.`/`metric.`, `params.`/`param.`/`parameters.`,
 * `tags.`/`tag.`, `attributes.`/`attribute.`/`attr.`/`run.`, `datasets.`/`dataset.`; an identifier
 * without a prefix is an attribute. Keys with special characters are quoted with backticks or
 * double quotes (`metrics."f1 score"`). Values: numbers, 'single' or "double" quoted strings, or a
 * parenthesised list for IN / NOT IN. The stores translate clauses into parameterised SQL; values
 * never enter SQL text.
 *
 * The grammar is bounded (`SEARCH_LIMITS`) so that no search can cost the database unbounded
 * work: SQLite's queries cannot be interrupted, so the bounds are what keeps every search fast.
 * MLflow's own server bounds only `max_results` (50,000); Keel also bounds the filter's length,
 * its clauses and the order_by keys, far above what its UI or clients send.
 */
import { InvalidInputError, show } from "../../core/index.js";

/** Bounds of a search request, checked before any SQL is built (a 400 beyond them). */
export const SEARCH_LIMITS = {
  /** Characters in a filter string (a `run_id IN (...)` list of ~2,500 run ids fits). */
  maxFilterChars: 100_000,
  /** Clauses joined by AND in one filter. */
  maxClauses: 50,
  /** Terms in one order_by list. */
  maxOrderBy: 10,
  /** Characters in one order_by term. */
  maxOrderByChars: 1_000,
} as const;

/** What a search clause compares: a metric, a param, a tag, an attribute or a dataset field. */
export type Entity = "metric" | "param" | "tag" | "attribute" | "dataset";
/** The comparators MLflow's filter grammar allows. */
export type Comparator = "=" | "!=" | "<" | "<=" | ">" | ">=" | "LIKE" | "ILIKE" | "IN" | "NOT IN" | "IS NULL" | "IS NOT NULL";

/** One `entity.key comparator value` clause of a search filter. */
export interface Clause {
  entity: Entity;
  key: string;
  comparator: Comparator;
  /** A number (unquoted), a string (quoted), a list (IN), or null (IS [NOT] NULL). */
  value: number | string | string[] | null;
  /** True when the value was written quoted. */
  quoted: boolean;
}

const PREFIXES: Record<string, Entity> = {
  metric: "metric", metrics: "metric",
  param: "param", params: "param", parameter: "param", parameters: "param",
  tag: "tag", tags: "tag",
  attribute: "attribute", attributes: "attribute", attr: "attribute", run: "attribute",
  dataset: "dataset", datasets: "dataset",
};

type Tok =
  | { t: "ident"; v: string; pos: number }
  | { t: "qident"; v: string; pos: number } // backtick-quoted
  | { t: "str"; v: string; pos: number }
  | { t: "num"; v: number; raw: string; pos: number }
  | { t: "op"; v: string; pos: number }
  | { t: "punct"; v: "(" | ")" | "," | "."; pos: number };

function fail(filter: string, pos: number, what: string): never {
  throw new InvalidInputError(`filter ${show(filter, 120)}: ${what} at character ${pos + 1}`, { path: "filter", received: filter });
}

function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === " " || c === "\t" || c === "\n" || c === "\r") { i++; continue; }
    const start = i;
    if (c === "'" || c === '"' || c === "`") {
      let v = "";
      i++;
      for (;;) {
        if (i >= s.length) fail(s, start, `unterminated quoted text`);
        const d = s[i];
        // \' escapes the quote; other backslashes stay (they are LIKE escapes)
        if (d === "\\" && s[i + 1] === c) { v += c; i += 2; continue; }
        if (d === c) {
          if (s[i + 1] === c) { v += c; i += 2; continue; } // doubled quote
          i++;
          break;
        }
        v += d;
        i++;
      }
      out.push(c === "`" ? { t: "qident", v, pos: start } : { t: "str", v, pos: start });
      // a double-quoted key after a dot is an identifier; decided by the parser
      continue;
    }
    if (c === "(" || c === ")" || c === ",") { out.push({ t: "punct", v: c, pos: start }); i++; continue; }
    if (c === "!" || c === "<" || c === ">" || c === "=") {
      const two = s.slice(i, i + 2);
      if (two === "!=" || two === "<=" || two === ">=" || two === "<>" || two === "==") { out.push({ t: "op", v: two === "<>" ? "!=" : two === "==" ? "=" : two, pos: start }); i += 2; continue; }
      if (c === "!") fail(s, start, `unexpected "!"`);
      out.push({ t: "op", v: c, pos: start });
      i++;
      continue;
    }
    const prev = out[out.length - 1];
    // a dot right after an identifier separates entity and key (metrics.5x is not 0.5)
    const glued = prev !== undefined && i > 0 && !/\s/.test(s[i - 1]) && (prev.t === "ident" || prev.t === "qident" || prev.t === "str");
    if (c === "." && glued) { out.push({ t: "punct", v: ".", pos: start }); i++; continue; }
    const num = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/.exec(s.slice(i));
    if (num && !(prev && prev.t === "punct" && prev.v === ".")) {
      const after = s[i + num[0].length];
      if (after === undefined || !/[A-Za-z_]/.test(after)) {
        out.push({ t: "num", v: Number(num[0]), raw: num[0], pos: start });
        i += num[0].length;
        continue;
      }
    }
    if (c === ".") { out.push({ t: "punct", v: ".", pos: start }); i++; continue; }
    const id = /^[A-Za-z0-9_\-:/]+/.exec(s.slice(i));
    if (!id) fail(s, start, `unexpected character ${show(c)}`);
    out.push({ t: "ident", v: id[0], pos: start });
    i += id[0].length;
  }
  return out;
}

/**
 * Parse a filter string into clauses. An empty or blank filter gives no clauses. Throws
 * `InvalidInputError` naming the position for anything else than MLflow's grammar.
 * @example
 * ```ts
 * parseFilter("metrics.rmse < 1 and params.model = 'gbdt'"); // two clauses
 * ```
 */
export function parseFilter(filter: string | undefined | null): Clause[] {
  if (filter === undefined || filter === null || filter.trim() === "") return [];
  if (typeof filter !== "string") throw new InvalidInputError(`filter ${show(filter)} is not a string`, { path: "filter", received: filter });
  if (filter.length > SEARCH_LIMITS.maxFilterChars) {
    throw new InvalidInputError(`filter is ${filter.length.toLocaleString("en-US")} characters long: at most ${SEARCH_LIMITS.maxFilterChars.toLocaleString("en-US")} are allowed`, {
      path: "filter",
      expected: `≤ ${SEARCH_LIMITS.maxFilterChars} characters`,
      received: filter.length,
    });
  }
  const toks = tokenize(filter);
  let p = 0;
  const peek = () => toks[p];
  const kw = (t: Tok | undefined, word: string) => t !== undefined && t.t === "ident" && t.v.toUpperCase() === word;
  const end = filter.length;
  const clauses: Clause[] = [];

  for (;;) {
    // ---- identifier: [prefix .] key
    const first = toks[p];
    if (!first) fail(filter, end, "expected an identifier such as metrics.rmse");
    let entity: Entity = "attribute";
    let key: string;
    if (first.t === "ident" && toks[p + 1]?.t === "punct" && (toks[p + 1] as { v: string }).v === "." && PREFIXES[first.v.toLowerCase()] !== undefined) {
      entity = PREFIXES[first.v.toLowerCase()];
      p += 2;
      const k = toks[p];
      if (!k || (k.t !== "ident" && k.t !== "qident" && k.t !== "str" && k.t !== "num")) fail(filter, k?.pos ?? end, `expected a key after ${show(first.v + ".")}`);
      if (k.t === "ident" || k.t === "num") {
        // bare keys may contain dots: tags.mlflow.runName
        key = k.t === "num" ? k.raw : k.v;
        p++;
        while (toks[p]?.t === "punct" && (toks[p] as { v: string }).v === "." && (toks[p + 1]?.t === "ident" || toks[p + 1]?.t === "num")) {
          const nx = toks[p + 1] as Tok;
          key += "." + (nx.t === "num" ? nx.raw : (nx as { v: string }).v);
          p += 2;
        }
      } else {
        key = k.v;
        p++;
      }
    } else if (first.t === "ident" || first.t === "qident") {
      key = first.v;
      p++;
      if (first.t === "ident") {
        while (toks[p]?.t === "punct" && (toks[p] as { v: string }).v === "." && toks[p + 1]?.t === "ident") {
          key += "." + (toks[p + 1] as { v: string }).v;
          p += 2;
        }
      }
      if (key.includes(".")) fail(filter, first.pos, `unknown identifier ${show(key)}: expected metrics., params., tags., attributes. or datasets.`);
    } else {
      fail(filter, first.pos, "expected an identifier such as metrics.rmse");
    }
    if (key.length === 0) fail(filter, first.pos, "empty key");

    // ---- comparator
    const c = peek();
    let comparator: Comparator;
    if (c?.t === "op") {
      comparator = c.v as Comparator;
      p++;
    } else if (kw(c, "LIKE")) { comparator = "LIKE"; p++; }
    else if (kw(c, "ILIKE")) { comparator = "ILIKE"; p++; }
    else if (kw(c, "IN")) { comparator = "IN"; p++; }
    else if (kw(c, "NOT") && kw(toks[p + 1], "IN")) { comparator = "NOT IN"; p += 2; }
    else if (kw(c, "IS") && kw(toks[p + 1], "NULL")) { comparator = "IS NULL"; p += 2; }
    else if (kw(c, "IS") && kw(toks[p + 1], "NOT") && kw(toks[p + 2], "NULL")) { comparator = "IS NOT NULL"; p += 3; }
    else fail(filter, c?.pos ?? end, `expected a comparator (= != < <= > >= LIKE ILIKE IN NOT IN IS NULL) after ${show(key)}`);

    // ---- value
    let value: Clause["value"];
    let quoted = false;
    if (comparator === "IS NULL" || comparator === "IS NOT NULL") {
      value = null;
    } else if (comparator === "IN" || comparator === "NOT IN") {
      const open = toks[p];
      if (!(open?.t === "punct" && open.v === "(")) fail(filter, open?.pos ?? end, `expected "(" after ${comparator}`);
      p++;
      const list: string[] = [];
      for (;;) {
        const v = toks[p];
        if (!v || v.t !== "str") fail(filter, v?.pos ?? end, `expected a quoted string in the ${comparator} list`);
        list.push(v.v);
        p++;
        const sep = toks[p];
        if (sep?.t === "punct" && sep.v === ",") { p++; continue; }
        if (sep?.t === "punct" && sep.v === ")") { p++; break; }
        fail(filter, sep?.pos ?? end, `expected "," or ")" in the ${comparator} list`);
      }
      value = list;
      quoted = true;
    } else {
      const v = toks[p];
      if (v?.t === "num") { value = v.v; p++; }
      else if (v?.t === "str") { value = v.v; quoted = true; p++; }
      else if (v?.t === "ident" && /^(nan|inf|infinity|-inf|-infinity)$/i.test(v.v)) {
        value = /nan/i.test(v.v) ? NaN : v.v.startsWith("-") ? -Infinity : Infinity;
        p++;
      } else fail(filter, v?.pos ?? end, `expected a value after ${show(key)} ${comparator}`);
    }
    clauses.push({ entity, key, comparator, value, quoted });
    if (clauses.length > SEARCH_LIMITS.maxClauses) {
      const total = 1 + toks.slice(p).filter((t) => kw(t, "AND")).length + SEARCH_LIMITS.maxClauses;
      throw new InvalidInputError(`filter has ${total} clauses: at most ${SEARCH_LIMITS.maxClauses} clauses joined by AND are allowed`, {
        path: "filter",
        expected: `≤ ${SEARCH_LIMITS.maxClauses} clauses`,
        received: total,
      });
    }

    // ---- AND or end
    const nx = toks[p];
    if (!nx) break;
    if (kw(nx, "AND")) { p++; continue; }
    if (kw(nx, "OR")) fail(filter, nx.pos, "OR is not supported (MLflow's grammar joins clauses with AND only)");
    fail(filter, nx.pos, `expected AND or the end of the filter, found ${show((nx as { v: unknown }).v)}`);
  }
  return clauses;
}

/** One order-by term of a search. */
export interface OrderTerm {
  entity: Entity;
  key: string;
  ascending: boolean;
}

/**
 * Parse MLflow order_by terms (`metrics.rmse ASC`, `attributes.start_time DESC`, `name`); the
 * direction defaults to ASC. Unprefixed names are attributes.
 * @example
 * ```ts
 * parseOrderBy(["metrics.rmse ASC", "attributes.start_time DESC"]);
 * ```
 */
export function parseOrderBy(terms: readonly string[] | undefined): OrderTerm[] {
  if (!terms) return [];
  if (!Array.isArray(terms)) throw new InvalidInputError(`order_by ${show(terms)} is not a list of strings`, { path: "order_by", received: terms });
  if (terms.length > SEARCH_LIMITS.maxOrderBy) {
    throw new InvalidInputError(`order_by has ${terms.length} terms: at most ${SEARCH_LIMITS.maxOrderBy} are allowed`, { path: "order_by", expected: `≤ ${SEARCH_LIMITS.maxOrderBy} terms`, received: terms.length });
  }
  const out: OrderTerm[] = [];
  for (const term of terms) {
    if (typeof term !== "string" || term.trim() === "") throw new InvalidInputError(`order_by term ${show(term)} is not valid: expected e.g. "metrics.rmse ASC"`, { path: "order_by", received: term });
    if (term.length > SEARCH_LIMITS.maxOrderByChars) {
      throw new InvalidInputError(`order_by term ${show(term, 60)} is ${term.length} characters long: at most ${SEARCH_LIMITS.maxOrderByChars} are allowed`, { path: "order_by", expected: `≤ ${SEARCH_LIMITS.maxOrderByChars} characters`, received: term.length });
    }
    let text = term.trim();
    let ascending = true;
    const dir = /\s+(ASC|DESC)$/i.exec(text);
    if (dir) {
      ascending = dir[1].toUpperCase() === "ASC";
      text = text.slice(0, dir.index).trim();
    }
    // reuse the filter parser for the identifier: "<ident> IS NULL" always parses
    let clause: Clause;
    try {
      [clause] = parseFilter(`${text} IS NULL`);
    } catch {
      throw new InvalidInputError(`order_by term ${show(term)} is not valid: expected "<entity>.<key> [ASC|DESC]"`, { path: "order_by", received: term });
    }
    out.push({ entity: clause.entity, key: clause.key, ascending });
  }
  return out;
}
