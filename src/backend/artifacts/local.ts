/**
 * Artifacts in a local folder: `<root>/<experiment>/<run>/artifacts/...`, as run artifact URIs
 * name them (`file:///<root>/0/<run id>/artifacts`). Writes go to a temporary file in the same
 * folder, are flushed, then renamed into place (atomic on POSIX), and each file's SHA-256 is
 * appended to the run folder's `.keel-checksums.jsonl`. No path can leave the run's folder:
 * relative paths are checked (`safe-path.ts`), the run folder must lie inside the store's root,
 * and no existing component on the way may be a symbolic link (checked with lstat; files are
 * opened with O_NOFOLLOW), so a link planted in a run folder is never followed.
 */
import { createHash, randomBytes } from "node:crypto";
import { constants, createReadStream, type Stats } from "node:fs";
import { appendFile, lstat, mkdir, open, readdir, readFile, realpath, rename, rm, rmdir, stat } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { fileURLToPath } from "node:url";
import { InvalidInputError, IoError, KeelError, NotFoundError, show } from "../../core/index.js";
import type { ArtifactEntry, ArtifactStore } from "./artifact-store.js";
import { artifactSegments, RESERVED_PREFIX } from "./safe-path.js";

const CHECKSUMS = `${RESERVED_PREFIX}checksums.jsonl`;

/** Options of `LocalArtifactStore`. */
export interface LocalArtifactStoreOptions {
  /**
   * URI prefixes that stand for the root (e.g. `"mlflow-artifacts:"` when a server hands out
   * proxied URIs): `<prefix>/0/<run>/artifacts` → `<root>/0/<run>/artifacts`.
   */
  uriPrefixes?: string[];
}

interface ChecksumRecord {
  path: string;
  sha256: string;
  size: number;
}

function io(what: string, e: unknown): never {
  if (e instanceof KeelError) throw e;
  const code = (e as { code?: string }).code;
  if (code === "ENOENT") throw new NotFoundError(`${what}: no such file or folder`, { path: what, cause: e });
  if (code === "ELOOP") throw new InvalidInputError(`${what}: symbolic links are not followed in artifact folders`, { path: what, cause: e });
  throw new IoError(`${what}: ${(e as Error).message}`, { path: what, cause: e });
}

async function lstatOrNull(p: string): Promise<Stats | null> {
  try {
    return await lstat(p);
  } catch (e) {
    if ((e as { code?: string }).code === "ENOENT" || (e as { code?: string }).code === "ENOTDIR") return null;
    throw e;
  }
}

/**
 * Artifacts in a local folder: atomic writes (temporary file, then rename), paths checked to stay under the root.
 * @example
 * ```ts
 * const artifacts = new LocalArtifactStore("/srv/keel/artifacts");
 * await artifacts.write("file:///srv/keel/artifacts/0/run1/artifacts", "notes.txt", "hello");
 * ```
 */
export class LocalArtifactStore implements ArtifactStore {
  /** Absolute root folder (symbolic links in it resolved once, at construction). */
  readonly root: string;
  private readonly prefixes: string[];

  /** `root`: a folder path or `file://` URI (created when missing, on first write). */
  constructor(root: string, options: LocalArtifactStoreOptions = {}) {
    const r = root.startsWith("file:") ? fileURLToPath(root) : root;
    this.root = path.resolve(r);
    this.prefixes = (options.uriPrefixes ?? []).map((p) => p.replace(/\/+$/, ""));
  }

