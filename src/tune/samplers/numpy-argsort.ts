/**
 * NumPy's default `argsort` (kind="quicksort": introsort — median-of-three quicksort, insertion
 * sort below 17 elements, heapsort past 2·log2(n) levels; NumPy 1.24's npysort), reproduced for
 * its order among equal values: Optuna's univariate TPE gives the bandwidths of tied
 * observations in that order, which matters once their weights differ.
 */
export function numpyArgsort(v: ArrayLike<number>): Int32Array {
  const n = v.length;
  const t = new Int32Array(n);
  for (let i = 0; i < n; i++) t[i] = i;
  if (n < 2) return t;
  const less = (a: number, b: number) => v[a] < v[b];
  const swap = (i: number, j: number) => {
    const x = t[i];
    t[i] = t[j];
    t[j] = x;
  };
  const stack: number[] = [];
  const depths: number[] = [];
  let pl = 0;
  let pr = n - 1;
  let cdepth = 2 * (31 - Math.clz32(n));
  for (;;) {
    if (cdepth < 0) {
      heapsort(v, t, pl, pr - pl + 1);
    } else {
      while (pr - pl > 15) {
        const pm = pl + ((pr - pl) >> 1);
        if (less(t[pm], t[pl])) swap(pm, pl);
        if (less(t[pr], t[pm])) swap(pr, pm);
        if (less(t[pm], t[pl])) swap(pm, pl);
        const vp = v[t[pm]];
        let pi = pl;
        let pj = pr - 1;
        swap(pm, pj);
        for (;;) {
          do ++pi;
          while (v[t[pi]] < vp);
          do --pj;
          while (vp < v[t[pj]]);
          if (pi >= pj) break;
          swap(pi, pj);
        }
        swap(pi, pr - 1);
        if (pi - pl < pr - pi) {
          stack.push(pi + 1, pr);
          pr = pi - 1;
        } else {
          stack.push(pl, pi - 1);
          pl = pi + 1;
        }
        depths.push(--cdepth);
      }
      for (let pi = pl + 1; pi <= pr; pi++) {
        const vi = t[pi];
        const x = v[vi];
        let pj = pi;
        while (pj > pl && x < v[t[pj - 1]]) {
          t[pj] = t[pj - 1];
          pj--;
        }
        t[pj] = vi;
      }
    }
    if (stack.length === 0) break;
    pr = stack.pop()!;
    pl = stack.pop()!;
    cdepth = depths.pop()!;
  }
  return t;
}

/** NumPy's `aheapsort` on t[start .. start + n − 1] (1-based heap, as npysort). */
function heapsort(v: ArrayLike<number>, t: Int32Array, start: number, n: number): void {
  const a = (k: number) => start + k - 1; // 1-based index into t
  for (let l = n >> 1; l > 0; --l) {
    const tmp = t[a(l)];
    let i = l;
    for (let j = l << 1; j <= n; ) {
      if (j < n && v[t[a(j)]] < v[t[a(j + 1)]]) j++;
      if (v[tmp] < v[t[a(j)]]) {
        t[a(i)] = t[a(j)];
        i = j;
        j += j;
      } else break;
    }
    t[a(i)] = tmp;
  }
  for (; n > 1; ) {
    const tmp = t[a(n)];
    t[a(n)] = t[a(1)];
    n--;
    let i = 1;
    for (let j = 2; j <= n; ) {
      if (j < n && v[t[a(j)]] < v[t[a(j + 1)]]) j++;
      if (v[tmp] < v[t[a(j)]]) {
        t[a(i)] = t[a(j)];
        i = j;
        j += j;
      } else break;
    }
    t[a(i)] = tmp;
  }
}
