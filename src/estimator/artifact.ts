/**
 * Saved models (DESIGN "Core shapes"): a JSON manifest (format version, spec, signature, fitted
 * state, metadata such as metrics, lineage and the training-data profile) plus one binary blob
 * of typed buffers, 8-byte aligned. As a directory: `manifest.json` + `buffers.bin`; as one
 * archive file: magic `KEELMDL1`, manifest length (u32 LE), manifest, padding, buffers. Loading
 * parses JSON and copies bytes; it never executes code. Bytes are a pure function of the fitted
 * state: no timestamps, so the same seed gives the same file. This module is the only one that
 * knows the layout.
 *
 * **Seal (format version 2).** The manifest's `seal.sha256` is SHA-256 over
 * `"keel-model-seal/2\n" ‖ canonical(manifest without "seal") ‖ "\n" ‖ buffers`, where
 * `canonical` is the JSON Canonicalization Scheme (RFC 8785: object keys sorted by UTF-16 code
 * units, no whitespace, ECMAScript number and string forms) of the parsed manifest. It covers
 * every field and every buffer byte, so a corrupted or hand-edited file is refused; whitespace and
 * key order of `manifest.json` do not matter. When a key is given (`KEEL_MODEL_KEY`, or
 * `options.key`), `seal.hmacSha256` is HMAC-SHA256 with that key over the same bytes: saving signs,
 * and loading with a key refuses a model whose signature is missing or wrong (deliberate
 * tampering by someone without the key).
 *
 * **Validation.** Before any buffer is copied, the manifest is checked field by field (format and
 * version, node shape, estimator kinds, signatures, dtypes from a closed set, offsets and lengths
 * inside buffers.bin's real size, buffers tiling the blob exactly as the writer lays them out);
 * then each kind's `load` checks sizes against the model's own shape. Version 1 files (no seal,
 * a checksum of the buffers only) get the same validation. Every failure is a `CorruptModelError`
 * (code `CORRUPT_MODEL`) naming the file and the field.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CorruptModelError, InvalidInputError, IoError, KeelError, NotFoundError, show, type Json } from "../core/index.js";
import { COLUMN_KINDS } from "../data/index.js";
import { fittedFromArtifact } from "./define.js";
import { estimatorDefinitions, knownKindsText } from "./registry.js";
import type { Fitted, ModelArtifact, TypedArray } from "./types.js";

/** The `format` field of every saved model's manifest. */
export const MODEL_FORMAT = "keel-model";
/** Current format version (2: sealed manifest). Older versions keep loading: add upgrade steps, never drop them. */
export const MODEL_FORMAT_VERSION = 2;
const MAGIC = "KEELMDL1";
/** A model directory's two files; no other module knows these names. */
const MANIFEST_FILE = "manifest.json";
const BUFFERS_FILE = "buffers.bin";
/** The environment variable holding the signing key. */
export const MODEL_KEY_ENV = "KEEL_MODEL_KEY";
const SEAL_DOMAIN = "keel-model-seal/2\n";
/** Nesting depth of estimators (pipelines of column transformers of ...) a manifest may have. */
const MAX_DEPTH = 32;
/** Largest manifest accepted (bytes): far above any real one, far below memory trouble. */
const MAX_MANIFEST_BYTES = 256 * 1024 * 1024;

type DType = "f64" | "f32" | "i32" | "u32" | "i16" | "u16" | "i8" | "u8";
const CTORS: Record<DType, { new (buf: ArrayBuffer, off: number, len: number): TypedArray; BYTES_PER_ELEMENT: number }> = {
  f64: Float64Array, f32: Float32Array, i32: Int32Array, u32: Uint32Array, i16: Int16Array, u16: Uint16Array, i8: Int8Array, u8: Uint8Array,
};
const DTYPES = Object.keys(CTORS) as DType[];

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

/** `seal` of a version-2 manifest (see the module comment). */
export interface ModelSeal {
  sha256: string;
  /** Present when the model was saved with a key. */
  hmacSha256?: string;
}

