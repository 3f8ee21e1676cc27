/**
 * Small dense linear algebra on row-major `Float64Array`s (p×p systems of linear models): Cholesky
 * factorisation and solves, Householder QR least squares with column pivoting, and the symmetric
 * eigen-decomposition by cyclic Jacobi rotations (Golub & Van Loan, "Matrix Computations", 4th
 * ed., §4.2, §5.2 and §8.5).
 */

/**
 * In-place Cholesky A = L·Lᵀ of a symmetric positive definite p×p matrix (lower triangle used and
 * overwritten with L). Returns false when A is not positive definite.
 */
export function cholesky(a: Float64Array, p: number): boolean {
  for (let j = 0; j < p; j++) {
    let s = a[j * p + j];
    for (let k = 0; k < j; k++) s -= a[j * p + k] * a[j * p + k];
    if (!(s > 0)) return false;
    const d = Math.sqrt(s);
    a[j * p + j] = d;
    for (let i = j + 1; i < p; i++) {
      let t = a[i * p + j];
      for (let k = 0; k < j; k++) t -= a[i * p + k] * a[j * p + k];
      a[i * p + j] = t / d;
    }
  }
  for (let i = 0; i < p; i++) for (let j = i + 1; j < p; j++) a[i * p + j] = 0;
  return true;
}

/** Solve L·Lᵀ·x = b in place of b, with L from `cholesky`. */
export function choleskySolve(l: Float64Array, p: number, b: Float64Array): void {
  for (let i = 0; i < p; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * p + k] * b[k];
    b[i] = s / l[i * p + i];
  }
  for (let i = p - 1; i >= 0; i--) {
    let s = b[i];
    for (let k = i + 1; k < p; k++) s -= l[k * p + i] * b[k];
    b[i] = s / l[i * p + i];
  }
}

/**
 * Least squares min ‖A·x − b‖₂ for a column-major n×p matrix `cols` by Householder QR with column
 * pivoting. Returns the solution and the numerical rank (columns whose pivot |R_kk| ≤
 * `rcond`·|R_00| are treated as dependent); when rank < p, the result is the minimum-norm
 * solution, obtained from the eigen-decomposition of AᵀA restricted to its range.
 */
export function leastSquares(cols: readonly Float64Array[], b: Float64Array, rcond = 1e-12): { x: Float64Array; rank: number } {
  const p = cols.length;
  const n = b.length;
  if (p === 0) return { x: new Float64Array(0), rank: 0 };
  const A = cols.map((c) => Float64Array.from(c));
  const y = Float64Array.from(b);
  const perm = Array.from({ length: p }, (_, j) => j);
  const norms = A.map((c) => dotArr(c, c, 0, n));
  const kmax = Math.min(n, p);
  const rdiag = new Float64Array(p);
  let rank = 0;
  let r00 = 0;
  for (let k = 0; k < kmax; k++) {
    // pivot: the remaining column of largest norm
    let best = k;
    for (let j = k + 1; j < p; j++) if (norms[j] > norms[best]) best = j;
    if (best !== k) {
      [A[k], A[best]] = [A[best], A[k]];
      [norms[k], norms[best]] = [norms[best], norms[k]];
      [perm[k], perm[best]] = [perm[best], perm[k]];
    }
    const c = A[k];
    let alpha = Math.sqrt(dotArr(c, c, k, n));
    if (k === 0) r00 = alpha;
    if (alpha === 0 || alpha <= rcond * r00) break;
    if (c[k] > 0) alpha = -alpha;
    // Householder vector v = c[k:] − alpha·e₁, stored in c[k:]
    c[k] -= alpha;
    const vnorm2 = dotArr(c, c, k, n);
    if (vnorm2 > 0) {
      for (let j = k + 1; j < p; j++) {
        const a = A[j];
        const t = (2 * dotArr(c, a, k, n)) / vnorm2;
        for (let i = k; i < n; i++) a[i] -= t * c[i];
        norms[j] = dotArr(a, a, k + 1, n);
      }
      const t = (2 * dotArr(c, y, k, n)) / vnorm2;
      for (let i = k; i < n; i++) y[i] -= t * c[i];
    }
    rdiag[k] = alpha;
    rank++;
  }
  if (rank < p) return { x: minNormSolve(cols, b), rank };
  // back substitution with R (upper triangle: R_kj = A[j][k] for j > k, R_kk = rdiag[k])
  const z = new Float64Array(p);
  for (let k = p - 1; k >= 0; k--) {
    let s = y[k];
    for (let j = k + 1; j < p; j++) s -= A[j][k] * z[j];
    z[k] = s / rdiag[k];
  }
  const x = new Float64Array(p);
  for (let k = 0; k < p; k++) x[perm[k]] = z[k];
  return { x, rank };
}

