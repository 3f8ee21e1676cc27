/**
 * `keel promote` and `keel rollback` as library functions: evaluate the promotion gates for a
 * registered version on the sealed test set of the run that produced it (logged by `keel run` as
 * the run's `test/test.parquet`, checked against the version's `keel.test_hash`) or on rows the
 * caller gives, and move `@champion` only when every gate passes — or when forced with a reason,
 * which goes into the registry's append-only audit log (as the version tag
 * `keel.promotion.forced_reason`, written just before the alias moves). Rollback walks the audit
 * log of `@champion` back to the version before the current one.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { ConflictError, InvalidInputError, NotFoundError, show } from "../core/index.js";
import { frameHash, type Frame } from "../data/index.js";
import { classTarget, loadModel, loadEstimators, type Fitted } from "../estimator/index.js";
import { orderClasses, type ScoreJob } from "../evaluate/index.js";
import { defaultMetrics, scorer, type MetricTask } from "../metrics/index.js";
import type { TrackingStore } from "../track/index.js";
import type { AuditEntry } from "../wire/index.js";
import { evaluateGates, type GatesReport } from "./gates.js";
import type { GatesConfig } from "./gates-config.js";
import { openModelRef } from "./model-ref.js";
import type { RegistryStore } from "./store.js";

/** Where `keel run` logs the sealed test rows on its run, beside the model. */
export const TEST_SET_ARTIFACT = "test/test.parquet";

/** The alias promotion moves. */
export const CHAMPION = "champion";

/** The parts of keel.yaml promotion reads (`problem:` and `gates:`). */
export interface PromotionProblem {
  target: string;
  task: MetricTask;
  positive: string | null;
  metric: string;
  good_enough: number | null;
  protected: readonly string[];
  seed: number;
  gates: GatesConfig;
}

/** Options of `promote`: the stores, the version, the problem it solves, the rows to gate it on, and an optional forced override with its reason. */
export interface PromoteOptions {
  registry: RegistryStore;
  tracking: TrackingStore;
  name: string;
  version: string;
  problem: PromotionProblem;
  /** Labelled rows to evaluate on instead of the version's sealed test set (`--data`). */
  data?: { rows: Frame; source: string; checks: { ok: boolean; failed: number; problems: string[] } | null } | null;
  /** Promote although gates fail; the reason is recorded in the audit log. */
  force?: { reason: string } | null;
  actor?: string;
  /**
   * Also require the candidate to be better than `@champion` on the rows (point estimate), as
   * `keel retrain` does: a failing `beats_champion` gate otherwise. No effect without a champion.
   */
  mustBeatChampion?: boolean;
}

/** What `promote` did: whether the version became `@champion`, the previous champion, the rows and the gates report. */
export interface PromotionResult {
  name: string;
  version: string;
  alias: string;
  /** The alias now points at the version. */
  promoted: boolean;
  forced: boolean;
  reason: string | null;
  /** The version `@champion` pointed at before (null: none). */
  previous: string | null;
  /** The version already was the champion: nothing moved. */
  alreadyChampion: boolean;
  /** What the gates were evaluated on. */
  rows: { source: string; count: number; hash: string };
  report: GatesReport;
}

/** A registered version's model, loaded (files fetched when they are not on this machine). */
async function loadVersion(registry: RegistryStore, tracking: TrackingStore, name: string, version: string): Promise<{ fitted: Fitted; dir: string; release: () => Promise<void>; runId: string; testHash: string | null }> {
  const local = await openModelRef(`models:/${name}/${version}`, { registry, tracking });
  try {
    await loadEstimators();
    const fitted = loadModel(local.dir);
    const v = local.version!;
    return { fitted, dir: local.dir, release: local.release, runId: v.runId, testHash: v.tags.find((t) => t.key === "keel.test_hash")?.value ?? null };
  } catch (e) {
    await local.release();
    throw e;
  }
}

