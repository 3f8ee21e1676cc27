import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findRaggedRow, recordBound } from "../../../src/data/io/csv-shape.js";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "keel-io-shape-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
async function ragged(text: string | Buffer, delimiter = ",", ext = ".csv") {
  const file = path.join(dir, `f${n++}${ext}`);
  writeFileSync(file, text);
  return findRaggedRow(file, delimiter);
}

describe("findRaggedRow", () => {
  it("null when every record has the header's field count (blank lines and a missing final newline are fine)", async () => {
    expect(await ragged("a,b\n1,2\n\n3,4")).toBeNull();
    expect(await ragged('a,b\n"x,y",2\n"multi\nline","q""uote"\n')).toBeNull();
  });

  it("names the first short or long record by the line it starts on", async () => {
    expect(await ragged("a,b,c\n1,2,3\n4,5\n6,7,8,9\n")).toEqual({ line: 3, fields: 2, expected: 3 });
    expect(await ragged("a,b\n1,2\n3,4,5\n")).toEqual({ line: 3, fields: 3, expected: 2 });
  });

  it("counts lines inside quoted fields, with CRLF and CR line ends", async () => {
    expect(await ragged('a,b\r\n"1\r\n2",x\r\n3\r\n')).toEqual({ line: 4, fields: 1, expected: 2 });
    expect(await ragged("a,b\r1,2\r3\r")).toEqual({ line: 3, fields: 1, expected: 2 });
  });

  it("delimiters inside quotes are not field breaks; other delimiters work", async () => {
    expect(await ragged('a,b\n"1,2,3",4\n5,"6,7"\n')).toBeNull();
    expect(await ragged("a\tb\n1\t2\n3\n", "\t", ".tsv")).toEqual({ line: 3, fields: 1, expected: 2 });
  });

  it("reads gzip-compressed files", async () => {
    expect(await ragged(gzipSync("a,b\n1,2\n3\n"), ",", ".csv.gz")).toEqual({ line: 3, fields: 1, expected: 2 });
  });
});

describe("recordBound", () => {
  async function bound(text: string | Buffer, ext = ".csv") {
    const file = path.join(dir, `b${n++}${ext}`);
    writeFileSync(file, text);
    return recordBound(file);
  }

  it("counts the line feeds after the header, with or without a final one, LF or CRLF", async () => {
    expect(await bound("a,b\n1,2\n3,4\n")).toBe(2);
    expect(await bound("a,b\n1,2\n3,4")).toBe(2);
    expect(await bound("a,b\r\n1,2\r\n3,4\r\n")).toBe(2);
    expect(await bound("a,b\n")).toBe(0);
    expect(await bound("a,b")).toBe(0);
  });

  it("is an upper bound when records hold line breaks or lines are blank", async () => {
    // two records: one holds a line break, then a blank line
    expect(await bound('a,b\n1,"x\ny"\n\n3,4\n')).toBe(4);
  });

  it("counts across read chunks (4 MiB), and is null for compressed files", async () => {
    const rows = 300_000; // 4.2 MB of lines
    expect(await bound("x\n" + "1234567890123\n".repeat(rows))).toBe(rows);
    expect(await bound(gzipSync("a\n1\n"), ".csv.gz")).toBeNull();
  });
});
