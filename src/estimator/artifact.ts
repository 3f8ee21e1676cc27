/**
 * Saved models (DESIGN "Core shapes"): a JSON manifest (format version, spec, signature, fitted
 * state, metadata such as metrics, lineage and the training-data profile) plus one binary blob
 * of typed buffers, 8-byte aligned and checksummed (SHA-256). As a directory: `manifest.json` +
 * `buffers.bin`; as one archive file: magic `KEELMDL1`, manifest length (u32 LE), manifest,
 * padding, buffers. Loading parses JSON and copies bytes; it never executes code. Bytes are a pure
 * function of the fitted state: no timestamps, so the same seed gives the same file.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { InvalidInputError, IoError, KeelError, NotFoundError, show } from "../core/errors.js";
import type { Json } from "../core/observe.js";
import { fittedFromArtifact } from "./define.js";
import type { Fitted, ModelArtifact, TypedArray } from "./types.js";

export const MODEL_FORMAT = "keel-model";
/** Current format version. Older versions must keep loading: add upgrade steps, never drop them. */
export const MODEL_FORMAT_VERSION = 1;
const MAGIC = "KEELMDL1";
/** A model directory's two files; no other module knows these names. */
const MANIFEST_FILE = "manifest.json";
const BUFFERS_FILE = "buffers.bin";

type DType = "f64" | "f32" | "i32" | "u32" | "i16" | "u16" | "i8" | "u8";
const CTORS: Record<DType, { new (buf: ArrayBuffer, off: number, len: number): TypedArray; BYTES_PER_ELEMENT: number }> = {
  f64: Float64Array, f32: Float32Array, i32: Int32Array, u32: Uint32Array, i16: Int16Array, u16: Uint16Array, i8: Int8Array, u8: Uint8Array,
};

function dtypeOf(a: TypedArray): DType {
  if (a instanceof Float64Array) return "f64";
  if (a instanceof Float32Array) return "f32";
  if (a instanceof Int32Array) return "i32";
  if (a instanceof Uint32Array) return "u32";
  if (a instanceof Int16Array) return "i16";
  if (a instanceof Uint16Array) return "u16";
  if (a instanceof Int8Array) return "i8";
  if (a instanceof Uint8Array) return "u8";
  throw new InvalidInputError(`unsupported buffer type ${(a as object).constructor?.name}`);
}

interface BufferRef { dtype: DType; offset: number; length: number }
interface ManifestNode {
  kind: string;
  params: Record<string, Json>;
  signature: Json;
  state: Record<string, Json>;
  buffers: Record<string, BufferRef>;
  children?: Record<string, ManifestNode>;
}

export interface Manifest {
  format: typeof MODEL_FORMAT;
  formatVersion: number;
  root: ManifestNode;
  /** Anything the caller attaches: metrics, lineage, training profile, description. */
  meta: Record<string, Json>;
  buffersBytes: number;
  buffersSha256: string;
}

/** An artifact as bytes: the manifest JSON and the buffer blob. */
export function encodeArtifact(artifact: ModelArtifact, meta: Record<string, Json> = {}): { manifest: Manifest; manifestJson: string; blob: Uint8Array } {
  const parts: { arr: TypedArray; offset: number }[] = [];
  let size = 0;
  const walk = (a: ModelArtifact, where: string): ManifestNode => {
    const buffers: Record<string, BufferRef> = {};
    for (const [name, arr] of Object.entries(a.buffers)) {
      if (!ArrayBuffer.isView(arr)) throw new InvalidInputError(`artifact ${where}: buffer ${show(name)} is not a typed array`);
      size = Math.ceil(size / 8) * 8;
      buffers[name] = { dtype: dtypeOf(arr), offset: size, length: arr.length };
      parts.push({ arr, offset: size });
      size += arr.byteLength;
    }
    const node: ManifestNode = { kind: a.kind, params: a.params, signature: a.signature as unknown as Json, state: a.state, buffers };
    if (a.children && Object.keys(a.children).length > 0) {
      node.children = {};
      for (const [name, child] of Object.entries(a.children)) node.children[name] = walk(child, `${where}/${name}`);
    }
    return node;
  };
  const root = walk(artifact, artifact.kind);
  size = Math.ceil(size / 8) * 8;
  const blob = new Uint8Array(size);
  for (const { arr, offset } of parts) blob.set(new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength), offset);
  const manifest: Manifest = {
    format: MODEL_FORMAT,
    formatVersion: MODEL_FORMAT_VERSION,
    root,
    meta,
    buffersBytes: size,
    buffersSha256: createHash("sha256").update(blob).digest("hex"),
  };
  return { manifest, manifestJson: JSON.stringify(manifest, null, 1), blob };
}

