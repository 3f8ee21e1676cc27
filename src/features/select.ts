/**
 * Which columns a column-wise transformer acts on: the ones named by `columns`, or else every
 * column of the given `kinds` (each transformer has its own default kinds). The target column
 * is never selected. Columns not selected pass through unchanged.
 */
import { z } from "zod";
import { InvalidInputError, show, type Json } from "../core/index.js";
import { COLUMN_KINDS, type ColumnKind, type Frame } from "../data/index.js";
import { type ParamDef, jsonParam } from "../estimator/index.js";

/** A list of column kinds, or null. */
export function checkKinds(v: Json): string | null {
  if (v === null) return null;
  if (Array.isArray(v) && v.every((k) => typeof k === "string" && (COLUMN_KINDS as readonly string[]).includes(k))) return null;
  return `null or a list of column kinds (${COLUMN_KINDS.join(", ")})`;
}

/** The `columns` and `kinds` parameters every column-wise transformer takes. */
export function selectionParams(defaultKinds: string): { columns: ParamDef; kinds: ParamDef } {
  return {
    columns: z.array(z.string()).nullable().default(null).describe("names of the columns to transform (null: every column of `kinds`)"),
    kinds: jsonParam(checkKinds).nullable().default(null).describe(`column kinds to transform when \`columns\` is null (null: ${defaultKinds})`),
  };
}

/**
 * The columns `kind` acts on in `data`: `params.columns` when given (each must exist, must not
 * be the target, and must have one of the `accepted` kinds), else the columns whose kind is in
 * `params.kinds` (or `defaultKinds`) and in `accepted`, in frame order.
 */
export function selectColumns(
  kind: string,
  data: Frame,
  params: Readonly<Record<string, Json>>,
  target: string | undefined,
  defaultKinds: readonly ColumnKind[],
  accepted: readonly ColumnKind[] = COLUMN_KINDS,
): string[] {
  const named = params.columns as readonly string[] | null;
  if (named) {
    const seen = new Set<string>();
    for (const name of named) {
      if (!data.has(name)) {
        throw new InvalidInputError(`${kind}: column ${show(name)} (in parameter "columns") is not in the data; columns are ${show(data.names, 200)}`, {
          path: `${kind}.columns`,
          expected: `one of ${data.names.join(", ")}`,
          received: name,
        });
      }
      if (name === target) {
        throw new InvalidInputError(`${kind}: column ${show(name)} is the target and cannot be transformed`, { path: `${kind}.columns`, expected: "a feature column", received: name });
      }
      const k = data.kind(name);
      if (!accepted.includes(k)) {
        throw new InvalidInputError(`${kind}: column ${show(name)} is ${k}; ${kind} takes ${accepted.join(" or ")} columns`, { path: name, expected: accepted.join(" | "), received: k });
      }
      if (seen.has(name)) throw new InvalidInputError(`${kind}: column ${show(name)} is listed twice in parameter "columns"`, { path: `${kind}.columns`, received: name });
      seen.add(name);
    }
    return [...named];
  }
  const given = params.kinds as ColumnKind[] | null;
  if (given) {
    const bad = given.find((k) => !accepted.includes(k));
    if (bad) throw new InvalidInputError(`${kind}: parameter "kinds" includes ${show(bad)}; ${kind} takes ${accepted.join(" or ")} columns`, { path: `${kind}.kinds`, expected: accepted.join(" | "), received: bad });
  }
  const kinds = given ?? defaultKinds.filter((k) => accepted.includes(k));
  return data.names.filter((n) => n !== target && kinds.includes(data.kind(n)));
}
