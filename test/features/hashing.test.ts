/**
 * The hashing encoder's parts against scikit-learn: MurmurHash3 (sklearn.utils.murmurhash3_32)
 * and the default word tokenizer (HashingVectorizer().build_analyzer()), from reference.json.
 * Whole-encoder outputs are compared in reference.test.ts.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { Frame } from "../../src/data/frame.js";
import { hashingEncoder, murmur3Bytes, murmur3String, tokenize } from "../../src/features/index.js";

const ref = JSON.parse(readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/features/reference.json"), "utf8")) as {
  murmur: { text: string; hash: number }[];
  tokens: { text: string; tokens: string[] }[];
};

describe("murmur3 (x86, 32-bit, signed)", () => {
  for (const { text, hash } of ref.murmur) {
    it(`matches sklearn for ${JSON.stringify(text.slice(0, 20))}`, () => {
      expect(murmur3String(text)).toBe(hash);
    });
  }
  it("hashes bytes with a seed", () => {
    // the reference algorithm's published check value: "" with seed 1 → 0x514E28B7
    expect(murmur3Bytes(new Uint8Array(0), 1) >>> 0).toBe(0x514e28b7);
    expect(murmur3Bytes(new Uint8Array(0), 0xffffffff) >>> 0).toBe(0x81f16f39);
  });
});

describe("tokenizer (?u)\\b\\w\\w+\\b, lowercased", () => {
  for (const { text, tokens } of ref.tokens) {
    it(`matches sklearn for ${JSON.stringify(text)}`, () => {
      expect(tokenize(text)).toEqual(tokens);
    });
  }
  it("keeps case when asked", () => {
    expect(tokenize("Hello WORLD", false)).toEqual(["Hello", "WORLD"]);
  });
});

describe("hashing-encoder", () => {
  it("hashes categorical columns named explicitly, and missing texts give zero rows", async () => {
    const f = Frame.fromColumns({ c: ["red car", null, "red"], t: { kind: "text", values: ["red car", null, "red"] } });
    const h = await hashingEncoder({ nFeatures: 4, columns: ["c", "t"], norm: null, alternateSign: false }).fit(f);
    const out = h.transform(f);
    const row = (prefix: string, i: number) => [0, 1, 2, 3].map((j) => out.get(i, `${prefix}_hash${j}`));
    expect(row("c", 0)).toEqual(row("t", 0));
    expect(row("c", 1)).toEqual([0, 0, 0, 0]);
    expect((row("t", 0) as number[]).reduce((a, b) => a + b, 0)).toBe(2);
  });

  it("leaves unselected columns alone and names outputs <col>_hash<j>", async () => {
    const f = Frame.fromColumns({ id: [1, 2], t: { kind: "text", values: ["a b", "cc dd"] } });
    const h = await hashingEncoder({ nFeatures: 2 }).fit(f);
    expect(h.featureNames).toEqual(["id", "t_hash0", "t_hash1"]);
    expect(h.transform(f).get(1, "id")).toBe(2);
  });
});
