/**
 * The Monitoring page in Chromium against a real `keel server`, over windows the real monitoring
 * code computed: `keel run` registers credit v1 (@champion) with its reference profile, `keel serve`
 * answers 200 requests and logs them (the last 100 with Income shifted far up), labels arrive as
 * `keel feedback` writes them, and `monitorWindows` cuts the logged requests into hourly windows
 * (the requests' logged times are moved onto three consecutive hours so there is a series to
 * chart) and compares each with the stored profile. The windows reach the server through the
 * remote monitoring store (HTTP), as `keel monitor drift --model --store http://...` sends them.
 * Prints how long the page takes to show its charts (first load, then reloads); never asserted.
 */
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JsonlLogReader, loadModelProfile, monitorWindows, openMonitoringStore, type WindowMonitoring } from "../../src/monitor/index.js";
import { openRegistry } from "../../src/registry/index.js";
import { JsonlWriter } from "../../src/serve/index.js";
import { closeTrackingStores, openStore } from "../../src/track/index.js";
import { keelAsync } from "../cli/run-cli.js";
import { championProject, creditRows, sendTraffic } from "../monitor/live.js";
import { CHROMIUM, type UiSession, openUi, warnIfNoChromium } from "./browser.js";

warnIfNoChromium("the Monitoring page tests are");

const H = 3_600_000;
const T0 = Date.UTC(2026, 2, 1, 8);
const ms = (n: number) => `${Math.round(n).toLocaleString("en-US")} ms`;

describe.skipIf(!CHROMIUM)("web UI: Monitoring", () => {
  let ui: UiSession;
  let page: Page;
  let windows: WindowMonitoring[];
  let logDir: string;

  beforeAll(async () => {
    const project = await championProject();
    logDir = mkdtempSync(path.join(os.tmpdir(), "keel-ui-monitor-log-"));
    const rows = creditRows().slice(0, 200);
    await sendTraffic(project, rows.slice(0, 100), { logDir, prefix: "a" });
    await sendTraffic(project, rows.slice(100).map((r) => ({ ...r, Income: (r.Income as number) * 4 + 200 })), { logDir, prefix: "b" });
    await new JsonlWriter(logDir).writeFeedback(rows.map((r, i) => ({ id: i < 100 ? `a-${i}` : `b-${i - 100}`, model: "credit", label: r.Status as string, time: new Date().toISOString() })));
    const reader = new JsonlLogReader(logDir);
    const logged = await reader.predictions({ model: "credit" });
    expect(logged).toHaveLength(200);
    // requests 0–59 in the first hour, 60–119 in the second, 120–199 (80 of the shifted ones) in the third
    const hourOf = (id: string) => {
      const i = id.startsWith("a-") ? Number(id.slice(2)) : 100 + Number(id.slice(2));
      return i < 60 ? 0 : i < 120 ? 1 : 2;
    };
    const records = logged.map((r) => ({ ...r, time: T0 + hourOf(r.id) * H + (r.time % 1000) })).sort((a, b) => a.time - b.time);
    const tracking = await openStore(project.store);
    const registry = await openRegistry(tracking);
    const { profile } = await loadModelProfile("models:/credit@champion", { registry, tracking });
    await registry.close();
    windows = monitorWindows(profile, records, "hour", { labels: await reader.feedback({ model: "credit" }), performance: { rounds: 200 } });
    expect(windows).toHaveLength(3);

    ui = await openUi(project.store, project.dir);
    page = ui.page;
    const remote = await openMonitoringStore(ui.server.url);
    await remote.saveWindows("credit", "1", "hour", windows);
    await remote.close();
  }, 600_000);

  afterAll(async () => {
    await ui?.close();
    closeTrackingStores();
  });

  it("charts the stored windows of the champion: drift share, per-column drift, prediction drift, quality, live metrics with intervals", async () => {
    const url = `${ui.server.url}/monitoring/credit`;
    const loads: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      await page.goto(i === 0 ? url : `${url}?window=hour&r=${i}`);
      await page.locator("[data-chart=live-metrics] canvas").waitFor();
      loads.push(performance.now() - t0);
    }
    expect(await page.getByTestId("monitoring-version").inputValue()).toBe("1");
    for (const name of ["drift-share", "drift-columns", "prediction-drift", "live-metrics"]) expect(await page.locator(`[data-chart=${name}] canvas`).count()).toBeGreaterThan(0);
    // the last window's per-column table is the stored result's: Income drifted there
    const last = windows[2].drift!;
    const cells = await page.getByTestId("monitoring-column").allInnerTexts();
    expect(cells).toHaveLength(last.columns.length);
    const income = last.columns.find((c) => c.column === "Income")!;
    expect(income.drifted).toBe(true);
    expect(cells.find((t) => t.startsWith("Income"))).toMatch(/drift/);
    expect(await page.getByTestId("monitoring-quality").count()).toBe(3);
    expect(ui.browser.takeErrors()).toEqual([]);
    console.log(`UI Monitoring page (3 hourly windows of credit v1) charts on screen in ${loads.map(ms).join(", ")} (first, then reloads; machine shared, loaded)`);
    await page.screenshot({ path: path.join(os.tmpdir(), "keel-ui-monitoring.png"), fullPage: true });
  });

  it("keel monitor drift --model --store http://... stores its windows on the server, and the page shows them", async () => {
    // the traffic's real times (the last minutes), as day windows: apart from the hourly ones above
    const r = await keelAsync(["monitor", "drift", "--model", "models:/credit@champion", "--since", "2h", "--window", "day", "--store", ui.server.url, "--log-dir", logDir, "--json"]);
    const out = JSON.parse(r.stdout);
    expect(out.stored).toBe(out.windows.length);
    const listed: any = await fetch(`${ui.server.url}/api/2.0/keel/monitoring/windows/list?model=credit&window=day`).then((x) => x.json());
    expect(listed.windows.reduce((n: number, w: { requests: number }) => n + w.requests, 0)).toBe(200);
    await page.goto(`${ui.server.url}/monitoring/credit?version=1&window=day`);
    await page.locator("[data-chart=drift-share] canvas").waitFor();
    expect(await page.getByTestId("monitoring-quality").count()).toBe(listed.windows.length);
  });

  it("a version without windows says how to store them", async () => {
    await page.goto(`${ui.server.url}/monitoring/credit?version=2`);
    await page.getByText(/No monitoring windows stored for credit v2/).waitFor();
  });
});
