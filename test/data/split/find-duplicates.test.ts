import { describe, expect, it } from "vitest";
import { KeelError } from "../../../src/core/errors.js";
import { Rng } from "../../../src/core/rng.js";
import { boolean, categoricalFromValues, numeric, text } from "../../../src/data/column.js";
import { Frame } from "../../../src/data/frame.js";
import { findDuplicates, holdout, candidateProbability, chooseBanding } from "../../../src/data/split/index.js";
import { alignColumns } from "../../../src/data/split/aligned-columns.js";
import { jaccard, rowTokens } from "../../../src/data/split/row-tokens.js";

const CITIES = ["Lyon", "Oslo", "Lima", "Pune", "Kyiv", "Kobe", "Cork", "Bonn", "Graz", "Nice"];
const PLANS = ["free", "basic", "pro", "team", "enterprise"];
const WORDS = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec romeo sierra tango".split(" ");

interface Rows {
  x1: number[]; x2: number[]; x3: number[]; x4: number[];
  city: string[]; plan: string[]; paid: boolean[]; note: string[];
}

function randomRows(rng: Rng, n: number): Rows {
  const r: Rows = { x1: [], x2: [], x3: [], x4: [], city: [], plan: [], paid: [], note: [] };
  for (let i = 0; i < n; i++) {
    r.x1.push(rng.normal() * 1000);
    r.x2.push(rng.float() * 50);
    r.x3.push(Math.exp(rng.normal() * 3));
    r.x4.push(rng.normal());
    r.city.push(CITIES[rng.int(CITIES.length)]);
    r.plan.push(PLANS[rng.int(PLANS.length)]);
    r.paid.push(rng.float() < 0.5);
    r.note.push(Array.from({ length: 8 }, () => WORDS[rng.int(WORDS.length)]).join(" "));
  }
  return r;
}

function frameOf(r: Rows, withText: boolean, catsOrder?: string[]): Frame {
  const cols: Record<string, unknown> = {
    x1: numeric(r.x1), x2: numeric(r.x2), x3: numeric(r.x3), x4: numeric(r.x4),
    city: categoricalFromValues(r.city, catsOrder), plan: categoricalFromValues(r.plan), paid: boolean(r.paid),
  };
  if (withText) cols.note = text(r.note);
  return Frame.fromColumns(cols as never);
}

function copyRow(from: Rows, i: number, to: Rows, j: number): void {
  for (const k of Object.keys(from) as (keyof Rows)[]) (to[k] as unknown[])[j] = from[k][i];
}

