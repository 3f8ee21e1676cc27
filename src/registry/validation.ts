/** Checks on registry names, versions, aliases, stages and audit actors, with MLflow's rules. */
import os from "node:os";
import { InvalidInputError, show } from "../core/index.js";
import { STAGES, type Stage } from "../wire/index.js";

/**
 * A registered model name: 1 to 500 characters, no NUL.
 * @example
 * ```ts
 * checkModelName("credit"); // "credit"
 * ```
 */
export function checkModelName(name: unknown): string {
  if (typeof name !== "string" || name.trim().length === 0 || name.length > 500 || name.includes("\0")) {
    throw new InvalidInputError(`registered model name ${show(name)} is not valid: expected a non-empty string of at most 500 characters`, { path: "name", expected: "a non-empty string", received: name });
  }
  return name;
}

/**
 * A version: a positive decimal integer (string or number) → the number.
 * @example
 * ```ts
 * checkVersion("3"); // 3
 * ```
 */
export function checkVersion(version: unknown): number {
  const s = typeof version === "number" ? String(version) : version;
  if (typeof s !== "string" || !/^[1-9]\d{0,15}$/.test(s)) {
    throw new InvalidInputError(`model version ${show(version)} is not valid: expected a positive integer such as "3"`, { path: "version", expected: "a positive integer", received: version });
  }
  return Number(s);
}

/**
 * An alias: letters, digits, `_` and `-`, at most 255 characters; not "latest" and not
 * `v<digits>` (both reserved, as in MLflow, for version references).
 * @example
 * ```ts
 * checkAlias("champion"); // "champion"; checkAlias("latest") throws
 * ```
 */
export function checkAlias(alias: unknown): string {
  if (typeof alias !== "string" || !/^[A-Za-z0-9_-]{1,255}$/.test(alias)) {
    throw new InvalidInputError(`alias ${show(alias)} is not valid: expected 1 to 255 letters, digits, "_" or "-"`, { path: "alias", expected: "[A-Za-z0-9_-]{1,255}", received: alias });
  }
  if (alias.toLowerCase() === "latest" || /^v\d+$/i.test(alias)) {
    throw new InvalidInputError(`alias ${show(alias)} is reserved (\"latest\" and \"v<number>\" name versions)`, { path: "alias", received: alias });
  }
  return alias;
}

/**
 * "production" → "Production"; rejects anything but None, Staging, Production, Archived.
 * @example
 * ```ts
 * canonicalStage("production"); // "Production"
 * ```
 */
export function canonicalStage(stage: unknown): Stage {
  const found = typeof stage === "string" ? STAGES.find((s) => s.toLowerCase() === stage.trim().toLowerCase()) : undefined;
  if (!found) throw new InvalidInputError(`stage ${show(stage)} is not valid`, { path: "stage", expected: STAGES.join(" | "), received: stage });
  return found;
}

/** Who a registry change is by when the caller names nobody: `$KEEL_ACTOR`, else the OS user. */
export function defaultActor(): string {
  const env = process.env.KEEL_ACTOR?.trim();
  if (env) return env;
  try {
    return os.userInfo().username || "unknown";
  } catch {
    return "unknown";
  }
}

/** An audit-log actor: 1 to 256 characters. */
export function checkActor(actor: unknown): string {
  if (typeof actor !== "string" || actor.length === 0 || actor.length > 256) throw new InvalidInputError(`actor ${show(actor)} is not valid: expected 1 to 256 characters`, { path: "actor", received: actor });
  return actor;
}
