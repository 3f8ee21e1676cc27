/**
 * `--store URL` for the tracking and registry commands: a SQLite path, `postgres://...` or a
 * `keel server` URL (`http(s)://`, token from `KEEL_TOKEN`); default `KEEL_STORE`, else the
 * project's `.keel/keel.db`. The same command code then works against all three.
 */
import type { Command } from "commander";
import { InvalidInputError, show } from "../../core/errors.js";
import { openRegistry, type RegistryStore } from "../../registry/index.js";
import "../../server/index.js"; // registers the http(s) registry client
import { openStore, type TrackingStore } from "../../track/index.js";
import "../../track/remote/index.js"; // registers the http(s) tracking store

export interface StoreFlags {
  store?: string;
  json?: boolean;
}

export function addStoreOption(cmd: Command): Command {
  return cmd.option("--store <url>", "tracking store: a SQLite path, postgres://... or a keel server URL (default: $KEEL_STORE, else .keel/keel.db)").option("--json", "print JSON instead of a table");
}

/** Run `fn` with the store (and the registry, when asked), closing both afterwards. */
export async function withStore<T>(flags: StoreFlags, fn: (store: TrackingStore) => Promise<T>): Promise<T> {
  const store = await openStore(flags.store);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export async function withRegistry<T>(flags: StoreFlags, fn: (registry: RegistryStore, store: TrackingStore) => Promise<T>): Promise<T> {
  return withStore(flags, async (store) => {
    const registry = await openRegistry(store);
    try {
      return await fn(registry, store);
    } finally {
      await registry.close();
    }
  });
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** "30d", "12h", "90m", "45s", "2w" → milliseconds. */
export function parseDuration(text: string, option = "--older-than"): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$/i.exec(text);
  if (!m) throw new InvalidInputError(`${option} ${show(text)} is not a duration: expected a number and a unit (s, m, h, d, w), e.g. 30d`, { path: option, expected: "e.g. 30d, 12h, 90m", received: text });
  return Math.round(Number(m[1]) * UNITS[m[2].toLowerCase()]);
}

/** An epoch-ms time for tables: `2024-05-01 14:03` (UTC). */
export function when(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  return new Date(ms).toISOString().slice(0, 16).replace("T", " ");
}
