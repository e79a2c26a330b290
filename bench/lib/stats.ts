/** Order statistics over samples (nearest rank, so p99 of 200 samples is the 198th). */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = samples.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))] ?? Number.NaN;
}

export function median(samples: readonly number[]): number {
  const sorted = samples.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const mid = Math.floor(n / 2);
  return n % 2 === 1 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export function max(samples: readonly number[]): number {
  return samples.reduce((m, x) => (x > m ? x : m), Number.NEGATIVE_INFINITY);
}

/** A deterministic PRNG (so runs are comparable): uniform in [lo, hi). */
export function seededUniform(seed: number): (lo: number, hi: number) => number {
  let s = seed >>> 0;
  return (lo, hi) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return lo + (s / 2 ** 32) * (hi - lo);
  };
}

/** "1.2 / 3.4 / 5.6" for a log line. */
export function fmtList(samples: readonly number[], digits = 1): string {
  return samples.map((x) => x.toFixed(digits)).join(' / ');
}
