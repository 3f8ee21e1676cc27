import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KeelError } from "../../../src/core/errors.js";
import { closeDuckDb, readTable } from "../../../src/data/io/index.js";
import { fixture } from "./people.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "keel-io-err-"));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await closeDuckDb();
});

/** The KeelError `p` rejects with; fails the test if it resolves or throws anything else. */
async function keelError(p: Promise<unknown>): Promise<KeelError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(KeelError);
    const k = e as KeelError;
    expect(k.message).not.toContain("\n"); // one line
    expect(k.message).not.toMatch(/^\s*at /m); // no stack in the message
    return k;
  }
  throw new Error("expected a KeelError, but the read succeeded");
}

describe("readTable: bad input gives one-line KeelErrors naming the file", () => {
  it("a missing file is NOT_FOUND", async () => {
    const e = await keelError(readTable(path.join(dir, "nope.csv")));
    expect(e.code).toBe("NOT_FOUND");
    expect(e.message).toContain("nope.csv");
    expect(e.message).toContain("not found");
  });

  it("a missing Parquet or Arrow file is NOT_FOUND too", async () => {
    expect((await keelError(readTable(path.join(dir, "nope.parquet")))).code).toBe("NOT_FOUND");
    expect((await keelError(readTable(path.join(dir, "nope.arrow")))).code).toBe("NOT_FOUND");
  });

  it("an empty file and a blank file are INVALID_INPUT saying so", async () => {
    for (const f of ["empty.csv", "blank.csv"]) {
      const e = await keelError(readTable(fixture(f)));
      expect(e.code).toBe("INVALID_INPUT");
      expect(e.message).toContain(f);
      expect(e.message).toContain("is empty; expected a header row");
    }
    const json = path.join(dir, "empty.json");
    writeFileSync(json, "");
    expect((await keelError(readTable(json))).message).toContain("expected a JSON array of records");
  });

  it("a row with too few fields names its line", async () => {
    const e = await keelError(readTable(fixture("ragged-short.csv")));
    expect(e.code).toBe("INVALID_INPUT");
    expect(e.message).toBe(`"${fixture("ragged-short.csv")}" line 3: 2 fields, expected 3 like the header`);
  });

  it("a row with too many fields names its line", async () => {
    const e = await keelError(readTable(fixture("ragged-long.csv")));
    expect(e.message).toBe(`"${fixture("ragged-long.csv")}" line 4: 4 fields, expected 3 like the header`);
  });

  it("line numbers count line breaks inside quoted fields", async () => {
    const e = await keelError(readTable(fixture("ragged-quoted.csv")));
    expect(e.message).toBe(`"${fixture("ragged-quoted.csv")}" line 5: 4 fields, expected 3 like the header`);
  });

  it("a ragged row far past DuckDB's sniffing sample still names its line", async () => {
    const lines = ["a,b,c"];
    for (let i = 0; i < 40_000; i++) lines.push(`${i},x${i % 5},${i / 2}`);
    lines.push("40000,y"); // line 40002
    lines.push("40001,z,1");
    const file = path.join(dir, "late-ragged.csv");
    writeFileSync(file, lines.join("\n") + "\n");
    const e = await keelError(readTable(file));
    expect(e.message).toBe(`"${file}" line 40002: 2 fields, expected 3 like the header`);
  });

  it("a ragged CSV queried with options.sql still names its line", async () => {
    const e = await keelError(readTable(fixture("ragged-long.csv"), { sql: "SELECT * FROM data" }));
    expect(e.message).toBe(`"${fixture("ragged-long.csv")}" line 4: 4 fields, expected 3 like the header`);
  });

  it("an unknown extension is UNSUPPORTED and lists the known ones", async () => {
    const e = await keelError(readTable(path.join(dir, "book.xlsx")));
    expect(e.code).toBe("UNSUPPORTED");
    expect(e.message).toContain("book.xlsx");
    expect(e.message).toContain(".xlsx");
    expect(e.message).toContain(".csv");
    expect(e.message).toContain("options.format");
  });

  it("an unknown format option is INVALID_INPUT", async () => {
    const e = await keelError(readTable(fixture("people.csv"), { format: "excel" as never }));
    expect(e.code).toBe("INVALID_INPUT");
    expect(e.message).toContain('"excel"');
  });

  it("an unknown column in kinds or columns is NOT_FOUND and lists the columns", async () => {
    for (const file of ["people.csv", "people.json"]) {
      const k = await keelError(readTable(fixture(file), { kinds: { postcode: "categorical" } }));
      expect(k.code).toBe("NOT_FOUND");
      expect(k.message).toContain(file);
      expect(k.message).toContain('options.kinds names column "postcode"');
      expect(k.message).toContain('"zip"');
      const c = await keelError(readTable(fixture(file), { columns: ["id", "town"] }));
      expect(c.code).toBe("NOT_FOUND");
      expect(c.message).toContain('options.columns names column "town"');
    }
  });

  it("an unknown column in kinds is NOT_FOUND for Arrow files too", async () => {
    const { Table, Float64, tableToIPC, vectorFromArray } = await import("apache-arrow");
    const file = path.join(dir, "one.arrow");
    writeFileSync(file, tableToIPC(new Table({ a: vectorFromArray([1, 2], new Float64()) }), "file"));
    const e = await keelError(readTable(file, { kinds: { b: "numeric" } }));
    expect(e.code).toBe("NOT_FOUND");
    expect(e.message).toContain("one.arrow");
  });

  it("an invalid kind name, limit or delimiter is INVALID_INPUT", async () => {
    expect((await keelError(readTable(fixture("people.csv"), { kinds: { zip: "string" as never } }))).message).toContain('"string"');
    expect((await keelError(readTable(fixture("people.csv"), { limit: -1 }))).code).toBe("INVALID_INPUT");
    expect((await keelError(readTable(fixture("people.csv"), { limit: 1.5 }))).code).toBe("INVALID_INPUT");
    expect((await keelError(readTable(fixture("people.csv"), { delimiter: "ab" }))).code).toBe("INVALID_INPUT");
  });

  it("a JSON file that is not an array of records", async () => {
    const e = await keelError(readTable(fixture("not-array.json")));
    expect(e.code).toBe("INVALID_INPUT");
    expect(e.message).toContain("not-array.json");
    expect(e.message).toContain("expected a JSON array of records");
  });

  it("broken NDJSON", async () => {
    const e = await keelError(readTable(fixture("broken.ndjson")));
    expect(e.message).toContain("broken.ndjson");
    expect(e.message).toContain("expected one JSON record per line");
  });

  it("a file that is not Parquet", async () => {
    const e = await keelError(readTable(fixture("bad.parquet")));
    expect(e.code).toBe("INVALID_INPUT");
    expect(e.message).toContain("bad.parquet");
    expect(e.message).toContain("not a readable Parquet file");
  });

  it("a file that is not Arrow IPC", async () => {
    const file = path.join(dir, "junk.arrow");
    writeFileSync(file, "this is not arrow\n");
    const e = await keelError(readTable(file));
    expect(e.code).toBe("INVALID_INPUT");
    expect(e.message).toContain("junk.arrow");
    expect(e.message).toContain("Arrow IPC");
  });

  it("a folder is not a file", async () => {
    const sub = path.join(dir, "folder.csv");
    mkdirSync(sub);
    const e = await keelError(readTable(sub));
    expect(e.code).toBe("INVALID_INPUT");
    expect(e.message).toContain("is not a file");
  });

  it("a value that cannot take a forced kind is named with its column", async () => {
    const e = await keelError(readTable(fixture("people.csv"), { kinds: { city: "numeric" } }));
    expect(e.code).toBe("INVALID_INPUT");
    expect(e.message).toContain("people.csv");
    expect(e.message).toContain('column "city" was asked to be numeric but holds "Paris", which is not a number');
    const d = await keelError(readTable(fixture("people.csv"), { kinds: { note: "datetime" } }));
    expect(d.message).toContain("which is not a date or timestamp");
    const b = await keelError(readTable(fixture("people.csv"), { kinds: { city: "boolean" } }));
    expect(b.message).toContain("which is not a boolean");
  });

  it("SQL errors pass DuckDB's message and name the query", async () => {
    const q = `SELECT nope FROM '${fixture("people.csv")}'`;
    const e = await keelError(readTable(`sql:${q}`));
    expect(e.code).toBe("INVALID_INPUT");
    expect(e.message).toContain("SQL query failed");
    expect(e.message).toContain('"nope"'); // DuckDB's binder names the column
    expect(e.message).toContain(q);
    const s = await keelError(readTable(fixture("people.csv"), { sql: "SELEC * FROM data" }));
    expect(s.message).toContain("syntax error");
    expect(s.message).toContain("SELEC * FROM data");
  });

  it("SQL over a missing file is an SQL error naming the query", async () => {
    const q = `SELECT * FROM '${path.join(dir, "absent.parquet")}'`;
    const e = await keelError(readTable(`sql:${q}`));
    expect(e.message).toContain("absent.parquet");
    expect(e.message).toContain("SQL query failed");
  });

  it("an empty SQL query", async () => {
    expect((await keelError(readTable("sql:   "))).message).toContain("empty");
  });
});
