/**
 * The grower's work geometry: row blocks and feature groups depend on the data's shape alone
 * (never on timing), cover everything once, and are shaped for even sharing between threads.
 */
import { describe, expect, it } from "vitest";
import { featureGroupBounds, nodeBlocks } from "../../../src/models/gbdt/grow.js";

describe("featureGroupBounds", () => {
  it("splits 30 features into six groups, largest first", () => {
    expect(Array.from(featureGroupBounds(30, 6))).toEqual([0, 9, 17, 23, 27, 29, 30]);
  });

  it("covers 0..p with non-empty, non-increasing groups for every width", () => {
    for (let p = 1; p <= 300; p++) {
      for (const groups of [1, 2, 3, 6, 12, 32]) {
        const b = featureGroupBounds(p, groups);
        const G = Math.min(p, groups);
        expect(b.length).toBe(G + 1);
        expect(b[0]).toBe(0);
        expect(b[G]).toBe(p);
        for (let k = 0; k < G; k++) expect(b[k + 1] - b[k]).toBeGreaterThanOrEqual(1);
        // sizes never grow by more than one (rounding), so the last groups are the small ones
        for (let k = 1; k < G; k++) expect(b[k + 1] - b[k]).toBeLessThanOrEqual(b[k] - b[k - 1] + 1);
      }
    }
  });
});

describe("nodeBlocks", () => {
  it("makes an even number of near-equal blocks", () => {
    expect(nodeBlocks(20_000, 16_384)).toEqual({ count: 2, length: 10_000 });
    expect(nodeBlocks(100_000, 16_384)).toEqual({ count: 8, length: 12_500 });
  });
});
