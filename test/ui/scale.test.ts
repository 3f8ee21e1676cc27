/**
 * The web UI at scale, in Chromium against a real `keel server`: 100,000 runs in one experiment
 * and a run with a 100,000-point metric. Prints how long the runs page takes to become
 * interactive (first rows on screen, the grid taking keys; goal ≤ 1.5 s), a server-side sort and
 * the next page while scrolling, and how long a 100,000-point history takes to draw (fetch of the
 * server-downsampled series + render; goal ≤ 500 ms). Figures are printed, never asserted: this
 * checks that the pages work at that size. The 100,000 runs are bulk-loaded through the store's
 * SQL driver (set-up, as bench/tracking.ts does); the long metric goes through `logMetrics`.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/server/index.js";
import type { SqlBackend } from "../../src/backend/index.js";
import { type TrackingStore, openStore } from "../../src/track/index.js";
import { CHROMIUM, type Session, type UiSession, openUi, warnIfNoChromium } from "./browser.js";

const RUNS = 100_000;
const POINTS = 100_000;
warnIfNoChromium("the web UI's scale figures are");

/** `RUNS` finished runs with two metrics and a param each, in one transaction per 20,000. */
async function bulkRuns(store: TrackingStore, experimentId: string): Promise<void> {
  const { sql } = store.backend as SqlBackend;
  const first = Number((await sql.get<{ n: number }>("SELECT COALESCE(MAX(id), 0) AS n FROM runs"))!.n) + 1;
  for (let from = 0; from < RUNS; from += 20_000) {
    const ids = Array.from({ length: Math.min(20_000, RUNS - from) }, (_, i) => first + from + i);
    await sql.transaction(async (tx) => {
      const uuids = ids.map(() => randomUUID().replace(/-/g, ""));
      const cols = (f: (id: number, i: number) => string | number) => ids.map((id, i) => f(id, i));
      await tx.insertMany(
        "runs",
        ["id", "run_uuid", "experiment_id", "name", "status", "start_time", "end_time", "artifact_uri", "hypothesis"],
        ["bigint", "text", "bigint", "text", "text", "bigint", "bigint", "text", "text"],
        [ids, uuids, cols(() => Number(experimentId)), cols((id) => `trial-${id}`), cols(() => "FINISHED"), cols((id) => 1_700_000_000_000 + id * 1000), cols((id) => 1_700_000_000_000 + id * 1000 + 4200), cols((_, i) => `file:///scale/${uuids[i]}/artifacts`), cols((id) => `lr ${(id % 10) / 100} beats the last best`)],
      );
      const twice = [...ids, ...ids];
      const metric = (id: number, k: number) => (k === 0 ? 0.5 + 0.5 * Math.abs(Math.sin(id * 12.9898)) : Math.abs(Math.cos(id * 78.233)) * 2);
      await tx.insertMany(
        "latest_metrics",
        ["run_id", "key", "value", "is_nan", "step", "timestamp"],
        ["bigint", "text", "double", "int", "bigint", "bigint"],
        [twice, twice.map((_, j) => (j < ids.length ? "auc" : "loss")), twice.map((id, j) => metric(id, j < ids.length ? 0 : 1)), twice.map(() => 0), twice.map(() => 0), twice.map(() => 1)],
      );
      await tx.insertMany("params", ["run_id", "key", "value"], ["bigint", "text", "text"], [ids, ids.map(() => "learning_rate"), ids.map((id) => String((id % 10) / 100))]);
    });
  }
}

const ms = (n: number) => `${Math.round(n).toLocaleString("en-US")} ms`;