/** Minimum-norm least squares via AᵀA = V·Λ·Vᵀ: x = V·Λ⁺·Vᵀ·Aᵀb. */
function minNormSolve(cols: readonly Float64Array[], b: Float64Array): Float64Array {
  const p = cols.length;
  const n = b.length;
  const G = new Float64Array(p * p);
  const atb = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    atb[i] = dotArr(cols[i], b, 0, n);
    for (let j = 0; j <= i; j++) {
      const v = dotArr(cols[i], cols[j], 0, n);
      G[i * p + j] = v;
      G[j * p + i] = v;
    }
  }
  const { values, vectors } = symmetricEigen(G, p);
  const lmax = Math.max(...Array.from(values, Math.abs));
  const x = new Float64Array(p);
  for (let k = 0; k < p; k++) {
    if (values[k] <= 1e-12 * lmax * p) continue;
    let t = 0;
    for (let i = 0; i < p; i++) t += vectors[i * p + k] * atb[i];
    t /= values[k];
    for (let i = 0; i < p; i++) x[i] += t * vectors[i * p + k];
  }
  return x;
}

/**
 * Eigen-decomposition of a symmetric p×p matrix (row-major, not modified) by cyclic Jacobi
 * rotations. Returns eigenvalues and the eigenvectors as the columns of `vectors` (row-major).
 */
export function symmetricEigen(a: Float64Array, p: number): { values: Float64Array; vectors: Float64Array } {
  const A = Float64Array.from(a);
  const V = new Float64Array(p * p);
  for (let i = 0; i < p; i++) V[i * p + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let i = 0; i < p; i++) {
      diag += A[i * p + i] * A[i * p + i];
      for (let j = i + 1; j < p; j++) off += A[i * p + j] * A[i * p + j];
    }
    if (off <= 1e-30 * diag || off === 0) break;
    for (let q = 0; q < p; q++) {
      for (let r = q + 1; r < p; r++) {
        const aqr = A[q * p + r];
        if (aqr === 0) continue;
        const theta = (A[r * p + r] - A[q * p + q]) / (2 * aqr);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < p; k++) {
          const akq = A[k * p + q];
          const akr = A[k * p + r];
          A[k * p + q] = c * akq - s * akr;
          A[k * p + r] = s * akq + c * akr;
        }
        for (let k = 0; k < p; k++) {
          const aqk = A[q * p + k];
          const ark = A[r * p + k];
          A[q * p + k] = c * aqk - s * ark;
          A[r * p + k] = s * aqk + c * ark;
        }
        for (let k = 0; k < p; k++) {
          const vkq = V[k * p + q];
          const vkr = V[k * p + r];
          V[k * p + q] = c * vkq - s * vkr;
          V[k * p + r] = s * vkq + c * vkr;
        }
      }
    }
  }
  const values = new Float64Array(p);
  for (let i = 0; i < p; i++) values[i] = A[i * p + i];
  return { values, vectors: V };
}

function dotArr(a: Float64Array, b: Float64Array, from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += a[i] * b[i];
  return s;
}
