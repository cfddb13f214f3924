/** Small statistics shared by the benchmarks. */

/** The value at quantile `q` (0–1) of ascending `sorted`, nearest rank; NaN when empty. */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil(q * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] as number;
}

export function median(values: readonly number[]): number {
  return quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}

/** Ascending copy of a growing sample. */
export function sorted(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

export function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/** Least-squares slope of `values` over `times` (units of value per unit of time). */
export function slope(times: readonly number[], values: readonly number[]): number {
  const count = Math.min(times.length, values.length);
  if (count < 2) return 0;
  let meanTime = 0;
  let meanValue = 0;
  for (let index = 0; index < count; index += 1) {
    meanTime += times[index] as number;
    meanValue += values[index] as number;
  }
  meanTime /= count;
  meanValue /= count;
  let covariance = 0;
  let variance = 0;
  for (let index = 0; index < count; index += 1) {
    const time = (times[index] as number) - meanTime;
    covariance += time * ((values[index] as number) - meanValue);
    variance += time * time;
  }
  return variance === 0 ? 0 : covariance / variance;
}

/** A number with thousands separators and no decimals, for log lines. */
export function whole(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}
