import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KeelError } from "../../../src/core/errors.js";
import { boolean, categoricalFromValues, datetime, numeric, text } from "../../../src/data/column.js";
import { Frame } from "../../../src/data/frame.js";
import { closeDuckDb, readTable, writeTable } from "../../../src/data/io/index.js";
import { expectPeople, fixture, plainRows } from "./people.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "keel-io-write-"));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await closeDuckDb();
});

/** A frame with every kind, awkward strings and missing cells in each column. */
function sample(): Frame {
  return Frame.fromColumns({
    x: numeric([1.5, null, -0.1, 1e21, 0.1 + 0.2]),
    label: categoricalFromValues(["a", "b,c", null, 'say "hi"', "a"]),
    flag: boolean([true, false, null, true, false]),
    when: datetime([Date.UTC(2020, 0, 1, 12, 30, 15, 250), null, Date.UTC(1969, 6, 20, 20, 17), 0, Date.UTC(2024, 1, 29)]),
    note: text(["line one\nline two", "", null, " padded ", "plain"]),
  });
}

describe("writeTable: CSV", () => {
  it("writes a header, RFC 4180 quoting, empty cells for missing, ISO datetimes", async () => {
    const file = path.join(dir, "sample.csv");
    await writeTable(sample(), file);
    expect(readFileSync(file, "utf8")).toBe(
      [
        "x,label,flag,when,note",
        '1.5,a,true,2020-01-01T12:30:15.250Z,"line one\nline two"',
        ',"b,c",false,,""',
        "-0.1,,,1969-07-20T20:17:00.000Z,",
        '1e+21,"say ""hi""",true,1970-01-01T00:00:00.000Z," padded "',
        "0.30000000000000004,a,false,2024-02-29T00:00:00.000Z,plain",
        "",
      ].join("\n"),
    );
  });

  it("options.na writes missing cells as a token", async () => {
    const file = path.join(dir, "na.csv");
    await writeTable(Frame.fromColumns({ a: numeric([1, null]), b: categoricalFromValues([null, "NA"]) }), file, { na: "NA" });
    // a real "NA" string is quoted so it is not the missing token
    expect(readFileSync(file, "utf8")).toBe('a,b\n1,NA\nNA,"NA"\n');
  });

  it("TSV from the extension uses tabs", async () => {
    const file = path.join(dir, "t.tsv");
    await writeTable(Frame.fromColumns({ a: numeric([1, 2]), b: categoricalFromValues(["x\ty", "z"]) }), file);
    expect(readFileSync(file, "utf8")).toBe('a\tb\n1\t"x\ty"\n2\tz\n');
  });

  it("round trip: the people fixture read, written, read again is the same frame", async () => {
    const file = path.join(dir, "people-again.csv");
    await writeTable(await readTable(fixture("people.csv")), file);
    expectPeople(await readTable(file));
  });

  it("round trip keeps every double exactly", async () => {
    const values = new Float64Array(5000);
    let s = 12345;
    for (let i = 0; i < values.length; i++) {
      s = (s * 1103515245 + 12345) % 2147483648;
      values[i] = (s / 2147483648 - 0.5) * 10 ** ((i % 40) - 20);
    }
    const file = path.join(dir, "doubles.csv");
    await writeTable(Frame.fromColumns({ v: values }), file);
    const back = (await readTable(file)).column("v");
    expect(back.kind).toBe("numeric");
    expect(back.kind === "numeric" && Array.from(back.values)).toEqual(Array.from(values));
  });
});