/** A saved model's `manifest.json`: the artifact tree with its buffers' places, the caller's `meta`, and the seal. */
export interface Manifest {
  format: typeof MODEL_FORMAT;
  formatVersion: number;
  root: ManifestNode;
  /** Anything the caller attaches: metrics, lineage, training profile, description. */
  meta: Record<string, Json>;
  buffersBytes: number;
  /** Version 1 only: SHA-256 of the buffers. */
  buffersSha256?: string;
  /** Version 2: checksum (and signature) over the whole artifact. */
  seal?: ModelSeal;
}

/** Options of saving and loading: the signing key (default: `KEEL_MODEL_KEY`, when set and not empty). */
export interface KeyOptions {
  key?: string | Uint8Array | null;
}

function keyOf(options: KeyOptions): Uint8Array | null {
  const k = options.key === undefined ? process.env[MODEL_KEY_ENV] : options.key;
  if (k === null || k === undefined || k.length === 0) return null;
  return typeof k === "string" ? Buffer.from(k, "utf8") : k;
}

/**
 * JSON Canonicalization Scheme (RFC 8785) of a parsed JSON value: keys sorted by UTF-16 code
 * units, no whitespace; numbers and strings as ECMAScript's `JSON.stringify` writes them.
 * @example
 * ```ts
 * canonicalJson({ b: 1, a: [true, "x"] }); // '{"a":[true,"x"],"b":1}'
 * ```
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(",")}}`;
}

function sealBytes(manifest: object, blob: Uint8Array): Buffer[] {
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(manifest)) if (k !== "seal") rest[k] = v;
  return [Buffer.from(SEAL_DOMAIN + canonicalJson(rest) + "\n", "utf8"), Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength)];
}

/**
 * The seal of a manifest (its `seal` field ignored) and its buffers; signed when `key` is given.
 * @example
 * ```ts
 * const { manifest, blob } = encodeArtifact(model.save());
 * const seal = computeSeal(manifest, blob);
 * ```
 */
export function computeSeal(manifest: object, blob: Uint8Array, key: Uint8Array | null = null): ModelSeal {
  const parts = sealBytes(manifest, blob);
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  const seal: ModelSeal = { sha256: h.digest("hex") };
  if (key) {
    const m = createHmac("sha256", key);
    for (const p of parts) m.update(p);
    seal.hmacSha256 = m.digest("hex");
  }
  return seal;
}

/**
 * An artifact as bytes: the manifest JSON and the buffer blob, sealed (and signed when a key is set).
 * @example
 * ```ts
 * const { manifestJson, blob } = encodeArtifact(model.save(), { description: "credit scorer" });
 * ```
 */
export function encodeArtifact(artifact: ModelArtifact, meta: Record<string, Json> = {}, options: KeyOptions = {}): { manifest: Manifest; manifestJson: string; blob: Uint8Array } {
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
  // through JSON once, so the seal covers exactly what a reader parses (undefined fields dropped, -0 → 0)
  const unsealed = JSON.parse(JSON.stringify({ format: MODEL_FORMAT, formatVersion: MODEL_FORMAT_VERSION, root, meta, buffersBytes: size })) as Manifest;
  const manifest: Manifest = { ...unsealed, seal: computeSeal(unsealed, blob, keyOf(options)) };
  return { manifest, manifestJson: JSON.stringify(manifest, null, 1), blob };
}

/** Where a model's fields live, for error messages. */
interface Where {
  /** The model as the user named it. */
  model: string;
  /** The file holding the manifest (the archive itself for archives). */
  manifestFile: string;
  /** The file holding the buffers. */
  buffersFile: string;
}

function whereOf(source: string, dir: boolean): Where {
  return dir ? { model: source, manifestFile: path.join(source, MANIFEST_FILE), buffersFile: path.join(source, BUFFERS_FILE) } : { model: source, manifestFile: source, buffersFile: source };
}

