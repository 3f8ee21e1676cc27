/**
 * The prediction update of a grown tree (`addLeafValues`, the RAW job): walking each leaf's slice
 * of the partition per row block adds to every row's score exactly its leaf's value, once, for
 * any cut of the rows into blocks — the same bits as a per-row leaf table.
 */
import { describe, expect, it } from "vitest";
import { Rng } from "../../../src/core/rng.js";
import { addLeafValues } from "../../../src/models/gbdt/tasks.js";

describe("addLeafValues", () => {
  it("adds each sampled row's leaf value once, whatever the row blocks", () => {
    const rng = new Rng(41);
    const n = 5_000;
    const K = 3;
    const cls = 1;
    // a sorted sample of rows, dealt stably into leaves (as partitions leave them)
    const sample = Int32Array.from({ length: n }, (_, i) => i).filter(() => rng.float() < 0.6);
    const nLeaves = 7;
    const leafOfRow = new Int32Array(n).fill(-1);
    for (const r of sample) leafOfRow[r] = rng.int(nLeaves);
    const rows = new Int32Array(sample.length);
    const leafStart = new Int32Array(nLeaves + 1);
    let at = 0;
    for (let j = 0; j < nLeaves; j++) {
      leafStart[j] = at;
      for (const r of sample) if (leafOfRow[r] === j) rows[at++] = r;
    }
    leafStart[nLeaves] = at;
    const leafValue = Float64Array.from({ length: nLeaves }, () => rng.float() - 0.5);
    const start = Float64Array.from({ length: n * K }, () => rng.float());
    const expected = start.slice();
    for (let r = 0; r < n; r++) if (leafOfRow[r] >= 0) expected[r * K + cls] += leafValue[leafOfRow[r]];
    for (const block of [n, 1_000, 777, 1]) {
      const raw = start.slice();
      for (let a = 0; a < n; a += block) addLeafValues(rows, leafStart, leafValue, nLeaves, raw, K, cls, a, Math.min(n, a + block));
      expect({ block, raw: Array.from(raw) }).toEqual({ block, raw: Array.from(expected) });
    }
  });
});
