/** Naive Bayes: what each refuses, with the column named. */
import { describe, expect, it } from "vitest";
import { Frame } from "../../../src/data/frame.js";
import { categoricalNb, gaussianNb } from "../../../src/models/naive-bayes/index.js";

describe("naive Bayes inputs", () => {
  it("gaussian-nb refuses categorical features and bad priors", async () => {
    const data = Frame.fromColumns({ a: [0, 1, 2, 3], colour: ["r", "g", "r", "g"], y: ["p", "q", "p", "q"] });
    await expect(gaussianNb().fit(data, { target: "y" })).rejects.toThrow(/"colour" is categorical/);
    await expect(gaussianNb({ priors: [0.2, 0.2] }).fit(data.drop(["colour"]), { target: "y" })).rejects.toThrow(/sum to 1/);
    await expect(gaussianNb({ priors: [1] }).fit(data.drop(["colour"]), { target: "y" })).rejects.toThrow(/1 values for 2 classes/);
  });

  it("categorical-nb refuses non-integer codes and text", async () => {
    const data = Frame.fromColumns({ code: [0, 1.5, 2, 1], y: ["p", "q", "p", "q"] });
    await expect(categoricalNb().fit(data, { target: "y" })).rejects.toThrow(/"code" row 1: 1.5 is not a category code/);
    const text = Frame.fromColumns({ t: { kind: "text", values: ["a b", "c", "d", "e"] }, y: ["p", "q", "p", "q"] });
    await expect(categoricalNb().fit(text, { target: "y" })).rejects.toThrow(/"t" is text/);
  });
});
