/**
 * data/io: reading and writing tables. `readTable` loads CSV, TSV, Parquet, JSON, NDJSON and
 * Arrow IPC files, or a DuckDB SQL query over files, into a `Frame`; `writeTable` writes CSV, TSV
 * and Parquet. DuckDB runs in-process; `closeDuckDb()` releases it.
 */
export { readTable, DEFAULT_NA, type ReadOptions } from "./read-table.js";
export { writeTable, type WriteOptions } from "./write-table.js";
export { closeDuckDb } from "./duckdb.js";
export { detectFormat, TABLE_FORMATS, type TableFormat } from "./format.js";
export { stringKind, TEXT_MIN_DISTINCT, TEXT_DISTINCT_RATIO } from "./string-kind.js";
