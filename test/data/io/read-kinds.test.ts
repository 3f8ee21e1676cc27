import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Float64, Table, Utf8, tableToIPC, vectorFromArray } from "apache-arrow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDuckDb, readTable, stringKind } from "../../../src/data/io/index.js";
import { PEOPLE, fixture, plainRows } from "./people.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "keel-io-kinds-"));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await closeDuckDb();
});

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
}

describe("stringKind: categorical or text", () => {
  it("all distinct (two or more values) is text", () => {
    expect(stringKind(2, 2)).toBe("text");
    expect(stringKind(500, 500)).toBe("text");
  });
  it("mostly distinct with more than 20 values is text; fewer stays categorical", () => {
    expect(stringKind(60, 100)).toBe("text");
    expect(stringKind(15, 25)).toBe("categorical");
    expect(stringKind(50, 100)).toBe("categorical"); // exactly half is not more than half
  });
  it("repeated values are categorical; one value or none is categorical", () => {
    expect(stringKind(3, 1000)).toBe("categorical");
    expect(stringKind(1, 1)).toBe("categorical");
    expect(stringKind(0, 0)).toBe("categorical");
  });
});

describe("readTable: kind inference", () => {
  it("an identifier column with a few repeats among many rows is still text", async () => {
    const rows = Array.from({ length: 200 }, (_, i) => `${i % 150 === 7 ? "dup" : `id-${i}`},${["a", "b", "c"][i % 3]}`);
    const f = await readTable(write("ids.csv", "key,grp\n" + rows.join("\n") + "\n"));
    expect(f.kind("key")).toBe("text");
    expect(f.kind("grp")).toBe("categorical");
  });

  it("true/false is boolean, but yes/no and t/f labels stay categorical", async () => {
    const f = await readTable(write("bools.csv", "b,yn,tf\ntrue,yes,t\nFALSE,no,f\n,yes,t\nTrue,no,f\n"));
    expect(f.kind("b")).toBe("boolean");
    expect(plainRows(f).map((r) => r.b)).toEqual([true, false, null, true]);
    expect(f.kind("yn")).toBe("categorical");
    expect(f.kind("tf")).toBe("categorical");
    const yn = f.column("yn");
    expect(yn.kind === "categorical" && yn.categories).toEqual(["no", "yes"]);
  });

  it("ISO-8601 dates and timestamps in CSV are datetimes (epoch ms, UTC)", async () => {
    const f = await readTable(write("dates.csv", "d,ts,tz\n2020-02-29,2020-02-29T13:45:30,2020-02-29T13:45:30.250Z\n1969-12-31,1969-12-31 23:59:59,\n"));
    expect(f.kind("d")).toBe("datetime");
    expect(f.kind("ts")).toBe("datetime");
    expect(f.kind("tz")).toBe("datetime");
    expect(plainRows(f)).toEqual([
      { d: Date.UTC(2020, 1, 29), ts: Date.UTC(2020, 1, 29, 13, 45, 30), tz: Date.UTC(2020, 1, 29, 13, 45, 30, 250) },
      { d: Date.UTC(1969, 11, 31), ts: Date.UTC(1969, 11, 31, 23, 59, 59), tz: null },
    ]);
  });

  it("dateFormats reads a column with its strptime format (day first where inference would say month first) and names a value that does not parse", async () => {
    // every value parses both ways; inference would take day first, the declared format says month first
    const file = write("us-dates.csv", "id,sold\n1,01/02/2000\n2,03/04/2001\n3,\n");
    const f = await readTable(file, { dateFormats: { sold: "%m/%d/%Y" } });
    expect(f.column("sold").kind).toBe("datetime");
    const v = (f.column("sold") as { values: Float64Array }).values;
    expect([v[0], v[1]]).toEqual([Date.UTC(2000, 0, 2), Date.UTC(2001, 2, 4)]);
    expect(Number.isNaN(v[2])).toBe(true);
    const bad = write("mixed-dates.csv", "id,sold\n1,01/02/2000\n2,2001-04-03\n");
    await expect(readTable(bad, { dateFormats: { sold: "%m/%d/%Y" } })).rejects.toThrow(/column "sold" was asked to be datetime but holds "2001-04-03", which is not a date in the format %m\/%d\/%Y/);
    await expect(readTable(bad, { dateFormats: { sold: "mm/dd" } })).rejects.toThrow(/expected a strptime format/);
    await expect(readTable(bad, { kinds: { sold: "text" }, dateFormats: { sold: "%Y" } })).rejects.toThrow(/options\.kinds makes it text/);
  });

  it("integers, decimals and NaN tokens are numeric", async () => {
    const f = await readTable(write("nums.csv", "i,x\n1,1.5\n-2,NaN\n3,1e3\nNA,-0.25\n"));
    expect(plainRows(f)).toEqual([
      { i: 1, x: 1.5 },
      { i: -2, x: null },
      { i: 3, x: 1000 },
      { i: null, x: -0.25 },
    ]);
  });

  it("a word after DuckDB's sniffing sample in a column of numbers makes it a string column, not an error", async () => {
    const lines = ["a,b"];
    for (let i = 0; i < 30_000; i++) lines.push(`${i},x${i % 3}`);
    lines.push("oops,y");
    const f = await readTable(write("late-word.csv", lines.join("\n") + "\n"));
    expect(f.nRows).toBe(30_001);
    expect(f.kind("a")).toBe("text");
    expect(f.get(30_000, "a")).toBe("oops");
    expect(f.get(5, "a")).toBe("5");
    // forcing it numeric names the value that is not a number
    await expect(readTable(path.join(dir, "late-word.csv"), { kinds: { a: "numeric" } })).rejects.toThrow('holds "oops", which is not a number');
  });

  it("rows starting with # are data, not comments", async () => {
    const f = await readTable(write("hash.csv", "a,b\n#1,x\n#2,y\n3,x\n"));
    expect(f.nRows).toBe(3);
    expect(plainRows(f).map((r) => r.a)).toEqual(["#1", "#2", "3"]);
  });
});

