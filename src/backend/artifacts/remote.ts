/**
 * Artifacts of a remote `keel server`, through MLflow's artifact proxy
 * (`/api/2.0/mlflow-artifacts/artifacts/<path>`, paths relative to the server's artifact root).
 * A run's artifact URI is either proxied (`mlflow-artifacts:/<experiment>/<run>/artifacts`) or
 * the server's own `file://` URI under its root (learned from `/api/2.0/keel/server-info`);
 * both become proxy paths. Uploads stream; the server writes them atomically.
 */
import { createHash } from "node:crypto";
import { createReadStream, type Stats } from "node:fs";
import { lstat, readdir, stat } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { InvalidInputError, NotFoundError, show } from "../../core/index.js";
import type { JsonObject } from "../../wire/index.js";
import { HttpClient, type HttpClientOptions } from "../http/http-client.js";
import type { ArtifactEntry, ArtifactStore } from "./artifact-store.js";
import { artifactSegments } from "./safe-path.js";

const PROXY = "/api/2.0/mlflow-artifacts/artifacts";

function entryFrom(o: JsonObject, p: string): ArtifactEntry {
  const e: ArtifactEntry = { path: p, isDir: o.is_dir === true };
  if (!e.isDir && o.file_size !== undefined) e.fileSize = Number(o.file_size);
  if (typeof o.sha256 === "string") e.sha256 = o.sha256;
  return e;
}

/**
 * Artifacts of a `keel server`, read and written through its MLflow artifact routes.
 * @example
 * ```ts
 * const artifacts = new RemoteArtifactStore("http://127.0.0.1:5000", { token: process.env.KEEL_TOKEN });
 * const entries = await artifacts.list("mlflow-artifacts:/0/run1/artifacts");
 * ```
 */
export class RemoteArtifactStore implements ArtifactStore {
  readonly http: HttpClient;
  private serverRoot?: Promise<string>;

  /**
   * `baseUrl`: the server (`http://host:5000`) or its client. `serverArtifactRoot`: the server's
   * own artifact root when already known (else asked for on first use).
   */
  constructor(baseUrl: string | HttpClient, options: HttpClientOptions & { serverArtifactRoot?: string } = {}) {
    this.http = typeof baseUrl === "string" ? new HttpClient(baseUrl, options) : baseUrl;
    if (options.serverArtifactRoot !== undefined) this.serverRoot = Promise.resolve(options.serverArtifactRoot.replace(/\/+$/, ""));
  }

  private root(): Promise<string> {
    if (!this.serverRoot) {
      this.serverRoot = this.http.call("GET", "/api/2.0/keel/server-info").then((i) => String(i.artifact_root ?? "").replace(/\/+$/, ""));
      this.serverRoot.catch(() => (this.serverRoot = undefined));
    }
    return this.serverRoot;
  }

  /** The proxy path (segments) of a run's folder. */
  private async runSegments(artifactUri: string): Promise<string[]> {
    if (typeof artifactUri !== "string" || artifactUri === "") throw new InvalidInputError(`artifact URI ${show(artifactUri)} is not valid`, { path: "artifact_uri", received: artifactUri });
    let rel: string | undefined;
    const proxied = /^mlflow-artifacts:(\/\/[^/]*)?(\/.*)?$/.exec(artifactUri);
    if (proxied) rel = (proxied[2] ?? "").replace(/^\/+/, "");
    else {
      const root = await this.root();
      if (root !== "" && artifactUri.startsWith(root + "/")) rel = artifactUri.slice(root.length + 1);
    }
    if (rel === undefined || rel === "") {
      throw new InvalidInputError(`artifact URI ${show(artifactUri)} is not served by keel server ${show(this.http.baseUrl)} (expected mlflow-artifacts:/... or a URI under the server's artifact root)`, {
        path: "artifact_uri",
        received: artifactUri,
      });
    }
    return artifactSegments(decodeURIComponent(rel));
  }

  private async target(artifactUri: string, rel: unknown, allowRoot: boolean): Promise<{ proxyPath: string; rel: string }> {
    const run = await this.runSegments(artifactUri);
    const inner = artifactSegments(rel, allowRoot);
    return { proxyPath: [...run, ...inner].join("/"), rel: inner.join("/") };
  }

  private url(proxyPath: string): string {
    return `${PROXY}/${proxyPath.split("/").map(encodeURIComponent).join("/")}`;
  }

