/** Tag keys with a meaning: MLflow's system tags and Keel's own. */
export const TAG = {
  runName: "mlflow.runName",
  parentRunId: "mlflow.parentRunId",
  user: "mlflow.user",
  sourceName: "mlflow.source.name",
  sourceType: "mlflow.source.type",
  gitCommit: "mlflow.source.git.commit",
  gitBranch: "mlflow.source.git.branch",
  gitRepoUrl: "mlflow.source.git.repoURL",
  note: "mlflow.note.content",
  datasetContext: "mlflow.data.context",
  hypothesis: "keel.hypothesis",
  gitDirty: "keel.git.dirty",
  nodeVersion: "keel.node.version",
  keelVersion: "keel.version",
  packages: "keel.packages",
  platform: "keel.platform",
  /** Why Keel marked a run FAILED on its own (e.g. its heartbeat stopped). */
  failure: "keel.failure",
} as const;
