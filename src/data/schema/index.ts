/**
 * `data/schema`: data validation. `inferSchema(frame)` describes a frame as a versioned JSON
 * schema of expectations (kind, nulls, range, categories, uniqueness, pattern, row count);
 * `parseSchema(json)` reads one back with errors that name the JSON path; `validate(frame, schema)`
 * reports every expectation with its failing rows and examples.
 */
export { inferSchema, type InferSchemaOptions } from "./infer.js";
export { parseSchema, kindsCompatible } from "./parse.js";
export { validate, PROBLEM_CODES } from "./validate.js";
export { formatValidationReport } from "./format.js";
export * from "./types.js";
