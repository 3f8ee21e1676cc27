/**
 * Step "profile": the data profile (EDA) and its HTML report, cached by the data's content hash;
 * `stopOnLeaks` then stops the walk on a suspected target leak the project does not allow.
 */
import path from "node:path";
import { InvalidInputError } from "../../core/index.js";
import type { Frame } from "../../data/index.js";
import type { Profile } from "../../data/profile/index.js";
import type { MetricTask } from "../../metrics/index.js";
import type { Project } from "../../project/index.js";
import { step } from "../step.js";

export interface ProfileInputs {
  frame: Frame;
  /** The frame's content hash. */
  dataHash: string;
  target: string;
  task: MetricTask;
}

export interface ProfileOutput {
  profile: Profile;
  /** The self-contained HTML report. */
  html: string;
}

export const profileStep = step<ProfileInputs, ProfileOutput>({
  name: "profile",
  key: (i) => ({ data: i.dataHash, target: i.target, task: i.task }),
  async run(i) {
    const { profile, profileToHtml } = await import("../../data/profile/index.js");
    const p = profile(i.frame, { target: i.target, task: i.task === "regression" ? "regression" : "classification" });
    return { profile: p, html: profileToHtml(p, { title: `${i.target}: data profile` }) };
  },
  async track(o, run) {
    await run.logText("profile.html", o.html);
    await run.logText("profile.json", JSON.stringify(o.profile));
  },
});

/**
 * Stop on a target leak at the "stop" level (predictive power ≥ 0.9 or single-feature ROC AUC ≥
 * 0.98) unless keel.yaml lists the column under `data.allow_leaks`; a suspect at the "warn" level
 * (a strong honest feature, perhaps) is only reported with the other warnings.
 */
export function stopOnLeaks(project: Project, profile: Profile): void {
  const allowed = project.config.data.allow_leaks;
  const leaks = profile.warnings.filter((w) => w.code === "TARGET_LEAK_SUSPECT" && w.level === "stop" && !(w.column !== undefined && allowed.includes(w.column)));
  if (leaks.length === 0) return;
  throw new InvalidInputError(
    `target leak suspected: ${leaks.map((w) => w.message).join("; ")}. Drop the column (data.drop in ${path.basename(project.file)}) or, if it is legitimate, list it under data.allow_leaks`,
    { path: "data.drop", expected: "no single feature that predicts the target almost perfectly", received: leaks.map((w) => w.column) },
  );
}
