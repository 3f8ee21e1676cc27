/**
 * The shared tracking store suite (`test/conformance/store/tracking.test.ts`) against the
 * remote store: the suite iterates the `targets` list of `targets.ts`; this file replaces that
 * list, for this file only (vitest runs each file in its own module graph), with the remote
 * target before loading the suite, so every case runs against `http://`.
 */
import { targets } from "../../conformance/store/targets.js";
import { remoteTarget } from "./remote-target.js";

targets.length = 0;
targets.push(remoteTarget as unknown as (typeof targets)[number]);
await import("../../conformance/store/tracking.test.js");