/**
 * The sealed test rows `keel run` logged on the version's run, checked against the hash recorded when they were sealed.
 * @example
 * ```ts
 * const { rows, hash } = await loadTestSet(tracking, version.runId!, expectedHash, "credit v3");
 * ```
 */
export async function loadTestSet(tracking: TrackingStore, runId: string, expectedHash: string | null, what: string): Promise<{ rows: Frame; hash: string }> {
  if (!runId) throw new NotFoundError(`${what} has no run, so no sealed test set: pass --data <file>`, { path: "version", expected: "a version registered by keel run", received: what });
  const run = await tracking.getRun(runId);
  const artifacts = tracking.backend.artifacts;
  let bytes: Buffer;
  try {
    bytes = await artifacts.read(run.info.artifactUri, TEST_SET_ARTIFACT);
  } catch (e) {
    if ((e as { code?: string }).code !== "NOT_FOUND") throw e;
    throw new NotFoundError(`the run ${show(runId)} of ${what} logged no sealed test set (${TEST_SET_ARTIFACT}; registered before keel run kept it, or by hand): pass --data <file>`, { path: "data", expected: "--data <labelled file>", received: null });
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), "keel-test-set-"));
  try {
    const file = path.join(dir, "test.parquet");
    await writeFile(file, bytes);
    const { readTable } = await import("../data/io/index.js");
    const rows = await readTable(file);
    const hash = frameHash(rows);
    if (expectedHash && hash !== expectedHash) {
      throw new ConflictError(`the test set logged on run ${show(runId)} does not hash to the keel.test_hash of ${what} (${hash.slice(0, 12)}… vs ${expectedHash.slice(0, 12)}…): it was changed after sealing`, { path: "keel.test_hash", expected: expectedHash, received: hash });
    }
    return { rows, hash };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The scoring job for the rows: classes from the rows and the model, the positive class second. */
function jobFor(problem: PromotionProblem, rows: Frame, candidate: Fitted): ScoreJob {
  if (!rows.has(problem.target)) throw new InvalidInputError(`the rows have no target column ${show(problem.target)}; columns are ${show(rows.names, 300)}`, { path: "data", expected: `a column ${problem.target}`, received: rows.names });
  const metrics = [...new Set([problem.metric, ...(problem.task === "regression" ? [] : ["accuracy"]), ...defaultMetrics(problem.task).slice(0, 1)])];
  if (problem.task === "regression") return { target: problem.target, task: "regression", classes: null, metrics };
  const seen = classTarget(rows, problem.target).classes;
  const modelClasses = (candidate as unknown as { classes?: readonly string[] }).classes ?? [];
  const all = [...new Set([...seen, ...modelClasses])].sort();
  return { target: problem.target, task: problem.task, classes: orderClasses(all, problem.positive), metrics };
}

/**
 * Evaluate the gates for `name`/`version` and move `@champion` to it when they pass (or when
 * forced with a reason). Throws NOT_FOUND for a missing version or test set, INVALID_INPUT for a
 * force without a reason, CONFLICT when `@champion` moved while the gates ran (compare-and-set:
 * nothing is written); a refusal is a result with `promoted: false` (the CLI exits 1).
 *
 * @example
 * const r = await promote({ registry, tracking, name: "credit", version: "3", problem });
 * if (!r.promoted) console.log("refused:", r.report.failing.join(", "));
 */
export async function promote(o: PromoteOptions): Promise<PromotionResult> {
  const { registry, tracking, name, version } = o;
  if (o.force && !/\S/.test(o.force.reason)) throw new InvalidInputError("--force needs a --reason: the audit log records why the gates were overridden", { path: "reason", expected: "a non-empty reason", received: o.force.reason });
  const target = await registry.getModelVersion(name, version);
  let previous: string | null = null;
  try {
    previous = (await registry.getModelVersionByAlias(name, CHAMPION)).version;
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e;
  }
  const what = `version ${target.version} of ${show(name)}`;
  const candidate = await loadVersion(registry, tracking, name, target.version);
  try {
    const rows = o.data ? { rows: o.data.rows, hash: frameHash(o.data.rows), source: o.data.source } : { ...(await loadTestSet(tracking, candidate.runId, candidate.testHash, what)), source: `the sealed test set of run ${candidate.runId}` };
    const { report: gates } = await gatesAgainstChampion({ registry, tracking, name, candidate: candidate.fitted, candidateDir: candidate.dir, version: target.version, rows: rows.rows, problem: o.problem, dataChecks: o.data?.checks ?? null });
    const report = o.mustBeatChampion ? withBeatsChampion(gates) : gates;
    const base = { name, version: target.version, alias: CHAMPION, previous, rows: { source: rows.source, count: rows.rows.nRows, hash: rows.hash }, report };
    if (previous === target.version) return { ...base, promoted: false, forced: false, reason: null, alreadyChampion: true };
    const forced = !report.passed && !!o.force;
    if (!report.passed && !forced) return { ...base, promoted: false, forced: false, reason: null, alreadyChampion: false };
    const actor = o.actor ?? "keel promote";
    const summary = report.passed ? `passed: ${report.gates.map((g) => g.gate).join(", ") || "no gates"}` : `failed: ${report.failing.join(", ")}`;
    // compare-and-set on @champion: if another promotion moved it while the gates ran, these gates
    // compared against the wrong champion — CONFLICT, nothing written, run keel promote again
    await registry.setRegisteredModelAlias(name, CHAMPION, target.version, { actor, expectedVersion: previous });
    await registry.setModelVersionTag(name, target.version, "keel.promotion.gates", summary.slice(0, 5000), { actor });
    if (forced) await registry.setModelVersionTag(name, target.version, "keel.promotion.forced_reason", o.force!.reason.slice(0, 5000), { actor });
    return { ...base, promoted: true, forced, reason: forced ? o.force!.reason : null, alreadyChampion: false };
  } finally {
    await candidate.release();
  }
}

/**
 * The report with a `beats_champion` gate added: the candidate's primary metric strictly better than the champion's on the same rows.
 * @example
 * ```ts
 * const report = withBeatsChampion((await gatesAgainstChampion(inputs)).report);
 * ```
 */
export function withBeatsChampion(report: GatesReport): GatesReport {
  const c = report.comparison;
  if (!c) return report;
  const passed = c.improvement > 0;
  const gate = { gate: "beats_champion", passed, value: c.improvement, bound: "> 0", message: `${c.metric} ${c.candidate} vs @champion ${c.champion} on the same ${c.rows} rows: ${passed ? "better" : "not better"} by ${c.improvement}` };
  return { ...report, gates: [...report.gates, gate], failing: passed ? report.failing : [...report.failing, gate.gate], passed: report.passed && passed };
}

/**
 * The gates for a candidate model on labelled rows, against the current `@champion` of `name`
 * (none when there is none, or when it is the candidate's own `version`). `keel promote` and
 * `keel run` (which reports the gates for its chosen model) both evaluate through here.
 * @example
 * ```ts
 * const { report, champion } = await gatesAgainstChampion({ registry, tracking, name: "credit", candidate: model, candidateDir: "credit-model", version: null, rows: test, problem });
 * if (!report.passed) console.log(report.failing);
 * ```
 */
export async function gatesAgainstChampion(o: {
  registry: RegistryStore;
  tracking: TrackingStore;
  name: string;
  candidate: Fitted;
  candidateDir: string | null;
  /** The candidate's registered version, when it has one. */
  version: string | null;
  rows: Frame;
  problem: PromotionProblem;
  dataChecks?: { ok: boolean; failed: number; problems: string[] } | null;
}): Promise<{ report: GatesReport; champion: string | null }> {
  let championVersion: string | null = null;
  try {
    championVersion = (await o.registry.getModelVersionByAlias(o.name, CHAMPION)).version;
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e;
  }
  const champion = championVersion !== null && championVersion !== o.version ? await loadVersion(o.registry, o.tracking, o.name, championVersion) : null;
  try {
    const report = evaluateGates({
      candidate: o.candidate,
      candidateDir: o.candidateDir,
      champion: champion ? { fitted: champion.fitted, version: championVersion! } : null,
      rows: o.rows,
      job: jobFor(o.problem, o.rows, o.candidate),
      metric: o.problem.metric,
      greaterIsBetter: scorer(o.problem.metric).greaterIsBetter,
      goodEnough: o.problem.good_enough,
      protectedColumns: o.problem.protected,
      gates: o.problem.gates,
      seed: o.problem.seed,
      dataChecks: o.dataChecks ?? null,
    });
    return { report, champion: championVersion };
  } finally {
    await champion?.release();
  }
}

/** Every audit entry of the model, oldest first (all pages). */
async function auditOf(registry: RegistryStore, name: string): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  let pageToken: string | undefined;
  do {
    const page = await registry.getAuditLog({ modelName: name, maxResults: 50_000, pageToken });
    out.push(...page.items);
    pageToken = page.nextPageToken ?? undefined;
  } while (pageToken);
  return out;
}

