import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { artifactSegments, LocalArtifactStore } from "../../src/backend/index.js";
import { code } from "../conformance/store/backends.js";

const sha = (b: Uint8Array | string) => createHash("sha256").update(b).digest("hex");

describe("LocalArtifactStore", () => {
  let dir: string;
  let root: string;
  let store: LocalArtifactStore;
  let uri: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "keel-artifacts-"));
    root = path.join(dir, "root");
    store = new LocalArtifactStore(pathToFileURL(root).href);
    uri = pathToFileURL(path.join(root, "0", "abc", "artifacts")).href;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("writes bytes, text, files and folders; lists with sizes and checksums; reads back", async () => {
    const e = await store.write(uri, "model/weights.bin", new Uint8Array([1, 2, 3]));
    expect(e).toEqual({ path: "model/weights.bin", isDir: false, fileSize: 3, sha256: sha(new Uint8Array([1, 2, 3])) });
    await store.write(uri, "notes.txt", "héllo");
    const local = path.join(dir, "report.html");
    writeFileSync(local, "<p>ok</p>");
    await store.writeFile(uri, local);
    await store.writeFile(uri, local, "reports/r1.html");
    const src = path.join(dir, "plots");
    mkdirSync(path.join(src, "deep"), { recursive: true });
    writeFileSync(path.join(src, "a.svg"), "<svg/>");
    writeFileSync(path.join(src, "deep", "b.svg"), "<svg></svg>");
    const written = await store.writeDir(uri, src, "plots");
    expect(written.map((w) => w.path)).toEqual(["plots/a.svg", "plots/deep/b.svg"]);
    expect(await store.list(uri)).toEqual([
      { path: "model", isDir: true },
      { path: "plots", isDir: true },
      { path: "reports", isDir: true },
      { path: "notes.txt", isDir: false, fileSize: 6, sha256: sha("héllo") },
      { path: "report.html", isDir: false, fileSize: 9, sha256: sha("<p>ok</p>") },
    ]);
    expect(await store.list(uri, "plots")).toEqual([
      { path: "plots/deep", isDir: true },
      { path: "plots/a.svg", isDir: false, fileSize: 6, sha256: sha("<svg/>") },
    ]);
    expect(await store.list(uri, "nothing/here")).toEqual([]);
    expect((await store.read(uri, "notes.txt")).toString()).toBe("héllo");
    const { stream, size } = await store.openRead(uri, "plots/deep/b.svg");
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    expect(size).toBe(11);
    expect(Buffer.concat(chunks).toString()).toBe("<svg></svg>");
    expect(await store.verify(uri, "model/weights.bin")).toEqual({ ok: true, recorded: sha(new Uint8Array([1, 2, 3])), actual: sha(new Uint8Array([1, 2, 3])) });
    expect(await code(store.read(uri, "missing.txt"))).toBe("NOT_FOUND");
    expect(await code(store.read(uri, "model"))).toBe("INVALID_INPUT");
  });

  it("replaces files atomically and leaves no temporary files", async () => {
    await store.write(uri, "a.txt", "one");
    await store.write(uri, "a.txt", "two");
    const folder = path.join(root, "0", "abc", "artifacts");
    expect(readdirSync(folder).sort()).toEqual([".keel-checksums.jsonl", "a.txt"]);
    expect(readFileSync(path.join(folder, "a.txt"), "utf8")).toBe("two");
    expect((await store.list(uri))[0].sha256).toBe(sha("two"));
    // a failed stream leaves the old file and no temporary behind
    async function* failing() {
      yield Buffer.from("partial");
      throw new Error("network dropped");
    }
    await expect(store.writeStream(uri, "a.txt", failing())).rejects.toThrow(/network dropped/);
    expect(readFileSync(path.join(folder, "a.txt"), "utf8")).toBe("two");
    expect(readdirSync(folder).sort()).toEqual([".keel-checksums.jsonl", "a.txt"]);
    // tampering is detected
    writeFileSync(path.join(folder, "a.txt"), "evil");
    expect((await store.verify(uri, "a.txt")).ok).toBe(false);
    expect(await code(store.write(uri, "a.txt/inner", "x"))).not.toBe("no error");
  });

  it("rejects paths that could leave the run's folder", async () => {
    for (const bad of ["../x", "a/../../x", "..", "/etc/passwd", "a\\..\\b", "C:/x", "a\0b", "", ".keel-checksums.jsonl", "x/.keel-tmp-1"]) {
      expect(await code(store.write(uri, bad, "x")), JSON.stringify(bad)).toBe("INVALID_INPUT");
      if (bad !== "") expect(await code(store.read(uri, bad)), JSON.stringify(bad)).toBe("INVALID_INPUT");
    }
    expect(await code(store.list(uri, "../.."))).toBe("INVALID_INPUT");
    expect(existsSync(path.join(root, "0", "abc", "x"))).toBe(false);
    expect(artifactSegments("a//b/./c")).toEqual(["a", "b", "c"]);
    // run folders outside the root are refused too
    expect(await code(store.write(pathToFileURL(path.join(dir, "elsewhere")).href, "a", "x"))).toBe("INVALID_INPUT");
    expect(await code(store.write(pathToFileURL(root).href, "a", "x"))).toBe("INVALID_INPUT");
    expect(await code(store.write("relative/dir", "a", "x"))).toBe("INVALID_INPUT");
  });

  it("never follows a symbolic link in a run folder, for reads or writes", async () => {
    await store.write(uri, "ok.txt", "fine");
    const outside = path.join(dir, "outside");
    mkdirSync(outside);
    writeFileSync(path.join(outside, "secret.txt"), "secret");
    const folder = path.join(root, "0", "abc", "artifacts");
    symlinkSync(outside, path.join(folder, "link"));
    symlinkSync(path.join(outside, "secret.txt"), path.join(folder, "secret.txt"));
    expect(await code(store.read(uri, "secret.txt"))).toBe("INVALID_INPUT");
    expect(await code(store.read(uri, "link/secret.txt"))).toBe("INVALID_INPUT");
    expect(await code(store.write(uri, "link/new.txt", "x"))).toBe("INVALID_INPUT");
    expect(await code(store.write(uri, "secret.txt", "overwritten"))).toBe("INVALID_INPUT");
    expect(await code(store.list(uri, "link"))).toBe("INVALID_INPUT");
    expect(await code(store.delete(uri, "link"))).toBe("INVALID_INPUT");
    expect(readFileSync(path.join(outside, "secret.txt"), "utf8")).toBe("secret");
    expect(existsSync(path.join(outside, "new.txt"))).toBe(false);
    // links are not listed as artifacts
    expect((await store.list(uri)).map((e) => e.path)).toEqual(["ok.txt"]);
    // a run folder that is itself a link is refused
    const linkedRun = path.join(root, "0", "linked");
    symlinkSync(outside, linkedRun);
    expect(await code(store.read(pathToFileURL(linkedRun).href, "secret.txt"))).toBe("INVALID_INPUT");
    expect(await code(store.deleteAll(pathToFileURL(linkedRun).href))).toBe("INVALID_INPUT");
    expect(existsSync(path.join(outside, "secret.txt"))).toBe(true);
    // uploading a folder holding a link is refused
    const src = path.join(dir, "src");
    mkdirSync(src);
    symlinkSync(path.join(outside, "secret.txt"), path.join(src, "s.txt"));
    expect(await code(store.writeDir(uri, src))).toBe("INVALID_INPUT");
  });

  it("removes the temporary files interrupted writes left: a run's all, the store's old ones, never through a link", async () => {
    await store.write(uri, "model/m.json", "{}");
    const runDir = path.join(root, "0", "abc", "artifacts");
    const other = pathToFileURL(path.join(root, "0", "def", "artifacts")).href;
    await store.write(other, "x.txt", "x");
    const otherDir = path.join(root, "0", "def", "artifacts");
    const tmp = (folder: string, name: string, ageMs = 0) => {
      mkdirSync(folder, { recursive: true });
      const f = path.join(folder, `.keel-tmp-${name}`);
      writeFileSync(f, "partial");
      if (ageMs > 0) utimesSync(f, new Date(Date.now() - ageMs), new Date(Date.now() - ageMs));
      return f;
    };
    const inRun = [tmp(runDir, "1-a"), tmp(path.join(runDir, "model"), "1-b")];
    const oldElsewhere = tmp(otherDir, "2-c", 2 * 3_600_000);
    const freshElsewhere = tmp(otherDir, "2-d"); // a write in progress
    const outside = path.join(dir, "outside");
    const outsideTmp = tmp(outside, "3-e", 2 * 3_600_000);
    symlinkSync(outside, path.join(otherDir, "link"));
    const notTemp = path.join(runDir, "model", "keel-tmp-not-ours");
    writeFileSync(notTemp, "kept");

    expect(await store.removeTemporaryFiles(uri)).toBe(2);
    for (const f of inRun) expect(existsSync(f)).toBe(false);
    expect(existsSync(oldElsewhere) && existsSync(freshElsewhere) && existsSync(notTemp)).toBe(true);
    expect(await store.removeTemporaryFiles(undefined, 3_600_000)).toBe(1);
    expect(existsSync(oldElsewhere)).toBe(false);
    expect(existsSync(freshElsewhere) && existsSync(outsideTmp)).toBe(true);
    expect(await store.read(uri, "model/m.json")).toEqual(Buffer.from("{}"));
  });

  it("deletes files, folders and a whole run", async () => {
    await store.write(uri, "a/b.txt", "x");
    await store.write(uri, "c.txt", "y");
    await store.delete(uri, "a");
    expect((await store.list(uri)).map((e) => e.path)).toEqual(["c.txt"]);
    expect(await code(store.delete(uri, "a"))).toBe("NOT_FOUND");
    await store.deleteAll(uri);
    expect(existsSync(path.join(root, "0", "abc"))).toBe(false);
    expect(existsSync(path.join(root, "0"))).toBe(true);
  });

  it("maps configured URI prefixes onto the root", async () => {
    const proxied = new LocalArtifactStore(root, { uriPrefixes: ["mlflow-artifacts:"] });
    await proxied.write("mlflow-artifacts:/3/run1/artifacts", "m.txt", "z");
    expect(readFileSync(path.join(root, "3", "run1", "artifacts", "m.txt"), "utf8")).toBe("z");
    expect(await code(proxied.write("mlflow-artifacts:/../x", "m.txt", "z"))).toBe("INVALID_INPUT");
  });
});
