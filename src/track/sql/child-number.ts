/**
 * Numbered child runs (`CreateRunInput.numberTag`): a run's number is how many of its parent's
 * children already carry the tag, counted inside the inserting transaction after locking the
 * parent — PostgreSQL `SELECT … FOR UPDATE` on the parent's row (a second creator waits, then
 * counts the first one's committed child), SQLite by its write lock (`BEGIN IMMEDIATE`
 * serialises writers). So numbers are dense and unique across processes. A purged child's
 * number can be handed out again; soft-deleted children keep theirs.
 */
import { InvalidInputError, show } from "../../core/errors.js";
import type { SqlExecutor } from "../../backend/index.js";
import { checkKey } from "../validation.js";

/** The tag key, checked: a valid key, with a parent run, not also given as a tag. */
export function checkNumberTag(key: unknown, parentRunId: string | null, tags: Map<string, string>): string {
  checkKey("tag", key as string);
  if (parentRunId === null) {
    throw new InvalidInputError(`number tag ${show(key)} needs a parent run: children are numbered within their parent`, { path: "number_tag", received: key, expected: "parent_run_id as well" });
  }
  if (tags.has(key as string)) {
    throw new InvalidInputError(`number tag ${show(key)} is also given as a tag: the store sets its value`, { path: "number_tag", received: key, expected: "a key not among the tags" });
  }
  return key as string;
}

/** The next number among `parentRunId`'s children for `key`; call inside the creating transaction. */
export async function nextChildNumber(tx: SqlExecutor, parentRunId: string, key: string): Promise<number> {
  if (tx.dialect === "postgres") await tx.get("SELECT id FROM runs WHERE run_uuid = ? FOR UPDATE", [parentRunId]);
  const row = await tx.get<{ n: number | string }>("SELECT COUNT(*) AS n FROM tags t JOIN runs r ON r.id = t.run_id WHERE r.parent_run_uuid = ? AND t.key = ?", [parentRunId, key]);
  return Number(row?.n ?? 0);
}