describe("writeTable: Parquet", () => {
  it("round trip keeps kinds, values and missing cells (kinds stored in the file)", async () => {
    const file = path.join(dir, "sample.parquet");
    const frame = sample();
    await writeTable(frame, file);
    const back = await readTable(file);
    expect(back.names).toEqual(frame.names);
    expect(Object.fromEntries(back.names.map((n) => [n, back.kind(n)]))).toEqual({ x: "numeric", label: "categorical", flag: "boolean", when: "datetime", note: "text" });
    expect(plainRows(back)).toEqual(plainRows(frame));
  });

  it("DuckDB sees DOUBLE, VARCHAR, BOOLEAN and TIMESTAMP columns", async () => {
    const file = path.join(dir, "types.parquet");
    await writeTable(sample(), file);
    const db = await DuckDBInstance.create(":memory:");
    const con = await db.connect();
    const r = await con.runAndReadAll(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('${file}'))`);
    const types = Object.fromEntries(r.getRowsJS() as [string, string][]);
    const ts = await con.runAndReadAll(`SELECT CAST(epoch_ms("when") AS DOUBLE) FROM read_parquet('${file}') LIMIT 1`);
    con.disconnectSync();
    db.closeSync();
    expect(types).toEqual({ x: "DOUBLE", label: "VARCHAR", flag: "BOOLEAN", when: "TIMESTAMP", note: "VARCHAR" });
    expect(ts.getRowsJS()[0][0]).toBe(Date.UTC(2020, 0, 1, 12, 30, 15, 250));
  });

  it("an all-distinct categorical stays categorical and a repetitive text stays text", async () => {
    const frame = Frame.fromColumns({ c: categoricalFromValues(["p", "q", "r"]), t: text(["same", "same", "same"]) });
    const file = path.join(dir, "kinds.parquet");
    await writeTable(frame, file);
    const back = await readTable(file);
    expect(back.kind("c")).toBe("categorical");
    expect(back.kind("t")).toBe("text");
    // options.kinds still wins over the stored kinds
    expect((await readTable(file, { kinds: { c: "text" } })).kind("c")).toBe("text");
  });

  it("an all-missing column of each kind round-trips", async () => {
    const frame = Frame.fromColumns({
      n: numeric([null, null]),
      c: categoricalFromValues([null, null]),
      b: boolean([null, null]),
      d: datetime([null, null]),
      t: text([null, null]),
    });
    const file = path.join(dir, "missing.parquet");
    await writeTable(frame, file);
    const back = await readTable(file);
    expect(back.describe().map((c) => [c.name, c.kind, c.missing])).toEqual([
      ["n", "numeric", 2],
      ["c", "categorical", 2],
      ["b", "boolean", 2],
      ["d", "datetime", 2],
      ["t", "text", 2],
    ]);
  });

  it("round trip of the people fixture and of many rows across chunks", async () => {
    const file = path.join(dir, "people.parquet");
    await writeTable(await readTable(fixture("people.csv")), file);
    expectPeople(await readTable(file));
    const n = 7000;
    const big = Frame.fromColumns({
      i: numeric(Array.from({ length: n }, (_, i) => (i % 9 === 0 ? null : i))),
      g: categoricalFromValues(Array.from({ length: n }, (_, i) => (i % 5 === 0 ? null : `g${i % 4}`))),
    });
    const bigFile = path.join(dir, "big.parquet");
    await writeTable(big, bigFile);
    expect(plainRows(await readTable(bigFile))).toEqual(plainRows(big));
  });
});

describe("writeTable: atomic writes and bad targets", () => {
  async function keelError(p: Promise<unknown>): Promise<KeelError> {
    try {
      await p;
    } catch (e) {
      expect(e).toBeInstanceOf(KeelError);
      return e as KeelError;
    }
    throw new Error("expected a KeelError");
  }

  it("a failed write leaves neither the target nor a temporary file", async () => {
    const sub = path.join(dir, "atomic");
    mkdirSync(sub);
    // the target is a folder: the final rename fails after the data was written
    const target = path.join(sub, "out.csv");
    mkdirSync(target);
    const e = await keelError(writeTable(sample(), target));
    expect(e.code).toBe("IO_ERROR");
    expect(e.message).toContain("out.csv");
    expect(readdirSync(sub)).toEqual(["out.csv"]);
    const ptarget = path.join(sub, "out.parquet");
    mkdirSync(ptarget);
    await keelError(writeTable(sample(), ptarget));
    expect(readdirSync(sub).sort()).toEqual(["out.csv", "out.parquet"]);
  });

  it("an existing file is replaced whole", async () => {
    const file = path.join(dir, "replace.csv");
    writeFileSync(file, "old content that is longer than the new one\n".repeat(100));
    await writeTable(Frame.fromColumns({ a: numeric([1]) }), file);
    expect(readFileSync(file, "utf8")).toBe("a\n1\n");
  });

  it("a missing folder is NOT_FOUND; an unknown or read-only format is refused", async () => {
    const e = await keelError(writeTable(sample(), path.join(dir, "no", "such", "x.csv")));
    expect(e.code).toBe("NOT_FOUND");
    expect(e.message).toContain("x.csv");
    expect((await keelError(writeTable(sample(), path.join(dir, "x.xlsx")))).code).toBe("UNSUPPORTED");
    expect((await keelError(writeTable(sample(), path.join(dir, "x.json")))).code).toBe("UNSUPPORTED");
    expect(existsSync(path.join(dir, "x.json"))).toBe(false);
  });

  it("a frame without columns is refused", async () => {
    expect((await keelError(writeTable(Frame.empty(3), path.join(dir, "none.csv")))).code).toBe("INVALID_INPUT");
  });
});
