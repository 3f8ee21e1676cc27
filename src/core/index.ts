export * from "./errors.js";
export * from "./rng.js";
export * from "./normal.js";
export * from "./pool.js";
export * from "./observe.js";
export * from "./progress.js";
export * from "./quantile.js";
export * from "./class-weight.js";
