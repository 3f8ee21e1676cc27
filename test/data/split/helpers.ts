import { readFileSync } from "node:fs";
import { expect } from "vitest";
import type { Split } from "../../../src/data/split/index.js";

export interface RefFold {
  train: number[];
  test: number[];
}
export const reference = JSON.parse(readFileSync(new URL("../../fixtures/split/reference.json", import.meta.url), "utf8")) as {
  sklearn: string;
  kfold: { n: number; k: number; folds: RefFold[] }[];
  stratified: { y: (number | string)[]; k: number; folds: RefFold[] }[];
  group: { groups: (number | string)[]; k: number; folds: RefFold[] }[];
  time: { n: number; options: Record<string, number>; folds: RefFold[] }[];
  /** Shuffled (repeats 1) and repeated stratified k-fold: test-fold class counts, labels in first-seen order. */
  stratifiedShuffled: { y: (number | string)[]; k: number; repeats: number; labels: (number | string)[]; counts: number[][] }[];
};

/** The splits as plain arrays, for comparing with the reference. */
export function plain(splits: Split[]): RefFold[] {
  return splits.map((s) => ({ train: Array.from(s.train), test: Array.from(s.test) }));
}

/** Each split: train and test disjoint, together all n rows, each sorted ascending. */
export function expectPartition(s: Split, n: number): void {
  const seen = new Uint8Array(n);
  for (const i of s.train) seen[i] += 1;
  for (const i of s.test) seen[i] += 2;
  expect(Array.from(seen).every((v) => v === 1 || v === 2)).toBe(true);
  expect(s.train.length + s.test.length).toBe(n);
  for (let i = 1; i < s.train.length; i++) expect(s.train[i]).toBeGreaterThan(s.train[i - 1]);
  for (let i = 1; i < s.test.length; i++) expect(s.test[i]).toBeGreaterThan(s.test[i - 1]);
}

/** k-fold splits: each a partition, and every row in exactly one test fold. */
export function expectFolds(splits: Split[], n: number): void {
  const count = new Int32Array(n);
  for (const s of splits) {
    expectPartition(s, n);
    for (const i of s.test) count[i]++;
  }
  expect(Array.from(count).every((c) => c === 1)).toBe(true);
}
