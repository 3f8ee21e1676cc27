import { describe, expect, it } from "vitest";
import { Rng } from "../../../src/core/rng.js";
import { datetime, numeric } from "../../../src/data/column.js";
import { Frame } from "../../../src/data/frame.js";
import { timeHoldout, timeSeriesSplit } from "../../../src/data/split/index.js";

const DAY = 86_400_000;

/** Rows per year 1970–1989 (uneven, as public yearly tables are), shuffled. */
function yearly(seed: number): { frame: Frame; year: Float64Array } {
  const rng = new Rng(seed);
  const years: number[] = [];
  for (let y = 1970; y < 1990; y++) for (let k = 20 + rng.int(15); k > 0; k--) years.push(y);
  rng.shuffle(years);
  const year = Float64Array.from(years);
  return { frame: Frame.fromColumns({ Year: numeric(year), x: numeric(Float64Array.from(years, () => rng.normal())) }), year };
}

function times(rows: Int32Array, t: Float64Array): number[] {
  return Array.from(rows, (i) => t[i]);
}

describe("time-ordered splits cut on time boundaries", () => {
  it("holdout: no year on both sides (keel run cut 1980 into 9 training and 20 test rows)", () => {
    const { frame, year } = yearly(1);
    const n = frame.nRows;
    const s = timeHoldout(frame, { time: "Year", testSize: 0.2 });
    const trainYears = new Set(times(s.train, year));
    const testYears = new Set(times(s.test, year));
    expect([...trainYears].filter((y) => testYears.has(y))).toEqual([]);
    expect(Math.max(...trainYears)).toBeLessThan(Math.min(...testYears));
    expect(s.train.length + s.test.length).toBe(n);
    expect(s.left).toBe(0);
    // the cut is the year boundary nearest the asked-for 20%
    const wanted = Math.ceil(0.2 * n);
    const sorted = Array.from(year).sort((a, b) => a - b);
    const boundaries = sorted.map((y, p) => (p === 0 || y !== sorted[p - 1] ? p : -1)).filter((p) => p > 0);
    const best = boundaries.reduce((b, p) => (Math.abs(p - (n - wanted)) < Math.abs(b - (n - wanted)) ? p : b));
    expect(s.train.length).toBe(best);
    // test rows in time order
    const ty = times(s.test, year);
    for (let j = 1; j < ty.length; j++) expect(ty[j]).toBeGreaterThanOrEqual(ty[j - 1]);
  });

  it("holdout gap: at least that many rows, up to a year boundary; or a duration on a datetime column", () => {
    const { frame, year } = yearly(2);
    const s = timeHoldout(frame, { time: "Year", testSize: 0.2, gap: 10 });
    const lastTrain = Math.max(...times(s.train, year));
    const firstTest = Math.min(...times(s.test, year));
    expect(s.left).toBeGreaterThanOrEqual(10);
    expect(firstTest - lastTrain).toBe(2); // the whole year before the test set is left out
    expect(s.train.length + s.test.length + s.left).toBe(frame.nRows);
    // daily rows, 3 per day: a 7-day gap leaves out exactly the 7 days before the first test day
    const t0 = Date.UTC(2024, 0, 1);
    const days = Float64Array.from({ length: 300 }, (_, i) => t0 + Math.floor(i / 3) * DAY);
    const daily = Frame.fromColumns({ when: datetime(days) });
    const d = timeHoldout(daily, { time: "when", testSize: 0.1, gap: "7d" });
    expect(d.left).toBe(21);
    expect(Math.min(...times(d.test, days)) - Math.max(...times(d.train, days))).toBe(8 * DAY);
  });

  it("time-series CV: no timestamp in two test blocks or on both sides of a split, and equal to scikit-learn without ties", () => {
    const { frame, year } = yearly(3);
    const splits = timeSeriesSplit(frame, { time: "Year", nSplits: 4, gap: 5 });
    expect(splits).toHaveLength(4);
    const blockYears = splits.map((s) => new Set(times(s.test, year)));
    for (let a = 0; a < 4; a++) for (let b = a + 1; b < 4; b++) expect([...blockYears[a]].filter((y) => blockYears[b].has(y))).toEqual([]);
    for (const s of splits) {
      const trainYears = times(s.train, year);
      expect(Math.max(...trainYears)).toBeLessThan(Math.min(...times(s.test, year)) - 1); // gap ≥ 5 rows: a whole year out
    }
    // the test blocks follow each other and end with the data
    expect(splits.reduce((k, s) => k + s.test.length, 0)).toBe(new Set(splits.flatMap((s) => Array.from(s.test))).size);
    expect(Math.max(...blockYears[3])).toBe(1989);
    // distinct times: the very splits of a plain row count (scikit-learn's, see time-series-split.test)
    const distinct = Float64Array.from({ length: 60 }, (_, i) => 1000 - i);
    const byTime = timeSeriesSplit(distinct, { nSplits: 3, gap: 2 });
    const plain = timeSeriesSplit(60, { nSplits: 3, gap: 2 });
    expect(byTime.map((s) => s.test.length)).toEqual(plain.map((s) => s.test.length));
    expect(byTime.map((s) => s.train.length)).toEqual(plain.map((s) => s.train.length));
  });

  it("time-series CV with a duration gap on a datetime column", () => {
    const t0 = Date.UTC(2024, 0, 1);
    const days = Float64Array.from({ length: 240 }, (_, i) => t0 + Math.floor(i / 2) * DAY);
    const frame = Frame.fromColumns({ when: datetime(days) });
    for (const s of timeSeriesSplit(frame, { time: "when", nSplits: 3, gap: "7d" })) {
      expect(Math.min(...times(s.test, days)) - Math.max(...times(s.train, days))).toBe(8 * DAY);
    }
  });

  it("says what is wrong: one time only, too few distinct times, a duration without datetimes, a bad duration", () => {
    const same = Frame.fromColumns({ Year: numeric(Array(30).fill(1999)) });
    expect(() => timeHoldout(same, { time: "Year" })).toThrow(/column "Year" holds one time only; a time-ordered split needs at least two distinct times/);
    const few = Frame.fromColumns({ Year: numeric(Array.from({ length: 30 }, (_, i) => 2000 + (i % 2))) });
    expect(() => timeSeriesSplit(few, { time: "Year", nSplits: 4 })).toThrow(/column "Year" has too few distinct times for 4 test blocks/);
    const { frame } = yearly(4);
    expect(() => timeHoldout(frame, { time: "Year", gap: "7d" })).toThrow(/gap "7d" is a duration, which needs a datetime time column; give a row count instead/);
    const daily = Frame.fromColumns({ when: datetime(Float64Array.from({ length: 50 }, (_, i) => i * DAY)) });
    expect(() => timeHoldout(daily, { time: "when", gap: "7 days" })).toThrow(/gap "7 days" is not a duration; expected a row count or a duration: a number and a unit \(ms, s, m or min, h, d, w\)/);
    expect(() => timeHoldout(daily, { time: "when", gap: "100d" })).toThrow(/the gap \(100d\) leaves no training rows/);
    expect(() => timeHoldout(daily, { time: "when", testSize: 1.5 })).toThrow(/testSize must be a fraction in \(0, 1\) or a whole row count, got 1.5/);
  });
});