describe("readTable: forced kinds", () => {
  it("a numeric code forced categorical keeps its text; a category forced text; a string forced numeric", async () => {
    const f = await readTable(fixture("people.csv"), { kinds: { code: "categorical", city: "text", zip: "numeric" } });
    const code = f.column("code");
    expect(code.kind).toBe("categorical");
    expect(code.kind === "categorical" && code.categories).toEqual(["1", "2", "3"]);
    expect(plainRows(f).map((r) => r.code)).toEqual(["3", "1", "2", "3", "1", "2"]);
    expect(f.kind("city")).toBe("text");
    expect(plainRows(f).map((r) => r.city)).toEqual(PEOPLE.rows.map((r) => r.city));
    expect(f.kind("zip")).toBe("numeric");
    expect(plainRows(f).map((r) => r.zip)).toEqual([501, 10001, 2134, 501, 94105, 10001]);
  });

  it("zip codes with leading zeros forced categorical keep the zeros even when DuckDB would sniff numbers", async () => {
    const f = await readTable(write("zips.csv", "zip,n\n01234,1\n98765,2\n01234,3\n00001,4\n"), { kinds: { zip: "categorical" } });
    expect(plainRows(f).map((r) => r.zip)).toEqual(["01234", "98765", "01234", "00001"]);
  });

  it("a text column of numbers forced numeric, a string forced datetime, 0/1 forced boolean", async () => {
    const f = await readTable(write("force.csv", "n,when,flag\n1,2021-01-02,1\n2,,0\n,2021-01-04,1\n"), {
      kinds: { n: "numeric", when: "datetime", flag: "boolean" },
    });
    expect(plainRows(f)).toEqual([
      { n: 1, when: Date.UTC(2021, 0, 2), flag: true },
      { n: 2, when: null, flag: false },
      { n: null, when: Date.UTC(2021, 0, 4), flag: true },
    ]);
  });

  it("forced kinds apply to JSON, Parquet (via SQL) and Arrow as well", async () => {
    const j = await readTable(fixture("people.json"), { kinds: { code: "categorical", id: "categorical" } });
    expect(j.kind("code")).toBe("categorical");
    expect(j.kind("id")).toBe("categorical");
    const arrow = path.join(dir, "k.arrow");
    writeFileSync(arrow, tableToIPC(new Table({ z: vectorFromArray([501, 2134, 501], new Float64()), s: vectorFromArray(["1.5", "2", null], new Utf8()) }), "file"));
    const a = await readTable(arrow, { kinds: { z: "categorical", s: "numeric" } });
    expect(plainRows(a)).toEqual([
      { z: "501", s: 1.5 },
      { z: "2134", s: 2 },
      { z: "501", s: null },
    ]);
  });
});

describe("readTable: awkward names and values", () => {
  it("column names with spaces and quotes, values with apostrophes, forced by name", async () => {
    const file = write("names.csv", '"a b","c""d",e\n1,x\'s,p\n2,y,q\n3,x\'s,p\n');
    const f = await readTable(file, { kinds: { 'c"d': "text", "a b": "categorical" } });
    expect(f.names).toEqual(["a b", 'c"d', "e"]);
    expect(plainRows(f)).toEqual([
      { "a b": "1", 'c"d': "x's", e: "p" },
      { "a b": "2", 'c"d': "y", e: "q" },
      { "a b": "3", 'c"d': "x's", e: "p" },
    ]);
    expect(f.kind('c"d')).toBe("text");
    const g = await readTable(file);
    const cd = g.column('c"d');
    expect(cd.kind === "categorical" && cd.categories).toEqual(["x's", "y"]);
  });
});

