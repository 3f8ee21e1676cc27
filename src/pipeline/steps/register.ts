/**
 * Step "register" of `keel run`: log the chosen model and its card on the walk's run and register
 * it as a new version with the alias `challenger` — or with no alias when the verdict failed (the
 * version is kept for the record but never becomes a candidate for promotion). When the latest
 * version holds the same model bytes (a re-run with nothing changed), that version is reused and
 * only the alias is set. A new version gets the reference profile of its training rows
 * (`reference_profile.json` beside `model/`), which monitoring reads instead of the data. Never cached: it acts on the registry.
 */
import { KeelError } from "../../core/index.js";
import { localModelDir, modelCard, openRegistry, registerModel } from "../../registry/index.js";
import { step } from "../step.js";
import type { Frame } from "../../data/index.js";
import type { FitOutput } from "./fit.js";
import type { SealedFrame } from "../sealed.js";
import type { RunSummary } from "../summary.js";

export interface RegisterInputs {
  /** Everything the walk found out; the model card is written from it. */
  summary: Omit<RunSummary, "registered">;
  model: FitOutput;
  /** The alias to point at the version; null registers it without one. */
  alias: string | null;
  /** The sealed test rows, logged on the run (`TEST_SET_ARTIFACT`) so `keel promote` evaluates the gates on them. */
  test?: SealedFrame;
  /** The rows the model was fitted on: their reference profile is stored with a new version for monitoring. */
  reference?: { frame: Frame; seed: number };
}

export const registerStep = step<RegisterInputs, NonNullable<RunSummary["registered"]>>({
  name: "register",
  label: (i) => `register ${i.summary.project}`,
  async run({ summary: s, model, alias, test, reference }, { run }) {
    if (!run || !model.dir || !model.hash) throw new KeelError("INTERNAL", "the register step needs a tracked walk with a cache");
    const registry = await openRegistry(run.store);
    try {
      await run.logArtifact(model.dir, "model");
      const name = s.project;
      let version = await sameModel(registry, name, model.hash);
      const reused = version !== null;
      if (!version) {
        if (test) await logTestSet(run, test);
        version = await registerModel({
          registry,
          tracking: run.store,
          runId: run.runId,
          name,
          artifactPath: "model",
          description: `${s.chosen} for ${s.problem.target}: test ${s.problem.metric} ${s.verdict.value.toFixed(4)}`,
          tags: {
            "keel.model_hash": model.hash,
            "keel.data_hash": s.data.hash,
            "keel.test_hash": s.data.test.hash,
            "keel.model": s.chosen,
            [`keel.test_${s.problem.metric}`]: String(s.verdict.value),
            "keel.good_enough": String(s.verdict.goodEnough),
            "keel.beats_baseline": String(s.verdict.beatsBaseline),
            ...(s.git ? { "keel.git_commit": s.git.commit } : {}),
          },
          actor: "keel run",
        });
        if (reference) {
          const { modelReferenceProfile, REFERENCE_PROFILE_ARTIFACT } = await import("../../monitor/index.js");
          await run.logText(REFERENCE_PROFILE_ARTIFACT, JSON.stringify(modelReferenceProfile(await model.fitted(), reference.frame, { seed: reference.seed })));
        }
        const { MIN_GAP_GROUP } = await import("./evaluate.js");
        await run.logText("model_card.md", modelCard(s, { version: version.version, warnings: s.warnings.map((w) => `${w.code}: ${w.message}`), minGroupRows: MIN_GAP_GROUP }));
      }
      if (alias !== null) await registry.setRegisteredModelAlias(name, alias, version.version, { actor: "keel run" });
      return { name, version: version.version, alias, reused, modelHash: model.hash, source: version.source, dir: localModelDir(version.source) };
    } finally {
      await registry.close();
    }
  },
});

/** The sealed test rows as the run's `test/test.parquet` (their hash is the version's keel.test_hash). */
async function logTestSet(run: { logArtifact(source: string, name?: string): Promise<unknown> }, test: SealedFrame): Promise<void> {
  const [{ mkdtemp, rm }, os, path, { writeTable }, { TEST_SET_ARTIFACT }] = await Promise.all([import("node:fs/promises"), import("node:os"), import("node:path"), import("../../data/io/index.js"), import("../../registry/index.js")]);
  const dir = await mkdtemp(path.join(os.tmpdir(), "keel-test-set-"));
  try {
    const file = path.join(dir, "test.parquet");
    // a cached evaluation never unsealed the rows in this walk; registering is the last step, after it
    await writeTable(test.unsealed ? test.read() : test.unseal("register"), file);
    await run.logArtifact(file, TEST_SET_ARTIFACT);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The latest version of `name` when it holds the same model bytes, else null. */
async function sameModel(registry: Awaited<ReturnType<typeof openRegistry>>, name: string, modelHash: string) {
  try {
    const latest = (await registry.searchModelVersions({ filter: `name = '${name.replace(/'/g, "''")}'`, maxResults: 1, orderBy: ["version_number DESC"] })).items[0];
    return latest && latest.tags.some((t) => t.key === "keel.model_hash" && t.value === modelHash) ? latest : null;
  } catch {
    return null;
  }
}
