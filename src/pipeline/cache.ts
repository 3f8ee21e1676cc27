/**
 * The step cache behind `keel run`: each step's result is stored under the SHA-256 of its inputs
 * (data hash, config section, code version), so a second run with nothing changed reuses every
 * step and changing one model's parameters recomputes only that model. Entries are written to a
 * temporary folder and renamed into place, so a crash never leaves a half-written entry.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Json } from "../core/observe.js";
import { stableStringify } from "./stable-json.js";

/** Bump when a step's stored shape changes, so old entries are not misread. */
export const CACHE_FORMAT = 1;

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
  get<T extends Json>(step: string, key: string): T | undefined {
    const file = path.join(this.entryDir(step, key), "value.json");
    if (!existsSync(file)) return undefined;
    try {
      return JSON.parse(readFileSync(file, "utf8")) as T;
    } catch {
      return undefined;
    }
  }

  /**
   * Store a value and optional files with it. `writeFiles` receives the entry's temporary folder
   * (e.g. to save a model there); the entry appears atomically when everything is written.
   */
  put(step: string, key: string, value: Json, writeFiles?: (dir: string) => void): string {
    const final = this.entryDir(step, key);
    const tmp = `${final}.tmp-${process.pid}-${Date.now()}`;
    mkdirSync(tmp, { recursive: true });
    try {
      writeFiles?.(tmp);
      writeFileSync(path.join(tmp, "value.json"), JSON.stringify(value));
      if (existsSync(final)) rmSync(final, { recursive: true, force: true });
      renameSync(tmp, final);
    } catch (e) {
      rmSync(tmp, { recursive: true, force: true });
      throw e;
    }
    return final;
  }
}
