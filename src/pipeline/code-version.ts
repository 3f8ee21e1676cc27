/**
 * The code version in step-cache keys: Keel's version plus a hash of its own code (the compiled
 * `dist/` or, when running from source, `src/`), so any change to Keel — not only a release —
 * invalidates cached steps. Hashing every file costs ~100 ms, so the result is remembered in
 * `memo` (a file in the cache folder) under a stamp of the files' names, sizes and modification
 * times, and recomputed only when that stamp changes. Computed once per process.
 */
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

export function codeVersion(keelVersion: string, memo?: string): string {
  if (cached) return cached;
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  const files = readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && /\.(js|ts)$/.test(d.name) && !d.name.endsWith(".d.ts"))
    .map((d) => path.join(d.parentPath, d.name))
    .sort();
  const stamp = createHash("sha256").update(keelVersion);
  for (const f of files) {
    const s = statSync(f);
    stamp.update(`${path.relative(root, f)}\0${s.size}\0${s.mtimeMs}\0`);
  }
  const key = stamp.digest("hex");
  try {
    const m = memo ? (JSON.parse(readFileSync(memo, "utf8")) as { stamp?: string; version?: string }) : {};
    if (m.stamp === key && typeof m.version === "string") return (cached = m.version);
  } catch {
    // no memo yet, or unreadable: compute
  }
  const h = createHash("sha256").update(keelVersion);
  for (const f of files) h.update(path.relative(root, f)).update("\0").update(readFileSync(f)).update("\0");
  cached = `${keelVersion}+${h.digest("hex").slice(0, 16)}`;
  if (memo) {
    try {
      writeFileSync(memo, JSON.stringify({ stamp: key, version: cached }));
    } catch {
      // a read-only cache folder only costs the next run the hashing
    }
  }
  return cached;
}
