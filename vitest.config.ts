import os from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // the test process registers Keel's estimator kinds as the package root and the CLI do
    setupFiles: ["test/setup/register-estimators.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // vitest's default is one worker per core less one — a single worker on a 2-core machine,
    // where much of a test file's time is spent waiting on the CLI processes and servers it starts
    // (2 cores, 199 files: 1 worker 1,026 s, 2 workers 782 s, both green)
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
  },
});
