export { CodeBuilder, Op, SimdOp, ValType, encodeModule, sleb128, uleb128 } from "./encoder.js";
export type { WasmFunction, WasmMemoryImport } from "./encoder.js";