function corrupt(file: string, field: string, value: unknown, expected: string, detail = ""): CorruptModelError {
  return new CorruptModelError(`corrupt model ${show(file, 200)}: ${field} is ${show(value)}, expected ${expected}${detail ? ` (${detail})` : ""}`, { path: field, expected, received: value });
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

function checkKeys(file: string, at: string, obj: Record<string, unknown>, required: readonly string[], optional: readonly string[] = []): void {
  for (const k of required) if (!(k in obj)) throw corrupt(file, `${at}.${k}`, undefined, "a value (the field is required)");
  for (const k of Object.keys(obj)) if (!required.includes(k) && !optional.includes(k)) throw corrupt(file, at ? `${at}.${k}` : k, obj[k], `no such field (${at || "the manifest"} has ${[...required, ...optional].join(", ")})`);
}

function checkSignatureColumns(file: string, at: string, cols: unknown): void {
  if (!Array.isArray(cols)) throw corrupt(file, at, cols, "a list of columns");
  const seen = new Set<string>();
  cols.forEach((c, i) => {
    const here = `${at}[${i}]`;
    if (!isObject(c)) throw corrupt(file, here, c, "a column { name, kind }");
    checkKeys(file, here, c, ["name", "kind"], ["categories"]);
    if (typeof c.name !== "string") throw corrupt(file, `${here}.name`, c.name, "a string");
    if (seen.has(c.name)) throw corrupt(file, `${here}.name`, c.name, "a name not used by another column");
    seen.add(c.name);
    if (!COLUMN_KINDS.includes(c.kind as never)) throw corrupt(file, `${here}.kind`, c.kind, COLUMN_KINDS.join(" | "));
    if (c.categories !== undefined && !(Array.isArray(c.categories) && c.categories.every((x) => typeof x === "string"))) throw corrupt(file, `${here}.categories`, c.categories, "a list of strings");
  });
}

function checkSignature(file: string, at: string, sig: unknown, role: string | undefined): void {
  if (!isObject(sig)) throw corrupt(file, at, sig, "a signature { inputs, output }");
  checkKeys(file, at, sig, ["inputs", "output"]);
  checkSignatureColumns(file, `${at}.inputs`, sig.inputs);
  const out = sig.output;
  const here = `${at}.output`;
  if (!isObject(out)) throw corrupt(file, here, out, "an output { type, ... }");
  const want = role === undefined ? out.type : role === "classifier" ? "classification" : role === "regressor" ? "regression" : "frame";
  if (want !== "classification" && want !== "regression" && want !== "frame") throw corrupt(file, `${here}.type`, out.type, `"classification" | "regression" | "frame"`);
  if (out.type !== want) throw corrupt(file, `${here}.type`, out.type, `${show(want)} (the estimator is a ${role})`);
  if (want === "frame") {
    checkKeys(file, here, out, ["type", "columns"]);
    checkSignatureColumns(file, `${here}.columns`, out.columns);
    return;
  }
  checkKeys(file, here, out, want === "classification" ? ["type", "target", "classes"] : ["type", "target"]);
  if (typeof out.target !== "string") throw corrupt(file, `${here}.target`, out.target, "a column name");
  if (want === "classification") {
    const cl = out.classes;
    if (!Array.isArray(cl) || cl.length < 1 || !cl.every((x) => typeof x === "string") || new Set(cl).size !== cl.length) {
      throw corrupt(file, `${here}.classes`, cl, "a list of distinct class labels");
    }
  }
}

/**
 * Check a parsed manifest against the size of its buffers before anything is allocated: every
 * field's type, the estimator kinds, the signatures, and that the buffers tile `blobBytes`
 * exactly as the writer lays them out (in offset order, each 8-byte aligned, no gaps beyond
 * alignment, no overlap). Throws a `CorruptModelError` naming the file and the field.
 * @example
 * ```ts
 * const manifest = validateManifest(JSON.parse(readFileSync("model/manifest.json", "utf8")), statSync("model/buffers.bin").size, "model");
 * ```
 */
export function validateManifest(value: unknown, blobBytes: number, file = "model", knownKinds = true): Manifest {
  validateEnvelope(value, file);
  const manifest = value as Record<string, unknown>;
  return validateBody(manifest, blobBytes, file, knownKinds);
}

/** The fields the integrity check needs: an object of the Keel format, a known version, its seal's shape. */
function validateEnvelope(value: unknown, file: string): asserts value is Record<string, unknown> {
  if (!isObject(value)) throw corrupt(file, "(manifest)", typeof value, "a JSON object");
  if (value.format !== MODEL_FORMAT) {
    throw new CorruptModelError(`${show(file, 200)} is not a Keel model: format is ${show(value.format)}, expected ${show(MODEL_FORMAT)}`, { path: "format", expected: MODEL_FORMAT, received: value.format });
  }
  const v = value.formatVersion;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1) throw corrupt(file, "formatVersion", v, `an integer from 1 to ${MODEL_FORMAT_VERSION}`);
  if (v > MODEL_FORMAT_VERSION) {
    throw new CorruptModelError(`${show(file, 200)} has model format version ${v}; this Keel reads versions 1 to ${MODEL_FORMAT_VERSION} (upgrade Keel to load it)`, {
      path: "formatVersion",
      expected: `1..${MODEL_FORMAT_VERSION}`,
      received: v,
    });
  }
  if (v === 1) {
    if (typeof value.buffersSha256 !== "string" || !/^[0-9a-f]{64}$/.test(value.buffersSha256)) throw corrupt(file, "buffersSha256", value.buffersSha256, "64 hex digits");
  } else {
    const seal = value.seal;
    if (!isObject(seal)) throw corrupt(file, "seal", seal, "an object { sha256, hmacSha256? }");
    checkKeys(file, "seal", seal, ["sha256"], ["hmacSha256"]);
    if (typeof seal.sha256 !== "string" || !/^[0-9a-f]{64}$/.test(seal.sha256)) throw corrupt(file, "seal.sha256", seal.sha256, "64 hex digits");
    if (seal.hmacSha256 !== undefined && (typeof seal.hmacSha256 !== "string" || !/^[0-9a-f]{64}$/.test(seal.hmacSha256))) throw corrupt(file, "seal.hmacSha256", seal.hmacSha256, "64 hex digits");
  }
}