describe("readTable: SQL over files", () => {
  it("options.sql queries the file as the view `data`", async () => {
    const f = await readTable(fixture("people.csv"), {
      sql: "SELECT city, count(*) AS n, sum(amount) AS total FROM data GROUP BY city ORDER BY city",
    });
    expect(plainRows(f)).toEqual([
      { city: "Lyon", n: 2, total: null },
      { city: "Nice", n: 1, total: 7 },
      { city: "Paris", n: 3, total: 9.25 },
    ]);
    expect(f.kind("n")).toBe("numeric");
  });

  it("a sql: source reads files by path, with kinds inferred from the result", async () => {
    const q = `sql:SELECT id, city, joined FROM '${fixture("people.csv")}' WHERE active ORDER BY id`;
    const f = await readTable(q);
    expect(plainRows(f)).toEqual([
      { id: "u001", city: "Paris", joined: Date.UTC(2021, 2, 4) },
      { id: "u003", city: "Paris", joined: null },
      { id: "u006", city: "Paris", joined: Date.UTC(2021, 2, 9) },
    ]);
    expect(f.kind("joined")).toBe("datetime");
    expect(f.kind("city")).toBe("categorical"); // one repeated value
  });

  it("kinds, columns and limit apply to a query's result", async () => {
    const f = await readTable(`sql:SELECT * FROM '${fixture("people.csv")}' ORDER BY id`, { columns: ["id", "code"], kinds: { code: "categorical" }, limit: 2 });
    expect(plainRows(f)).toEqual([
      { id: "u001", code: "3" },
      { id: "u002", code: "1" },
    ]);
  });

  it("source '' with options.sql runs the query as is", async () => {
    const f = await readTable("", { sql: "SELECT 42 AS answer, 'x' AS s" });
    expect(plainRows(f)).toEqual([{ answer: 42, s: "x" }]);
  });
});

describe("dates in common formats", () => {
  const day = (y: number, m: number, d: number, h = 0, min = 0) => Date.UTC(y, m - 1, d, h, min);

  it("reads 'Jun 12 1998', '12/06/1998', '1998-06-12 10:00' and friends as datetimes, not 1,600 categories", async () => {
    const file = write(
      "dates.csv",
      [
        "short,dayfirst,minutes,monthfirst,dotted,long,comma",
        "Jun 12 1998,12/06/1998,1998-06-12 10:00,06/13/1998,13.06.1998,June 12 1998,\"Jun 12, 1998\"",
        "Jan 03 2001,25/12/2001,2001-01-03 23:59,12/25/2001,25.12.2001,January 3 2001,\"Jan 3, 2001\"",
        "Dec 31 1999,01/02/2000,1999-12-31 00:00,01/02/2000,01.02.2000,December 31 1999,",
      ].join("\n") + "\n",
    );
    const f = await readTable(file);
    for (const n of f.names) expect(f.kind(n), n).toBe("datetime");
    const v = (n: string) => Array.from((f.column(n) as { values: Float64Array }).values);
    expect(v("short")).toEqual([day(1998, 6, 12), day(2001, 1, 3), day(1999, 12, 31)]);
    expect(v("dayfirst")).toEqual([day(1998, 6, 12), day(2001, 12, 25), day(2000, 2, 1)]);
    expect(v("minutes")).toEqual([day(1998, 6, 12, 10), day(2001, 1, 3, 23, 59), day(1999, 12, 31)]);
    expect(v("monthfirst")).toEqual([day(1998, 6, 13), day(2001, 12, 25), day(2000, 1, 2)]);
    expect(v("dotted")).toEqual([day(1998, 6, 13), day(2001, 12, 25), day(2000, 2, 1)]);
    expect(v("long")).toEqual([day(1998, 6, 12), day(2001, 1, 3), day(1999, 12, 31)]);
    expect(v("comma")).toEqual([day(1998, 6, 12), day(2001, 1, 3), NaN]);
  });

  it("day first when every value reads either way (as DuckDB's sniffer); strings that are not all dates stay strings", async () => {
    const file = write("ambiguous.csv", "when,mixed,code,other\n01/02/2000,Jun 12 1998,A12,1998-06-12\n03/04/2001,not a date,B7,1999-01-01\n05/06/2002,Jan 03 2001,C3,2000-02-02\n");
    const f = await readTable(file);
    expect(Array.from((f.column("when") as { values: Float64Array }).values)).toEqual([day(2000, 2, 1), day(2001, 4, 3), day(2002, 6, 5)]);
    expect(f.kind("mixed")).not.toBe("datetime");
    expect(f.kind("code")).not.toBe("datetime");
    // a forced kind wins
    expect((await readTable(file, { kinds: { when: "categorical" } })).kind("when")).toBe("categorical");
  });
});
