/**
 * Loading keel.yaml's data: where it is read from (`sourceOf`, for the read step), and the
 * "validate" step — check the columns keel.yaml mentions and validate the data against the schema
 * kept beside keel.yaml (written on the first run).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { InvalidInputError, SchemaMismatchError, show } from "../../core/index.js";
import { cellValue, type ColumnKind, frameHash, type Frame } from "../../data/index.js";
import type { ValidationReport } from "../../data/schema/index.js";
import { checkColumns, type Project } from "../../project/index.js";
import type { CacheValue } from "../cache-value.js";
import { step } from "../step.js";
import type { ReadInputs } from "./read.js";

export const SCHEMA_FILE = "keel.schema.json";

export interface LoadedData {
  /** Every row with a target, the dropped columns removed. */
  frame: Frame;
  /** Content hash of `frame`: the data hash of lineage. */
  dataHash: string;
  /** Rows left out because their target was missing. */
  missingTarget: number;
  validation: ValidationReport;
  /** Expectations broken but let through (`schemaRanges: "warn"`): past a range or a category list. */
  schemaDrift: readonly { code: string; column?: string; message: string }[];
}

/** The schema kept beside keel.yaml, as text; written from the data on the first run. */
export interface KeptSchema {
  file: string;
  text: string;
  /** True when this run wrote it. */
  written: boolean;
  /** What this run changed in it to follow keel.yaml (a column dropped, un-dropped or given another type), one line each. */
  notes: string[];
}

/**
 * The read step's inputs for keel.yaml's `data.source` (a file relative to the project, or `sql:`
 * over files), with the column types `data.types` declares.
 */
export function sourceOf(project: Project): ReadInputs {
  const { source, types } = project.config.data;
  const kinds: Record<string, ColumnKind> = {};
  const dateFormats: Record<string, string> = {};
  for (const [col, t] of Object.entries(types)) {
    kinds[col] = t.kind;
    if (t.format !== null) dateFormats[col] = t.format;
  }
  const options = { ...(Object.keys(kinds).length > 0 ? { kinds } : {}), ...(Object.keys(dateFormats).length > 0 ? { dateFormats } : {}) };
  if (!source.startsWith("sql:") && !existsSync(path.resolve(project.dir, source))) {
    throw new InvalidInputError(`${project.locate("data.source")}: data source ${show(source)} does not exist (looked for ${path.resolve(project.dir, source)})`, { path: "data.source", expected: "a data file relative to keel.yaml", received: source });
  }
  return { source, dir: project.dir, options };
}

/** The data keel.yaml uses: the dropped columns removed. */
function kept(project: Project, raw: Frame): Frame {
  return project.config.data.drop.length > 0 ? raw.drop(project.config.data.drop) : raw;
}

/**
 * Step "schema": check that the columns keel.yaml names are in the data, then read the schema kept
 * beside keel.yaml — inferring and writing it when there is none yet (the first run). The kept
 * schema follows keel.yaml's columns: a column now in `data.drop` leaves it, a column kept again
 * (or new) is added as inferred from the data, a column `data.types` reads as another kind is
 * inferred again — each with a note, so editing keel.yaml never means deleting the file. Never
 * cached: it reads (and may write) the project folder.
 */
export const schemaStep = step<{ project: Project; raw: Frame }, KeptSchema>({
  name: "schema",
  label: () => "check the columns",
  async run({ project, raw }) {
    const problems = checkColumns(project, raw.names);
    if (problems.length > 0) {
      throw new InvalidInputError(problems.length === 1 ? problems[0].message : `${problems.length} problems with the columns keel.yaml names:\n${problems.map((p) => `  ${p.message}`).join("\n")}`, {
        path: problems[0].path,
        problems,
      });
    }
    const file = path.join(project.dir, SCHEMA_FILE);
    const { inferSchema, parseSchema } = await import("../../data/schema/index.js");
    const data = kept(project, raw);
    if (!existsSync(file)) {
      const text = JSON.stringify(inferSchema(data), null, 2) + "\n";
      writeFileSync(file, text);
      return { file, text, written: true, notes: [] };
    }
    const text = readFileSync(file, "utf8");
    const schema = parseSchema(text, path.relative(process.cwd(), file) || file);
    const { drop, types } = project.config.data;
    const columns = { ...schema.columns };
    const notes: string[] = [];
    for (const name of Object.keys(columns)) {
      if (drop.includes(name)) {
        delete columns[name];
        notes.push(`column ${show(name)} left ${SCHEMA_FILE}: it is in data.drop`);
      }
    }
    const fresh = data.names.filter((n) => !(n in columns) || (types[n] !== undefined && columns[n].kind !== data.kind(n)));
    if (fresh.length > 0) {
      const inferred = inferSchema(data.select(fresh)).columns;
      for (const name of fresh) {
        notes.push(name in columns ? `column ${show(name)} in ${SCHEMA_FILE} is now ${data.kind(name)} (data.types), was ${columns[name].kind}: its expectations are inferred again` : `column ${show(name)} added to ${SCHEMA_FILE} as inferred from the data (kept by keel.yaml, not in the file)`);
        columns[name] = inferred[name];
      }
    }
    if (notes.length === 0) return { file, text, written: false, notes };
    const updated = JSON.stringify({ ...schema, columns }, null, 2) + "\n";
    writeFileSync(file, updated);
    return { file, text: updated, written: true, notes };
  },
});

