/**
 * Artifact paths that cannot leave the run's folder: relative, "/"-separated, without `..`
 * segments, NUL bytes, drive letters or backslashes, and not touching Keel's reserved names
 * (`.keel-*`, where checksums and temporary files live).
 */
import { InvalidInputError, show } from "../../core/index.js";

export const RESERVED_PREFIX = ".keel-";

/**
 * Normalise an artifact path to its segments ("a//b/./c" → ["a", "b", "c"]); `allowRoot` lets
 * the empty path (the run's root) through. Throws `InvalidInputError` naming the path.
 * @example
 * ```ts
 * artifactSegments("model//./manifest.json"); // ["model", "manifest.json"]
 * ```
 */
export function artifactSegments(p: unknown, allowRoot = false): string[] {
  if (p === undefined || p === null || p === "") {
    if (allowRoot) return [];
    throw new InvalidInputError("artifact path is empty: expected a relative path such as \"model/manifest.json\"", { path: "artifact_path", received: p });
  }
  if (typeof p !== "string") throw new InvalidInputError(`artifact path ${show(p)} is not a string`, { path: "artifact_path", received: p });
  const bad = (why: string): never => {
    throw new InvalidInputError(`artifact path ${show(p)} is not allowed: ${why}`, { path: "artifact_path", expected: "a relative path inside the run's artifact folder", received: p });
  };
  if (p.includes("\0")) bad("it contains a NUL byte");
  if (p.includes("\\")) bad("it contains a backslash (use \"/\")");
  if (p.startsWith("/")) bad("it is absolute");
  if (/^[a-zA-Z]:/.test(p)) bad("it starts with a drive letter");
  const segments: string[] = [];
  for (const s of p.split("/")) {
    if (s === "" || s === ".") continue;
    if (s === "..") bad('it contains a ".." segment');
    segments.push(s);
  }
  if (segments.length === 0 && !allowRoot) bad("it names the run's root folder");
  if (segments.length > 0 && segments[0].startsWith(RESERVED_PREFIX)) bad(`names starting with "${RESERVED_PREFIX}" are reserved for Keel`);
  for (const s of segments) if (s.startsWith(`${RESERVED_PREFIX}tmp-`)) bad(`names starting with "${RESERVED_PREFIX}tmp-" are reserved for Keel`);
  return segments;
}