function validateBody(value: Record<string, unknown>, blobBytes: number, file: string, knownKinds: boolean): Manifest {
  checkKeys(file, "", value, ["format", "formatVersion", "root", "meta", "buffersBytes", value.formatVersion === 1 ? "buffersSha256" : "seal"]);
  if (!isObject(value.meta)) throw corrupt(file, "meta", value.meta, "an object");
  const bytes = value.buffersBytes;
  if (typeof bytes !== "number" || !Number.isInteger(bytes) || bytes < 0 || bytes % 8 !== 0) throw corrupt(file, "buffersBytes", bytes, "a whole number of 8-byte words");
  if (bytes !== blobBytes) throw corrupt(file, "buffersBytes", bytes, `${blobBytes}, the size of the buffers`);
  const roles = new Map(estimatorDefinitions().map((d) => [d.kind, d.role]));
  const refs: { at: string; offset: number; bytes: number }[] = [];
  const walk = (n: unknown, at: string, depth: number): void => {
    if (depth > MAX_DEPTH) throw corrupt(file, at, "(nested deeper)", `at most ${MAX_DEPTH} levels of nested estimators`);
    if (!isObject(n)) throw corrupt(file, at, n, "an estimator node { kind, params, signature, state, buffers }");
    checkKeys(file, at, n, ["kind", "params", "signature", "state", "buffers"], ["children"]);
    const role = typeof n.kind === "string" ? roles.get(n.kind) : undefined;
    if (typeof n.kind !== "string" || n.kind === "") throw corrupt(file, `${at}.kind`, n.kind, "an estimator kind");
    if (role === undefined && knownKinds) throw corrupt(file, `${at}.kind`, n.kind, "a known estimator kind", knownKindsText());
    if (!isObject(n.params)) throw corrupt(file, `${at}.params`, n.params, "an object");
    if (!isObject(n.state)) throw corrupt(file, `${at}.state`, n.state, "an object");
    checkSignature(file, `${at}.signature`, n.signature, role);
    if (!isObject(n.buffers)) throw corrupt(file, `${at}.buffers`, n.buffers, "an object of { dtype, offset, length }");
    for (const [name, ref] of Object.entries(n.buffers)) {
      const here = `${at}.buffers.${name}`;
      if (!isObject(ref)) throw corrupt(file, here, ref, "{ dtype, offset, length }");
      checkKeys(file, here, ref, ["dtype", "offset", "length"]);
      if (typeof ref.dtype !== "string" || !DTYPES.includes(ref.dtype as DType)) throw corrupt(file, `${here}.dtype`, ref.dtype, DTYPES.join(" | "));
      const size = CTORS[ref.dtype as DType].BYTES_PER_ELEMENT;
      const { offset, length } = ref;
      if (typeof offset !== "number" || !Number.isInteger(offset) || offset < 0 || offset % 8 !== 0 || offset > blobBytes) {
        throw corrupt(file, `${here}.offset`, offset, `a multiple of 8 from 0 to ${blobBytes}`, `the buffers hold ${blobBytes} bytes`);
      }
      if (typeof length !== "number" || !Number.isInteger(length) || length < 0 || length > (blobBytes - offset) / size) {
        throw corrupt(file, `${here}.length`, length, `an element count from 0 to ${Math.floor((blobBytes - offset) / size)}`, `${ref.dtype} from byte ${offset} of ${blobBytes}`);
      }
      refs.push({ at: here, offset, bytes: length * size });
    }
    if (n.children !== undefined) {
      if (!isObject(n.children)) throw corrupt(file, `${at}.children`, n.children, "an object of estimator nodes");
      for (const [name, c] of Object.entries(n.children)) walk(c, `${at}.children.${name}`, depth + 1);
    }
  };
  walk(value.root, "root", 0);
  // the writer's layout: in manifest order, each buffer at the next multiple of 8
  let end = 0;
  for (const r of refs) {
    const want = Math.ceil(end / 8) * 8;
    if (r.offset !== want) throw corrupt(file, `${r.at}.offset`, r.offset, `${want}`, "buffers follow one another, each 8-byte aligned");
    end = r.offset + r.bytes;
  }
  if (Math.ceil(end / 8) * 8 !== bytes) throw corrupt(file, "buffersBytes", bytes, `${Math.ceil(end / 8) * 8}, the end of the last buffer`);
  return value as unknown as Manifest;
}