  /** The run's folder for an artifact URI; throws unless it lies inside the root. */
  runDir(artifactUri: string): string {
    if (typeof artifactUri !== "string" || artifactUri.length === 0 || artifactUri.includes("\0")) {
      throw new InvalidInputError(`artifact URI ${show(artifactUri)} is not valid`, { path: "artifact_uri", received: artifactUri });
    }
    let dir: string | undefined;
    for (const prefix of this.prefixes) {
      if (artifactUri.startsWith(prefix + "/") || artifactUri === prefix) {
        dir = path.join(this.root, ...artifactSegments(artifactUri.slice(prefix.length).replace(/^\/+/, ""), true));
      }
    }
    if (dir === undefined) {
      if (artifactUri.startsWith("file:")) dir = fileURLToPath(artifactUri);
      else if (path.isAbsolute(artifactUri)) dir = artifactUri;
      else throw new InvalidInputError(`artifact URI ${show(artifactUri)} is not a local folder (expected file:// or an absolute path)`, { path: "artifact_uri", received: artifactUri });
    }
    const abs = path.resolve(dir);
    const rel = path.relative(this.root, abs);
    if (rel === "" || rel.startsWith("..") || path.isAbsolute(rel)) {
      throw new InvalidInputError(`artifact URI ${show(artifactUri)} is outside this artifact store's root ${show(this.root)}`, { path: "artifact_uri", expected: `a folder inside ${this.root}`, received: artifactUri });
    }
    return abs;
  }

  /**
   * Check that no existing component from the root down to `target` is a symbolic link (the
   * root itself may be one) and that the root's real path still contains it.
   */
  private async assertNoLinks(target: string): Promise<void> {
    const rel = path.relative(this.root, target);
    let cur = this.root;
    for (const seg of rel.split(path.sep)) {
      if (seg === "") continue;
      cur = path.join(cur, seg);
      const st = await lstatOrNull(cur);
      if (st === null) return; // nothing further exists yet
      if (st.isSymbolicLink()) {
        throw new InvalidInputError(`artifact path ${show(path.relative(this.root, cur))} is a symbolic link; links are never followed in artifact folders`, { path: "artifact_path", received: cur });
      }
    }
  }

  /** Absolute path of `rel` under the run's folder, with every check done. */
  private async resolve(artifactUri: string, rel: unknown, allowRoot = false): Promise<{ dir: string; file: string; rel: string }> {
    const dir = this.runDir(artifactUri);
    const segments = artifactSegments(rel, allowRoot);
    const file = path.join(dir, ...segments);
    await this.assertNoLinks(file);
    return { dir, file, rel: segments.join("/") };
  }

  private async checksums(dir: string): Promise<Map<string, ChecksumRecord>> {
    const out = new Map<string, ChecksumRecord>();
    let text: string;
    try {
      const st = await lstat(path.join(dir, CHECKSUMS));
      if (!st.isFile()) return out;
      text = await readFile(path.join(dir, CHECKSUMS), "utf8");
    } catch {
      return out;
    }
    for (const line of text.split("\n")) {
      if (line.trim() === "") continue;
      try {
        const r = JSON.parse(line) as ChecksumRecord;
        if (typeof r.path === "string" && typeof r.sha256 === "string") out.set(r.path, r);
      } catch {
        // a torn last line from a crash: ignore it
      }
    }
    return out;
  }

  async list(artifactUri: string, relPath?: string): Promise<ArtifactEntry[]> {
    const { dir, file, rel } = await this.resolve(artifactUri, relPath, true);
    let names: string[];
    try {
      const st = await lstat(file);
      if (!st.isDirectory()) return []; // MLflow lists a file path as empty
      names = await readdir(file);
    } catch (e) {
      if ((e as { code?: string }).code === "ENOENT") return [];
      return io(`artifacts ${show(rel || "/")}`, e);
    }
    const sums = await this.checksums(dir);
    const out: ArtifactEntry[] = [];
    for (const name of names) {
      if (rel === "" && name.startsWith(RESERVED_PREFIX)) continue;
      if (name.startsWith(`${RESERVED_PREFIX}tmp-`)) continue;
      const st = await lstatOrNull(path.join(file, name));
      if (st === null || st.isSymbolicLink()) continue; // links are not artifacts
      const p = rel === "" ? name : `${rel}/${name}`;
      if (st.isDirectory()) out.push({ path: p, isDir: true });
      else if (st.isFile()) {
        const sum = sums.get(p);
        out.push({ path: p, isDir: false, fileSize: st.size, ...(sum && sum.size === st.size ? { sha256: sum.sha256 } : {}) });
      }
    }
    out.sort((a, b) => (a.isDir === b.isDir ? (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) : a.isDir ? -1 : 1));
    return out;
  }

