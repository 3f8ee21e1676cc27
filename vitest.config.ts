import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // the test process registers Keel's estimator kinds as the package root and the CLI do
    setupFiles: ["test/setup/register-estimators.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