/** Check the seal (version 2) or the buffers' checksum (version 1), and the signature when a key is set. */
function checkIntegrity(m: Manifest, blob: Uint8Array, where: Where, key: Uint8Array | null): void {
  const both = where.manifestFile === where.buffersFile ? show(where.model, 200) : `${show(where.model, 200)} (${MANIFEST_FILE} + ${BUFFERS_FILE})`;
  if (m.formatVersion === 1) {
    const sha = createHash("sha256").update(blob).digest("hex");
    if (sha !== m.buffersSha256) {
      throw new CorruptModelError(`corrupt model ${show(where.buffersFile, 200)}: buffersSha256 is ${m.buffersSha256!.slice(0, 12)}…, but the buffers hash to ${sha.slice(0, 12)}…`, { path: "buffersSha256", expected: sha, received: m.buffersSha256 });
    }
    if (key) {
      throw new CorruptModelError(`model ${both} is not signed (format version 1), and ${MODEL_KEY_ENV} is set: only models signed with the key load; save it again with the key`, { path: "seal.hmacSha256", expected: "a signature made with the key" });
    }
    return;
  }
  const seal = m.seal!;
  const got = computeSeal(m, blob, key);
  if (got.sha256 !== seal.sha256) {
    throw new CorruptModelError(`corrupt model ${both}: seal.sha256 does not match the content (the manifest or the buffers were changed after saving)`, { path: "seal.sha256", expected: got.sha256, received: seal.sha256 });
  }
  if (key) {
    if (seal.hmacSha256 === undefined) {
      throw new CorruptModelError(`model ${both} is not signed, and ${MODEL_KEY_ENV} is set: only models signed with the key load; save it again with the key`, { path: "seal.hmacSha256", expected: "a signature made with the key" });
    }
    if (!timingSafeEqual(Buffer.from(got.hmacSha256!, "hex"), Buffer.from(seal.hmacSha256, "hex"))) {
      throw new CorruptModelError(`model ${both}: seal.hmacSha256 is not a signature made with the key in ${MODEL_KEY_ENV} (the model was changed, or signed with another key)`, { path: "seal.hmacSha256", expected: "a signature made with the key" });
    }
  }
}

