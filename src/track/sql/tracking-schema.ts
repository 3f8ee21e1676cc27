/**
 * The tracking schema, as ordered migrations (component "tracking"). Runs have an integer
 * surrogate key (`runs.id`) that the big tables (metrics, params, tags) reference; the public
 * run id is `runs.run_uuid`. `latest_metrics` keeps each run's last value per key (MLflow's
 * ordering: step, then timestamp, then value) with an index on (key, value), so a search that
 * filters and orders by a metric reads one row per run instead of the full history. NaN is
 * stored as value NULL with `is_nan = 1` (SQLite has no NaN), so NaN never matches a comparison
 * and sorts with missing values (in `metrics` NaN is value 0 with `is_nan = 1`). Runs started
 * by Keel carry a heartbeat (version 2): `heartbeat_at` (the last beat) and `heartbeat_deadline`
 * (presumed dead after it); runs that never beat have both NULL.
 */
import type { Migration } from "../../backend/index.js";

export const TRACKING_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: "experiments, runs, params, tags, metrics, latest metrics, datasets, inputs",
    statements: (dialect, t) => {
      // SQLite: tables keyed by (run_id, key) store rows in their primary key (one B-tree
      // descent per lookup; the (key, value) indexes then cover run_id too)
      const rowid = dialect === "sqlite" ? " WITHOUT ROWID" : "";
      return [
      `CREATE TABLE experiments (
        experiment_id ${t.id},
        name ${t.text} NOT NULL UNIQUE,
        artifact_location ${t.text} NOT NULL,
        lifecycle_stage ${t.text} NOT NULL DEFAULT 'active',
        creation_time ${t.bigint} NOT NULL,
        last_update_time ${t.bigint} NOT NULL,
        deleted_time ${t.bigint}
      )`,
      `CREATE TABLE experiment_tags (
        experiment_id ${t.bigint} NOT NULL REFERENCES experiments (experiment_id) ON DELETE CASCADE,
        key ${t.text} NOT NULL,
        value ${t.text} NOT NULL,
        PRIMARY KEY (experiment_id, key)
      )`,
      `CREATE TABLE runs (
        id ${t.id},
        run_uuid ${t.text} NOT NULL UNIQUE,
        experiment_id ${t.bigint} NOT NULL REFERENCES experiments (experiment_id),
        name ${t.text} NOT NULL DEFAULT '',
        user_id ${t.text} NOT NULL DEFAULT '',
        status ${t.text} NOT NULL,
        start_time ${t.bigint} NOT NULL,
        end_time ${t.bigint},
        artifact_uri ${t.text} NOT NULL,
        lifecycle_stage ${t.text} NOT NULL DEFAULT 'active',
        deleted_time ${t.bigint},
        hypothesis ${t.text},
        parent_run_uuid ${t.text}
      )`,
      `CREATE INDEX runs_experiment_start ON runs (experiment_id, lifecycle_stage, start_time)`,
      `CREATE INDEX runs_parent ON runs (parent_run_uuid)`,
      `CREATE INDEX runs_deleted ON runs (lifecycle_stage, deleted_time)`,
      `CREATE TABLE params (
        run_id ${t.bigint} NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        key ${t.text} NOT NULL,
        value ${t.text} NOT NULL,
        PRIMARY KEY (run_id, key)
      )${rowid}`,
      `CREATE TABLE tags (
        run_id ${t.bigint} NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        key ${t.text} NOT NULL,
        value ${t.text} NOT NULL,
        PRIMARY KEY (run_id, key)
      )${rowid}`,
      // PostgreSQL's B-tree entries are limited to ~2.7 kB: index a prefix of long values
      ...(dialect === "postgres"
        ? [`CREATE INDEX params_key_value ON params (key, left(value, 200))`, `CREATE INDEX tags_key_value ON tags (key, left(value, 200))`]
        : [`CREATE INDEX params_key_value ON params (key, value)`, `CREATE INDEX tags_key_value ON tags (key, value)`]),
      // the full history, clustered by (run, key, step): a history read is one range scan.
      // NaN is value 0 with is_nan = 1 here (primary-key columns cannot be NULL); an identical
      // point logged twice is stored once, as in MLflow
      `CREATE TABLE metrics (
        run_id ${t.bigint} NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        key ${t.text} NOT NULL,
        step ${t.bigint} NOT NULL,
        timestamp ${t.bigint} NOT NULL,
        value ${t.double} NOT NULL,
        is_nan SMALLINT NOT NULL DEFAULT 0,
        PRIMARY KEY (run_id, key, step, timestamp, value, is_nan)
      )${rowid}`,
      `CREATE TABLE latest_metrics (
        run_id ${t.bigint} NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        key ${t.text} NOT NULL,
        value ${t.double},
        is_nan SMALLINT NOT NULL DEFAULT 0,
        step ${t.bigint} NOT NULL,
        timestamp ${t.bigint} NOT NULL,
        PRIMARY KEY (run_id, key)
      )${rowid}`,
      `CREATE INDEX latest_metrics_key_value ON latest_metrics (key, value)`,
      `CREATE TABLE datasets (
        id ${t.id},
        experiment_id ${t.bigint} NOT NULL REFERENCES experiments (experiment_id),
        name ${t.text} NOT NULL,
        digest ${t.text} NOT NULL,
        source_type ${t.text} NOT NULL,
        source ${t.text} NOT NULL,
        schema_json ${t.text},
        profile ${t.text},
        num_rows ${t.bigint},
        UNIQUE (experiment_id, name, digest)
      )`,
      `CREATE TABLE inputs (
        id ${t.id},
        dataset_id ${t.bigint} NOT NULL REFERENCES datasets (id),
        run_id ${t.bigint} NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        UNIQUE (run_id, dataset_id)
      )`,
      `CREATE INDEX inputs_dataset ON inputs (dataset_id)`,
      `CREATE TABLE input_tags (
        input_id ${t.bigint} NOT NULL REFERENCES inputs (id) ON DELETE CASCADE,
        key ${t.text} NOT NULL,
        value ${t.text} NOT NULL,
        PRIMARY KEY (input_id, key)
      )`,
      ];
    },
  },
  {
    version: 2,
    description: "run heartbeats: the last beat and the deadline after which a RUNNING run is presumed dead",
    statements: (_dialect, t) => [
      `ALTER TABLE runs ADD COLUMN heartbeat_at ${t.bigint}`,
      `ALTER TABLE runs ADD COLUMN heartbeat_deadline ${t.bigint}`,
      // only running runs are ever swept: a small partial index
      `CREATE INDEX runs_heartbeat ON runs (heartbeat_deadline) WHERE status = 'RUNNING'`,
    ],
  },
];
