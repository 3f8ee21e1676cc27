/** Core's one duration grammar, as keel.yaml, the CLI, split gaps, tuning and retraining read it. */
import { describe, expect, it } from "vitest";
import { durationMs, parseDuration } from "../../src/core/duration.js";
import { parseProjectText } from "../../src/project/config.js";

describe("durations", () => {
  it("reads every unit, m and min alike, case-insensitively", () => {
    expect(durationMs("250ms")).toBe(250);
    expect(durationMs("45s")).toBe(45_000);
    expect(durationMs("30m")).toBe(1_800_000);
    expect(durationMs("30min")).toBe(1_800_000);
    expect(durationMs(" 1.5 h ")).toBe(5_400_000);
    expect(durationMs("7D")).toBe(604_800_000);
    expect(durationMs("2w")).toBe(1_209_600_000);
    for (const bad of ["", "7", "7 days", "-1d", "1mo", "d7", "1e3s"]) expect(durationMs(bad), bad).toBeNull();
  });

  it("names the field, the value and the grammar when it is not one", () => {
    expect(() => parseDuration("soon", "retrain.triggers.schedule")).toThrow(/retrain\.triggers\.schedule "soon" is not a duration: a number and a unit \(ms, s, m or min, h, d, w\)/);
    try {
      parseDuration("soon", "tune.timeout");
    } catch (e) {
      expect(e).toMatchObject({ code: "INVALID_INPUT", path: "tune.timeout", received: "soon" });
    }
  });

  it("keel.yaml takes the same grammar in every duration field", () => {
    const yaml = (extra: string) => `name: x\nproblem: { task: binary, target: y }\ndata: { source: d.csv }\nmodels: [baseline, logistic]\n${extra}`;
    for (const d of ["10m", "10min", "1h", "30s"]) {
      const { problems } = parseProjectText(yaml(`tune: { logistic: { space: { C: { float: [0.1, 10] } }, trials: 5, timeout: ${d} } }\nretrain: { triggers: { schedule: ${d}, since: ${d} } }\n`));
      expect(problems, d).toEqual([]);
    }
    const { problems } = parseProjectText(yaml("retrain: { triggers: { schedule: 1 month } }\n"));
    expect(problems.map((p) => p.message)).toEqual([expect.stringMatching(/keel\.yaml:5: retrain\.triggers\.schedule is "1 month", expected a duration/)]);
  });
});
