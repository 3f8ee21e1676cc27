/**
 * Every command as `keel --help` lists it — name, usage term, one-line description — in order.
 * The listing is drawn from here, so `keel --help` and `keel --version` load no command; each
 * command's module takes its description from here too, so the two never drift.
 */
export const COMMAND_INFO = {
  init: { term: "init [options] <data-file>", description: "profile a data file and write a commented keel.yaml: task, metric, split, columns to drop" },
  run: { term: "run [options] [dir]", description: "run a project: validate, profile, split and seal a test set, cross-validate baselines and models, evaluate the best once, register it" },
  tune: { term: "tune [options] [dir]", description: "tune the models keel.yaml gives a tune: space, inside cross-validation on the training rows; print the best parameters and the study run" },
  profile: { term: "profile [options] <file>", description: "profile a data file: statistics, correlations, duplicates, target balance, predictive power, warnings" },
  schema: { term: "schema", description: "infer a data schema (expectations) from a file; print keel.yaml's JSON Schema" },
  validate: { term: "validate [options] <file>", description: "check a data file against a schema; exits 1 when any expectation fails" },
  train: { term: "train [options] <train-file>", description: "fit preprocessing + a model on a data file; report cross-validated and test metrics; save the model" },
  predict: { term: "predict [options] <model> <file>", description: "predict every row of a file with a saved or registered model; writes prediction (and proba_<class>) columns in input order" },
  evaluate: { term: "evaluate [options] <model> <file>", description: "evaluate a model on labelled rows: metrics with intervals, threshold analysis, ROC/PR/calibration, residuals, fairness, error slices; HTML report" },
  explain: { term: "explain [options] <model> <file>", description: "explain a saved or registered model on a file: SHAP values per column (TreeSHAP, linear, KernelSHAP), permutation importance, partial dependence; JSON or HTML report" },
  runs: { term: "runs", description: "search, show and compare tracked runs (local store, PostgreSQL or a keel server)" },
  models: { term: "models", description: "the model registry: registered models, versions, aliases, stages, lineage" },
  server: { term: "server [options]", description: "serve the MLflow REST API 2.0 (tracking, registry, artifacts) over the store; tokens required off loopback" },
  serve: { term: "serve [options] [model-ref...]", description: "serve models for prediction: Open Inference Protocol v2 (KServe) and MLflow's /invocations, Prometheus /metrics; tokens required off loopback" },
  feedback: { term: "feedback [options] <file>", description: "store delayed ground truth (request id, true label) from a CSV or Parquet file beside keel serve's prediction log" },
  promote: { term: "promote [options] <name> <version>", description: "evaluate keel.yaml's promotion gates for a version and move @champion to it when they pass; exits 1 listing every failing gate" },
  retrain: { term: "retrain [options] [dir]", description: "retrain on fresh data, compare with @champion on the fresh holdout, shadow the challenger, promote it through the gates; exits 3 when it is not good enough" },
  rollback: { term: "rollback [options] <name>", description: "move @champion back to the previous champion, from the registry's audit log" },
  token: { term: "token", description: "manage API tokens for keel server (roles: read, write, admin)" },
  gc: { term: "gc [options]", description: "purge deleted runs and their artifacts (needs an admin token against a server)" },
  monitor: { term: "monitor", description: "watch data after training: drift between a reference and current data (KS, χ², PSI, Jensen–Shannon, Wasserstein), data quality, HTML report, reference profiles; drift of served traffic per window" },
  doctor: { term: "doctor [options] <model-ref>", description: "incident runbook for a served version: serving errors and latency, schema break, data quality, feature drift, prediction drift, performance decay — the first failing cause, its evidence and the next action" },
} as const;

export type CommandName = keyof typeof COMMAND_INFO;
