export * from "./types.js";
export * from "./params.js";
export * from "./define.js";
export * from "./artifact.js";
export * from "./input.js";
export * from "./numeric-input.js";
export * from "./class-output.js";
export * from "./regression-target.js";
