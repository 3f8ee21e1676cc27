/**
 * `openBackend`: URIs parsed once, the default store (KEEL_STORE, MLFLOW_TRACKING_URI,
 * KEEL_HOME, the project), which backend each URI opens, and who closes it. What every store
 * family does over a backend is in test/conformance/store.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultStoreUri, findProjectDir, LocalArtifactStore, openBackend, parseStoreUri, SqlBackend, sqlitePath } from "../../src/backend/index.js";
import { openRegistry } from "../../src/registry/index.js";
import { openTokenStore } from "../../src/server/index.js";
import { openStore } from "../../src/track/index.js";
import { PG_URL, dropPgSchema, pgSchemaName, pgUri } from "../conformance/store/backends.js";

const ENV = ["KEEL_STORE", "KEEL_HOME", "MLFLOW_TRACKING_URI"] as const;
const saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "keel-backend-"));
  for (const k of ENV) delete process.env[k];
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  for (const k of ENV) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

describe("store URIs", () => {
  it("reads sqlite: URIs the way SQLAlchemy does", () => {
    expect(sqlitePath("sqlite:///rel/keel.db")).toBe("rel/keel.db");
    expect(sqlitePath("sqlite:////abs/keel.db")).toBe("/abs/keel.db");
    expect(sqlitePath("sqlite:/abs/keel.db")).toBe("/abs/keel.db");
    expect(sqlitePath("sqlite:keel.db")).toBe("keel.db");
    expect(sqlitePath("/plain/path.db")).toBe("/plain/path.db");
    expect(() => sqlitePath("sqlite:")).toThrow(/names no file/);
  });

  it("names the backend of every scheme, and refuses unknown ones", () => {
    expect(parseStoreUri("keel.db")).toEqual({ kind: "sqlite", file: "keel.db" });
    expect(parseStoreUri("C:\\keel\\keel.db")).toEqual({ kind: "sqlite", file: "C:\\keel\\keel.db" });
    expect(parseStoreUri("file:///srv/keel.db")).toEqual({ kind: "sqlite", file: "/srv/keel.db" });
    expect(parseStoreUri("sqlite::memory:")).toEqual({ kind: "sqlite", file: ":memory:" });
    expect(parseStoreUri("postgresql://u@h/db?schema=s")).toEqual({ kind: "postgres", uri: "postgresql://u@h/db?schema=s" });
    expect(parseStoreUri(" https://keel.internal ")).toEqual({ kind: "http", url: "https://keel.internal" });
    expect(() => parseStoreUri("ftp://x")).toThrow(expect.objectContaining({ code: "UNSUPPORTED", path: "store", message: expect.stringMatching(/unknown scheme "ftp:"/) }));
  });
});

describe("the default store", () => {
  it("is .keel/keel.db in the project, else in KEEL_HOME, else MLFLOW_TRACKING_URI, else KEEL_STORE", () => {
    const project = path.join(dir, "proj");
    mkdirSync(path.join(project, "src", "deep"), { recursive: true });
    writeFileSync(path.join(project, "keel.yaml"), "name: p\n");
    expect(findProjectDir(path.join(project, "src", "deep"))).toBe(project);
    expect(defaultStoreUri({ projectDir: project })).toBe(path.join(project, ".keel", "keel.db"));
    process.env.KEEL_HOME = path.join(dir, "home");
    expect(defaultStoreUri({ projectDir: project })).toBe(path.join(dir, "home", "keel.db"));
    process.env.MLFLOW_TRACKING_URI = "http://keel.internal:5000";
    expect(defaultStoreUri({ projectDir: project })).toBe("http://keel.internal:5000");
    process.env.MLFLOW_TRACKING_URI = "postgresql://u@h/db";
    expect(defaultStoreUri()).toBe("postgresql://u@h/db");
    process.env.KEEL_STORE = "postgres://u@h/keel";
    expect(defaultStoreUri({ projectDir: project })).toBe("postgres://u@h/keel");
  });

  it("refuses an MLflow file or SQLite store given in MLFLOW_TRACKING_URI, and leaves it untouched", async () => {
    const mlflowDb = path.join(dir, "mlflow.db");
    writeFileSync(mlflowDb, "MLflow's own database");
    const before = statSync(mlflowDb).mtimeMs;
    for (const uri of [`sqlite:///${mlflowDb}`, "file:///srv/mlruns", "./mlruns", "databricks"]) {
      process.env.MLFLOW_TRACKING_URI = uri;
      const refused = expect.objectContaining({ code: "UNSUPPORTED", path: "MLFLOW_TRACKING_URI", received: uri, message: expect.stringMatching(/never reads or migrates MLflow's own stores/) });
      expect(() => defaultStoreUri(), uri).toThrow(refused);
      await expect(openBackend(), uri).rejects.toEqual(refused);
      await expect(openStore(), uri).rejects.toEqual(refused);
    }
    expect(readFileSync(mlflowDb, "utf8")).toBe("MLflow's own database");
    expect(statSync(mlflowDb).mtimeMs).toBe(before);
    expect(existsSync(path.join(dir, "mlruns"))).toBe(false);
    // KEEL_STORE or an explicit URI come first, so the refusal only applies when it is used
    process.env.KEEL_STORE = path.join(dir, "keel.db");
    expect(defaultStoreUri()).toBe(path.join(dir, "keel.db"));
    delete process.env.KEEL_STORE;
    const b = await openBackend(path.join(dir, "explicit.db"));
    expect(b.uri).toBe(`sqlite:${path.join(dir, "explicit.db")}`);
    await b.close();
  });
});

describe("openBackend", () => {
  it("opens SQLite from paths and URIs, with local artifacts beside the database", async () => {
    const file = path.join(dir, "a", "b", "keel.db");
    const b = await openBackend(file);
    expect(b).toBeInstanceOf(SqlBackend);
    expect(b.kind).toBe("sqlite");
    expect(b.uri).toBe(`sqlite:${file}`);
    expect(b.artifactRoot).toBe(`file://${path.join(dir, "a", "b", "artifacts")}`);
    expect(b.artifacts).toBeInstanceOf(LocalArtifactStore);
    expect((b.artifacts as LocalArtifactStore).root).toBe(path.join(dir, "a", "b", "artifacts"));
    const id = await (await openStore(b)).createExperiment({ name: "persisted" });
    await b.close();
    await b.close(); // idempotent
    const again = await openStore(`sqlite:////${file.slice(1)}`);
    expect((await again.getExperimentByName("persisted")).experimentId).toBe(id);
    await again.close();
    const custom = await openBackend(`file://${file}`, { artifactRoot: path.join(dir, "elsewhere") });
    expect(custom.artifactRoot).toBe(`file://${path.join(dir, "elsewhere")}`);
    await custom.close();
    process.env.KEEL_HOME = path.join(dir, "home");
    const home = await openBackend();
    expect(existsSync(path.join(dir, "home", "keel.db"))).toBe(true);
    await home.close();
    const mem = await openBackend("sqlite::memory:");
    expect(mem.uri).toBe("sqlite::memory:");
    await mem.close();
  });

  it("runs each family's migrations once, and refuses a database migrated by a newer Keel", async () => {
    const file = path.join(dir, "v.db");
    const b = (await openBackend(file)) as SqlBackend;
    await openStore(b);
    await openRegistry(b);
    await openTokenStore(b);
    await openStore(b); // current: nothing to apply
    expect(await b.sql.all("SELECT component, version FROM schema_version ORDER BY component")).toEqual([
      { component: "registry", version: 1 },
      { component: "tokens", version: 1 },
      { component: "tracking", version: 2 },
    ]);
    await b.sql.run("UPDATE schema_version SET version = 99 WHERE component = 'tracking'");
    await b.close();
    await expect(openStore(file)).rejects.toThrow(/schema is at version 99, newer than this Keel knows \(2\): upgrade Keel/);
  });

  it("adopts a token table made before the migration runner", async () => {
    const file = path.join(dir, "old.db");
    const Database = (await import("better-sqlite3")).default;
    const db = new Database(file);
    db.exec(`CREATE TABLE keel_auth_migrations (version INTEGER PRIMARY KEY, applied_time INTEGER NOT NULL);
      INSERT INTO keel_auth_migrations VALUES (1, 1);
      CREATE TABLE keel_api_tokens (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, role TEXT NOT NULL CHECK (role IN ('read', 'write', 'admin')), token_hash TEXT NOT NULL UNIQUE, hint TEXT NOT NULL, created_time INTEGER NOT NULL, last_used_time INTEGER, revoked_time INTEGER);
      CREATE UNIQUE INDEX keel_api_tokens_valid_name ON keel_api_tokens (name) WHERE revoked_time IS NULL;
      INSERT INTO keel_api_tokens (name, role, token_hash, hint, created_time) VALUES ('ops', 'admin', 'h', 'keel_abcdef', 1);`);
    db.close();
    const tokens = await openTokenStore(file);
    expect((await tokens.list()).map((t) => [t.name, t.role])).toEqual([["ops", "admin"]]);
    await tokens.close();
  });

  it("shares a backend it is given and closes one it opened", async () => {
    const file = path.join(dir, "r.db");
    const reg = await openRegistry(file, { defaultActor: "tester" });
    await reg.createRegisteredModel({ name: "m" });
    expect((await reg.getAuditLog()).items[0].actor).toBe("tester");
    await reg.close();
    await expect(reg.getRegisteredModel("m")).rejects.toThrow(/not open/); // its own backend went with it
    const b = await openBackend(file);
    const s = await openStore(b);
    const reg2 = await openRegistry(s);
    expect(reg2.backend).toBe(b);
    expect((await reg2.getRegisteredModel("m")).name).toBe("m");
    await reg2.close();
    await s.close();
    expect((await (await openStore(b)).getExperiment("0")).name).toBe("Default"); // still open: the caller's
    await b.close();
  });

  it("reports an unreachable keel server as IO_ERROR for every family", async () => {
    // nothing listens on port 9 of loopback
    for (const open of [openBackend, openStore, openRegistry, openTokenStore]) {
      await expect(open("http://127.0.0.1:9")).rejects.toMatchObject({ code: "IO_ERROR", message: expect.stringMatching(/cannot reach keel server/) });
    }
    await expect(openBackend("http://user:pw@127.0.0.1:9")).rejects.toMatchObject({ code: "INVALID_INPUT" });
  });

  it.skipIf(!PG_URL)("opens PostgreSQL from postgres:// and postgresql:// URIs, in a schema, with artifacts in KEEL_HOME", async () => {
    const schema = pgSchemaName();
    process.env.KEEL_HOME = path.join(dir, "home");
    try {
      const b = await openBackend(pgUri(schema));
      expect(b.kind).toBe("postgres");
      expect(b.artifactRoot).toBe(`file://${path.join(dir, "home", "artifacts")}`);
      await (await openStore(b)).createExperiment({ name: "pg" });
      await b.close();
      const s2 = await openStore(pgUri(schema).replace(/^postgres:/, "postgresql:"));
      expect((await s2.getExperimentByName("pg")).name).toBe("pg");
      await s2.close();
      await expect(openBackend("postgres://nobody@127.0.0.1:1/none")).rejects.toMatchObject({ code: "IO_ERROR" });
    } finally {
      await dropPgSchema(schema);
    }
  });
});
