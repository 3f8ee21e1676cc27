/** Every CLI command, in the order `keel --help` lists them. */
import type { Command } from "commander";
import { registerProfile } from "./profile.js";
import { registerSchema, registerValidate } from "./schema.js";
import { registerTrain } from "./train.js";
import { registerPredict } from "./predict.js";
import { registerRun } from "./run.js";
import { registerInit } from "./init.js";
import { registerServer } from "./server.js";
import { registerToken } from "./token.js";
import { registerRuns } from "./runs.js";
import { registerModels } from "./models.js";
import { registerGc } from "./gc.js";

export const COMMANDS: ((program: Command) => void)[] = [registerInit, registerRun, registerProfile, registerSchema, registerValidate, registerTrain, registerPredict, registerRuns, registerModels, registerServer, registerToken, registerGc];