function decodeChecked(manifestValue: unknown, blob: Uint8Array, where: Where, options: KeyOptions, knownKinds = false): { artifact: ModelArtifact; manifest: Manifest } {
  // the envelope, then the checksum (so an edit left unsealed is reported as such), then every field
  validateEnvelope(manifestValue, where.manifestFile);
  checkIntegrity(manifestValue as unknown as Manifest, blob, where, keyOf(options));
  const m = validateBody(manifestValue, blob.length, where.manifestFile, knownKinds);
  // one aligned copy of the blob (its real size, already checked against the manifest); buffers are views into it
  const own = new ArrayBuffer(blob.length);
  new Uint8Array(own).set(blob);
  const walk = (n: ManifestNode): ModelArtifact => {
    const buffers: Record<string, TypedArray> = {};
    for (const [name, ref] of Object.entries(n.buffers)) buffers[name] = new CTORS[ref.dtype](own, ref.offset, ref.length);
    const a: ModelArtifact = { kind: n.kind, params: n.params, signature: n.signature as never, state: n.state, buffers };
    if (n.children) {
      a.children = {};
      for (const [name, c] of Object.entries(n.children)) a.children[name] = walk(c);
    }
    return a;
  };
  return { artifact: walk(m.root), manifest: m };
}

/**
 * Rebuild an artifact from a parsed manifest and its blob: validates the manifest, checks the
 * seal (or version 1's buffer checksum) and, with a key, the signature. Throws `CorruptModelError`.
 * @example
 * ```ts
 * const { artifact } = decodeArtifact(JSON.parse(manifestJson), blob, "model from the store");
 * ```
 */
export function decodeArtifact(manifestValue: unknown, blob: Uint8Array, where = "model", options: KeyOptions = {}): { artifact: ModelArtifact; manifest: Manifest } {
  return decodeChecked(manifestValue, blob, { model: where, manifestFile: where, buffersFile: where }, options);
}

/**
 * The archive form: one file (or buffer) holding manifest and buffers.
 * @example
 * ```ts
 * writeFileSync("credit-model.keel", artifactToBytes(model.save(), { description: "credit scorer" }));
 * ```
 */