export interface ValidateInputs {
  project: Project;
  raw: Frame;
  /** The read step's cache key (what identifies `raw`'s content); null when the read is not cached. */
  rawKey: string | null;
  schema: KeptSchema;
  /**
   * Data past keel.schema.json's value ranges or category lists (`between`, `in_set`): "stop" (the
   * default, `keel run`) or "warn" (`keel retrain`: fresh data past the old range is the very drift it
   * retrains on). Every other expectation stops either way.
   */
  schemaRanges?: "stop" | "warn";
}

/** The expectations that `schemaRanges: "warn"` lets through. */
const RANGE_EXPECTATIONS: ReadonlySet<string> = new Set(["between", "in_set"]);

/**
 * Step "validate": validate the data against the kept schema and keep the labelled rows. Cached by
 * the data read, the columns dropped, the target and the schema's text; the rows kept are stored,
 * not the frame.
 */
export const validateStep = step<ValidateInputs, LoadedData>({
  name: "validate",
  key: (i) => (i.rawKey === null ? undefined : { raw: i.rawKey, drop: i.project.config.data.drop, target: i.project.config.problem.target, schema: i.schema.text, ranges: i.schemaRanges ?? "stop" }),
  async run({ project, raw, schema: keptSchema, schemaRanges }) {
    const { formatValidationReport, parseSchema, validate, PROBLEM_CODES } = await import("../../data/schema/index.js");
    const frame0 = kept(project, raw);
    const schema = parseSchema(keptSchema.text, path.relative(process.cwd(), keptSchema.file) || keptSchema.file);
    const validation = validate(frame0, schema);
    const failed = validation.results.filter((r) => !r.pass && !r.skipped);
    const drift = schemaRanges === "warn" ? failed.filter((r) => RANGE_EXPECTATIONS.has(r.expectation)) : [];
    if (failed.length > drift.length) {
      throw new SchemaMismatchError(`the data no longer matches ${SCHEMA_FILE}; if the new data is right, edit the expectations in ${SCHEMA_FILE} (\`keel schema infer <data> --out ${SCHEMA_FILE}\` writes them afresh):\n${formatValidationReport(validation)}`, {
        path: SCHEMA_FILE,
        problems: validation.problems,
      });
    }
    const { target } = project.config.problem;
    const frame = labelledRows(frame0, target);
    if (frame.nRows < 10) {
      throw new InvalidInputError(`only ${frame.nRows} rows have a value for the target ${show(target)}; a model needs more`, { path: "problem.target", expected: "at least 10 labelled rows", received: frame.nRows });
    }
    const schemaDrift = drift.map((r) => ({ code: PROBLEM_CODES[r.expectation], ...(r.column !== null ? { column: r.column } : {}), message: `${SCHEMA_FILE}: ${r.message} (let through: ${r.expectation === "between" ? "past the kept range" : "outside the kept categories"}, which drift monitoring reports)` }));
    return { frame, dataHash: frameHash(frame), missingTarget: frame0.nRows - frame.nRows, validation, schemaDrift };
  },
  save: (d, _dir, { project, raw }) => ({ keep: labelledIndex(kept(project, raw), project.config.problem.target), dataHash: d.dataHash, missingTarget: d.missingTarget, validation: d.validation as unknown as CacheValue, schemaDrift: d.schemaDrift as unknown as CacheValue }),
  load(value, _dir, { project, raw }) {
    const v = value as unknown as Omit<LoadedData, "frame"> & { keep: Int32Array | null };
    const frame0 = kept(project, raw);
    return { frame: v.keep ? frame0.take(v.keep) : frame0, dataHash: v.dataHash, missingTarget: v.missingTarget, validation: v.validation, schemaDrift: v.schemaDrift ?? [] };
  },
});

/** The rows whose target is present (the frame itself when all are). */
export function labelledRows(frame: Frame, target: string): Frame {
  const keep = labelledIndex(frame, target);
  return keep ? frame.take(keep) : frame;
}

/** Indices of the rows whose target is present; null when all are. */
function labelledIndex(frame: Frame, target: string): Int32Array | null {
  const col = frame.column(target);
  const keep: number[] = [];
  for (let i = 0; i < frame.nRows; i++) if (cellValue(col, i) !== null) keep.push(i);
  return keep.length === frame.nRows ? null : Int32Array.from(keep);
}
