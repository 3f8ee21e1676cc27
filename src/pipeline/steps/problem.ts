/**
 * Step "problem": keel.yaml's problem checked against the data — the task the target really
 * holds, its classes in code order (the positive class second), the metrics to report (primary,
 * guards, the task's defaults), each checked for the task. Cached by the data's content hash and
 * the problem section, so a cached walk loads no metric code.
 */
import { InvalidInputError, show } from "../../core/index.js";
import type { Frame } from "../../data/index.js";
import type { Task } from "../../estimator/index.js";
import type { MetricTask } from "../../metrics/index.js";
import type { Project } from "../../project/index.js";
import { step } from "../step.js";

export interface Problem {
  task: MetricTask;
  /** `classification` or `regression`, as estimators see it. */
  estimatorTask: Task;
  /** Class labels in code order; null for regression. */
  classes: string[] | null;
  /** Primary, guards, then the task's defaults. */
  metrics: string[];
  /** For the primary metric. */
  greaterIsBetter: boolean;
}

export const problemStep = step<{ project: Project; frame: Frame; dataHash: string }, Problem>({
  name: "problem",
  label: () => "check the problem",
  key: ({ project, dataHash }) => ({ data: dataHash, problem: project.config.problem }),
  async run({ project, frame }) {
    const [{ classTarget, inferTask, numericTarget }, { orderClasses }, { scorer }] = await Promise.all([import("../../estimator/index.js"), import("../../evaluate/index.js"), import("../../metrics/index.js")]);
    const p = project.config.problem;
    const task = checkTask(project, inferTask(frame, p.target));
    const estimatorTask: Task = task === "regression" ? "regression" : "classification";
    const classes = estimatorTask === "classification" ? orderClasses(classTarget(frame, p.target).classes, p.positive) : null;
    if (estimatorTask === "regression") numericTarget(frame, p.target);
    return { task, estimatorTask, classes, metrics: await metricList(project, task), greaterIsBetter: scorer(p.metric).greaterIsBetter };
  },
});

/** keel.yaml's task must agree with what the target holds. */
function checkTask(project: Project, inferred: { task: Task; classes?: string[]; binary?: boolean }): MetricTask {
  const declared = project.config.problem.task;
  const actual: MetricTask = inferred.task === "regression" ? "regression" : inferred.binary ? "binary" : "multiclass";
  if (declared === "regression" && actual !== "regression" && inferred.classes && inferred.classes.some((x) => Number.isNaN(Number(x)))) {
    throw new InvalidInputError(`${project.locate("problem.task")}: task is regression but the target ${show(project.config.problem.target)} holds labels (${show(inferred.classes.slice(0, 5))})`, { path: "problem.task", expected: "binary or multiclass", received: declared });
  }
  if (declared !== "regression" && actual === "regression") {
    throw new InvalidInputError(`${project.locate("problem.task")}: task is ${declared} but the target ${show(project.config.problem.target)} looks continuous`, { path: "problem.task", expected: "regression", received: declared });
  }
  if (declared === "binary" && actual === "multiclass") {
    throw new InvalidInputError(`${project.locate("problem.task")}: task is binary but the target has ${inferred.classes!.length} classes (${show(inferred.classes)})`, { path: "problem.task", expected: "multiclass", received: declared });
  }
  if (declared === "multiclass" && actual === "binary") return "multiclass";
  return declared;
}

/** The metrics reported: primary, guards, then the task's defaults; each checked for the task. */
async function metricList(project: Project, task: MetricTask): Promise<string[]> {
  const { defaultMetrics, scorersFor } = await import("../../metrics/index.js");
  const c = project.config.problem;
  const check = (name: string, at: string) => {
    try {
      scorersFor([name], task);
    } catch (e) {
      throw new InvalidInputError(`${project.locate(at)}: ${(e as Error).message}`, { path: at, received: name });
    }
  };
  check(c.metric, "problem.metric");
  c.guards.forEach((g, i) => check(g, `problem.guards.${i}`));
  return [...new Set([c.metric, ...c.guards, ...defaultMetrics(task)])];
}
