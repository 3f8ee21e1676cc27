/**
 * The code version in step-cache keys: Keel's version plus a hash of its own code (the compiled
 * `dist/` or, when running from source, `src/`), so any change to Keel — not only a release —
 * invalidates cached steps. Computed once per process (~10 ms).
 */
import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

export function codeVersion(keelVersion: string): string {
  if (cached) return cached;
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  const files = readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && /\.(js|ts)$/.test(d.name) && !d.name.endsWith(".d.ts"))
    .map((d) => path.join(d.parentPath, d.name))
    .sort();
  const h = createHash("sha256").update(keelVersion);
  for (const f of files) h.update(path.relative(root, f)).update("\0").update(readFileSync(f)).update("\0");
  cached = `${keelVersion}+${h.digest("hex").slice(0, 16)}`;
  return cached;
}
