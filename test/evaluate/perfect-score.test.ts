import { describe, expect, it } from "vitest";
import { bestValue, perfectScores } from "../../src/evaluate/perfect-score.js";

describe("perfect test scores", () => {
  it("flags each metric at its best value, losses at 0, and nothing else", () => {
    const flagged = perfectScores({ roc_auc: 1, accuracy: 0.9999, log_loss: 0, neg_root_mean_squared_error: -0, r2: 1 - 1e-15, f1: NaN, rmse: 0.2 });
    expect(flagged.map((f) => f.metric)).toEqual(["roc_auc", "log_loss", "neg_root_mean_squared_error", "r2"]);
    expect(flagged[0].message).toBe("test roc_auc is 1, a perfect score: check for a column that encodes the target and for test rows that also appear in training");
    expect(flagged[2].message).toMatch(/^test neg_root_mean_squared_error is 0,/);
    expect([bestValue("average_precision"), bestValue("mae"), bestValue("neg_log_loss"), bestValue("matthews_corrcoef")]).toEqual([1, 0, 0, 1]);
    expect(() => perfectScores({ auc: 1 })).toThrow(/unknown metric "auc"/);
  });
});
