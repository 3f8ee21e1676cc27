/**
 * `keel retrain`: the loop back from monitoring to a new champion, one step per call so a CronJob
 * or `keel monitor watch` tick can drive it.
 *
 * 1. A pending challenger (registered by an earlier retrain, tag `keel.retrain.state=shadow`) is
 *    evaluated first: once its shadow phase is over (answers counted in the prediction log), the
 *    gates are evaluated again on its run's sealed test rows against the current `@champion`, and
 *    `@champion` moves through the same code as `keel promote` — or it is refused.
 * 2. Otherwise (with `ifTriggered`, only when `shouldRetrain` fires on the stored monitoring
 *    windows): `keel run`'s walk on the fresh data; the candidate is compared with the champion on
 *    the same fresh holdout (the new run's sealed test rows) by the promotion gates plus "better
 *    than the champion"; it stays `@challenger` and enters shadow, or is promoted at once when there
 *    is no champion yet or no shadow phase, or is refused (its `@challenger` alias removed).
 *
 * Every move is a registry write with the actor `keel retrain` (tags and aliases), so the audit log
 * holds the whole story.
 */
import path from "node:path";
import { openBackend, parseStoreUri, resolveStoreUri } from "../backend/index.js";
import { NotFoundError } from "../core/errors.js";
import { parseDuration } from "../core/duration.js";
import type { MetricTask } from "../metrics/index.js";
import type { ShadowProgress, TriggerDecision } from "../monitor/index.js";
import { loadProject, type Project, type ProjectConfig } from "../project/config.js";
import { CHAMPION, type GatesReport, type PromotionProblem, type PromotionResult, type RegistryStore, openRegistry, promote, verdictPasses, withBeatsChampion } from "../registry/index.js";
import { openStore, type TrackingStore } from "../track/index.js";
import { runProject } from "./run-project.js";
import type { RunSummary } from "./summary.js";

/** The alias a retrained candidate carries while it is in shadow. */
export const CHALLENGER = "challenger";
/** Version tags the loop keeps its state in. */
export const RETRAIN_TAG = { state: "keel.retrain.state", since: "keel.retrain.shadow_since", reason: "keel.retrain.reason" } as const;
const ACTOR = "keel retrain";

export interface RetrainOptions {
  /** The project folder (or keel.yaml). */
  project: string;
  /** Fresh data to train on (default keel.yaml's retrain.data, else data.source). */
  data?: string;
  store?: string;
  threads?: number;
  /** The prediction log's JSON-lines folder (default: a PostgreSQL store's tables, else `<project>/.keel/predictions`). */
  logDir?: string;
  /** Train only when a trigger of `retrain.triggers` fires. */
  ifTriggered?: boolean;
  /** Only evaluate a pending challenger; never train. */
  promoteOnly?: boolean;
  /** Epoch ms (tests). */
  now?: number;
}

export type RetrainOutcome =
  /** A challenger was promoted to @champion. */
  | "promoted"
  /** A new challenger entered its shadow phase. */
  | "shadow"
  /** A challenger in shadow has not reached its bounds yet. */
  | "shadow_pending"
  /** Gates and shadow passed but retrain.auto_promote is false: `keel promote` may move it. */
  | "ready"
  /** The candidate (or pending challenger) failed the gates, was not better than the champion, or failed in shadow. */
  | "rejected"
  /** The run's model failed its verdict (good_enough, baseline). */
  | "not_good_enough"
  /** The run produced the current champion again. */
  | "unchanged"
  | "not_triggered"
  | "nothing_pending";

export interface RetrainResult {
  model: string;
  outcome: RetrainOutcome;
  /** The version the outcome is about (null: none). */
  version: string | null;
  /** @champion after the call. */
  champion: string | null;
  message: string;
  trigger: TriggerDecision | null;
  shadow: ShadowProgress | null;
  /** The gates (with `beats_champion`) the decision read. */
  gates: GatesReport | null;
  /** The run that trained the candidate. */
  run: { runId: string; dataSource: string; rows: number; testRows: number; chosen: string; verdict: RunSummary["verdict"]; warnings: RunSummary["warnings"] } | null;
  promotion: PromotionResult | null;
}

/** The parts of keel.yaml `promote` reads. */
export function promotionProblem(c: ProjectConfig): PromotionProblem {
  return { target: c.problem.target, task: c.problem.task as MetricTask, positive: c.problem.positive, metric: c.problem.metric, good_enough: c.problem.good_enough, protected: c.problem.protected, seed: c.split.seed, gates: c.gates };
}

async function aliasVersion(registry: RegistryStore, name: string, alias: string) {
  try {
    return await registry.getModelVersionByAlias(name, alias);
  } catch (e) {
    if (e instanceof NotFoundError) return null;
    throw e;
  }
}

async function withStores<T>(store: string | undefined, projectDir: string, fn: (registry: RegistryStore, tracking: TrackingStore) => Promise<T>): Promise<T> {
  const backend = await openBackend(store, { projectDir });
  try {
    return await fn(await openRegistry(backend), await openStore(backend));
  } finally {
    await backend.close();
  }
}

