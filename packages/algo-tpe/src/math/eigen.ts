/**
 * Eigenvectors of a symmetric m×m matrix (row-major) by cyclic Jacobi rotations: the orthonormal
 * eigenvectors as the columns of an m×m row-major matrix, and the eigenvalues in the same order. Exact
 * to rounding for the small matrices TPE's frames need (m ≤ a group's size); deterministic.
 */
export const symmetricEigen = (
  matrix: Float64Array,
  m: number,
): {
  /** The m eigenvalues, in the order of the columns of `vectors`. */
  values: Float64Array;
  /** The m orthonormal eigenvectors as the columns of an m×m row-major matrix. */
  vectors: Float64Array;
} => {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(m * m);
  for (let i = 0; i < m; i++) v[i * m + i] = 1;
  let scale = 0;
  for (let i = 0; i < m * m; i++) scale += (a[i] as number) ** 2;
  for (let sweep = 0; sweep < 64; sweep++) {
    let off = 0;
    for (let p = 0; p < m; p++) for (let q = p + 1; q < m; q++) off += (a[p * m + q] as number) ** 2;
    if (!(off > 1e-30 * scale)) break;
    for (let p = 0; p < m; p++) {
      for (let q = p + 1; q < m; q++) {
        const apq = a[p * m + q] as number;
        if (apq === 0) continue;
        const theta = ((a[q * m + q] as number) - (a[p * m + p] as number)) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < m; k++) {
          const kp = a[k * m + p] as number;
          const kq = a[k * m + q] as number;
          a[k * m + p] = c * kp - s * kq;
          a[k * m + q] = s * kp + c * kq;
        }
        for (let k = 0; k < m; k++) {
          const pk = a[p * m + k] as number;
          const qk = a[q * m + k] as number;
          a[p * m + k] = c * pk - s * qk;
          a[q * m + k] = s * pk + c * qk;
        }
        for (let k = 0; k < m; k++) {
          const kp = v[k * m + p] as number;
          const kq = v[k * m + q] as number;
          v[k * m + p] = c * kp - s * kq;
          v[k * m + q] = s * kp + c * kq;
        }
      }
    }
  }
  return { values: Float64Array.from({ length: m }, (_, i) => a[i * m + i] as number), vectors: v };
};