export function artifactToBytes(artifact: ModelArtifact, meta: Record<string, Json> = {}, options: KeyOptions = {}): Uint8Array {
  const { manifestJson, blob } = encodeArtifact(artifact, meta, options);
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

/**
 * Read an archive (bytes of `artifactToBytes`): checked as `decodeArtifact` does.
 * @example
 * ```ts
 * const { artifact, manifest } = artifactFromBytes(artifactToBytes(model.save()));
 * ```
 */
export function artifactFromBytes(bytes: Uint8Array, where = "model", options: KeyOptions = {}): { artifact: ModelArtifact; manifest: Manifest } {
  return fromArchive(bytes, whereOf(where, false), options);
}

function fromArchive(bytes: Uint8Array, where: Where, options: KeyOptions, knownKinds = false): { artifact: ModelArtifact; manifest: Manifest } {
  const file = where.manifestFile;
  if (bytes.length < 12 || Buffer.from(bytes.subarray(0, 8)).toString("latin1") !== MAGIC) {
    throw new CorruptModelError(`${show(file, 200)} is not a Keel model archive (no ${MAGIC} header)`, { path: "(header)", expected: "a Keel model archive or directory" });
  }
  const len = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(8, true);
  if (12 + len > bytes.length) throw corrupt(file, "(manifest length)", len, `at most ${bytes.length - 12}, what the file holds after its header`);
  const manifest = parseManifest(Buffer.from(bytes.buffer, bytes.byteOffset + 12, len), file);
  const start = Math.ceil((12 + len) / 8) * 8;
  return decodeChecked(manifest, bytes.subarray(Math.min(start, bytes.length)), where, options, knownKinds);
}

function parseManifest(bytes: Buffer, file: string): unknown {
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch (e) {
    throw new CorruptModelError(`corrupt model ${show(file, 200)}: the manifest is not valid JSON (${(e as Error).message})`, { path: "(manifest)", expected: "a JSON manifest" });
  }
}

/** Options of `saveModel`. */
export interface SaveOptions extends KeyOptions {
  /** "dir" (default): manifest.json + buffers.bin in a folder; "archive": one file. */
  format?: "dir" | "archive";
  meta?: Record<string, Json>;
}

/**
 * Save a fitted estimator, sealed (and signed when a key is set: `options.key` or
 * `KEEL_MODEL_KEY`). Writes into a temporary sibling first and renames it into place, so a
 * failed save never leaves a half-written model.
 * @example
 * ```ts
 * const model = await logistic().fit(frame, { target: "Status" });
 * saveModel(model, "credit-model");
 * saveModel(model, "credit-model.keel", { format: "archive", meta: { description: "credit scorer" } });
 * ```
 */
export function saveModel(fitted: Fitted | ModelArtifact, target: string, options: SaveOptions = {}): void {
  const artifact = "save" in fitted ? fitted.save() : fitted;
  const tmp = `${target}.tmp-${process.pid}-${Date.now()}`;
  try {
    mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
    if (options.format === "archive") {
      writeFileSync(tmp, artifactToBytes(artifact, options.meta, options));
    } else {
      const { manifestJson, blob } = encodeArtifact(artifact, options.meta, options);
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

/** Read a regular file of at most `max` bytes (never a device, a FIFO or a directory). */
function readRegular(file: string, max: number, what: string): Buffer {
  let st;
  try {
    st = statSync(file);
  } catch (e) {
    throw new IoError(`cannot read ${show(file, 200)}: ${(e as Error).message}`, { path: file, cause: e });
  }
  if (!st.isFile()) throw corrupt(file, "(file)", "not a regular file", `${what} as a regular file`);
  if (st.size > max) throw corrupt(file, "(file size)", st.size, `at most ${max} bytes for ${what}`);
  return readFileSync(file);
}

/**
 * Read a saved model's artifact and manifest (directory or archive), checked, without building it.
 * @example
 * ```ts
 * const { manifest } = readArtifact("credit-model");
 * console.log(manifest.root.kind, manifest.meta);
 * ```
 */
export function readArtifact(source: string, options: KeyOptions = {}): { artifact: ModelArtifact; manifest: Manifest } {
  return readChecked(source, options, false);
}

/** `knownKinds`: every estimator kind in the manifest must be registered (true when loading). */
function readChecked(source: string, options: KeyOptions, knownKinds: boolean): { artifact: ModelArtifact; manifest: Manifest } {
  if (!existsSync(source)) throw new NotFoundError(`model ${show(source)} does not exist`, { path: source, expected: "a model directory or archive file" });
  if (statSync(source).isDirectory()) {
    const where = whereOf(source, true);
    if (!existsSync(where.manifestFile)) throw new CorruptModelError(`${show(source)} is not a Keel model: it has no ${MANIFEST_FILE}`, { path: MANIFEST_FILE, expected: `a directory with ${MANIFEST_FILE} and ${BUFFERS_FILE}` });
    const manifest = parseManifest(readRegular(where.manifestFile, MAX_MANIFEST_BYTES, "a manifest"), where.manifestFile);
    const blob = existsSync(where.buffersFile) ? readRegular(where.buffersFile, Number.MAX_SAFE_INTEGER, "model buffers") : new Uint8Array(0);
    return decodeChecked(manifest, blob, where, options, knownKinds);
  }
  return fromArchive(readRegular(source, Number.MAX_SAFE_INTEGER, "a model archive"), whereOf(source, false), options, knownKinds);
}

/**
 * SHA-256 (hex) of a saved model's bytes — manifest and buffers of a directory, the file of an
 * archive — so two saves of the same fitted state have the same hash (e.g. to tell a re-run that
 * produced the same model from a new one).
 * @example
 * ```ts
 * const changed = savedModelHash("credit-model") !== previousHash;
 * ```
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

/**
 * Build a fitted estimator from a checked artifact; a problem the kind's own checks find (sizes
 * against the model's shape) becomes a `CorruptModelError` naming `file`. An error that is not a
 * `KeelError` is wrapped too (as its `cause`), so a corrupt file never surfaces as an internal error.
 * @example
 * ```ts
 * const model = fittedFromCheckedArtifact(readArtifact("credit-model").artifact, "credit-model");
 * ```
 */
export function fittedFromCheckedArtifact(artifact: ModelArtifact, file = "model"): Fitted {
  try {
    return fittedFromArtifact(artifact);
  } catch (e) {
    const field = e instanceof KeelError && e.path ? e.path : "root";
    const message = e instanceof KeelError ? e.message : `${artifact.kind} cannot be rebuilt from it (${(e as Error)?.message ?? String(e)})`;
    throw new CorruptModelError(`corrupt model ${show(file, 200)}: ${message}`, { path: field, ...(e instanceof KeelError ? { expected: e.expected, received: e.received } : {}), cause: e });
  }
}

/**
 * Load a saved model (directory or archive). Unknown kinds and corrupt files are `CorruptModelError`s.
 * @example
 * ```ts
 * const model = loadModel<Classifier>("credit-model");
 * const proba = model.predictProba(await readTable("new.csv"));
 * ```
 */
export function loadModel<F extends Fitted = Fitted>(source: string, options: KeyOptions = {}): F {
  const { artifact } = readChecked(source, options, true);
  const dir = statSync(source).isDirectory();
  return fittedFromCheckedArtifact(artifact, dir ? path.join(source, MANIFEST_FILE) : source) as F;
}

/**
 * Load a model from a parsed manifest and its buffers, checked exactly as `loadModel` checks a
 * file (`where` names it in errors): for models that arrive over the network or from a store.
 * @example
 * ```ts
 * const model = loadModelFromParts(JSON.parse(manifestJson), buffers, "models:/credit/3");
 * ```
 */
export function loadModelFromParts<F extends Fitted = Fitted>(manifest: unknown, buffers: Uint8Array, where = "model", options: KeyOptions = {}): F {
  const { artifact } = decodeChecked(manifest, buffers, whereOf(where, false), options, true);
  return fittedFromCheckedArtifact(artifact, where) as F;
}

/**
 * Round trip through bytes, in memory (for tests and workers).
 * @example
 * ```ts
 * const copy = cloneFitted(await logistic().fit(frame, { target: "Status" }));
 * ```
 */
export function cloneFitted<F extends Fitted>(fitted: F): F {
  return fittedFromArtifact(artifactFromBytes(artifactToBytes(fitted.save(), {}, { key: null }), "model", { key: null }).artifact) as F;
}
