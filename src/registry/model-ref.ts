/**
 * Model references, as MLflow writes them: a model folder or archive on disk, or a registered
 * version — `models:/<name>@<alias>`, `models:/<name>/<version>`, `models:/<name>/latest` or
 * `models:/<name>/<stage>` — looked up in a registry and fetched to a local folder (used in place
 * when the version's files are on this machine). Every command that takes a model, and serving,
 * resolve models here.
 */
import { existsSync } from "node:fs";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { InvalidInputError, NotFoundError, UnsupportedError, show } from "../core/index.js";
import type { ArtifactStore } from "../backend/index.js";
import type { TrackingStore } from "../track/index.js";
import { type ModelVersion, STAGES } from "../wire/index.js";
import type { RegistryStore } from "./store.js";
import { canonicalStage, checkAlias, checkModelName } from "./validation.js";

/** A parsed model reference. */
export type ModelRef =
  | { kind: "path"; path: string }
  | { kind: "registry"; name: string; alias: string }
  | { kind: "registry"; name: string; version: string }
  | { kind: "registry"; name: string; latest: true; stage?: string };

const FORMS = "models:/<name>@<alias>, models:/<name>/<version>, models:/<name>/latest or models:/<name>/<stage>";

/**
 * Parse a model reference: anything not starting with `models:` is a path.
 *
 * @example
 * parseModelRef("models:/credit@champion"); // { kind: "registry", name: "credit", alias: "champion" }
 * parseModelRef("models:/credit/3");        // { kind: "registry", name: "credit", version: "3" }
 * parseModelRef("./credit-model");          // { kind: "path", path: "./credit-model" }
 */
export function parseModelRef(text: string): ModelRef {
  if (!/^models:/i.test(text)) return { kind: "path", path: text };
  const m = /^models:\/(.+?)(?:@([^/@]+)|\/([^/@]+))$/i.exec(text);
  const bad = () => new InvalidInputError(`model reference ${show(text)} is not valid: expected ${FORMS}`, { path: "model", expected: FORMS, received: text });
  if (!m) throw bad();
  const name = checkModelName(m[1]);
  if (m[2] !== undefined) return { kind: "registry", name, alias: checkAlias(m[2]) };
  const last = m[3];
  if (/^[1-9]\d*$/.test(last)) return { kind: "registry", name, version: last };
  if (last.toLowerCase() === "latest") return { kind: "registry", name, latest: true };
  if (STAGES.some((s) => s.toLowerCase() === last.toLowerCase())) return { kind: "registry", name, latest: true, stage: canonicalStage(last) };
  throw bad();
}

/**
 * The registered version a registry reference names (NOT_FOUND when it names none).
 * @example
 * ```ts
 * const ref = parseModelRef("models:/credit@champion");
 * if (ref.kind !== "path") console.log((await resolveModelVersion(ref, await openRegistry())).version);
 * ```
 */
export async function resolveModelVersion(ref: Exclude<ModelRef, { kind: "path" }>, registry: RegistryStore): Promise<ModelVersion> {
  if ("alias" in ref) return registry.getModelVersionByAlias(ref.name, ref.alias);
  if ("version" in ref) return registry.getModelVersion(ref.name, ref.version);
  const found = ref.stage ? await registry.getLatestVersions(ref.name, [ref.stage]) : (await registry.searchModelVersions({ filter: `name = '${ref.name.replace(/'/g, "''")}'`, orderBy: ["version_number DESC"], maxResults: 1 })).items;
  if (found.length === 0) throw new NotFoundError(`registered model ${show(ref.name)} has no version${ref.stage ? ` in stage ${ref.stage}` : ""}`, { path: "model", received: ref.name });
  return found[0];
}

/** A model on local disk, from `openModelRef`. */
export interface LocalModel {
  /** The model's folder (or archive file). */
  dir: string;
  /** The registered version, for registry references. */
  version: ModelVersion | null;
  /** Remove what was downloaded for this model (nothing for local files). */
  release(): Promise<void>;
}

/**
 * A version's source as a local path (a `file:` URI or a plain path), else null (a remote URI).
 * @example
 * ```ts
 * localModelDir("file:///srv/keel/artifacts/0/abc/artifacts/model"); // "/srv/keel/artifacts/0/abc/artifacts/model"
 * localModelDir("mlflow-artifacts:/0/abc/artifacts/model"); // null
 * ```
 */
export function localModelDir(source: string): string | null {
  if (/^file:/i.test(source)) return fileURLToPath(source);
  if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(source) || /^[a-zA-Z]:[\\/]/.test(source)) return source;
  return null;
}

/**
 * A model reference as a model on local disk: a path as it is; a registered version's folder when
 * its files are on this machine (and no `into` is asked for), else its files downloaded through the
 * tracking store's artifacts into `into` (kept) or a temporary folder (removed by `release`).
 *
 * @example
 * const m = await openModelRef("models:/credit@champion", { registry, tracking });
 * try { predictFrame(loadModel(m.dir), rows); } finally { await m.release(); }
 */
export async function openModelRef(text: string, stores: { registry: RegistryStore; tracking: TrackingStore } | null, options: { into?: string } = {}): Promise<LocalModel> {
  const ref = parseModelRef(text);
  const none = async () => undefined;
  if (ref.kind === "path") return { dir: ref.path, version: null, release: none };
  if (!stores) throw new InvalidInputError(`model reference ${show(text)} needs a registry (a store) to look it up in`, { path: "model", received: text });
  const version = await resolveModelVersion(ref, stores.registry);
  const local = localModelDir(version.source);
  if (local !== null && !options.into && existsSync(local)) return { dir: local, version, release: none };
  if (!version.runId) throw new UnsupportedError(`version ${version.version} of ${show(version.name)} is at ${show(version.source)}, which Keel cannot fetch without its run`, { path: "model", received: version.source });
  const run = await stores.tracking.getRun(version.runId);
  const root = run.info.artifactUri.replace(/\/+$/, "");
  if (!version.source.startsWith(`${root}/`)) throw new UnsupportedError(`version ${version.version} of ${show(version.name)} is at ${show(version.source)}, outside its run's artifacts`, { path: "model", received: version.source });
  const target = options.into ?? (await mkdtemp(path.join(os.tmpdir(), "keel-model-")));
  try {
    await download(stores.tracking.backend.artifacts, root, version.source.slice(root.length + 1), target);
  } catch (e) {
    if (!options.into) await rm(target, { recursive: true, force: true });
    throw e;
  }
  return { dir: target, version, release: options.into ? none : () => rm(target, { recursive: true, force: true }) };
}

async function download(artifacts: ArtifactStore, artifactUri: string, from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const e of await artifacts.list(artifactUri, from)) {
    const name = e.path.slice(e.path.lastIndexOf("/") + 1);
    if (e.isDir) await download(artifacts, artifactUri, e.path, path.join(to, name));
    else await writeFile(path.join(to, name), await artifacts.read(artifactUri, e.path));
  }
}
