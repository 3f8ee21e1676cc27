export * from "./errors.js";
export * from "./rng.js";
export * from "./normal.js";
export * from "./pool.js";
export * from "./observe.js";
export * from "./progress.js";
export * from "./quantile.js";
export * from "./class-weight.js";
export * from "./pairwise-sum.js";
export * from "./heartbeat.js";
export * from "./chunks.js";
export * from "./duration.js";
export * from "./numpy-random.js";

export { gammaQ, logGamma } from "./gamma.js";
export { welchTest } from "./student-t.js";