  private async openFile(artifactUri: string, relPath: string) {
    const { file, rel } = await this.resolve(artifactUri, relPath);
    let fh;
    try {
      fh = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch (e) {
      if ((e as { code?: string }).code === "ENOENT") throw new NotFoundError(`artifact ${show(rel)} does not exist`, { path: rel });
      return io(`artifact ${show(rel)}`, e);
    }
    const st = await fh.stat();
    if (!st.isFile()) {
      await fh.close();
      throw new InvalidInputError(`artifact ${show(rel)} is a folder, not a file`, { path: rel });
    }
    return { fh, size: st.size, rel };
  }

  async read(artifactUri: string, relPath: string): Promise<Buffer> {
    const { fh, rel } = await this.openFile(artifactUri, relPath);
    try {
      return await fh.readFile();
    } catch (e) {
      return io(`artifact ${show(rel)}`, e);
    } finally {
      await fh.close();
    }
  }

  async openRead(artifactUri: string, relPath: string): Promise<{ stream: Readable; size: number }> {
    const { fh, size } = await this.openFile(artifactUri, relPath);
    return { stream: fh.createReadStream(), size };
  }

  /** Make the folders of `file` (under `dir`), refusing links; returns nothing. */
  private async ensureParents(file: string): Promise<void> {
    const parent = path.dirname(file);
    await mkdir(parent, { recursive: true });
    await this.assertNoLinks(parent);
  }

  private async commit(dir: string, file: string, rel: string, tmp: string, sha256: string, size: number): Promise<ArtifactEntry> {
    const existing = await lstatOrNull(file);
    if (existing?.isDirectory()) {
      await rm(tmp, { force: true });
      throw new InvalidInputError(`artifact ${show(rel)} is a folder; cannot replace it with a file`, { path: rel });
    }
    await this.assertNoLinks(file);
    await rename(tmp, file);
    await appendFile(path.join(dir, CHECKSUMS), JSON.stringify({ path: rel, sha256, size, time: Date.now() }) + "\n");
    return { path: rel, isDir: false, fileSize: size, sha256 };
  }

  async writeStream(artifactUri: string, relPath: string, source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<ArtifactEntry> {
    const { dir, file, rel } = await this.resolve(artifactUri, relPath);
    const tmp = path.join(path.dirname(file), `${RESERVED_PREFIX}tmp-${process.pid}-${randomBytes(6).toString("hex")}`);
    try {
      await this.ensureParents(file);
      const hash = createHash("sha256");
      let size = 0;
      const fh = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
      try {
        for await (const chunk of source) {
          const buf = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
          hash.update(buf);
          size += buf.byteLength;
          let off = 0;
          while (off < buf.byteLength) off += (await fh.write(buf, off)).bytesWritten;
        }
        await fh.sync();
      } finally {
        await fh.close();
      }
      return await this.commit(dir, file, rel, tmp, hash.digest("hex"), size);
    } catch (e) {
      await rm(tmp, { force: true }).catch(() => undefined);
      return io(`cannot write artifact ${show(rel)}`, e);
    }
  }

  async write(artifactUri: string, relPath: string, data: Uint8Array | string): Promise<ArtifactEntry> {
    const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    if (!(bytes instanceof Uint8Array)) throw new InvalidInputError(`artifact ${show(relPath)}: data must be bytes or a string`, { path: "data" });
    return this.writeStream(artifactUri, relPath, [bytes]);
  }

  async writeFile(artifactUri: string, localFile: string, relPath?: string): Promise<ArtifactEntry> {
    let st: Stats;
    try {
      st = await stat(localFile);
    } catch (e) {
      return io(`local file ${show(localFile)}`, e);
    }
    if (!st.isFile()) throw new InvalidInputError(`${show(localFile)} is not a file (use writeDir for folders)`, { path: localFile });
    return this.writeStream(artifactUri, relPath ?? path.basename(localFile), createReadStream(localFile));
  }

  async writeDir(artifactUri: string, localDir: string, relPath?: string): Promise<ArtifactEntry[]> {
    const base = artifactSegments(relPath, true);
    let st: Stats;
    try {
      st = await stat(localDir);
    } catch (e) {
      return io(`local folder ${show(localDir)}`, e);
    }
    if (!st.isDirectory()) throw new InvalidInputError(`${show(localDir)} is not a folder`, { path: localDir });
    const out: ArtifactEntry[] = [];
    const walk = async (dir: string, into: string[]): Promise<void> => {
      const names = (await readdir(dir)).sort();
      for (const name of names) {
        const full = path.join(dir, name);
        const s = await lstat(full);
        if (s.isSymbolicLink()) throw new InvalidInputError(`${show(full)} is a symbolic link; links are not uploaded as artifacts`, { path: full });
        if (s.isDirectory()) await walk(full, [...into, name]);
        else if (s.isFile()) out.push(await this.writeStream(artifactUri, [...into, name].join("/"), createReadStream(full)));
      }
    };
    await walk(localDir, base);
    return out;
  }

  async delete(artifactUri: string, relPath: string): Promise<void> {
    const { file, rel } = await this.resolve(artifactUri, relPath);
    const st = await lstatOrNull(file);
    if (st === null) throw new NotFoundError(`artifact ${show(rel)} does not exist`, { path: rel });
    await rm(file, { recursive: true, force: true }).catch((e) => io(`cannot delete artifact ${show(rel)}`, e));
  }

  async deleteAll(artifactUri: string): Promise<void> {
    const dir = this.runDir(artifactUri);
    await this.assertNoLinks(dir);
    await rm(dir, { recursive: true, force: true }).catch((e) => io(`cannot delete artifacts of ${show(artifactUri)}`, e));
    // `<root>/<experiment>/<run>/artifacts`: drop the emptied run folder too
    const parent = path.dirname(dir);
    if (parent !== this.root && path.basename(dir) === "artifacts") await rmdir(parent).catch(() => undefined);
  }

  async removeTemporaryFiles(artifactUri?: string, olderThanMs = 0): Promise<number> {
    const start = artifactUri === undefined ? this.root : this.runDir(artifactUri);
    if (artifactUri !== undefined) await this.assertNoLinks(start);
    // 0 means every one, whatever its time: a file written this very millisecond has a
    // sub-millisecond mtime above the whole-millisecond Date.now(), so a cutoff would keep it
    const cutoff = olderThanMs > 0 ? Date.now() - olderThanMs : Infinity;
    const temp = `${RESERVED_PREFIX}tmp-`;
    let removed = 0;
    // an explicit stack, never following links: a deep tree cannot overflow, a link cannot escape
    const stack = [start];
    while (stack.length > 0) {
      const dir = stack.pop()!;
      let names: string[];
      try {
        names = await readdir(dir);
      } catch {
        continue; // gone, or not a folder
      }
      for (const name of names) {
        const p = path.join(dir, name);
        const st = await lstatOrNull(p);
        if (st === null || st.isSymbolicLink()) continue;
        if (st.isDirectory()) stack.push(p);
        else if (st.isFile() && name.startsWith(temp) && st.mtimeMs <= cutoff) {
          await rm(p, { force: true });
          removed++;
        }
      }
    }
    return removed;
  }

  async verify(artifactUri: string, relPath: string): Promise<{ ok: boolean; recorded?: string; actual: string }> {
    const bytes = await this.read(artifactUri, relPath);
    const { dir, rel } = await this.resolve(artifactUri, relPath);
    const actual = createHash("sha256").update(bytes).digest("hex");
    const recorded = (await this.checksums(dir)).get(rel)?.sha256;
    return { ok: recorded === actual, ...(recorded ? { recorded } : {}), actual };
  }

  /** The root's real path (for diagnostics). */
  async realRoot(): Promise<string> {
    return realpath(this.root);
  }
}
