export { CodeBuilder, Op, SimdOp, ValType, encodeModule, sleb128, uleb128 } from "./encoder.js";
export type { WasmFunction, WasmMemoryImport } from "./encoder.js";
export { EXP_SCRATCH_LOCALS, Simd, expF64x2, f64x2Const, i64x2Const } from "./exp.js";
export type { ExpJob } from "./exp.js";