/** Refuse a version: its state and reason as tags, and @challenger removed when it points at it. */
async function refuse(registry: RegistryStore, name: string, version: string, reason: string): Promise<void> {
  await registry.setModelVersionTag(name, version, RETRAIN_TAG.state, "rejected", { actor: ACTOR });
  await registry.setModelVersionTag(name, version, RETRAIN_TAG.reason, reason.slice(0, 5000), { actor: ACTOR });
  if ((await aliasVersion(registry, name, CHALLENGER))?.version === version) await registry.deleteRegisteredModelAlias(name, CHALLENGER, { actor: ACTOR });
}

/** Promote through `keel promote`'s code, the candidate required to beat the champion; refused otherwise. */
async function promoteOrRefuse(project: Project, registry: RegistryStore, tracking: TrackingStore, version: string, base: Omit<RetrainResult, "outcome" | "version" | "champion" | "message" | "gates" | "promotion">): Promise<RetrainResult> {
  const name = project.config.name;
  const p = await promote({ registry, tracking, name, version, problem: promotionProblem(project.config), mustBeatChampion: true, actor: ACTOR });
  if (p.promoted || p.alreadyChampion) {
    await registry.setModelVersionTag(name, version, RETRAIN_TAG.state, "promoted", { actor: ACTOR });
    return { ...base, outcome: "promoted", version, champion: version, gates: p.report, promotion: p, message: `promoted ${name} version ${version} to @champion${p.previous ? ` (was version ${p.previous})` : " (no champion before)"}` };
  }
  const reason = `fails ${p.report.failing.join(", ")}`;
  await refuse(registry, name, version, reason);
  return { ...base, outcome: "rejected", version, champion: p.previous, gates: p.report, promotion: p, message: `${name} version ${version} not promoted: ${reason}; @champion stays ${p.previous ? `version ${p.previous}` : "unset"}` };
}

/**
 * One step of the retraining loop for a project; see the module comment. Throws KeelErrors for bad
 * config, data or stores (nothing moved).
 *
 * @example
 * const r = await retrainProject({ project: "examples/credit", data: "fresh.csv" });
 * if (r.outcome === "rejected" || r.outcome === "not_good_enough") process.exitCode = 3;
 */