describe("findDuplicates", () => {
  const rng = new Rng(2024);
  const nA = 3000;
  const nB = 2000;
  const ra = randomRows(rng, nA);
  const rb = randomRows(rng, nB);
  // planted: rows 0..29 of b are exact copies, 30..59 differ in one numeric column, 60..69 have
  // a noise of 1e-9 relative (equal after rounding, not exact)
  const plantedA = new Map<number, number>();
  for (let j = 0; j < 70; j++) {
    const i = (j * 37 + 11) % nA;
    copyRow(ra, i, rb, j);
    plantedA.set(j, i);
  }
  for (let j = 30; j < 60; j++) rb.x2[j] = rb.x2[j] + 17.3;
  for (let j = 60; j < 70; j++) rb.x1[j] = rb.x1[j] * (1 + 1e-9);
  // b's city dictionary in another order: codes differ, values are equal
  const a = frameOf(ra, false);
  const b = frameOf(rb, false, [...CITIES].reverse());

  it("finds exactly the planted exact duplicates, whatever each frame's dictionary", () => {
    const r = findDuplicates(a, b);
    expect(r.columns).toEqual(a.names);
    expect(r.exact.pairCount).toBe(30);
    expect(r.exact.rowsB).toBe(30);
    expect(r.exact.pairs.map((p) => [p.a, p.b])).toEqual(Array.from({ length: 30 }, (_, j) => [plantedA.get(j), j]));
    expect(r.near).toBeUndefined();
  });

  it("finds the planted near duplicates and no honest distinct row", () => {
    const r = findDuplicates(a, b, { near: { threshold: 0.7 } });
    const near = r.near!;
    expect(near.bandingThreshold).toBe(0.75); // 7 tokens a row: 6/8 is the first value ≥ 0.7
    expect(near.pairs.map((p) => p.b)).toEqual(Array.from({ length: 40 }, (_, j) => 30 + j));
    for (const p of near.pairs) {
      expect(p.a).toBe(plantedA.get(p.b));
      // one of seven tokens changed: 6 shared of 8 distinct; rounding-only noise: identical tokens
      expect(p.similarity).toBeCloseTo(p.b < 60 ? 6 / 8 : 1, 12);
    }
    expect(near.pairCount).toBe(40);
    expect(near.rowsA).toBe(40);
    expect(near.truncated).toBe(false);
    // exact pairs are reported once, as exact
    expect(r.exact.pairCount).toBe(30);
  });

  it("LSH finds every pair that brute force finds above the threshold", () => {
    // many partial copies at graded similarity: change 0..4 of 7 columns
    const r2 = new Rng(5);
    const n = 400;
    const a2 = randomRows(r2, n);
    const b2 = randomRows(r2, n);
    for (let j = 0; j < n; j += 2) {
      copyRow(a2, j, b2, j);
      const changes = j % 5;
      const keys: (keyof Rows)[] = ["x1", "x2", "city", "plan", "x4"];
      for (let c = 0; c < changes; c++) (b2[keys[c]] as unknown[])[j] = (randomRows(r2, 1)[keys[c]] as unknown[])[0];
    }
    const fa = frameOf(a2, false);
    const fb = frameOf(b2, false);
    const threshold = 0.4;
    const cols = alignColumns(fa, fb, fa.names);
    const ta = rowTokens(cols, "a", n, { digits: 3, shingle: 5 });
    const tb = rowTokens(cols, "b", n, { digits: 3, shingle: 5 });
    const truth: string[] = [];
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        const s = jaccard(ta.tokens, ta.offsets[i], ta.offsets[i + 1], tb.tokens, tb.offsets[j], tb.offsets[j + 1]);
        if (s >= threshold && s < 1) truth.push(`${i}:${j}`);
      }
    }
    expect(truth.length).toBeGreaterThan(100);
    const found = findDuplicates(fa, fb, { near: { threshold } }).near!.pairs.map((p) => `${p.a}:${p.b}`);
    expect(found.sort()).toEqual(truth.sort());
  });

  it("compares free text by shingles: an edited sentence is near, an unrelated one is not", () => {
    const at = frameOf(ra, true);
    const rbt = randomRows(new Rng(77), 50);
    copyRow(ra, 5, rbt, 0);
    rbt.note[0] = ra.note[5].replace(/^(\S+)/, "$1s"); // one word edited
    copyRow(ra, 6, rbt, 1);
    rbt.note[1] = ra.note[6].toUpperCase().replace(/ /g, "   "); // case and spacing only
    const bt = frameOf(rbt, true);
    const r = findDuplicates(at, bt, { near: { threshold: 0.8 } });
    expect(r.exact.pairCount).toBe(0);
    const pairs = r.near!.pairs;
    expect(pairs.map((p) => [p.a, p.b])).toEqual([[5, 0], [6, 1]]);
    expect(pairs[1].similarity).toBe(1);
    expect(pairs[0].similarity).toBeGreaterThan(0.8);
    expect(pairs[0].similarity).toBeLessThan(1);
  });

  it("finds duplicates that straddle a holdout split of one frame with repeated rows", () => {
    const base = randomRows(new Rng(8), 1000);
    for (let j = 900; j < 1000; j++) copyRow(base, j - 900, base, j); // 100 rows appear twice
    const f = frameOf(base, true);
    const { train, test } = holdout(f, { testSize: 0.3, rng: 3 });
    const r = findDuplicates(f.take(train), f.take(test));
    const inTest = new Set(test);
    const trainSet = new Set(train);
    let straddling = 0;
    for (let j = 900; j < 1000; j++) if ((inTest.has(j) && trainSet.has(j - 900)) || (inTest.has(j - 900) && trainSet.has(j))) straddling++;
    expect(straddling).toBeGreaterThan(20);
    expect(r.exact.pairCount).toBe(straddling);
    for (const p of r.exact.pairs) expect(Math.abs(train[p.a] - test[p.b])).toBe(900);
  });

  it("groups repeated rows: every copy is paired, counts stay complete beyond maxPairs", () => {
    const fa = Frame.fromColumns({ k: ["x", "x", "x", "y"], v: [1, 1, 1, 2] });
    const fb = Frame.fromColumns({ k: ["x", "y", "x"], v: [1, 2, 1] });
    const r = findDuplicates(fa, fb, { maxPairs: 4 });
    expect(r.exact.pairCount).toBe(7);
    expect(r.exact.rowsA).toBe(4);
    expect(r.exact.rowsB).toBe(3);
    expect(r.exact.truncated).toBe(true);
    expect(r.exact.pairs.map((p) => [p.a, p.b])).toEqual([[0, 0], [1, 0], [2, 0], [3, 1]]);
  });

  it("treats missing as equal to missing and compares only the chosen columns", () => {
    const fa = Frame.fromColumns({ x: [1, null, 3], c: ["a", null, "c"], id: [1, 2, 3] });
    const fb = Frame.fromColumns({ x: [null, 3], c: [null, "c"], id: [10, 20] });
    expect(findDuplicates(fa, fb).exact.pairCount).toBe(0);
    const r = findDuplicates(fa, fb, { columns: ["x", "c"] });
    expect(r.exact.pairs.map((p) => [p.a, p.b])).toEqual([[1, 0], [2, 1]]);
  });

  it("rejects columns missing from either frame, mismatched kinds and bad options", () => {
    const fa = Frame.fromColumns({ x: [1, 2], c: ["a", "b"] });
    const fb = Frame.fromColumns({ x: ["1", "2"], c: ["a", "b"] });
    expect(() => findDuplicates(fa, fb)).toThrow(/column "x" is numeric in the first frame and categorical in the second/);
    expect(() => findDuplicates(fa, fb.select(["c"]))).toThrow(/column "x" is not in the second frame/);
    expect(() => findDuplicates(fa, fa, { columns: ["zz"] })).toThrow(/column "zz" is not in the first frame/);
    expect(() => findDuplicates(fa, fa, { near: { threshold: 0 } })).toThrow(/near.threshold must be a similarity in \(0, 1\]/);
    expect(() => findDuplicates(fa, fa, { near: { hashes: 2 } })).toThrow(KeelError);
  });

  it("tunes the bands for the smallest similarity equal-size token sets can reach above the threshold", () => {
    // three numeric columns: similarities are 1, 2/4, 1/5 or 0, so 0.6 means identical tokens
    const r2 = new Rng(12);
    const n = 3000;
    const mk = () => ({ d: Array.from({ length: n }, () => r2.int(20)), e: Array.from({ length: n }, () => r2.int(5)), f: Array.from({ length: n }, () => r2.int(30)) });
    const ca = mk();
    const cb = mk();
    const fa = Frame.fromColumns(ca);
    const fb = Frame.fromColumns(cb);
    const near = findDuplicates(fa, fb, { near: { threshold: 0.6 } }).near!;
    expect(near.bandingThreshold).toBe(1);
    // rows are small integers, so identical tokens mean identical rows: every pair is exact, none near
    expect(near.pairCount).toBe(0);
    const r = findDuplicates(fa, fb, { columns: ["d", "e"], near: { threshold: 0.3 } });
    expect(r.near!.bandingThreshold).toBeCloseTo(1 / 3, 15);
    // brute force: pairs sharing exactly one of the two columns (similarity 1/3, at the threshold,
    // where LSH finds each pair with probability ≥ 0.999); nothing is reported that is not one
    let expected = 0;
    for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) if ((ca.d[i] === cb.d[j]) !== (ca.e[i] === cb.e[j])) expected++;
    expect(r.near!.pairCount).toBeLessThanOrEqual(expected);
    expect(r.near!.pairCount).toBeGreaterThanOrEqual(0.998 * expected);
    for (const p of r.near!.pairs) expect((ca.d[p.a] === cb.d[p.b]) !== (ca.e[p.a] === cb.e[p.b])).toBe(true);
  });

  it("chooses bands so a pair at the threshold is a candidate with probability ≥ 0.999", () => {
    for (const t of [0.3, 0.5, 0.8, 0.95]) {
      const b = chooseBanding(t, 128);
      expect(b.bands * b.rows).toBeLessThanOrEqual(128);
      expect(candidateProbability(t, b)).toBeGreaterThanOrEqual(0.999);
      // one more row per band would miss too often (or not fit)
      const tighter = { rows: b.rows + 1, bands: Math.floor(128 / (b.rows + 1)) };
      expect(tighter.bands === 0 || candidateProbability(t, tighter) < 0.999).toBe(true);
    }
  });
});
