/**
 * The step cache behind `keel run`: each step's result is stored under the SHA-256 of its inputs
 * (data hash, config section, code version), so a second run with nothing changed reuses every
 * step and changing one model's parameters recomputes only that model. Entries are written to a
 * temporary folder and renamed into place, so a crash never leaves a half-written entry. Values
 * round-trip exactly (`cache-value.ts`): NaN, ±Infinity, −0 and typed arrays included.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type CacheValue, decodeCacheValue, encodeCacheValue } from "./cache-value.js";
import { stableStringify } from "./stable-json.js";

/** Bump when a step's stored shape changes, so old entries are not misread. */
export const CACHE_FORMAT = 2;

export class StepCache {
  constructor(readonly dir: string, private readonly codeVersion: string) {}

  /** The key of a step's inputs. */
  key(step: string, inputs: unknown): string {
    return createHash("sha256").update(stableStringify({ step, inputs, code: this.codeVersion, format: CACHE_FORMAT })).digest("hex");
  }

  /** The folder of an entry (it exists only after `put`). */
  entryDir(step: string, key: string): string {
    return path.join(this.dir, step.replace(/[^a-zA-Z0-9._-]/g, "_"), key);
  }

  has(step: string, key: string): boolean {
    return existsSync(path.join(this.entryDir(step, key), "value.json"));
  }

  /** The stored value, or undefined when absent or unreadable (a broken entry is a miss). */
  get(step: string, key: string): CacheValue | undefined {
    const dir = this.entryDir(step, key);
    const file = path.join(dir, "value.json");
    if (!existsSync(file)) return undefined;
    try {
      const blob = path.join(dir, "value.bin");
      return decodeCacheValue(readFileSync(file, "utf8"), existsSync(blob) ? readFileSync(blob) : null);
    } catch {
      return undefined;
    }
  }

  /**
   * Store a value, or what `write` returns after writing files into the entry's temporary folder
   * (e.g. a saved model); the entry appears atomically when everything is written. Returns the
   * entry's folder.
   */
  put(step: string, key: string, write: CacheValue | ((dir: string) => CacheValue)): string {
    const final = this.entryDir(step, key);
    const tmp = `${final}.tmp-${process.pid}-${Date.now()}`;
    mkdirSync(tmp, { recursive: true });
    try {
      const { json, blob } = encodeCacheValue(typeof write === "function" ? write(tmp) : write);
      if (blob) writeFileSync(path.join(tmp, "value.bin"), blob);
      writeFileSync(path.join(tmp, "value.json"), json);
      if (existsSync(final)) rmSync(final, { recursive: true, force: true });
      renameSync(tmp, final);
    } catch (e) {
      rmSync(tmp, { recursive: true, force: true });
      throw e;
    }
    return final;
  }
}
