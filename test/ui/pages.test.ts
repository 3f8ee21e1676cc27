/**
 * The web UI in a real browser (Debian's Chromium through playwright-core) against a real
 * `keel server` over a store filled by `keel run examples/credit`: every page loads without
 * console errors and shows what the API holds; filtering, sorting, keyboard use and deep links
 * work; sign-in with a token; read-only users see no write buttons; an alias moved from the UI
 * shows in the API and the audit log. Screenshots of each page go to test-results/ui/.
 */
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/server/index.js";
import { CHROMIUM, type Session, type UiSession, openUi, warnIfNoChromium } from "./browser.js";
import { creditStore } from "./credit-store.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SHOTS = path.join(root, "test-results", "ui");
warnIfNoChromium("the web UI's browser tests are");

/** A metric as the UI prints it (4 significant digits). */
const shown = (v: number) => (Number.isInteger(v) ? v.toLocaleString("en-US") : String(Number(v.toPrecision(4))));

describe.skipIf(!CHROMIUM)("web UI in Chromium, over keel run examples/credit", () => {
  let ui: UiSession;
  let server: RunningServer;
  let browser: Session;
  let page: Page;
  let token: string | undefined;
  const api = async (p: string, init: { method?: string; body?: unknown } = {}) => {
    const res = await fetch(server.url + p, {
      method: init.method ?? "GET",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const shot = async (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  const noErrors = () => expect(browser.takeErrors()).toEqual([]);
  let parent: any;
  let children: any[];

  beforeAll(async () => {
    const filled = creditStore();
    ui = await openUi(filled.store, filled.dir);
    ({ server, browser, page } = ui);
    // a second version of the model (same run's files) for the alias move
    const runs = (await api("/api/2.0/mlflow/runs/search", { method: "POST", body: { experiment_ids: [], max_results: 100 } })).body.runs;
    parent = runs.find((r: any) => r.info.run_name === "credit-run");
    children = runs.filter((r: any) => r.info.parent_run_id === parent.info.run_id);
    const v2 = await api("/api/2.0/mlflow/model-versions/create", { method: "POST", body: { name: "credit", source: `${parent.info.artifact_uri}/model`, run_id: parent.info.run_id } });
    expect(v2.body.model_version.version).toBe("2");
    rmSync(SHOTS, { recursive: true, force: true });
    mkdirSync(SHOTS, { recursive: true });
  }, 600_000);

  afterAll(async () => ui?.close());

  it("experiments list and deep links; API paths keep their JSON 404s", async () => {
    await page.goto(server.url + "/");
    await page.getByRole("link", { name: "credit" }).first().waitFor();
    expect(await page.title()).toBe("Experiments · Keel");
    await shot("01-experiments");
    noErrors();
    // any app path opens the app; API paths answer JSON
    await page.goto(server.url + "/no/such/page");
    await page.getByRole("heading", { name: "Page not found" }).waitFor();
    const r = await fetch(server.url + "/api/2.0/mlflow/nothing-here");
    expect(r.status).toBe(404);
    expect(await r.json()).toMatchObject({ error_code: "ENDPOINT_NOT_FOUND" });
    noErrors();
  });

  it("runs table: the runs, the hypothesis, sorting and filtering on the server, inline filter errors, keyboard", async () => {
    const exp = parent.info.experiment_id;
    await page.goto(`${server.url}/experiments/${exp}?cols=metrics.cv_roc_auc_mean,params.model`);
    const table = page.getByTestId("runs-table");
    await page.locator("[data-testid=runs-table][data-interactive-ms]").waitFor();
    const names = async () => table.locator(".vt-row [role=gridcell]:nth-child(2)").allInnerTexts();
    await expect.poll(async () => (await names()).length).toBe(1 + children.length);
    expect((await names()).map((n) => n.replace("↳", "").trim()).sort()).toEqual([parent, ...children].map((r) => r.info.run_name).sort());
    await page.getByText(parent.info.hypothesis).first().waitFor();
    await shot("02-runs");

    // sort by the metric column: the order the API gives for the same order_by
    await page.getByRole("button", { name: "cv_roc_auc_mean" }).click();
    const byApi = async (order: string, filter = "") =>
      (await api("/api/2.0/mlflow/runs/search", { method: "POST", body: { experiment_ids: [exp], order_by: [order], filter } })).body.runs.map((r: any) => r.info.run_name);
    const desc = await byApi("metrics.cv_roc_auc_mean DESC");
    await expect.poll(async () => (await names()).map((n) => n.replace("↳", "").trim())).toEqual(desc);
    expect(await page.locator('[role=columnheader][aria-sort="descending"]').innerText()).toContain("cv_roc_auc_mean");
    await page.getByRole("button", { name: "cv_roc_auc_mean" }).click();
    const asc = await byApi("metrics.cv_roc_auc_mean ASC");
    await expect.poll(async () => (await names()).map((n) => n.replace("↳", "").trim())).toEqual(asc);
    expect(page.url()).toContain("order=metrics.cv_roc_auc_mean+ASC");

    // a filter in MLflow's grammar: the runs the API finds for it
    const best = Math.max(...children.map((c) => Number(c.data.metrics.find((m: any) => m.key === "cv_roc_auc_mean")?.value ?? 0)));
    const filter = `metrics.cv_roc_auc_mean >= ${best}`;
    await page.getByLabel("Filter", { exact: true }).fill(filter);
    await page.getByRole("button", { name: "Apply" }).click();
    const expected = await byApi("metrics.cv_roc_auc_mean ASC", filter);
    expect(expected.length).toBe(1);
    await expect.poll(async () => (await names()).map((n) => n.replace("↳", "").trim())).toEqual(expected);
    await shot("03-runs-filtered");

    // a broken filter: the server's message under the box, the box marked invalid
    await page.getByLabel("Filter", { exact: true }).fill("metrics.cv_roc_auc_mean >> 1");
    await page.getByRole("button", { name: "Apply" }).click();
    const err = page.getByTestId("filter-error");
    await err.waitFor();
    expect(await err.innerText()).toMatch(/filter .*character/);
    expect(await page.getByLabel("Filter", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    await shot("04-runs-filter-error");
    // the 400 is the answer being shown, not a page error; the browser logs the failed request
    expect(browser.takeErrors().filter((e) => !/status of 400/.test(e))).toEqual([]);

    // hide child runs; then keyboard: focus the grid, move down, open with Enter
    await page.getByRole("button", { name: "Clear" }).click();
    await page.getByLabel("Hide child runs (CV candidates, trials)").check();
    await expect.poll(async () => (await names()).map((n) => n.trim())).toEqual(["credit-run"]);
    await page.getByLabel("Hide child runs (CV candidates, trials)").uncheck();
    await expect.poll(async () => (await names()).length).toBe(1 + children.length);
    // a column chosen from the runs' tags: its header and the parent's value appear, and the URL keeps it
    await page.getByText("Columns (2)").click();
    await page.getByRole("group", { name: "Tags" }).getByLabel("keel.step").check();
    await page.getByRole("columnheader", { name: "keel.step" }).waitFor();
    expect(page.url()).toContain("tags.keel.step");
    const step = parent.data.tags.find((t: any) => t.key === "keel.step").value;
    await page.locator(".vt-row", { hasText: "credit-run" }).getByText(step, { exact: true }).waitFor();
    await page.getByText("Columns (3)").click();

    await page.getByRole("grid").focus();
    await page.keyboard.press("End");
    const last = (await names()).at(-1)!.replace("↳", "").trim();
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { level: 1, name: new RegExp(`^${last}`) }).waitFor();
    noErrors();
  });

  it("run page: why, params, metrics with a history chart, datasets with hashes, children, artifacts with previews, evaluation", async () => {
    const id = parent.info.run_id;
    await page.goto(`${server.url}/runs/${id}`);
    await page.getByTestId("hypothesis").waitFor();
    expect(await page.getByTestId("hypothesis").innerText()).toContain(parent.info.hypothesis);
    const testAuc = Number(parent.data.metrics.find((m: any) => m.key === "test_roc_auc").value);
    expect(await page.locator('[data-testid=metrics] td[data-metric="test_roc_auc"]').innerText()).toBe(shown(testAuc));
    const params = page.getByTestId("params");
    expect(await params.locator("tr", { hasText: "data_hash" }).locator("td").innerText()).toBe(parent.data.params.find((p: any) => p.key === "data_hash").value);
    const digest = parent.inputs.dataset_inputs[0].dataset.digest;
    expect(await page.getByTestId("datasets").locator("td").first().getAttribute("title")).toBe(digest);
    await expect.poll(async () => page.getByTestId("children").locator("tbody tr").count()).toBe(children.length);
    await shot("05-run-overview");

    // a history chart (autologged loss of the chosen model's final fit, or the first metric with steps)
    const stepped = parent.data.metrics.find((m: any) => m.step > 0)?.key ?? parent.data.metrics[0].key;
    await page.goto(`${server.url}/runs/${id}?tab=metrics&metric=${stepped}`);
    const chart = page.locator(`[data-metric="${stepped}"][data-render-ms]`);
    await chart.waitFor();
    expect(await chart.locator("canvas").count()).toBeGreaterThan(0);
    await shot("06-run-metric-chart");

    // artifacts: JSON pretty-printed, CSV-free here, Markdown rendered, the HTML report in a sandboxed frame
    await page.goto(`${server.url}/runs/${id}?tab=artifacts&path=summary.json`);
    const preview = page.getByTestId("artifact-preview");
    await preview.locator("pre").waitFor();
    expect(await preview.locator("pre").innerText()).toContain(`"runId": "${id}"`);
    await page.getByRole("button", { name: /^model_card\.md/ }).click();
    await preview.locator("h4, h3", { hasText: "credit — version 1" }).first().waitFor();
    await page.getByRole("button", { name: /^profile\.html/ }).click();
    const frame = preview.locator("iframe");
    await frame.waitFor();
    expect(await frame.getAttribute("sandbox")).toBe("");
    await expect.poll(async () => (await page.frameLocator("iframe").locator("h1").first().innerText()).toLowerCase()).toContain("data profile");
    await page.getByRole("button", { name: "model/" }).click();
    await page.getByRole("button", { name: /^manifest\.json/ }).click();
    await preview.locator("pre").waitFor();
    expect(page.url()).toContain("path=model%2Fmanifest.json");
    await shot("07-run-artifacts");

    // the evaluation keel run recorded: confusion matrix and subgroups as in summary.json
    const summary = JSON.parse((await api(`/api/2.0/keel/artifacts/head?run_id=${id}&path=summary.json&max_bytes=1000000`)).body.text);
    await page.getByRole("tab", { name: "Evaluation" }).click();
    const cm = page.getByTestId("confusion");
    await cm.waitFor();
    const cells = await cm.locator("tbody td").allInnerTexts();
    expect(cells.map((c) => Number(c.split(" ")[0].replace(/,/g, "")))).toEqual(summary.test.confusion.matrix.flat());
    for (const col of summary.problem.protected) {
      const table = page.getByTestId(`subgroup-${col}`);
      expect(await table.locator("tbody tr").count()).toBe(Object.keys(summary.subgroups[col]).length);
      const gap = summary.gaps[col][summary.problem.metric];
      if (gap) expect(await table.locator(".gap-badge").innerText()).toContain(shown(gap.gap));
    }
    expect(await page.getByTestId("test-metrics").locator("tr", { hasText: "roc_auc" }).first().locator("td").first().innerText()).toBe(shown(summary.test.metrics.roc_auc));
    // the binary example records its curves: ROC, precision–recall and reliability, captioned with AUC, AP and ECE
    expect(summary.test.curves.roc.fpr.length).toBeGreaterThan(2);
    for (const name of ["roc", "pr", "calibration"]) await page.locator(`[data-chart="${name}"]`).waitFor();
    expect(await page.locator('[data-chart="roc"]').innerText()).toContain(shown(summary.test.curves.roc.auc));
    expect(await page.locator('[data-chart="calibration"]').innerText()).toContain(`ECE ${shown(summary.test.curves.calibration.ece)}`);
    expect(await page.getByTestId("curves-missing").count()).toBe(0);
    await shot("08-run-evaluation");
    noErrors();
  });

  it("compare: params diff, metrics, overlaid history and parallel coordinates", async () => {
    const ids = children.map((c) => c.info.run_id);
    await page.goto(`${server.url}/compare?runs=${ids.join(",")}`);
    await page.getByTestId("compare-metrics").waitFor();
    const header = await page.getByTestId("compare-metrics").locator("thead th").allInnerTexts();
    expect(header.slice(1)).toEqual(children.map((c) => c.info.run_name));
    const row = page.getByTestId("compare-metrics").locator("tr", { hasText: "cv_roc_auc_mean" }).first();
    const values = (await row.locator("td").allInnerTexts()).map((t) => t.replace(/[▲▼]/g, "").trim());
    expect(values).toEqual(children.map((c) => shown(Number(c.data.metrics.find((m: any) => m.key === "cv_roc_auc_mean").value))));
    await page.locator('[data-chart="overlay"] canvas').first().waitFor();
    await page.locator('[data-chart="parallel"] canvas').first().waitFor();
    await shot("09-compare");
    noErrors();
  });

  it("registry: models, versions, lineage to run / data hash / commit, the model card, the audit log", async () => {
    await page.goto(`${server.url}/models`);
    const models = page.getByTestId("models");
    await models.waitFor();
    expect(await models.locator("tr", { hasText: "credit" }).innerText()).toContain("@challenger → v1");
    await shot("10-models");

    await page.getByRole("link", { name: "credit" }).first().click();
    await page.getByTestId("versions").waitFor();
    expect(await page.getByTestId("versions").locator("tbody tr").count()).toBe(2);
    await page.getByTestId("audit").waitFor();
    await shot("11-model");

    const mv = (await api("/api/2.0/mlflow/model-versions/get?name=credit&version=1")).body.model_version;
    const tag = (k: string) => mv.tags.find((t: any) => t.key === k)?.value;
    await page.goto(`${server.url}/models/credit/versions/1`);
    await page.getByTestId("lineage").waitFor();
    expect(await page.getByTestId("data-hash").innerText()).toBe(tag("keel.data_hash"));
    const lineage = (await api("/api/2.0/keel/model-versions/lineage?name=credit&version=1")).body.lineage;
    expect(await page.getByTestId("git-commit").innerText()).toContain(lineage.code.git_commit ?? tag("keel.git_commit") ?? "not recorded");
    await page.getByRole("link", { name: "credit-run" }).first().waitFor();
    await shot("12-version-lineage");
    await page.getByRole("tab", { name: "Model card" }).click();
    await page.getByTestId("model-card").waitFor();
    expect(await page.getByTestId("model-card").innerText()).toContain("credit — version 1");
    await shot("13-version-card");

    await page.goto(`${server.url}/audit-log?model=credit`);
    const audit = page.getByTestId("audit");
    await audit.waitFor();
    const log = (await api("/api/2.0/keel/audit-log?model_name=credit&max_results=50000")).body.entries;
    expect(await audit.locator("tbody tr").count()).toBe(Math.min(200, log.length));
    expect(await audit.locator("tbody tr").first().innerText()).toContain(log.at(-1).entity);
    await shot("14-audit-log");
    noErrors();
  });

  it("evaluation list, monitoring and studies say what exists", async () => {
    await page.goto(`${server.url}/evaluation`);
    await page.getByTestId("evaluations").waitFor();
    expect(await page.getByTestId("evaluations").locator("tbody tr").first().innerText()).toContain("credit-run");
    await shot("15-evaluation");
    await page.goto(`${server.url}/monitoring`);
    // the registered models to pick from; nothing has stored monitoring windows for them yet
    await page.getByRole("navigation", { name: "Registered models" }).getByRole("link").first().click();
    await page.getByText(/No monitoring windows stored for/).waitFor();
    await shot("16-monitoring");
    await page.goto(`${server.url}/studies`);
    await page.getByTestId("studies-empty").waitFor();
    await shot("17-studies");
    noErrors();
  });

  it("with tokens: sign-in, read-only users see no write buttons, an alias moved from the UI lands in the API and the audit log", async () => {
    const reader = await server.tokens.create({ role: "read", name: "ui-reader" });
    const writer = await server.tokens.create({ role: "write", name: "ui-writer" });
    await page.goto(`${server.url}/models/credit`);
    const field = page.getByLabel("API token");
    await field.waitFor();
    await shot("18-sign-in");
    await field.fill("not-a-token");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("That token was not accepted").waitFor();

    await field.fill(reader.token);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByTestId("aliases").waitFor();
    await page.getByText("ui-reader").first().waitFor();
    expect(await page.getByRole("button", { name: /Move @/ }).count()).toBe(0);
    expect(await page.getByRole("button", { name: /Assign a new alias/ }).count()).toBe(0);
    await shot("19-model-read-only");

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("API token").fill(writer.token);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("button", { name: "Move @challenger…" }).click();
    const dialog = page.getByTestId("alias-dialog");
    await dialog.waitFor();
    await dialog.getByLabel("To version").selectOption("2");
    await dialog.getByRole("button", { name: "Move…" }).click();
    await dialog.getByText("Move @challenger from version 1 to version 2?").waitFor();
    await shot("20-alias-confirm");
    await dialog.getByRole("button", { name: "Yes, move it" }).click();
    await page.getByTestId("alias-notice").getByText("Moved @challenger from version 1 to version 2").waitFor();
    await expect.poll(async () => page.getByTestId("aliases").locator("tr", { hasText: "@challenger" }).innerText()).toContain("version 2");
    await shot("21-alias-moved");

    token = writer.token;
    const alias = await api("/api/2.0/mlflow/registered-models/alias?name=credit&alias=challenger");
    expect(alias.body.model_version.version).toBe("2");
    const entries = (await api("/api/2.0/keel/audit-log?model_name=credit&action=set_alias&max_results=50000")).body.entries;
    expect(entries.at(-1)).toMatchObject({ actor: "ui-writer", action: "set_alias", entity: "credit@challenger", from: "1", to: "2" });
    // and the model page's recent changes show it first
    expect(await page.getByTestId("audit").locator("tbody tr").first().innerText()).toMatch(/ui-writer\s+set_alias\s+credit@challenger\s+1\s+2/);
    // the sign-in flow's 401s (server-info without a token, the refused token) are answers, not page errors
    expect(browser.takeErrors().filter((e) => !/status of 401/.test(e))).toEqual([]);
  });
});
