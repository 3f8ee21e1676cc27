/** MLflow's ViewType from a request: by name, or by the proto's number (1, 2, 3). */
import { InvalidInputError, show } from "../core/index.js";
import type { ViewType } from "../wire/index.js";
import { z } from "zod";
import { type Fields, field } from "./fields.js";

const BY_NUMBER: Record<string, ViewType> = { "1": "ACTIVE_ONLY", "2": "DELETED_ONLY", "3": "ALL" };

/** The view-type field: a name, or the proto's number. */
export const viewTypeField = () => z.union([field.text(), z.int()], { error: "a view type (ACTIVE_ONLY, DELETED_ONLY, ALL or 1, 2, 3)" }).transform((v) => String(v));

export function viewType(f: Fields, name: string): ViewType | undefined {
  const v = f.string(name);
  if (v === undefined || v === "") return undefined;
  const t = BY_NUMBER[v] ?? v.toUpperCase();
  if (t !== "ACTIVE_ONLY" && t !== "DELETED_ONLY" && t !== "ALL") {
    throw new InvalidInputError(`parameter ${show(name)}: ${show(v)} is not a view type`, { path: name, expected: "ACTIVE_ONLY | DELETED_ONLY | ALL", received: v });
  }
  return t;
}
