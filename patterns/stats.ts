/** Small statistics helpers for the rep-level inference: ranks, Spearman's correlation, Benjamini–Hochberg. */

/** Ranks 1..n with ties sharing their average rank (NaN entries get NaN and are left out). */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const idx: number[] = [];
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) idx.push(i);
  idx.sort((a, b) => values[a] - values[b]);
  const ranks = new Float64Array(values.length).fill(NaN);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j < idx.length && values[idx[j]] === values[idx[i]]) j++;
    for (let k = i; k < j; k++) ranks[idx[k]] = (i + j + 1) / 2;
    i = j;
  }
  return ranks;
}

/** Spearman's rho over the pairs where both are present (scipy.stats.spearmanr); null below 3 pairs or without spread. */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number | null {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i]) || Number.isNaN(y[i])) continue;
    xs.push(x[i]);
    ys.push(y[i]);
  }
  if (xs.length < 3) return null;
  return pearson(averageRanks(xs), averageRanks(ys));
}

function pearson(a: Float64Array, b: Float64Array): number | null {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i] / n;
    mb += b[i] / n;
  }
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < n; i++) {
    ab += (a[i] - ma) * (b[i] - mb);
    aa += (a[i] - ma) ** 2;
    bb += (b[i] - mb) ** 2;
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : null;
}

/** Benjamini–Hochberg adjusted p-values (R's p.adjust(method = "BH")), in input order. */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const idx = pValues.map((_, i) => i).sort((i, j) => pValues[j] - pValues[i]);
  const q = new Array<number>(m);
  let min = 1;
  for (let k = 0; k < m; k++) {
    const i = idx[k];
    const rank = m - k;
    min = Math.min(min, (pValues[i] * m) / rank);
    q[i] = min;
  }
  return q;
}
