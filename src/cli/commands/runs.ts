/** `keel runs list|show|compare`: search runs, look at one, compare several side by side. */
import type { Command } from "commander";
import { COMMAND_INFO } from "./catalog.js";
import { TAG, type Run, type TrackingStore } from "../../track/index.js";
import { action, positiveInt, withExamples } from "../command.js";
import { UsageError } from "../exit-codes.js";
import { type Cell, fmt, printJson, table } from "../output.js";
import { colorEnabled } from "../terminal.js";
import { addStoreOption, type StoreFlags, when, withStore } from "./store-option.js";

interface ListFlags extends StoreFlags {
  experiment?: string[];
  filter?: string;
  orderBy?: string[];
  max: number;
  deleted?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

function duration(r: Run): string {
  if (r.info.endTime === null) return r.info.status === "RUNNING" ? "running" : "—";
  const s = (r.info.endTime - r.info.startTime) / 1000;
  return s < 60 ? `${fmt(s, 3)}s` : s < 3600 ? `${fmt(s / 60, 3)}m` : `${fmt(s / 3600, 3)}h`;
}

/** Metric keys a filter or ordering names (shown as columns), then the most common ones, at most 6. */
function metricColumns(runs: Run[], filter?: string, orderBy?: string[]): string[] {
  const named = new Set<string>();
  for (const text of [filter ?? "", ...(orderBy ?? [])]) for (const m of text.matchAll(/metrics\.(?:`([^`]+)`|"([^"]+)"|([\w.\-/]+))/g)) named.add(m[1] ?? m[2] ?? m[3]);
  const counts = new Map<string, number>();
  for (const r of runs) for (const m of r.data.metrics) counts.set(m.key, (counts.get(m.key) ?? 0) + 1);
  const rest = [...counts.entries()].filter(([k]) => !named.has(k)).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k]) => k);
  return [...named, ...rest].slice(0, 6);
}

async function experimentIds(store: TrackingStore, names: string[] | undefined): Promise<string[] | undefined> {
  if (!names || names.length === 0) return undefined;
  const ids: string[] = [];
  for (const n of names) ids.push(/^\d+$/.test(n) ? n : (await store.getExperimentByName(n)).experimentId);
  return ids;
}

const userTag = (k: string) => !k.startsWith("mlflow.") && !k.startsWith("keel.");

export function registerRuns(program: Command): void {
  const runs = program.command("runs").description(COMMAND_INFO.runs.description);

  const list = addStoreOption(
    runs
      .command("list")
      .description("list runs, newest first, with MLflow's filter grammar and ordering")
      .option("-e, --experiment <name>", "only this experiment (name or id; repeat for several)", collect)
      .option("-f, --filter <expr>", `MLflow filter, e.g. "metrics.auc > 0.8 AND params.model = 'gbdt'"`)
      .option("-o, --order-by <term>", 'ordering, e.g. "metrics.auc DESC" (repeat for several)', collect)
      .option("-n, --max <n>", "at most this many runs", positiveInt("--max"), 100)
      .option("--deleted", "list deleted runs instead"),
  );
  withExamples(list, `keel runs list --experiment churn --filter "metrics.auc > 0.8" --order-by "metrics.auc DESC" --max 20`);
  list.action(
    action(async (flags: ListFlags) =>
      withStore(flags, async (store) => {
        const out: Run[] = [];
        let pageToken: string | undefined;
        const ids = await experimentIds(store, flags.experiment);
        do {
          const page = await store.searchRuns({ experimentIds: ids, filter: flags.filter, orderBy: flags.orderBy, maxResults: Math.min(flags.max - out.length, 1000), pageToken, viewType: flags.deleted ? "DELETED_ONLY" : "ACTIVE_ONLY" });
          out.push(...page.items);
          pageToken = page.nextPageToken;
        } while (pageToken && out.length < flags.max);
        if (flags.json) return printJson(out);
        if (out.length === 0) return void process.stdout.write("no runs match\n");
        const cols = metricColumns(out, flags.filter, flags.orderBy);
        const rows = out.map((r) => {
          const row: Record<string, Cell> = { run_id: r.info.runId, name: r.info.runName, exp: r.info.experimentId, status: r.info.status, started: when(r.info.startTime), duration: duration(r) };
          for (const k of cols) row[k] = r.data.metrics.find((m) => m.key === k)?.value;
          return row;
        });
        process.stdout.write(table(rows) + "\n" + (pageToken ? `(first ${out.length}; raise --max for more)\n` : ""));
      }),
    ),
  );

  const show = addStoreOption(runs.command("show").description("show one run: its hypothesis, params, metrics, tags, datasets and artifacts").argument("<run-id>", "the run's id"));
  withExamples(show, "keel runs show 3f2a9c0d1e4b4a7f9b8c6d5e4f3a2b1c");
  show.action(
    action(async (runId: string, flags: StoreFlags) =>
      withStore(flags, async (store) => {
        const run = await store.getRun(runId);
        let artifacts: { path: string; isDir: boolean; fileSize?: number }[] = [];
        let artifactError: string | undefined;
        try {
          artifacts = await store.backend.artifacts.list(run.info.artifactUri);
        } catch (e) {
          artifactError = (e as Error).message;
        }
        if (flags.json) return printJson({ ...run, artifacts });
        const i = run.info;
        const tags = new Map(run.data.tags.map((t) => [t.key, t.value]));
        const lines = [
          `run ${i.runId} "${i.runName}" in experiment ${i.experimentId}`,
          `  status     ${i.status}${i.lifecycleStage === "deleted" ? " (deleted)" : ""}`,
          `  started    ${when(i.startTime)}   ended ${when(i.endTime)}   (${duration(run)})`,
          ...(i.hypothesis ? [`  hypothesis ${i.hypothesis}`] : []),
          ...(i.parentRunId ? [`  parent     ${i.parentRunId}`] : []),
          ...(tags.get(TAG.gitCommit) ? [`  git        ${tags.get(TAG.gitCommit)}${tags.get(TAG.gitDirty) === "true" ? " (dirty)" : ""}`] : []),
          `  artifacts  ${i.artifactUri}`,
          "",
        ];
        if (run.data.params.length) lines.push(table(run.data.params.map((p) => ({ param: p.key, value: p.value }))), "");
        if (run.data.metrics.length) lines.push(table(run.data.metrics.map((m) => ({ metric: m.key, value: m.value, step: m.step, logged: when(m.timestamp) }))), "");
        const user = run.data.tags.filter((t) => userTag(t.key));
        if (user.length) lines.push(table(user.map((t) => ({ tag: t.key, value: t.value }))), "");
        if (run.inputs.datasetInputs.length) {
          lines.push(table(run.inputs.datasetInputs.map((d) => ({ dataset: d.dataset.name, digest: d.dataset.digest.slice(0, 16), rows: d.dataset.rows ?? undefined, context: d.tags.find((t) => t.key === TAG.datasetContext)?.value }))), "");
        }
        if (artifacts.length) lines.push(table(artifacts.map((a) => ({ artifact: a.isDir ? `${a.path}/` : a.path, bytes: a.fileSize }))), "");
        else if (artifactError) lines.push(`artifacts: cannot list (${artifactError})`, "");
        process.stdout.write(lines.join("\n"));
      }),
    ),
  );

  const compare = addStoreOption(
    runs
      .command("compare")
      .description("compare runs side by side: params and metrics, rows that differ marked with *")
      .argument("<run-ids...>", "two or more run ids")
      .option("--diff-only", "only the params and metrics that differ"),
  );
  withExamples(compare, "keel runs compare 3f2a9c0d1e4b4a7f9b8c6d5e4f3a2b1c 8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b");
  compare.action(
    action(async (runIds: string[], flags: StoreFlags & { diffOnly?: boolean }) =>
      withStore(flags, async (store) => {
        if (runIds.length < 2) throw new UsageError("runs compare needs at least two run ids", { path: "run-ids", received: runIds });
        const got = await Promise.all(runIds.map((id) => store.getRun(id)));
        const section = (kind: "param" | "metric") => {
          const keys = [...new Set(got.flatMap((r) => (kind === "param" ? r.data.params : r.data.metrics).map((x) => x.key)))].sort();
          return keys.map((key) => {
            const values = got.map((r) => (kind === "param" ? r.data.params.find((p) => p.key === key)?.value : r.data.metrics.find((m) => m.key === key)?.value) ?? null);
            const shown = values.map((v) => (v === null ? "—" : fmt(v)));
            return { key, values, differs: new Set(shown).size > 1 };
          });
        };
        const params = section("param");
        const metrics = section("metric");
        if (flags.json) return printJson({ runs: got.map((r) => ({ runId: r.info.runId, runName: r.info.runName, hypothesis: r.info.hypothesis })), params, metrics });
        const heads = got.map((r) => `${r.info.runName} (${r.info.runId.slice(0, 8)})`);
        const color = colorEnabled();
        const render = (kind: string, rows: { key: string; values: (string | number | null)[]; differs: boolean }[]) => {
          const picked = flags.diffOnly ? rows.filter((r) => r.differs) : rows;
          if (picked.length === 0) return `no ${kind}s${flags.diffOnly ? " differ" : ""}`;
          const text = table(
            picked.map((r) => {
              const row: Record<string, Cell> = { " ": r.differs ? "*" : "", [kind]: r.key };
              r.values.forEach((v, j) => (row[heads[j]] = v === null ? undefined : v));
              return row;
            }),
          );
          if (!color) return text;
          // bold yellow for the rows that differ
          return text
            .split("\n")
            .map((l) => (l.startsWith("*") ? `\x1b[1;33m${l}\x1b[0m` : l))
            .join("\n");
        };
        const hyp = got.flatMap((r, j) => (r.info.hypothesis ? [`  ${heads[j]}: ${r.info.hypothesis}`] : []));
        process.stdout.write([...(hyp.length ? ["hypotheses:", ...hyp, ""] : []), render("param", params), "", render("metric", metrics), "", "* = differs between runs", ""].join("\n"));
      }),
    ),
  );
}