/** Rebuild an artifact from a manifest and its blob; checks format, version and checksum. */
export function decodeArtifact(manifestValue: unknown, blob: Uint8Array, where = "model"): { artifact: ModelArtifact; manifest: Manifest } {
  const m = manifestValue as Manifest;
  if (!m || typeof m !== "object" || m.format !== MODEL_FORMAT) {
    throw new InvalidInputError(`${where} is not a Keel model (manifest format is ${show((m as Manifest | null)?.format)})`, { path: where, expected: MODEL_FORMAT, received: (m as Manifest | null)?.format });
  }
  if (!Number.isInteger(m.formatVersion) || m.formatVersion < 1 || m.formatVersion > MODEL_FORMAT_VERSION) {
    throw new InvalidInputError(`${where} has model format version ${show(m.formatVersion)}; this Keel reads versions 1 to ${MODEL_FORMAT_VERSION} (upgrade Keel to load it)`, {
      path: `${where}/formatVersion`,
      expected: `1..${MODEL_FORMAT_VERSION}`,
      received: m.formatVersion,
    });
  }
  if (blob.length !== m.buffersBytes) {
    throw new InvalidInputError(`${where} is corrupt: buffers hold ${blob.length} bytes, the manifest says ${m.buffersBytes}`, { path: where, expected: `${m.buffersBytes} bytes`, received: blob.length });
  }
  const sha = createHash("sha256").update(blob).digest("hex");
  if (sha !== m.buffersSha256) {
    throw new InvalidInputError(`${where} is corrupt: buffer checksum ${sha.slice(0, 12)}… does not match the manifest's ${String(m.buffersSha256).slice(0, 12)}…`, { path: where, expected: m.buffersSha256, received: sha });
  }
  // one aligned copy of the blob; buffers are views into it
  const own = new ArrayBuffer(blob.length);
  new Uint8Array(own).set(blob);
  const walk = (n: ManifestNode, at: string): ModelArtifact => {
    if (!n || typeof n.kind !== "string" || typeof n.buffers !== "object") throw new InvalidInputError(`${where} is corrupt: bad manifest node at ${at}`, { path: at });
    const buffers: Record<string, TypedArray> = {};
    for (const [name, ref] of Object.entries(n.buffers)) {
      const C = CTORS[ref.dtype];
      if (!C || ref.offset % 8 !== 0 || ref.offset + ref.length * C.BYTES_PER_ELEMENT > blob.length) {
        throw new InvalidInputError(`${where} is corrupt: buffer ${show(name)} at ${at} is out of bounds`, { path: `${at}/${name}` });
      }
      buffers[name] = new C(own, ref.offset, ref.length);
    }
    const a: ModelArtifact = { kind: n.kind, params: n.params, signature: n.signature as never, state: n.state ?? {}, buffers };
    if (n.children) {
      a.children = {};
      for (const [name, c] of Object.entries(n.children)) a.children[name] = walk(c, `${at}/${name}`);
    }
    return a;
  };
  return { artifact: walk(m.root, m.root?.kind ?? "root"), manifest: m };
}

/** The archive form: one file (or buffer) holding manifest and buffers. */
export function artifactToBytes(artifact: ModelArtifact, meta: Record<string, Json> = {}): Uint8Array {
  const { manifestJson, blob } = encodeArtifact(artifact, meta);
  const mbytes = Buffer.from(manifestJson, "utf8");
  const head = 8 + 4 + mbytes.length;
  const start = Math.ceil(head / 8) * 8;
  const out = new Uint8Array(start + blob.length);
  out.set(Buffer.from(MAGIC, "latin1"), 0);
  new DataView(out.buffer).setUint32(8, mbytes.length, true);
  out.set(mbytes, 12);
  out.set(blob, start);
  return out;
}

