/**
 * A chunk kernel for bench/chunk-dispatch: chunk k does `work[0]` rounds of arithmetic over a
 * small shared array (no memory traffic to speak of) and writes its result to `out[k]`.
 */
export default function busyKernel(init: { work: Int32Array; data: Float64Array; out: Float64Array }): (k: number) => void {
  const { work, data, out } = init;
  return (k) => {
    const rounds = work[0];
    let acc = k;
    for (let r = 0; r < rounds; r++) for (let i = 0; i < data.length; i++) acc = acc * 0.999 + data[i];
    out[k] = acc;
  };
}
