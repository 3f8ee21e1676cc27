import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openRegistry, registerRegistryScheme, SqliteRegistryStore } from "../../src/registry/index.js";
import { defaultStoreUri, findProjectDir, gitInfo, openStore, registerStoreScheme, SqliteStore, sqlitePath, type TrackingStore } from "../../src/track/index.js";
import { PG_URL, pgSchemaName, pgUri } from "../conformance/store/targets.js";

let dir: string;
const saved = { store: process.env.KEEL_STORE, home: process.env.KEEL_HOME };
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "keel-open-"));
  delete process.env.KEEL_STORE;
  delete process.env.KEEL_HOME;
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  if (saved.store === undefined) delete process.env.KEEL_STORE;
  else process.env.KEEL_STORE = saved.store;
  if (saved.home === undefined) delete process.env.KEEL_HOME;
  else process.env.KEEL_HOME = saved.home;
});

describe("openStore", () => {
  it("reads sqlite: URIs the way SQLAlchemy does", () => {
    expect(sqlitePath("sqlite:///rel/keel.db")).toBe("rel/keel.db");
    expect(sqlitePath("sqlite:////abs/keel.db")).toBe("/abs/keel.db");
    expect(sqlitePath("sqlite:/abs/keel.db")).toBe("/abs/keel.db");
    expect(sqlitePath("sqlite:keel.db")).toBe("keel.db");
    expect(sqlitePath("/plain/path.db")).toBe("/plain/path.db");
    expect(() => sqlitePath("sqlite:")).toThrow(/names no file/);
  });

  it("defaults to .keel/keel.db in the project, then KEEL_HOME, then KEEL_STORE", () => {
    const project = path.join(dir, "proj");
    mkdirSync(path.join(project, "src", "deep"), { recursive: true });
    writeFileSync(path.join(project, "keel.yaml"), "name: p\n");
    expect(findProjectDir(path.join(project, "src", "deep"))).toBe(project);
    expect(defaultStoreUri({ projectDir: project })).toBe(path.join(project, ".keel", "keel.db"));
    process.env.KEEL_HOME = path.join(dir, "home");
    expect(defaultStoreUri({ projectDir: project })).toBe(path.join(dir, "home", "keel.db"));
    process.env.KEEL_STORE = "postgres://u@h/db";
    expect(defaultStoreUri({ projectDir: project })).toBe("postgres://u@h/db");
  });

  it("opens SQLite from paths and URIs, with artifacts beside the database", async () => {
    const file = path.join(dir, "a", "b", "keel.db");
    const s = await openStore(file);
    expect(s).toBeInstanceOf(SqliteStore);
    expect(s.kind).toBe("sqlite");
    expect(s.uri).toBe(`sqlite:${file}`);
    expect(s.artifactRoot).toBe(`file://${path.join(dir, "a", "b", "artifacts")}`);
    const id = await s.createExperiment({ name: "persisted" });
    await s.close();
    const again = await openStore(`sqlite:////${file.slice(1)}`);
    expect((await again.getExperimentByName("persisted")).experimentId).toBe(id);
    await again.close();
    process.env.KEEL_HOME = path.join(dir, "home");
    const home = await openStore();
    expect(existsSync(path.join(dir, "home", "keel.db"))).toBe(true);
    await home.close();
    const mem = await openStore("sqlite::memory:");
    expect(mem.uri).toBe("sqlite::memory:");
    await mem.close();
  });

  it("refuses a database migrated by a newer Keel, and reopens a current one without migrating", async () => {
    const file = path.join(dir, "v.db");
    const s = await SqliteStore.open(file);
    await s.sql.run("UPDATE schema_version SET version = 99 WHERE component = 'tracking'");
    await s.close();
    await expect(SqliteStore.open(file)).rejects.toThrow(/schema is at version 99, newer than this Keel knows \(1\): upgrade Keel/);
    const ok = await SqliteStore.open(path.join(dir, "w.db"));
    await ok.close();
    const again = await SqliteStore.open(path.join(dir, "w.db"));
    expect(await again.sql.all("SELECT component, version FROM schema_version")).toEqual([{ component: "tracking", version: 1 }]);
    await again.close();
  });

  it("opens http(s) as a remote keel server, refuses unknown schemes, and lets other clients register", async () => {
    // nothing listens on port 9: the remote store is tried and reports that it cannot connect
    await expect(openStore("http://127.0.0.1:9")).rejects.toMatchObject({ code: "IO_ERROR" });
    await expect(openRegistry("http://127.0.0.1:9")).rejects.toMatchObject({ code: "IO_ERROR" });
    await expect(openStore("ftp://x")).rejects.toThrow(/unknown scheme "ftp:"/);
    // a higher layer plugs a client in (here: a SQLite store standing in for the remote one)
    const file = path.join(dir, "remote.db");
    registerStoreScheme("keeltest", () => SqliteStore.open(file));
    const s: TrackingStore = await openStore("keeltest://anywhere");
    expect(s.kind).toBe("sqlite");
    registerRegistryScheme("keeltest", async () => openRegistry(s));
    const reg = await openRegistry("keeltest://anywhere");
    expect(reg).toBeInstanceOf(SqliteRegistryStore);
    await reg.close();
    await s.close();
  });

  it("opens the registry by URI, owning (and closing) its store", async () => {
    const file = path.join(dir, "r.db");
    const reg = await openRegistry(file, { defaultActor: "tester" });
    await reg.createRegisteredModel({ name: "m" });
    expect((await reg.getAuditLog()).items[0].actor).toBe("tester");
    await reg.close();
    const s = await openStore(file);
    const reg2 = await openRegistry(s);
    expect((await reg2.getRegisteredModel("m")).name).toBe("m");
    await reg2.close();
    expect((await s.getExperiment("0")).name).toBe("Default"); // still open: the caller owns it
    await s.close();
  });

  it.skipIf(!PG_URL)("opens PostgreSQL from postgres:// and postgresql:// URIs, in a schema", async () => {
    const schema = pgSchemaName();
    const uri = pgUri(schema);
    const s = await openStore(uri, { artifactRoot: path.join(dir, "art") });
    expect(s.kind).toBe("postgres");
    await s.createExperiment({ name: "pg" });
    await s.close();
    const s2 = await openStore(uri.replace(/^postgres:/, "postgresql:"));
    expect((await s2.getExperimentByName("pg")).name).toBe("pg");
    await (s2 as unknown as { sql: { run(sql: string): Promise<number> } }).sql.run(`DROP SCHEMA "${schema}" CASCADE`);
    await s2.close();
    await expect(openStore("postgres://nobody@127.0.0.1:1/none")).rejects.toMatchObject({ code: "IO_ERROR" });
  });
});

describe("gitInfo", () => {
  it("reports the commit and whether tracked files changed", async () => {
    const repo = path.join(dir, "repo");
    mkdirSync(repo);
    const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, stdio: "pipe" }).toString().trim();
    git("init", "-q");
    git("config", "user.email", "t@example.com");
    git("config", "user.name", "t");
    writeFileSync(path.join(repo, "a.txt"), "1");
    git("add", "a.txt");
    git("commit", "-q", "-m", "one");
    const head = git("rev-parse", "HEAD");
    expect(await gitInfo(repo)).toMatchObject({ commit: head, dirty: false });
    writeFileSync(path.join(repo, "a.txt"), "2");
    expect(await gitInfo(repo)).toMatchObject({ commit: head, dirty: true });
    expect(await gitInfo(dir)).toBeNull();
  });
});
