/**
 * Every CLI command and how to load it: a command's module (and what it imports — DuckDB,
 * fastify, pg, the models) is imported only when that command runs.
 */
import type { Command } from "commander";
import type { CommandName } from "./catalog.js";

export { COMMAND_INFO, type CommandName } from "./catalog.js";

type Register = (program: Command) => void;

/** Loaders, in the order `keel --help` lists the commands. */
export const COMMANDS: readonly { name: CommandName; load: () => Promise<Register> }[] = [
  { name: "init", load: async () => (await import("./init.js")).registerInit },
  { name: "run", load: async () => (await import("./run.js")).registerRun },
  { name: "tune", load: async () => (await import("./tune.js")).registerTune },
  { name: "profile", load: async () => (await import("./profile.js")).registerProfile },
  { name: "schema", load: async () => (await import("./schema.js")).registerSchema },
  { name: "validate", load: async () => (await import("./schema.js")).registerValidate },
  { name: "train", load: async () => (await import("./train.js")).registerTrain },
  { name: "predict", load: async () => (await import("./predict.js")).registerPredict },
  { name: "evaluate", load: async () => (await import("./evaluate.js")).registerEvaluate },
  { name: "explain", load: async () => (await import("./explain.js")).registerExplain },
  { name: "runs", load: async () => (await import("./runs.js")).registerRuns },
  { name: "models", load: async () => (await import("./models.js")).registerModels },
  { name: "server", load: async () => (await import("./server.js")).registerServer },
  { name: "serve", load: async () => (await import("./serve.js")).registerServe },
  { name: "feedback", load: async () => (await import("./feedback.js")).registerFeedback },
  { name: "promote", load: async () => (await import("./promote.js")).registerPromote },
  { name: "retrain", load: async () => (await import("./retrain.js")).registerRetrain },
  { name: "rollback", load: async () => (await import("./promote.js")).registerRollback },
  { name: "token", load: async () => (await import("./token.js")).registerToken },
  { name: "gc", load: async () => (await import("./gc.js")).registerGc },
  { name: "monitor", load: async () => (await import("./monitor.js")).registerMonitor },
  { name: "doctor", load: async () => (await import("./doctor.js")).registerDoctor },
];
