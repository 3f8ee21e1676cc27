/**
 * The registry schema (migration component "registry"), in the same database as tracking.
 * Foreign keys cascade renames and deletions from a model to its versions, tags and aliases.
 * `registered_models.last_version` numbers versions (never reused). `registry_audit` is
 * append-only: triggers raise on UPDATE and DELETE (and TRUNCATE in PostgreSQL), so not even
 * SQL run by hand can rewrite it.
 */
import type { Migration } from "../../backend/index.js";

/** The schema migrations of the registry store (family "registry"). */
export const REGISTRY_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: "registered models, versions, tags, aliases, append-only audit log",
    statements: (dialect, t) => [
      `CREATE TABLE registered_models (
        name ${t.text} PRIMARY KEY,
        creation_time ${t.bigint} NOT NULL,
        last_updated_time ${t.bigint} NOT NULL,
        description ${t.text} NOT NULL DEFAULT '',
        last_version ${t.bigint} NOT NULL DEFAULT 0
      )`,
      `CREATE TABLE registered_model_tags (
        name ${t.text} NOT NULL REFERENCES registered_models (name) ON UPDATE CASCADE ON DELETE CASCADE,
        key ${t.text} NOT NULL,
        value ${t.text} NOT NULL,
        PRIMARY KEY (name, key)
      )`,
      `CREATE TABLE model_versions (
        name ${t.text} NOT NULL REFERENCES registered_models (name) ON UPDATE CASCADE ON DELETE CASCADE,
        version ${t.bigint} NOT NULL,
        creation_time ${t.bigint} NOT NULL,
        last_updated_time ${t.bigint} NOT NULL,
        description ${t.text} NOT NULL DEFAULT '',
        user_id ${t.text} NOT NULL DEFAULT '',
        current_stage ${t.text} NOT NULL DEFAULT 'None',
        source ${t.text} NOT NULL,
        run_id ${t.text} NOT NULL DEFAULT '',
        run_link ${t.text} NOT NULL DEFAULT '',
        status ${t.text} NOT NULL DEFAULT 'READY',
        status_message ${t.text} NOT NULL DEFAULT '',
        PRIMARY KEY (name, version)
      )`,
      `CREATE INDEX model_versions_run ON model_versions (run_id)`,
      `CREATE INDEX model_versions_stage ON model_versions (name, current_stage, version)`,
      `CREATE TABLE model_version_tags (
        name ${t.text} NOT NULL,
        version ${t.bigint} NOT NULL,
        key ${t.text} NOT NULL,
        value ${t.text} NOT NULL,
        PRIMARY KEY (name, version, key),
        FOREIGN KEY (name, version) REFERENCES model_versions (name, version) ON UPDATE CASCADE ON DELETE CASCADE
      )`,
      `CREATE TABLE registered_model_aliases (
        name ${t.text} NOT NULL,
        alias ${t.text} NOT NULL,
        version ${t.bigint} NOT NULL,
        PRIMARY KEY (name, alias),
        FOREIGN KEY (name, version) REFERENCES model_versions (name, version) ON UPDATE CASCADE ON DELETE CASCADE
      )`,
      `CREATE TABLE registry_audit (
        id ${t.id},
        timestamp ${t.bigint} NOT NULL,
        actor ${t.text} NOT NULL,
        action ${t.text} NOT NULL,
        model_name ${t.text} NOT NULL,
        version ${t.bigint},
        entity ${t.text} NOT NULL,
        from_value ${t.text},
        to_value ${t.text}
      )`,
      `CREATE INDEX registry_audit_model ON registry_audit (model_name, id)`,
      ...(dialect === "sqlite"
        ? [
            `CREATE TRIGGER registry_audit_no_update BEFORE UPDATE ON registry_audit BEGIN SELECT RAISE(ABORT, 'registry_audit is append-only: entries cannot be changed'); END`,
            `CREATE TRIGGER registry_audit_no_delete BEFORE DELETE ON registry_audit BEGIN SELECT RAISE(ABORT, 'registry_audit is append-only: entries cannot be deleted'); END`,
          ]
        : [
            `CREATE FUNCTION registry_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'registry_audit is append-only: % is not allowed', TG_OP; END $$`,
            `CREATE TRIGGER registry_audit_no_change BEFORE UPDATE OR DELETE ON registry_audit FOR EACH ROW EXECUTE FUNCTION registry_audit_append_only()`,
            `CREATE TRIGGER registry_audit_no_truncate BEFORE TRUNCATE ON registry_audit FOR EACH STATEMENT EXECUTE FUNCTION registry_audit_append_only()`,
          ]),
    ],
  },
];