export function artifactFromBytes(bytes: Uint8Array, where = "model"): { artifact: ModelArtifact; manifest: Manifest } {
  if (bytes.length < 12 || Buffer.from(bytes.subarray(0, 8)).toString("latin1") !== MAGIC) {
    throw new InvalidInputError(`${where} is not a Keel model archive (no ${MAGIC} header)`, { path: where, expected: "a Keel model archive or directory" });
  }
  const len = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true);
  if (12 + len > bytes.length) throw new InvalidInputError(`${where} is corrupt: truncated manifest`, { path: where });
  let manifest: unknown;
  try {
    manifest = JSON.parse(Buffer.from(bytes.subarray(12, 12 + len)).toString("utf8"));
  } catch {
    throw new InvalidInputError(`${where} is corrupt: the manifest is not valid JSON`, { path: where });
  }
  const start = Math.ceil((12 + len) / 8) * 8;
  return decodeArtifact(manifest, bytes.subarray(start), where);
}

export interface SaveOptions {
  /** "dir" (default): manifest.json + buffers.bin in a folder; "archive": one file. */
  format?: "dir" | "archive";
  meta?: Record<string, Json>;
}

/**
 * Save a fitted estimator. Writes into a temporary sibling first and renames it into place,
 * so a failed save never leaves a half-written model.
 */
export function saveModel(fitted: Fitted | ModelArtifact, target: string, options: SaveOptions = {}): void {
  const artifact = "save" in fitted ? fitted.save() : fitted;
  const tmp = `${target}.tmp-${process.pid}-${Date.now()}`;
  try {
    mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
    if (options.format === "archive") {
      writeFileSync(tmp, artifactToBytes(artifact, options.meta));
    } else {
      const { manifestJson, blob } = encodeArtifact(artifact, options.meta);
      mkdirSync(tmp);
      writeFileSync(path.join(tmp, BUFFERS_FILE), blob);
      writeFileSync(path.join(tmp, MANIFEST_FILE), manifestJson + "\n");
    }
    if (existsSync(target)) rmSync(target, { recursive: true, force: true });
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    if (e instanceof KeelError) throw e;
    throw new IoError(`cannot save model to ${show(target)}: ${(e as Error).message}`, { path: target, cause: e });
  }
}

/** Read a saved model's artifact and manifest (directory or archive) without building it. */
export function readArtifact(source: string): { artifact: ModelArtifact; manifest: Manifest } {
  if (!existsSync(source)) throw new NotFoundError(`model ${show(source)} does not exist`, { path: source, expected: "a model directory or archive file" });
  if (statSync(source).isDirectory()) {
    const mpath = path.join(source, MANIFEST_FILE);
    if (!existsSync(mpath)) throw new InvalidInputError(`${show(source)} is not a Keel model: it has no ${MANIFEST_FILE}`, { path: source, expected: `a directory with ${MANIFEST_FILE} and ${BUFFERS_FILE}` });
    let manifest: unknown;
    try {
      manifest = JSON.parse(readFileSync(mpath, "utf8"));
    } catch {
      throw new InvalidInputError(`${show(mpath)} is corrupt: not valid JSON`, { path: mpath, expected: "a JSON manifest" });
    }
    const bpath = path.join(source, BUFFERS_FILE);
    const blob = existsSync(bpath) ? new Uint8Array(readFileSync(bpath)) : new Uint8Array(0);
    return decodeArtifact(manifest, blob, source);
  }
  return artifactFromBytes(new Uint8Array(readFileSync(source)), source);
}

/**
 * SHA-256 (hex) of a saved model's bytes — manifest and buffers of a directory, the file of an
 * archive — so two saves of the same fitted state have the same hash (e.g. to tell a re-run that
 * produced the same model from a new one).
 */
export function savedModelHash(source: string): string {
  if (!existsSync(source)) throw new NotFoundError(`model ${show(source)} does not exist`, { path: source, expected: "a model directory or archive file" });
  const h = createHash("sha256");
  if (!statSync(source).isDirectory()) return h.update(readFileSync(source)).digest("hex");
  h.update(readFileSync(path.join(source, MANIFEST_FILE)));
  const blob = path.join(source, BUFFERS_FILE);
  if (existsSync(blob)) h.update(readFileSync(blob));
  return h.digest("hex");
}

/** Load a saved model (directory or archive). Unknown kinds and corrupt files are clear errors. */
export function loadModel<F extends Fitted = Fitted>(source: string): F {
  return fittedFromArtifact(readArtifact(source).artifact) as F;
}

/** Round trip through bytes, in memory (for tests and workers). */
export function cloneFitted<F extends Fitted>(fitted: F): F {
  return fittedFromArtifact(artifactFromBytes(artifactToBytes(fitted.save())).artifact) as F;
}
