/**
 * A small WebAssembly module encoder: enough of the binary format (WebAssembly Core Specification
 * 2.0, §5 "Binary Format", with the fixed-width SIMD proposal) to emit, from TypeScript, kernels
 * specialised at run time — straight-line code with a layout's offsets as constants — over one
 * imported linear memory. No build tools and no binary blobs: a module is a few sections of
 * LEB128-encoded numbers, written here and checked with `WebAssembly.validate`.
 */

/** Value types (§5.3.1). */
export const ValType = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c, v128: 0x7b } as const;
export type ValType = (typeof ValType)[keyof typeof ValType];

/** The block type of a block or loop that leaves nothing on the stack (§5.4.1). */
const BLOCK_EMPTY = 0x40;
/** Prefix byte of the SIMD instructions (§5.4.8). */
const SIMD_PREFIX = 0xfd;

/** Single-byte opcodes used by Keel's kernels (§5.4). */
export const Op = {
  block: 0x02,
  loop: 0x03,
  br: 0x0c,
  brIf: 0x0d,
  end: 0x0b,
  return: 0x0f,
  select: 0x1b,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Load: 0x28,
  f32Load: 0x2a,
  f64Load: 0x2b,
  i32Load8u: 0x2d,
  i32Store: 0x36,
  f64Store: 0x39,
  i32Const: 0x41,
  f64Const: 0x44,
  i32Eqz: 0x45,
  i32Eq: 0x46,
  i32LtU: 0x49,
  i32GeU: 0x4f,
  f64Lt: 0x63,
  f64Le: 0x65,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  i32And: 0x71,
  i32Shl: 0x74,
  f64Add: 0xa0,
  f64Sub: 0xa1,
  f64Mul: 0xa2,
  f64PromoteF32: 0xbb,
} as const;

/** SIMD opcodes (after the 0xFD prefix). */
export const SimdOp = {
  v128Load: 0x00,
  v128Store: 0x0b,
  f64x2Splat: 0x14,
  f64x2ReplaceLane: 0x22,
  f64x2Add: 0xf0,
  f64x2Sub: 0xf1,
} as const;

/**
 * Unsigned LEB128 (§5.2.2) of a non-negative integer below 2^32.
 *
 * @example
 * ```ts
 * uleb128(624485); // [0xe5, 0x8e, 0x26]
 * ```
 */