describe.skipIf(!CHROMIUM)(`web UI at ${RUNS.toLocaleString("en-US")} runs`, () => {
  let ui: UiSession;
  let server: RunningServer;
  let browser: Session;
  let page: Page;
  let experimentId: string;
  let longRun: string;

  beforeAll(async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "keel-ui-scale-"));
    const file = path.join(dir, "keel.db");
    const store = await openStore(file, { artifactRoot: path.join(dir, "artifacts") });
    experimentId = await store.createExperiment({ name: "scale" });
    await bulkRuns(store, experimentId);
    const run = await store.createRun({ experimentId, runName: "long-history", startTime: 1_800_000_000_000, hypothesis: "a 100,000-step loss curve draws at once" });
    longRun = run.info.runId;
    await store.logMetrics(longRun, Array.from({ length: POINTS }, (_, step) => ({ key: "loss", value: Math.exp(-step / 20_000) + 0.02 * Math.sin(step / 50), timestamp: 1_800_000_000_000 + step, step })));
    await store.close();
    ui = await openUi(file, dir);
    ({ server, browser, page } = ui);
  }, 600_000);

  afterAll(async () => ui?.close());

  it("runs page: interactive time, a sort on the server, the next page on scroll", async () => {
    const url = `${server.url}/experiments/${experimentId}?cols=metrics.auc,metrics.loss,params.learning_rate`;
    const loads: number[] = [];
    for (let i = 0; i < 3; i++) {
      await page.goto(i === 0 ? url : `${url}&x=${i}`);
      const table = page.locator("[data-testid=runs-table][data-interactive-ms]");
      await table.waitFor();
      loads.push(Number(await table.getAttribute("data-interactive-ms")));
    }
    const rows = page.locator(".vt-row");
    expect(await rows.count()).toBeGreaterThan(10);
    expect(await rows.count()).toBeLessThan(100); // virtualised: only what is in view
    expect(await page.getByTestId("run-count").innerText()).toMatch(/^100\+ runs/);

    // sort by auc, highest first: the top run is the API's
    const top: any = await fetch(`${server.url}/api/2.0/mlflow/runs/search`, { method: "POST", body: JSON.stringify({ experiment_ids: [experimentId], order_by: ["metrics.auc DESC"], max_results: 1 }) }).then((r) => r.json());
    const t0 = performance.now();
    await page.getByRole("button", { name: "auc" }).click();
    await page.locator(".vt-row").first().getByText(top.runs[0].info.run_name, { exact: true }).waitFor();
    const sortMs = performance.now() - t0;

    // scroll to the end of what is loaded: the next page arrives
    await page.getByRole("grid").focus();
    const t1 = performance.now();
    await page.keyboard.press("End");
    await page.getByTestId("run-count").getByText(/^600\+ runs/).waitFor();
    const nextMs = performance.now() - t1;
    expect(browser.takeErrors()).toEqual([]);
    console.log(
      `UI over ${RUNS.toLocaleString("en-US")} runs: runs page interactive in ${loads.map(ms).join(", ")} (first, then reloads; goal ≤ 1,500 ms: ×${(1500 / loads[0]).toFixed(1)} on the first); sort by a metric on the server ${ms(sortMs)}; next page of 500 on scroll ${ms(nextMs)}`,
    );
    await page.screenshot({ path: path.join(os.tmpdir(), "keel-ui-scale-runs.png") });
  });

  it(`a ${POINTS.toLocaleString("en-US")}-point metric history: fetch of the downsampled series + render`, async () => {
    const times: number[] = [];
    const fetches: number[] = [];
    for (let i = 0; i < 3; i++) {
      await page.goto(`${server.url}/runs/${longRun}?tab=metrics&metric=loss${i ? `&x=${i}` : ""}`);
      const chart = page.locator('[data-metric="loss"][data-render-ms]');
      await chart.waitFor();
      times.push(Number(await chart.getAttribute("data-render-ms")));
      fetches.push(Number(await chart.getAttribute("data-fetch-ms")));
      expect(Number(await chart.getAttribute("data-points"))).toBe(1000);
    }
    expect(browser.takeErrors()).toEqual([]);
    console.log(`UI: a ${POINTS.toLocaleString("en-US")}-point metric chart (1,000 points drawn, LTTB on the server) in ${times.map(ms).join(", ")}, of which the server's answer ${fetches.map(ms).join(", ")} (first, with the chart library's first load; then reloads; goal ≤ 500 ms: ×${(500 / Math.max(...times)).toFixed(1)} on the slowest)`);
  });
});
