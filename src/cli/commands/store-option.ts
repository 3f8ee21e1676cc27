/**
 * `--store URL` for the tracking and registry commands: a SQLite path, `postgres://...` or a
 * `keel server` URL (`http(s)://`, token from `KEEL_TOKEN`); default `defaultStoreUri()`
 * (`KEEL_STORE`, `MLFLOW_TRACKING_URI`, else `.keel/keel.db` in `KEEL_HOME` or the project). The
 * same command code then works against all three.
 */
import type { Command } from "commander";
import { type Backend, openBackend } from "../../backend/index.js";
import { show, DURATION_EXPECTED, durationMs } from "../../core/index.js";
import { jsonOption } from "../command.js";
import { UsageError } from "../exit-codes.js";
import { openRegistry, type RegistryStore } from "../../registry/index.js";
import { openStore, type TrackingStore } from "../../track/index.js";

export interface StoreFlags {
  store?: string;
  json?: boolean;
}

export function addStoreOption(cmd: Command): Command {
  cmd.option("--store <url>", "tracking store: a SQLite path, postgres://... or a keel server URL (default: $KEEL_STORE, else .keel/keel.db)");
  return jsonOption(cmd, "print JSON instead of a table");
}

/** Run `fn` with the store's backend, closing it afterwards. */
async function withBackend<T>(flags: StoreFlags, fn: (backend: Backend) => Promise<T>): Promise<T> {
  const backend = await openBackend(flags.store);
  try {
    return await fn(backend);
  } finally {
    await backend.close();
  }
}

/** Run `fn` with the tracking store, closing it afterwards. */
export function withStore<T>(flags: StoreFlags, fn: (store: TrackingStore) => Promise<T>): Promise<T> {
  return withBackend(flags, async (backend) => fn(await openStore(backend)));
}

/** Run `fn` with the registry and the tracking store (one backend), closing both afterwards. */
export function withRegistry<T>(flags: StoreFlags, fn: (registry: RegistryStore, store: TrackingStore) => Promise<T>): Promise<T> {
  return withBackend(flags, async (backend) => fn(await openRegistry(backend), await openStore(backend)));
}

/** An option's duration ("30d", "12h", "90m", "45s", "2w"; core's one grammar) in milliseconds; a usage error (exit 2) otherwise. */
export function parseDuration(text: string, option = "--older-than"): number {
  const ms = durationMs(text);
  if (ms === null) throw new UsageError(`${option} ${show(text)} is not ${DURATION_EXPECTED}`, { path: option, expected: DURATION_EXPECTED, received: text });
  return ms;
}

/** An epoch-ms time for tables: `2024-05-01 14:03` (UTC). */
export function when(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  return new Date(ms).toISOString().slice(0, 16).replace("T", " ");
}