/**
 * The champions in order as the audit log tells them: each move of `@champion` to a new version
 * stacks it; a move back to the version below the top (a rollback, by `keel rollback` or by hand)
 * unstacks; deleting the alias clears it. The stack's top is the current champion.
 * @example
 * ```ts
 * const history = championHistory((await registry.getAuditLog({ modelName: "credit" })).items, "credit"); // oldest first
 * ```
 */
export function championHistory(entries: readonly AuditEntry[], name: string, alias = CHAMPION): string[] {
  const stack: string[] = [];
  for (const e of entries) {
    if (e.entity !== `${name}@${alias}`) continue;
    if (e.action === "delete_alias") stack.length = 0;
    else if (e.action === "set_alias" && e.to !== null) {
      if (stack.length >= 2 && stack[stack.length - 2] === e.to) stack.pop();
      else if (stack[stack.length - 1] !== e.to) stack.push(e.to);
    }
  }
  return stack;
}

/** What `rollback` did: the alias moved from one version back to another, and why. */
export interface RollbackResult {
  name: string;
  alias: string;
  /** The version `@champion` pointed at. */
  from: string;
  /** The version it points at now. */
  to: string;
  reason: string | null;
}

/**
 * Move `@champion` back to the version before the current one, from the audit log; the move is
 * itself an audit entry (and the reason, when given, the version tag `keel.rollback.reason`).
 * CONFLICT when there is no earlier champion to go back to.
 *
 * @example
 * const r = await rollback(registry, "credit"); // { from: "4", to: "3", ... }
 */
