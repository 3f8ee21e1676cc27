import { describe, expect, it } from "vitest";
import { Rng } from "../../src/core/rng.js";
import { categoricalFromValues, numeric } from "../../src/data/column.js";
import { Frame } from "../../src/data/frame.js";
import { profile } from "../../src/data/profile/index.js";
import { inferTargetTask } from "../../src/data/target-task.js";
import { inferTask } from "../../src/estimator/input.js";

const ints = (n: number, k: number, seed = 1) => {
  const rng = new Rng(seed);
  return Float64Array.from({ length: n }, () => rng.int(k) + 1);
};

describe("inferTargetTask: the one rule for a target's task", () => {
  it("integer targets with few classes are classification (wine: 3 grades in 178 rows; digits: 10 in 1,797)", () => {
    expect(inferTargetTask(numeric(ints(178, 3)))).toEqual({ task: "classification", distinct: expect.any(Array), classes: ["1", "2", "3"], binary: false });
    expect(inferTargetTask(numeric(ints(1797, 10))).classes).toHaveLength(10);
    expect(inferTargetTask(numeric([0.5, 1.5, 0.5, 1.5])).task).toBe("classification"); // two values
    expect(inferTargetTask(categoricalFromValues(["a", "b", "c"])).task).toBe("classification");
  });

  it("continuous values, or too many integers for the rows, are regression; a constant is reported, not thrown", () => {
    const rng = new Rng(2);
    expect(inferTargetTask(numeric(Float64Array.from({ length: 100 }, () => rng.normal()))).task).toBe("regression");
    expect(inferTargetTask(numeric(ints(10_000, 25))).task).toBe("regression"); // 25 > 20 classes
    expect(inferTargetTask(numeric(ints(60, 4))).task).toBe("regression"); // 4 > ⌊60 / 20⌋ = 3
    expect(inferTargetTask(numeric([7, 7, 7]))).toEqual({ task: "classification", distinct: ["7"] });
    expect(() => inferTask(Frame.fromColumns({ y: numeric([7, 7, 7]) }), "y")).toThrow(/target column "y" has one value only \("7"\)/);
  });

  it("keel profile and keel init (inferTask) agree on every target", () => {
    const rng = new Rng(3);
    const cases = {
      wine: numeric(ints(178, 3)),
      digits: numeric(ints(1797, 10)),
      price: numeric(Float64Array.from({ length: 300 }, () => Math.exp(rng.normal()))),
      flag: numeric(Float64Array.from({ length: 300 }, () => rng.int(2))),
      label: categoricalFromValues(Array.from({ length: 300 }, () => ["x", "y"][rng.int(2)])),
    };
    for (const [name, y] of Object.entries(cases)) {
      const n = y.kind === "categorical" ? y.codes.length : y.values.length;
      const frame = Frame.fromColumns({ x: numeric(Float64Array.from({ length: n }, () => rng.normal())), y });
      const p = profile(frame, { target: "y", predictivePower: false });
      expect(p.target!.task, name).toBe(inferTask(frame, "y").task);
    }
    // wine and digits are classes in the profile too (it said regression before)
    const wine = Frame.fromColumns({ x: numeric(ints(178, 50)), quality: numeric(ints(178, 3)) });
    expect(profile(wine, { target: "quality", predictivePower: false }).target!.classes!.map((c) => c.value).sort()).toEqual([1, 2, 3]);
  });
});
