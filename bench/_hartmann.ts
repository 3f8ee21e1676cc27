/**
 * Hartmann-6 (Dixon & Szegő 1978; constants from Surjanovic & Bingham's Virtual Library of
 * Simulation Experiments): minimise over [0, 1]^6, global minimum −3.32237.
 */
const A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const P = [
  [1312, 1696, 5569, 124, 8283, 5886],
  [2329, 4135, 8307, 3736, 1004, 9991],
  [2348, 1451, 3522, 2883, 3047, 6650],
  [4047, 8828, 8732, 5743, 1091, 381],
];
const ALPHA = [1, 1.2, 3, 3.2];
export const HARTMANN6_MINIMUM = -3.32237;

export function hartmann6(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < 4; i++) {
    let e = 0;
    for (let j = 0; j < 6; j++) e += A[i][j] * (x[j] - P[i][j] * 1e-4) ** 2;
    s -= ALPHA[i] * Math.exp(-e);
  }
  return s;
}