export async function rollback(registry: RegistryStore, name: string, options: { reason?: string | null; actor?: string } = {}): Promise<RollbackResult> {
  let current: string;
  try {
    current = (await registry.getModelVersionByAlias(name, CHAMPION)).version;
  } catch (e) {
    if (e instanceof NotFoundError && /alias/.test(e.message)) throw new ConflictError(`${show(name)} has no @champion to roll back`, { path: "name", expected: "a model with @champion set", received: name });
    throw e;
  }
  const history = championHistory(await auditOf(registry, name), name);
  // the current champion must be the top of the history; otherwise the log and the alias disagree
  if (history[history.length - 1] !== current || history.length < 2) {
    throw new ConflictError(`${show(name)}@champion is version ${current} and the audit log holds no earlier champion to roll back to`, { path: "name", expected: "an earlier @champion in the audit log", received: history });
  }
  const to = history[history.length - 2];
  const actor = options.actor ?? "keel rollback";
  await registry.getModelVersion(name, to); // NOT_FOUND when that version was deleted since
  await registry.setRegisteredModelAlias(name, CHAMPION, to, { actor, expectedVersion: current });
  if (options.reason) await registry.setModelVersionTag(name, to, "keel.rollback.reason", options.reason.slice(0, 5000), { actor });
  return { name, alias: CHAMPION, from: current, to, reason: options.reason ?? null };
}
