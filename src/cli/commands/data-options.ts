/** Options every command that reads a data file shares: forced kinds and a SQL query. */
import type { Command } from "commander";
import type { ColumnKind } from "../../data/index.js";
import type { ReadOptions } from "../../data/io/index.js";
import { list } from "../command.js";

export interface DataFlags {
  categorical?: string[];
  text?: string[];
  sql?: string;
}

export function addDataOptions(cmd: Command): Command {
  return cmd
    .option("--categorical <cols>", "read these columns as categorical (comma-separated)", list)
    .option("--text <cols>", "read these columns as free text (comma-separated)", list)
    .option("--sql <query>", "a DuckDB query over the file, which is the view `data` (e.g. \"select * from data where year > 2000\")");
}

export function readOptions(flags: DataFlags): ReadOptions {
  const kinds: Record<string, ColumnKind> = {};
  for (const c of flags.categorical ?? []) kinds[c] = "categorical";
  for (const c of flags.text ?? []) kinds[c] = "text";
  return { ...(Object.keys(kinds).length ? { kinds } : {}), ...(flags.sql ? { sql: flags.sql } : {}) };
}
