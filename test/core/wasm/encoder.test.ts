/**
 * The WebAssembly module encoder: LEB128 numbers as the specification's examples give them, and
 * modules the engine accepts and runs — scalar code, loops, SIMD and a shared memory.
 */
import { describe, expect, it } from "vitest";
import { CodeBuilder, Op, SimdOp, ValType, encodeModule, sleb128, uleb128 } from "../../../src/core/wasm/index.js";

const { i32 } = ValType;

describe("LEB128", () => {
  it("encodes unsigned and signed numbers", () => {
    expect(uleb128(0)).toEqual([0]);
    expect(uleb128(127)).toEqual([0x7f]);
    expect(uleb128(128)).toEqual([0x80, 0x01]);
    expect(uleb128(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(uleb128(0xffffffff)).toEqual([0xff, 0xff, 0xff, 0xff, 0x0f]);
    expect(sleb128(0)).toEqual([0]);
    expect(sleb128(-1)).toEqual([0x7f]);
    expect(sleb128(63)).toEqual([0x3f]);
    expect(sleb128(64)).toEqual([0xc0, 0x00]);
    expect(sleb128(-123456)).toEqual([0xc0, 0xbb, 0x78]);
  });

  it("refuses numbers out of range, naming them", () => {
    expect(() => uleb128(-1)).toThrow(/value -1 is not an integer in \[0, 2\^32\)/);
    expect(() => uleb128(1.5)).toThrow(/1.5/);
    expect(() => sleb128(2 ** 40)).toThrow(/not a 32-bit integer/);
  });
});

describe("encodeModule", () => {
  it("a loop summing i32s from memory, over a shared memory", () => {
    // sum(ptr, end): Σ i32 at ptr..end (do-while)
    const c = new CodeBuilder().open(Op.loop);
    c.localGet(2).localGet(0).mem(Op.i32Load, 2, 0).op(Op.i32Add).localSet(2);
    c.localGet(0).i32Const(4).op(Op.i32Add).localTee(0).localGet(1).op(Op.i32LtU).br(0, true).end().localGet(2);
    const bytes = encodeModule({ module: "env", name: "memory", minPages: 1, maxPages: 16, shared: true }, [{ name: "sum", params: [i32, i32], results: [i32], locals: [i32], body: c }]);
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    const sum = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports.sum as (a: number, b: number) => number;
    new Int32Array(memory.buffer, 64, 5).set([1, 2, 3, -4, 100]);
    expect(sum(64, 84)).toBe(102);
  });

  it("f64x2: adds a pair to two doubles in memory", () => {
    // addPair(ptr, a, b): [ptr] += a, [ptr + 8] += b
    const c = new CodeBuilder().localGet(0).localGet(0).simdMem(SimdOp.v128Load, 3, 8);
    c.localGet(1).simd(SimdOp.f64x2Splat).localGet(2).simdLane(SimdOp.f64x2ReplaceLane, 1).simd(SimdOp.f64x2Add).simdMem(SimdOp.v128Store, 3, 8);
    const f64 = ValType.f64;
    const bytes = encodeModule({ module: "m", name: "mem", minPages: 1, maxPages: 1, shared: false }, [{ name: "addPair", params: [i32, f64, f64], results: [], locals: [], body: c }]);
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1 });
    const addPair = new WebAssembly.Instance(new WebAssembly.Module(bytes), { m: { mem: memory } }).exports.addPair as (p: number, a: number, b: number) => void;
    const d = new Float64Array(memory.buffer, 0, 4);
    d.set([9, 0.5, -1, 9]);
    addPair(0, 0.25, 3);
    expect([...d]).toEqual([9, 0.75, 2, 9]);
  });

  it("throws when the engine rejects the bytes", () => {
    // i32.add with one operand on the stack
    const bad = new CodeBuilder().localGet(0).op(Op.i32Add);
    expect(() => encodeModule({ module: "env", name: "memory", minPages: 1, maxPages: 1, shared: false }, [{ name: "bad", params: [i32], results: [i32], locals: [], body: bad }])).toThrow(/rejects the module exporting bad/);
  });
});
