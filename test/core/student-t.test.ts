import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { incompleteBeta, studentTSf, welchTest } from "../../src/core/student-t.js";

// made by test/fixtures/core/make_student_t.py (scipy.stats.t.sf, scipy.special.betainc)
const ref = JSON.parse(readFileSync(new URL("../fixtures/core/student_t.json", import.meta.url), "utf8"));
const rel = (a: number, b: number) => (b === 0 ? Math.abs(a) : Math.abs(a - b) / Math.abs(b));

describe("Student's t", () => {
  // to 1e-12 relative up to ν = 1000.5; at ν = 100,000 to 5e-12 (about 2e-12 measured: a = ν/2 = 50,000 in the incomplete beta)
  it("upper tail equals scipy's t.sf to 1e-12 relative (5e-12 at ν = 100,000; 1e-300 absolute in the far tail)", () => {
    for (const r of ref.sf) {
      const v = studentTSf(r.t, r.df);
      expect(rel(v, r.sf) <= (r.df > 1e4 ? 5e-12 : 1e-12) || Math.abs(v - r.sf) < 1e-300, `t=${r.t} df=${r.df}: ${v} vs ${r.sf}`).toBe(true);
    }
  });

  it("the regularized incomplete beta equals scipy's betainc to 1e-12 relative", () => {
    for (const r of ref.betainc) expect(rel(incompleteBeta(r.a, r.b, r.x), r.value), `I_${r.x}(${r.a}, ${r.b})`).toBeLessThanOrEqual(1e-12);
  });

  it("Welch's test is undefined without spread or rows", () => {
    expect(welchTest(1, 0, 0, 10, 1, 1).t).toBeNaN();
    expect(welchTest(10, 0, 0, 10, 0, 0).p_greater).toBeNaN();
    expect(studentTSf(Infinity, 3)).toBe(0);
    expect(studentTSf(NaN, 3)).toBeNaN();
  });
});
