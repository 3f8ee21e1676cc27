/**
 * Write a file atomically: into a temporary file in the same folder, then rename over the target.
 * A rename within one file system is atomic, so readers see the old file or the whole new one,
 * and a failed write leaves nothing behind.
 */
import { randomBytes } from "node:crypto";
import { rm, rename, stat } from "node:fs/promises";
import path from "node:path";
import { InvalidInputError, NotFoundError, show } from "../../core/index.js";

/**
 * Call `write(tmp)` with a temporary path next to `target`, then rename it to `target`.
 * On any failure the temporary file is removed and the error re-thrown.
 */
export async function writeAtomically(target: string, write: (tmp: string) => Promise<void>): Promise<void> {
  const dir = path.dirname(path.resolve(target));
  try {
    const info = await stat(dir);
    if (!info.isDirectory()) throw new InvalidInputError(`cannot write ${show(target, 200)}: ${show(dir, 200)} is not a folder`, { path: target });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") {
      throw new NotFoundError(`cannot write ${show(target, 200)}: folder ${show(dir, 200)} does not exist`, { path: target, expected: "an existing folder" });
    }
    throw e;
  }
  // the random part only names a scratch file; it is not modelling randomness
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    await write(tmp);
    await rename(tmp, target);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
