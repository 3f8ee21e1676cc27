/**
 * `keel gc`: remove deleted runs for good, with their artifacts, so storage shrinks; mark runs
 * whose process died (heartbeat stopped) FAILED; remove temporary files interrupted writes left.
 */
import type { Command } from "commander";
import { COMMAND_INFO } from "./catalog.js";
import { gcDeletedRuns, reapStaleRuns, STALE_TEMP_MS } from "../../track/index.js";
import { action, jsonOption, withExamples } from "../command.js";
import { EXIT } from "../exit-codes.js";
import { printJson, table } from "../output.js";
import { parseDuration, type StoreFlags, when, withStore } from "./store-option.js";

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerGc(program: Command): void {
  const cmd = program
    .command("gc")
    .description(COMMAND_INFO.gc.description)
    .option("--older-than <duration>", "only runs deleted at least this long ago, e.g. 30d, 12h")
    .option("-r, --run <run-id>", "only this deleted run (repeat for several)", collect)
    .option("--dry-run", "list what would be removed, remove nothing")
    .option("--store <url>", "tracking store: a SQLite path, postgres://... or a keel server URL (default: $KEEL_STORE, else .keel/keel.db)");
  jsonOption(cmd);
  withExamples(cmd, "keel gc --older-than 30d", "keel gc --dry-run");
  cmd.action(
    action(async (flags: StoreFlags & { olderThan?: string; run?: string[]; dryRun?: boolean }) =>
      withStore(flags, async (store) => {
        const olderThanMs = flags.olderThan === undefined ? undefined : parseDuration(flags.olderThan);
        if (flags.dryRun) {
          const runs = await store.listDeletedRuns({ olderThanMs, runIds: flags.run });
          if (flags.json) return printJson({ wouldPurge: runs.map((r) => r.runId) });
          if (runs.length === 0) return void process.stdout.write("nothing to collect\n");
          process.stdout.write(table(runs.map((r) => ({ run_id: r.runId, name: r.runName, deleted: when(r.deletedTime), artifacts: r.artifactUri }))) + `\n${runs.length} run(s) would be purged\n`);
          return;
        }
        const stale = await reapStaleRuns(store, store.backend.artifacts);
        const tempFilesRemoved = await store.backend.artifacts.removeTemporaryFiles(undefined, STALE_TEMP_MS);
        const result = await gcDeletedRuns(store, store.backend.artifacts, { olderThanMs, runIds: flags.run });
        if (flags.json) printJson({ ...result, markedFailed: stale.map((r) => r.runId), tempFilesRemoved });
        else {
          if (stale.length > 0) process.stdout.write(`marked ${stale.length} run(s) FAILED: their process stopped (no heartbeat): ${stale.map((r) => r.runId).join(", ")}\n`);
          if (tempFilesRemoved > 0) process.stdout.write(`removed ${tempFilesRemoved} temporary file(s) left by interrupted writes\n`);
          process.stdout.write(`purged ${result.purged.length} deleted run(s) and their artifacts\n`);
          for (const f of result.failed) process.stderr.write(`keel: could not remove the artifacts of run ${f.runId} (kept, retry later): ${f.error}\n`);
        }
        return result.failed.length > 0 ? EXIT.failed : EXIT.ok;
      }),
    ),
  );
}