export async function retrainProject(o: RetrainOptions): Promise<RetrainResult> {
  // monitor/ and metrics/ load when a retrain runs, not with pipeline/ (keel run imports it)
  const [{ openLogReader, openMonitoringStore, shadowProgress, shouldRetrain }, { scorer }] = await Promise.all([import("../monitor/index.js"), import("../metrics/index.js")]);
  const project = loadProject(o.project);
  const c = project.config;
  const name = c.name;
  const now = o.now ?? Date.now();
  const empty = { model: name, trigger: null, shadow: null, run: null };

  // 1. a challenger in shadow: promote, refuse or wait
  const pending = await withStores(o.store, project.dir, async (registry, tracking) => {
    const challenger = await aliasVersion(registry, name, CHALLENGER);
    if (!challenger || challenger.tags.find((t) => t.key === RETRAIN_TAG.state)?.value !== "shadow") return null;
    const version = challenger.version;
    const champion = (await aliasVersion(registry, name, CHAMPION))?.version ?? null;
    const since = Date.parse(challenger.tags.find((t) => t.key === RETRAIN_TAG.since)?.value ?? "") || challenger.creationTimestamp;
    let shadow: ShadowProgress | null = null;
    if (c.retrain.shadow) {
      const postgres = parseStoreUri(resolveStoreUri(o.store, { projectDir: project.dir })).kind === "postgres";
      const reader = await openLogReader({ store: o.store, logDir: o.logDir ?? (postgres ? undefined : path.join(project.dir, ".keel", "predictions")) });
      try {
        shadow = await shadowProgress(reader, name, version, since, c.retrain.shadow, now);
      } finally {
        await reader.close();
      }
      const base = { ...empty, shadow, gates: null, promotion: null };
      if (shadow.unhealthy) {
        const reason = `failed in shadow: ${shadow.message}`;
        await refuse(registry, name, version, reason);
        return { ...base, outcome: "rejected" as const, version, champion, message: `${name} version ${version} not promoted: ${reason}` };
      }
      if (!shadow.complete) return { ...base, outcome: "shadow_pending" as const, version, champion, message: `${name} version ${version} is in shadow: ${shadow.message}` };
    }
    if (!c.retrain.auto_promote) return { ...empty, shadow, gates: null, promotion: null, outcome: "ready" as const, version, champion, message: `${name} version ${version} finished its shadow phase; retrain.auto_promote is false: keel promote ${name} ${version} --to champion` };
    return promoteOrRefuse(project, registry, tracking, version, { ...empty, shadow });
  });
  if (pending) return pending;
  if (o.promoteOnly) return { ...empty, outcome: "nothing_pending", version: null, champion: null, gates: null, promotion: null, message: `no challenger of ${name} is in shadow` };

  // 2. the triggers
  let trigger: TriggerDecision | null = null;
  if (o.ifTriggered) {
    trigger = await withStores(o.store, project.dir, async (registry) => {
      const versions = (await registry.searchModelVersions({ filter: `name = '${name.replace(/'/g, "''")}'`, orderBy: ["creation_timestamp DESC"], maxResults: 1 })).items;
      const champion = await aliasVersion(registry, name, CHAMPION);
      const recorded = champion?.tags.find((t) => t.key === `keel.test_${c.problem.metric}`)?.value;
      const championValue = recorded !== undefined && Number.isFinite(Number(recorded)) ? Number(recorded) : null;
      const backend = await openBackend(o.store, { projectDir: project.dir });
      let windows: Awaited<ReturnType<Awaited<ReturnType<typeof openMonitoringStore>>["listWindows"]>> = [];
      try {
        if (backend.kind !== "http") {
          const monitoring = await openMonitoringStore(backend);
          windows = await monitoring.listWindows({ model: name, ...(champion ? { version: champion.version } : {}), since: now - parseDuration(c.retrain.triggers.since, "retrain.triggers.since") });
        }
      } finally {
        await backend.close();
      }
      return shouldRetrain(c.retrain.triggers, windows, { metric: c.problem.metric, greaterIsBetter: scorer(c.problem.metric).greaterIsBetter, championValue, lastTrained: versions[0]?.creationTimestamp ?? null, now });
    });
    if (!trigger.retrain) return { ...empty, trigger, outcome: "not_triggered", version: null, champion: null, gates: null, promotion: null, message: "no retrain trigger fired" };
  }

  // 3. train on the fresh data and decide
  const data = o.data ?? (c.retrain.data ? path.resolve(project.dir, c.retrain.data) : undefined);
  const s = await runProject({ project: project.dir, store: o.store, threads: o.threads, schemaRanges: "warn", ...(data ? { data } : {}) });
  const run = { runId: s.runId, dataSource: s.data.source, rows: s.data.rows, testRows: s.data.test.rows, chosen: s.chosen, verdict: s.verdict, warnings: s.warnings };
  const base = { ...empty, trigger, run };
  return withStores(o.store, project.dir, async (registry, tracking) => {
    const champion = (await aliasVersion(registry, name, CHAMPION))?.version ?? null;
    const r = s.registered;
    if (!verdictPasses(s.verdict) || r === null) {
      return { ...base, outcome: "not_good_enough" as const, version: r?.version ?? null, champion, gates: null, promotion: null, message: `the retrained model is not good enough (${c.problem.metric} ${s.verdict.value}${s.verdict.bar !== null ? ` vs bar ${s.verdict.bar}` : ""}, ${s.verdict.beatsBaseline ? "beats" : "does not beat"} the baseline); ${r ? `registered as version ${r.version} without @challenger` : "not registered"}` };
    }
    if (r.version === champion) return { ...base, outcome: "unchanged" as const, version: r.version, champion, gates: null, promotion: null, message: `the run produced the current champion again (version ${r.version}): nothing moved` };
    await registry.setModelVersionTag(name, r.version, RETRAIN_TAG.state, "candidate", { actor: ACTOR });
    // no champion yet: the first candidate goes through the gates alone
    if (champion === null) return promoteOrRefuse(project, registry, tracking, r.version, base);
    const gates = s.gates ? withBeatsChampion(s.gates) : null;
    if (!gates || !gates.passed) {
      const reason = gates ? `fails ${gates.failing.join(", ")} against @champion version ${champion} on the ${gates.rows} fresh holdout rows` : "the gates could not be evaluated";
      await refuse(registry, name, r.version, reason);
      return { ...base, outcome: "rejected" as const, version: r.version, champion, gates, promotion: null, message: `${name} version ${r.version} not promoted: ${reason}` };
    }
    if (!c.retrain.shadow) {
      if (!c.retrain.auto_promote) return { ...base, outcome: "ready" as const, version: r.version, champion, gates, promotion: null, message: `${name} version ${r.version} passes the gates; retrain.auto_promote is false: keel promote ${name} ${r.version} --to champion` };
      return promoteOrRefuse(project, registry, tracking, r.version, base);
    }
    await registry.setModelVersionTag(name, r.version, RETRAIN_TAG.since, new Date(now).toISOString(), { actor: ACTOR });
    await registry.setModelVersionTag(name, r.version, RETRAIN_TAG.state, "shadow", { actor: ACTOR });
    const bounds = [c.retrain.shadow.requests !== null ? `${c.retrain.shadow.requests} shadow answers` : null, c.retrain.shadow.hours !== null ? `${c.retrain.shadow.hours} h` : null].filter(Boolean).join(" and ");
    return { ...base, outcome: "shadow" as const, version: r.version, champion, gates, promotion: null, message: `${name} version ${r.version} beats @champion version ${champion} on the fresh holdout and passes the gates: @challenger in shadow until ${bounds || "the next check"} (serve it with --shadow models:/${name}@challenger), then keel retrain --promote` };
  });
}
