/**
 * The model argument of every command that takes one: a model folder or archive, or a registered
 * version — `models:/<name>@<alias>`, `models:/<name>/<version>` — looked up in the registry of
 * `--store` (default as the other commands: `KEEL_STORE`, else `.keel/keel.db`).
 */
import type { Command } from "commander";
import type { Fitted } from "../../estimator/index.js";
import type { StoreFlags } from "./store-option.js";

/** What the model argument's help says. */
export const MODEL_ARGUMENT = "a model folder or archive (from `keel train --out`), or a registered version: models:/<name>@<alias>, models:/<name>/<version>";

/** Add `--store` for registry references (when the command has no store option yet). */
export function addModelStoreOption(cmd: Command): Command {
  return cmd.option("--store <url>", "the store models:/ references are looked up in: a SQLite path, postgres://... or a keel server URL (default: as keel models)");
}

/** Load the model `ref` names and run `fn` with it; a downloaded copy is removed afterwards. */
export async function withModel<T>(ref: string, flags: StoreFlags, fn: (model: Fitted) => Promise<T>): Promise<T> {
  const [{ openModelRef, parseModelRef }, { loadFitted }] = await Promise.all([import("../../registry/index.js"), import("../../pipeline/index.js")]);
  if (parseModelRef(ref).kind === "path") return fn(await loadFitted(ref));
  const { withRegistry } = await import("./store-option.js");
  const local = await withRegistry(flags, (registry, tracking) => openModelRef(ref, { registry, tracking }));
  try {
    return await fn(await loadFitted(local.dir));
  } finally {
    await local.release();
  }
}
