/**
 * `keel tune worker`: one of any number of processes running the trials of a study that
 * `keel tune --queue` enqueued (`tune/worker.ts`). The worker walks the project up to the split
 * like `keel tune` (the cache makes that cheap on a machine that did it before), finds the study's
 * candidate by the study run's tags, checks its training rows are the ones the study was made on,
 * and runs the same cross-validated objective on the trials the queue hands it.
 */
import { InvalidInputError, NotFoundError } from "../core/errors.js";
import type { TrackingStore } from "../track/index.js";
import type { WorkSummary, WorkerEvent } from "../tune/index.js";
import type { Candidate } from "./steps/cross-validate.js";
import { STUDY_MODEL_TAG, STUDY_TRAIN_TAG, type TuneInputs, tuneObjective } from "./steps/tune.js";

export interface TuneWorkerOptions {
  /** The study to work on (`keel tune --queue --study <name>`). */
  study: string;
  /** Heartbeat interval of a running trial, ms (default `KEEL_HEARTBEAT_MS`, else 10 s). */
  heartbeatMs?: number;
  /** How often an idle worker polls the queue, ms (default 1000). */
  pollMs?: number;
  onEvent?(event: WorkerEvent): void;
}

/** What a worker did. */
export interface TuneWorkerSummary extends WorkSummary {
  study: string;
  model: string;
  runId: string;
  seconds: number;
}

/** Runs the study's trials from its queue until the study is finished. */
export async function workOnStudy(
  store: TrackingStore,
  experimentId: string,
  candidates: Candidate[],
  inputs: (candidate: Candidate) => Omit<TuneInputs, "studyPrefix" | "greaterIsBetter" | "tune">,
  tune: (model: string) => TuneInputs["tune"] | undefined,
  options: TuneWorkerOptions & { threads?: number; trainHash: string },
): Promise<Omit<TuneWorkerSummary, "runId" | "seconds">> {
  const { openTuneQueue, trackingStorage } = await import("../tune/index.js");
  const storage = trackingStorage(store, { experimentId });
  const studyRun = await store.getRun(await storage.studyRunId(options.study));
  const tag = (k: string) => studyRun.data.tags.find((t) => t.key === k)?.value;
  const model = tag(STUDY_MODEL_TAG);
  if (model === undefined) {
    throw new InvalidInputError(`study "${options.study}" was not made by keel tune --queue: it names no model to tune (tag ${STUDY_MODEL_TAG})`, { path: "study", received: options.study, expected: "a study enqueued with keel tune --queue" });
  }
  const candidate = candidates.find((c) => c.name === model);
  const space = tune(model);
  if (!candidate || !space) throw new NotFoundError(`study "${options.study}" tunes model "${model}", which this project's keel.yaml does not tune`, { path: "study", received: model, expected: "a model with a tune: block in keel.yaml" });
  if (tag(STUDY_TRAIN_TAG) !== options.trainHash) {
    throw new InvalidInputError(`study "${options.study}" was made on other training rows (hash ${tag(STUDY_TRAIN_TAG)}) than this project's (${options.trainHash}): the data, keel.yaml's split or its seed differ`, {
      path: "study",
      received: options.trainHash,
      expected: tag(STUDY_TRAIN_TAG),
    });
  }
  const objective = await tuneObjective({ ...inputs(candidate), tune: space }, options.threads);
  const queue = await openTuneQueue(storage, options.study, { heartbeatMs: options.heartbeatMs, pollMs: options.pollMs, onEvent: options.onEvent });
  try {
    return { study: options.study, model, ...(await queue.work(objective)) };
  } finally {
    await queue.close();
  }
}
