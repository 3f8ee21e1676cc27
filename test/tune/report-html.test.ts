/**
 * The study report (src/tune/report-html.ts) for real studies: every chart present, pruned and
 * failed trials drawn distinctly, names escaped, nothing external, and a clear message for a
 * study with no complete trial.
 */
import { describe, expect, it } from "vitest";
import { num } from "../../src/evaluate/report-charts.js";
import { TrialPruned, createStudy, studyReportHtml } from "../../src/index.js";

const NASTY = `<b>&"depth'`;

async function realStudy() {
  const study = await createStudy({ name: "report <study>", direction: "minimize", sampler: { name: "random", seed: 2 }, pruner: { name: "none" } });
  await study.optimize(
    (t) => {
      const lr = t.suggestFloat("lr", 1e-4, 1, { log: true });
      const depth = t.suggestInt(NASTY, 1, 12);
      const kind = t.suggestCategorical("kind", ["gbdt", "<forest>"]);
      const v = Math.log10(lr) ** 2 + 0.05 * depth + (kind === "gbdt" ? 0 : 0.5);
      if (t.number % 7 === 3) throw new Error("boom");
      if (t.number % 5 === 1) {
        t.report(v + 1, 0);
        throw new TrialPruned();
      }
      return v;
    },
    { nTrials: 30, catchErrors: true },
  );
  return study;
}

describe("studyReportHtml", () => {
  it("renders a real study: summary first, every chart, pruned and failed distinct, names escaped, nothing fetched", async () => {
    const study = await realStudy();
    expect(study.trials.filter((t) => t.state === "pruned").length).toBeGreaterThan(0);
    expect(study.trials.filter((t) => t.state === "failed").length).toBeGreaterThan(0);
    const html = await studyReportHtml(study, { title: "Tuning <credit>" });
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain("<title>Tuning &lt;credit&gt;</title>");
    // summary (cards with the best value) comes before the charts
    const best = study.bestTrial;
    expect(html.indexOf('class="cards"')).toBeLessThan(html.indexOf("Optimisation history"));
    expect(html).toContain(`#${best.number}`);
    for (const chart of ["Optimisation history", "Parameter importance (fANOVA)", "Parallel coordinates", "Slices"]) expect(html, chart).toContain(`<h3>${chart}</h3>`);
    // one slice figure per parameter, the log one on a log axis
    expect(html).toContain("<figcaption>lr</figcaption>");
    expect(html).toContain("<figcaption>kind</figcaption>");
    expect(html).toContain("lr (log scale)");
    expect(html).toContain("best so far");
    // pruned trials as rings, failed as crosses (history), and as dashed / dotted lines (parallel coordinates)
    expect(html).toContain('<g class="ring"><title>pruned (last reported)</title>');
    expect(html).toContain('<g class="cross"><title>failed (no value)</title>');
    expect(html).toMatch(/stroke-dasharray="4 3"[^>]*><title>trial #\d+ \(pruned\)/);
    expect(html).toMatch(/stroke-dasharray="1 3"[^>]*><title>trial #\d+ \(failed\)/);
    // importance bars name every parameter, escaped
    expect(html).toContain("&lt;b&gt;&amp;&quot;depth&#39;");
    expect(html).toContain("&lt;forest&gt;");
    expect(html).toContain("report &lt;study&gt;");
    expect(html).not.toContain(NASTY);
    expect(html).not.toContain("<forest>");
    expect(html).not.toMatch(/<script|\bsrc=|href="http|url\(/);
    expect((html.match(/<svg /g) ?? []).length).toBe(1 + 1 + 1 + 3); // history, importance, parallel, 3 slices
  });

  it("uses the importance it is given, and lists several studies first", async () => {
    const a = await realStudy();
    const html = await studyReportHtml([
      { name: a.name, direction: a.direction, trials: a.trials, importance: { lr: 0.75, kind: 0.2, [NASTY]: 0.05 }, label: "gbdt", metric: "log_loss" },
      { name: "empty", direction: "maximize", trials: [], label: "forest" },
    ]);
    expect(html).toContain("75.0%");
    expect(html).toContain("best log_loss");
    // the overview table of both studies precedes the first study's section
    expect(html.indexOf("<th>study</th>")).toBeLessThan(html.indexOf('id="study-0"'));
    expect(html).toContain('id="study-1"');
  });

  it("takes the direction into account: a maximised study's best is its largest value", async () => {
    const study = await createStudy({ name: "max", direction: "maximize", sampler: { name: "random", seed: 4 } });
    await study.optimize((t) => t.suggestFloat("x", 0, 1) * 10, { nTrials: 12 });
    const values = study.trials.map((t) => t.value!);
    const html = await studyReportHtml(study);
    expect(study.bestValue).toBe(Math.max(...values));
    expect(html).toContain(`<div class="k">best objective</div><div class="v">${num(study.bestValue)}</div>`);
    expect(html).toContain(`<div class="k">best trial</div><div class="v">#${study.bestTrial.number}</div>`);
    expect(html).toContain(`Best parameters (trial #${study.bestTrial.number})`);
  });

  it("says clearly when no trial has completed, and draws nothing", async () => {
    const study = await createStudy({ name: "all failed", sampler: { name: "random", seed: 1 } });
    await study.optimize(
      (t) => {
        t.suggestFloat("x", 0, 1);
        throw new Error("always");
      },
      { nTrials: 3, catchErrors: true },
    );
    const html = await studyReportHtml(study);
    expect(html).toContain("No trial has completed yet (3 trials: 0 pruned, 3 failed, 0 running or waiting)");
    expect(html).not.toContain("<svg");
    expect(html).toContain("All 3 trials");
  });

  it("explains a missing importance when only one trial completed", async () => {
    const study = await createStudy({ name: "one", sampler: { name: "random", seed: 1 } });
    await study.optimize((t) => t.suggestFloat("x", 0, 1), { nTrials: 1 });
    const html = await studyReportHtml(study);
    expect(html).toContain("Not available: parameter importance needs at least 2 complete trials; the study has 1.");
    expect(html).toContain("Optimisation history");
  });
});
