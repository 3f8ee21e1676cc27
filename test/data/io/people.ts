/**
 * The `people` fixture (test/fixtures/io/people.*) as every reader must return it, written by
 * hand from the fixture's text. Shared by the format tests.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import type { Frame } from "../../../src/data/frame.js";

export const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../fixtures/io");
export const fixture = (name: string): string => path.join(FIXTURES, name);

const day = (m: number, d: number) => Date.UTC(2021, m - 1, d);

export const PEOPLE = {
  names: ["id", "city", "amount", "active", "joined", "zip", "code", "note"],
  kinds: {
    id: "text", // all distinct strings: an identifier
    city: "categorical",
    amount: "numeric",
    active: "boolean",
    joined: "datetime",
    zip: "categorical", // leading zeros: DuckDB keeps it a string; 4 values in 6 rows
    code: "numeric",
    note: "text", // all distinct free text
  },
  rows: [
    { id: "u001", city: "Paris", amount: 12.5, active: true, joined: day(3, 4), zip: "00501", code: 3, note: "plain" },
    { id: "u002", city: "Lyon", amount: null, active: false, joined: day(3, 5), zip: "10001", code: 1, note: "has, comma" },
    { id: "u003", city: "Paris", amount: null, active: true, joined: null, zip: "02134", code: 2, note: 'say "hi"' },
    { id: "u004", city: "Nice", amount: 7, active: null, joined: day(3, 7), zip: "00501", code: 3, note: "two\nlines" },
    { id: "u005", city: "Lyon", amount: null, active: false, joined: day(3, 8), zip: "94105", code: 1, note: null },
    { id: "u006", city: "Paris", amount: -3.25, active: true, joined: day(3, 9), zip: "10001", code: 2, note: null },
  ],
} as const;

/** Cells of a frame as plain values (datetimes as epoch ms) for comparison. */
export function plainRows(frame: Frame): Record<string, unknown>[] {
  return frame.toRows().map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v instanceof Date ? v.getTime() : v])));
}

/** Assert `frame` is the people fixture: names, kinds, every cell, sorted dictionaries. */
export function expectPeople(frame: Frame): void {
  expect(frame.names).toEqual(PEOPLE.names);
  expect(Object.fromEntries(frame.names.map((n) => [n, frame.kind(n)]))).toEqual(PEOPLE.kinds);
  expect(frame.nRows).toBe(6);
  expect(plainRows(frame)).toEqual(PEOPLE.rows);
  const city = frame.column("city");
  expect(city.kind === "categorical" && city.categories).toEqual(["Lyon", "Nice", "Paris"]);
  const zip = frame.column("zip");
  expect(zip.kind === "categorical" && zip.categories).toEqual(["00501", "02134", "10001", "94105"]);
}