  async list(artifactUri: string, relPath?: string): Promise<ArtifactEntry[]> {
    const t = await this.target(artifactUri, relPath, true);
    const r = await this.http.call("GET", PROXY, { path: t.proxyPath });
    const files = Array.isArray(r.files) ? (r.files as JsonObject[]) : [];
    return files.map((f) => entryFrom(f, t.rel === "" ? String(f.path) : `${t.rel}/${String(f.path)}`));
  }

  async read(artifactUri: string, relPath: string): Promise<Buffer> {
    const t = await this.target(artifactUri, relPath, false);
    const res = await this.http.request("GET", this.url(t.proxyPath));
    return Buffer.from(await res.arrayBuffer());
  }

  async openRead(artifactUri: string, relPath: string): Promise<{ stream: Readable; size: number }> {
    const t = await this.target(artifactUri, relPath, false);
    const res = await this.http.request("GET", this.url(t.proxyPath));
    const size = Number(res.headers.get("content-length") ?? NaN);
    if (!res.body) return { stream: Readable.from([]), size: 0 };
    return { stream: Readable.fromWeb(res.body as import("node:stream/web").ReadableStream<Uint8Array>), size };
  }

  private async put(proxyPath: string, body: Uint8Array | ReadableStream<Uint8Array>): Promise<ArtifactEntry> {
    const res = await this.http.request("PUT", this.url(proxyPath), { body, headers: { "content-type": "application/octet-stream" } });
    const r = (await res.json().catch(() => ({}))) as JsonObject;
    return entryFrom((r.file_info ?? {}) as JsonObject, "");
  }

  async write(artifactUri: string, relPath: string, data: Uint8Array | string): Promise<ArtifactEntry> {
    const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    if (!(bytes instanceof Uint8Array)) throw new InvalidInputError(`artifact ${show(relPath)}: data must be bytes or a string`, { path: "data" });
    const t = await this.target(artifactUri, relPath, false);
    return { ...(await this.put(t.proxyPath, bytes)), path: t.rel, fileSize: bytes.byteLength };
  }

  async writeStream(artifactUri: string, relPath: string, source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<ArtifactEntry> {
    const t = await this.target(artifactUri, relPath, false);
    const web = Readable.toWeb(Readable.from(source)) as unknown as ReadableStream<Uint8Array>;
    return { ...(await this.put(t.proxyPath, web)), path: t.rel };
  }

  async writeFile(artifactUri: string, localFile: string, relPath?: string): Promise<ArtifactEntry> {
    let st: Stats;
    try {
      st = await stat(localFile);
    } catch {
      throw new NotFoundError(`local file ${show(localFile)} does not exist`, { path: localFile });
    }
    if (!st.isFile()) throw new InvalidInputError(`${show(localFile)} is not a file (use writeDir for folders)`, { path: localFile });
    return this.writeStream(artifactUri, relPath ?? path.basename(localFile), createReadStream(localFile));
  }

  async writeDir(artifactUri: string, localDir: string, relPath?: string): Promise<ArtifactEntry[]> {
    const base = artifactSegments(relPath, true);
    let st: Stats;
    try {
      st = await stat(localDir);
    } catch {
      throw new NotFoundError(`local folder ${show(localDir)} does not exist`, { path: localDir });
    }
    if (!st.isDirectory()) throw new InvalidInputError(`${show(localDir)} is not a folder`, { path: localDir });
    const out: ArtifactEntry[] = [];
    const walk = async (dir: string, into: string[]): Promise<void> => {
      for (const name of (await readdir(dir)).sort()) {
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
    const t = await this.target(artifactUri, relPath, false);
    await this.http.request("DELETE", this.url(t.proxyPath));
  }

  async deleteAll(artifactUri: string): Promise<void> {
    const run = await this.runSegments(artifactUri);
    await this.http.request("DELETE", this.url(run.join("/")));
  }

  async removeTemporaryFiles(): Promise<number> {
    return 0; // the server's own files: its keel gc and heartbeat sweep remove them
  }

  async verify(artifactUri: string, relPath: string): Promise<{ ok: boolean; recorded?: string; actual: string }> {
    const bytes = await this.read(artifactUri, relPath);
    const actual = createHash("sha256").update(bytes).digest("hex");
    const t = await this.target(artifactUri, relPath, false);
    const parent = t.rel.includes("/") ? t.rel.slice(0, t.rel.lastIndexOf("/")) : "";
    const recorded = (await this.list(artifactUri, parent)).find((e) => e.path === t.rel)?.sha256;
    return { ok: recorded === actual, ...(recorded ? { recorded } : {}), actual };
  }
}