export function uleb128(n: number): number[] {
  if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new RangeError(`uleb128: value ${n} is not an integer in [0, 2^32)`);
  const out: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/**
 * Signed LEB128 (§5.2.2) of a 32-bit integer (the immediate of `i32.const`).
 *
 * @example
 * ```ts
 * sleb128(-123456); // [0xc0, 0xbb, 0x78]
 * ```
 */
export function sleb128(n: number): number[] {
  if (!Number.isInteger(n) || n < -0x80000000 || n > 0xffffffff) throw new RangeError(`sleb128: value ${n} is not a 32-bit integer`);
  n |= 0;
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

/**
 * A function body under construction: instructions appended in order (a thin layer over the
 * opcodes; each method returns `this` so code reads as the stack machine runs it).
 *
 * @example
 * ```ts
 * const add1 = new CodeBuilder().localGet(0).i32Const(1).op(0x6a); // local0 + 1
 * add1.bytes.length; // 5
 * ```
 */
export class CodeBuilder {
  readonly bytes: number[] = [];

  /** Any single-byte instruction without immediates (see `Op`). */
  op(code: number): this {
    this.bytes.push(code);
    return this;
  }

  localGet(i: number): this {
    this.bytes.push(Op.localGet, ...uleb128(i));
    return this;
  }

  localSet(i: number): this {
    this.bytes.push(Op.localSet, ...uleb128(i));
    return this;
  }

  localTee(i: number): this {
    this.bytes.push(Op.localTee, ...uleb128(i));
    return this;
  }

  i32Const(n: number): this {
    this.bytes.push(Op.i32Const, ...sleb128(n));
    return this;
  }

  f64Const(x: number): this {
    const b = new Uint8Array(new Float64Array([x]).buffer);
    this.bytes.push(Op.f64Const, ...b);
    return this;
  }

  /** A load or store with its memory argument: log2 of the alignment hint and a constant byte offset. */
  mem(code: number, alignLog2: number, offset: number): this {
    this.bytes.push(code, ...uleb128(alignLog2), ...uleb128(offset));
    return this;
  }

  /** A SIMD instruction without immediates. */
  simd(code: number): this {
    this.bytes.push(SIMD_PREFIX, ...uleb128(code));
    return this;
  }

  /** A SIMD load or store with its memory argument. */
  simdMem(code: number, alignLog2: number, offset: number): this {
    this.bytes.push(SIMD_PREFIX, ...uleb128(code), ...uleb128(alignLog2), ...uleb128(offset));
    return this;
  }

  /** A SIMD lane instruction (`replace_lane`, `extract_lane`) with its lane index. */
  simdLane(code: number, lane: number): this {
    this.bytes.push(SIMD_PREFIX, ...uleb128(code), lane);
    return this;
  }

  /** `block` or `loop` with an empty block type; close it with `end()`. */
  open(code: typeof Op.block | typeof Op.loop): this {
    this.bytes.push(code, BLOCK_EMPTY);
    return this;
  }

  end(): this {
    this.bytes.push(Op.end);
    return this;
  }

  /** Branch (if the top of the stack is non-zero, for `brIf`) to the label `depth` blocks out. */
  br(depth: number, conditional = false): this {
    this.bytes.push(conditional ? Op.brIf : Op.br, ...uleb128(depth));
    return this;
  }
}

/** One exported function: parameters, extra locals (numbered after the parameters) and its body. */
export interface WasmFunction {
  name: string;
  params: ValType[];
  results: ValType[];
  locals: ValType[];
  body: CodeBuilder;
}

/** The linear memory a module imports (as `module`.`name`): sizes in 64 KiB pages. */
export interface WasmMemoryImport {
  module: string;
  name: string;
  minPages: number;
  maxPages: number;
  shared: boolean;
}

/** Sections (§5.5.2) in the order the format requires. */
const SECTION = { type: 1, import: 2, function: 3, export: 7, code: 10 } as const;

function vector(items: number[][]): number[] {
  return [...uleb128(items.length), ...items.flat()];
}

function name(s: string): number[] {
  const b = [...new TextEncoder().encode(s)];
  return [...uleb128(b.length), ...b];
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb128(content.length), ...content];
}

/**
 * The bytes of a module that imports one memory and exports the given functions (§5.5). Equal
 * signatures share one type entry. Throws when the engine finds the bytes invalid.
 *
 * @example
 * ```ts
 * const body = new CodeBuilder().localGet(0).localGet(1).op(0x6a); // i32.add
 * const bytes = encodeModule({ module: "env", name: "memory", minPages: 1, maxPages: 1, shared: false }, [
 *   { name: "add", params: [ValType.i32, ValType.i32], results: [ValType.i32], locals: [], body },
 * ]);
 * const memory = new WebAssembly.Memory({ initial: 1, maximum: 1 });
 * const add = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports.add as (a: number, b: number) => number;
 * add(2, 3); // 5
 * ```
 */
export function encodeModule(memory: WasmMemoryImport, functions: WasmFunction[]): Uint8Array {
  const types: string[] = [];
  const typeOf = functions.map((f) => {
    const key = `${f.params.join(",")}->${f.results.join(",")}`;
    let i = types.indexOf(key);
    if (i < 0) i = types.push(key) - 1;
    return i;
  });
  const typeEntries = types.map((key) => {
    const [params, results] = key.split("->").map((s) => (s === "" ? [] : s.split(",").map(Number)));
    return [0x60, ...uleb128(params.length), ...params, ...uleb128(results.length), ...results];
  });
  // memory limits (§5.3.5, threads proposal): flag bit 0 = has a maximum, bit 1 = shared
  const limits = [memory.shared ? 0x03 : 0x01, ...uleb128(memory.minPages), ...uleb128(memory.maxPages)];
  const imports = vector([[...name(memory.module), ...name(memory.name), 0x02, ...limits]]);
  const exports = vector(functions.map((f, i) => [...name(f.name), 0x00, ...uleb128(i)]));
  const codes = functions.map((f) => {
    // locals as runs of equal types
    const runs: number[][] = [];
    for (const t of f.locals) {
      const last = runs[runs.length - 1];
      if (last && last[1] === t) last[0]++;
      else runs.push([1, t]);
    }
    const body = [...vector(runs.map(([count, t]) => [...uleb128(count), t])), ...f.body.bytes, Op.end];
    return [...uleb128(body.length), ...body];
  });
  const bytes = new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(SECTION.type, vector(typeEntries)),
    ...section(SECTION.import, imports),
    ...section(SECTION.function, vector(typeOf.map((t) => uleb128(t)))),
    ...section(SECTION.export, exports),
    ...section(SECTION.code, vector(codes)),
  ]);
  if (!WebAssembly.validate(bytes)) throw new Error(`wasm encoder: the engine rejects the module exporting ${functions.map((f) => f.name).join(", ")} (an encoder bug, or an engine without a feature the module uses: SIMD, shared memory)`);
  return bytes;
}
