import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { Bool, DateDay, Dictionary, Float64, Int32, Table, Utf8, tableToIPC, vectorFromArray } from "apache-arrow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MISSING_BOOL } from "../../../src/data/column.js";
import { closeDuckDb, readTable } from "../../../src/data/io/index.js";
import { PEOPLE, expectPeople, fixture, plainRows } from "./people.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "keel-io-read-"));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await closeDuckDb();
});

describe("readTable: every format gives the people frame", () => {
  it("CSV (NA, N/A, empty as missing; quoted commas, quotes, line breaks)", async () => {
    expectPeople(await readTable(fixture("people.csv")));
  });

  it("TSV", async () => {
    expectPeople(await readTable(fixture("people.tsv")));
  });

  it("JSON array of records", async () => {
    expectPeople(await readTable(fixture("people.json")));
  });

  it("NDJSON", async () => {
    expectPeople(await readTable(fixture("people.ndjson")));
  });

  it("Parquet written by DuckDB itself (DATE, BOOLEAN, BIGINT, DOUBLE, VARCHAR with NULLs)", async () => {
    const file = path.join(dir, "people.parquet");
    const db = await DuckDBInstance.create(":memory:");
    const con = await db.connect();
    const rows = PEOPLE.rows
      .map(
        (r) =>
          `(${[
            `'${r.id}'`,
            `'${r.city}'`,
            r.amount === null ? "NULL" : `${r.amount}::DOUBLE`,
            r.active === null ? "NULL" : String(r.active),
            r.joined === null ? "NULL" : `DATE '${new Date(r.joined).toISOString().slice(0, 10)}'`,
            `'${r.zip}'`,
            `${r.code}::BIGINT`,
            r.note === null ? "NULL" : `'${r.note.replaceAll("'", "''")}'`,
          ].join(", ")})`,
      )
      .join(", ");
    await con.run(`COPY (SELECT * FROM (VALUES ${rows}) t(${PEOPLE.names.join(", ")})) TO '${file}' (FORMAT PARQUET)`);
    con.disconnectSync();
    db.closeSync();
    expectPeople(await readTable(file));
  });

  it("Arrow IPC (.arrow file and .feather) written with apache-arrow", async () => {
    const col = <T>(key: keyof (typeof PEOPLE.rows)[number]) => PEOPLE.rows.map((r) => r[key]) as T[];
    const table = new Table({
      id: vectorFromArray(col<string>("id"), new Utf8()),
      city: vectorFromArray(col<string>("city"), new Dictionary(new Utf8(), new Int32())),
      amount: vectorFromArray(col<number | null>("amount"), new Float64()),
      active: vectorFromArray(col<boolean | null>("active"), new Bool()),
      joined: vectorFromArray(
        col<number | null>("joined").map((t) => (t === null ? null : new Date(t))),
        new DateDay(),
      ),
      zip: vectorFromArray(col<string>("zip"), new Utf8()),
      code: vectorFromArray(col<number>("code"), new Int32()),
      note: vectorFromArray(col<string | null>("note"), new Utf8()),
    });
    const arrow = path.join(dir, "people.arrow");
    const feather = path.join(dir, "people.feather");
    writeFileSync(arrow, tableToIPC(table, "file"));
    writeFileSync(feather, tableToIPC(table, "file"));
    expectPeople(await readTable(arrow));
    expectPeople(await readTable(feather));
    // the stream flavour of IPC reads too
    const stream = path.join(dir, "people-stream.arrow");
    writeFileSync(stream, tableToIPC(table, "stream"));
    expectPeople(await readTable(stream));
  });

  it("the format can be given instead of taken from the extension", async () => {
    const file = path.join(dir, "people.txt");
    writeFileSync(file, readFileSync(fixture("people.csv")));
    expectPeople(await readTable(file, { format: "csv" }));
  });
});

describe("readTable: real rows agree with pandas", () => {
  const ref = JSON.parse(readFileSync(fixture("credit-300.reference.json"), "utf8")) as {
    rows: number;
    columns: Record<string, { missing: number; sum?: number; min?: number; max?: number; counts?: Record<string, number> }>;
  };

  it("credit-300.csv: row count, kinds, missing counts, sums and category counts", async () => {
    const frame = await readTable(fixture("credit-300.csv"));
    expect(frame.nRows).toBe(ref.rows);
    expect(frame.names).toEqual(Object.keys(ref.columns));
    for (const [name, c] of Object.entries(ref.columns)) {
      const col = frame.column(name);
      const info = frame.describe().find((d) => d.name === name)!;
      expect(info.missing, name).toBe(c.missing);
      if (c.sum !== undefined) {
        expect(col.kind, name).toBe("numeric");
        if (col.kind !== "numeric") continue;
        let sum = 0;
        let min = Infinity;
        let max = -Infinity;
        for (const v of col.values) {
          if (v !== v) continue;
          sum += v;
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
        expect(sum, name).toBe(c.sum);
        expect(min, name).toBe(c.min);
        expect(max, name).toBe(c.max);
      } else {
        // yes/no labels (Records) stay categorical, as pandas keeps them strings
        expect(col.kind, name).toBe("categorical");
        if (col.kind !== "categorical") continue;
        const counts: Record<string, number> = {};
        for (const k of col.codes) if (k >= 0) counts[col.categories[k]] = (counts[col.categories[k]] ?? 0) + 1;
        expect(counts, name).toEqual(c.counts);
        expect(col.categories, name).toEqual(Object.keys(c.counts!).sort());
      }
    }
  });
});

describe("readTable: options", () => {
  it("columns selects and orders columns; limit takes the first rows", async () => {
    const f = await readTable(fixture("people.csv"), { columns: ["note", "city", "amount"], limit: 4 });
    expect(f.names).toEqual(["note", "city", "amount"]);
    expect(plainRows(f)).toEqual(PEOPLE.rows.slice(0, 4).map((r) => ({ note: r.note, city: r.city, amount: r.amount })));
    // with 4 rows city still has repeats (Paris twice): categorical; note is all distinct: text
    expect(f.kind("city")).toBe("categorical");
    expect(f.kind("note")).toBe("text");
  });

  it("columns and limit work on Parquet and Arrow too", async () => {
    const db = await DuckDBInstance.create(":memory:");
    const con = await db.connect();
    const pq = path.join(dir, "range.parquet");
    await con.run(`COPY (SELECT i::DOUBLE AS x, 'k' || (i % 3)::VARCHAR AS k FROM range(5000) r(i)) TO '${pq}' (FORMAT PARQUET)`);
    con.disconnectSync();
    db.closeSync();
    const f = await readTable(pq, { columns: ["k"], limit: 7 });
    expect(f.names).toEqual(["k"]);
    expect(plainRows(f).map((r) => r.k)).toEqual(["k0", "k1", "k2", "k0", "k1", "k2", "k0"]);
    const arrow = path.join(dir, "lim.arrow");
    writeFileSync(arrow, tableToIPC(new Table({ a: vectorFromArray([1, 2, 3], new Float64()), b: vectorFromArray(["x", "y", "x"], new Utf8()) }), "file"));
    const g = await readTable(arrow, { columns: ["b"], limit: 2 });
    expect(plainRows(g)).toEqual([{ b: "x" }, { b: "y" }]);
  });

  it("limit 0 gives the columns with no rows", async () => {
    const f = await readTable(fixture("people.csv"), { limit: 0 });
    expect(f.nRows).toBe(0);
    expect(f.names).toEqual(PEOPLE.names);
  });

  it("a header-only CSV is a frame with columns and no rows", async () => {
    const f = await readTable(fixture("header-only.csv"));
    expect(f.nRows).toBe(0);
    expect(f.names).toEqual(["a", "b", "c"]);
  });

  it("a JSON file holding [] is an empty frame", async () => {
    const file = path.join(dir, "none.json");
    writeFileSync(file, "[]\n");
    const f = await readTable(file);
    expect(f.nRows).toBe(0);
    expect(f.nCols).toBe(0);
  });

  it("na replaces the missing-value tokens", async () => {
    const file = path.join(dir, "dash.csv");
    writeFileSync(file, "x,y\n1,-\n-,b\n3,NA\n");
    const f = await readTable(file, { na: ["-"] });
    expect(plainRows(f)).toEqual([
      { x: 1, y: null },
      { x: null, y: "b" },
      { x: 3, y: "NA" },
    ]);
  });

  it("a custom delimiter", async () => {
    const file = path.join(dir, "semi.csv");
    writeFileSync(file, "a;b\n1;x\n2;y\n3;x\n");
    const f = await readTable(file, { delimiter: ";" });
    expect(plainRows(f)).toEqual([
      { a: 1, b: "x" },
      { a: 2, b: "y" },
      { a: 3, b: "x" },
    ]);
  });

  it("a byte-order mark and CRLF line ends are handled", async () => {
    const file = path.join(dir, "bom.csv");
    writeFileSync(file, "\uFEFFa,b\r\n1,x\r\n2,y\r\n3,x\r\n");
    const f = await readTable(file);
    expect(plainRows(f)).toEqual([
      { a: 1, b: "x" },
      { a: 2, b: "y" },
      { a: 3, b: "x" },
    ]);
  });

  it("concurrent reads share the DuckDB instance without seeing each other's tables", async () => {
    const frames = await Promise.all([
      readTable(fixture("people.csv")),
      readTable(fixture("people.json")),
      readTable(fixture("credit-300.csv"), { columns: ["Status"] }),
      readTable(fixture("people.tsv")),
    ]);
    expectPeople(frames[0]);
    expectPeople(frames[1]);
    expect(frames[2].names).toEqual(["Status"]);
    expect(frames[2].nRows).toBe(300);
    expectPeople(frames[3]);
  });

  it("closeDuckDb can be called at any time; the next read opens a new instance", async () => {
    await closeDuckDb();
    await closeDuckDb();
    expectPeople(await readTable(fixture("people.csv")));
  });

  it("gzip-compressed CSV", async () => {
    const { gzipSync } = await import("node:zlib");
    const file = path.join(dir, "people.csv.gz");
    writeFileSync(file, gzipSync(readFileSync(fixture("people.csv"))));
    expectPeople(await readTable(file));
  });
});

describe("readTable: many rows cross DuckDB's 2048-row chunks intact", () => {
  it("missing values land on exactly the right rows in every kind", async () => {
    const n = 10_000;
    const lines = ["num,cat,flag,when,txt"];
    const expected: { num: number | null; cat: string | null; flag: boolean | null; when: number | null; txt: string | null }[] = [];
    for (let i = 0; i < n; i++) {
      const num = i % 7 === 3 ? null : i * 0.25 - 100;
      const cat = i % 11 === 5 ? null : `c${i % 13}`;
      const flag = i % 17 === 2 ? null : i % 2 === 0;
      const when = i % 19 === 4 ? null : Date.UTC(2020, 0, 1) + i * 3_600_000;
      const txt = i % 23 === 9 ? null : `row ${i} text`;
      expected.push({ num, cat, flag, when, txt });
      const iso = when === null ? "" : new Date(when).toISOString().replace("T", " ").slice(0, 19);
      lines.push([num ?? "", cat ?? "NA", flag === null ? "" : String(flag), iso, txt ?? ""].join(","));
    }
    const file = path.join(dir, "big.csv");
    writeFileSync(file, lines.join("\n") + "\n");
    const f = await readTable(file);
    expect(Object.fromEntries(f.names.map((c) => [c, f.kind(c)]))).toEqual({ num: "numeric", cat: "categorical", flag: "boolean", when: "datetime", txt: "text" });
    expect(f.nRows).toBe(n);
    expect(plainRows(f)).toEqual(expected);
    const flag = f.column("flag");
    expect(flag.kind === "boolean" && flag.values[2]).toBe(MISSING_BOOL);
  });

  it("a file of numbers, booleans and dates is streamed in one pass: more rows than one block, in order, missing cells in place", async () => {
    // 150,000 rows: more than one block of 65,536 (the blocks a read collects when the file gives no line count)
    const n = 150_000;
    const lines = ["x,flag,when"];
    for (let i = 0; i < n; i++) {
      const x = i % 9 === 4 ? "" : String(i * 0.5 - 7);
      const flag = i % 13 === 1 ? "" : i % 3 === 0 ? "true" : "false";
      const when = i % 29 === 7 ? "" : new Date(Date.UTC(2021, 0, 1) + i * 60_000).toISOString().slice(0, 19).replace("T", " ");
      lines.push(`${x},${flag},${when}`);
    }
    const file = path.join(dir, "numbers.csv");
    writeFileSync(file, lines.join("\n") + "\n");
    const f = await readTable(file);
    expect(f.nRows).toBe(n);
    expect(Object.fromEntries(f.names.map((c) => [c, f.kind(c)]))).toEqual({ x: "numeric", flag: "boolean", when: "datetime" });
    const x = f.column("x");
    const flag = f.column("flag");
    const when = f.column("when");
    if (x.kind !== "numeric" || flag.kind !== "boolean" || when.kind !== "datetime") throw new Error("kinds");
    for (let i = 0; i < n; i++) {
      const wantX = i % 9 === 4 ? NaN : i * 0.5 - 7;
      const wantFlag = i % 13 === 1 ? MISSING_BOOL : i % 3 === 0 ? 1 : 0;
      const wantWhen = i % 29 === 7 ? NaN : Date.UTC(2021, 0, 1) + i * 60_000;
      if (!Object.is(x.values[i], wantX) || flag.values[i] !== wantFlag || !Object.is(when.values[i], wantWhen)) {
        throw new Error(`row ${i}: got (${x.values[i]}, ${flag.values[i]}, ${when.values[i]}), expected (${wantX}, ${wantFlag}, ${wantWhen})`);
      }
    }
    // a limit and a column selection on the same path
    const head = await readTable(file, { columns: ["when", "x"], limit: 70_000 });
    expect(head.names).toEqual(["when", "x"]);
    expect(head.nRows).toBe(70_000);
    const hx = head.column("x");
    expect(hx.kind === "numeric" && [hx.values[69_999], hx.values[65_536]]).toEqual([69_999 * 0.5 - 7, 65_536 * 0.5 - 7]);
  });

  it("a streamed file's columns are sized by its line count: exact arrays when the count holds, the same rows when it does not", async () => {
    const n = 70_000;
    const body = Array.from({ length: n }, (_, i) => `${i},${i % 5 === 0 ? "" : i / 4}`);
    const exact = path.join(dir, "exact.csv");
    writeFileSync(exact, "i,x\n" + body.join("\n") + "\n");
    const f = await readTable(exact);
    const fi = f.column("i");
    if (fi.kind !== "numeric") throw new Error("kind");
    // one array of n rows: no blocks joined, no spare capacity
    expect([f.nRows, fi.values.length, fi.values.buffer.byteLength]).toEqual([n, n, 8 * n]);
    // blank lines make the count too large (the rows are copied to size); carriage returns alone make it 0
    const loose = path.join(dir, "loose.csv");
    writeFileSync(loose, "i,x\n" + body.join("\n") + "\n\n\n\n");
    const cr = path.join(dir, "cr.csv");
    writeFileSync(cr, "i,x\r" + body.join("\r") + "\r");
    for (const file of [loose, cr]) {
      const g = await readTable(file);
      const gi = g.column("i");
      const gx = g.column("x");
      if (gi.kind !== "numeric" || gx.kind !== "numeric") throw new Error("kinds");
      expect([g.nRows, gi.values.length, gi.values[n - 1], gx.values[n - 1], gx.values[65_536 + 3]]).toEqual([n, n, n - 1, (n - 1) / 4, (65_536 + 3) / 4]);
      expect(Number.isNaN(gx.values[65_535])).toBe(true);
    }
  });

  it("a categorical with thousands of categories (dictionary joined in SQL) keeps row order and codes", async () => {
    const n = 30_000;
    const values: string[] = [];
    for (let i = 0; i < n; i++) values.push(`v${(i * 7919) % 9000}`); // 9000 categories, each 3 or 4 times
    const file = path.join(dir, "many.csv");
    writeFileSync(file, "id,v\n" + values.map((v, i) => `${i},${v}`).join("\n") + "\n");
    const f = await readTable(file);
    const col = f.column("v");
    expect(col.kind).toBe("categorical");
    if (col.kind !== "categorical") return;
    expect(col.categories.length).toBe(9000);
    expect([...col.categories]).toEqual([...new Set(values)].sort());
    for (let i = 0; i < n; i++) if (col.categories[col.codes[i]] !== values[i]) throw new Error(`row ${i}: ${col.categories[col.codes[i]]} != ${values[i]}`);
    const ids = f.column("id");
    expect(ids.kind === "numeric" && Array.from(ids.values.subarray(0, 5))).toEqual([0, 1, 2, 3, 4]);
  });
});
