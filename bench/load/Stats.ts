/** Latency summaries: percentiles by the nearest-rank method over every recorded sample, and stalls among them. */

export interface LatencySummary {
  readonly count: number
  readonly meanMs: number
  readonly p50Ms: number
  readonly p95Ms: number
  readonly p99Ms: number
  readonly maxMs: number
}

/** Nearest-rank percentile of sorted samples (`q` in 0..1). */
export const percentile = (sorted: Float64Array | ReadonlyArray<number>, q: number): number => {
  if (sorted.length === 0) return NaN
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))
  return sorted[rank]!
}

export const summarize = (samples: Float64Array | ReadonlyArray<number>): LatencySummary => {
  const sorted = Float64Array.from(samples).sort()
  let sum = 0
  for (const v of sorted) sum += v
  return {
    count: sorted.length,
    meanMs: sorted.length === 0 ? NaN : sum / sorted.length,
    p50Ms: percentile(sorted, 0.5),
    p95Ms: percentile(sorted, 0.95),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.length === 0 ? NaN : sorted[sorted.length - 1]!
  }
}

/** The median of a few repeated measurements. */
export const median = (values: ReadonlyArray<number>): number => percentile([...values].sort((a, b) => a - b), 0.5)

/** A growable buffer of latency samples (milliseconds). */
export class Samples {
  private data = new Float64Array(1 << 16)
  length = 0

  push(value: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(this.data.length * 2)
      next.set(this.data)
      this.data = next
    }
    this.data[this.length++] = value
  }

  values(): Float64Array {
    return this.data.subarray(0, this.length)
  }
}

/** Slow answers that came in bursts: many requests scheduled close together, all slow (a stall, not a slow request). */
export interface Bursts {
  /** Latency above which an answer counts as slow. */
  readonly slowerThanMs: number
  /** Stalls: groups of at least `minSize` slow answers scheduled within `windowMs` of the previous one. */
  readonly stalls: number
  /** Slow answers inside those stalls, and slow answers in all. */
  readonly inStalls: number
  readonly slow: number
  readonly windowMs: number
  readonly minSize: number
}

/** Groups slow answers (by scheduled time) into stalls. */
export const bursts = (scheduled: Float64Array, latency: Float64Array, slowerThanMs: number, windowMs = 100, minSize = 5): Bursts => {
  const slowAt = [...scheduled.keys()].filter((i) => latency[i]! > slowerThanMs).map((i) => scheduled[i]!).sort((a, b) => a - b)
  let stalls = 0
  let inStalls = 0
  let group = 0
  slowAt.forEach((at, i) => {
    group = i > 0 && at - slowAt[i - 1]! <= windowMs ? group + 1 : 1
    if (group === minSize) {
      stalls += 1
      inStalls += minSize
    } else if (group > minSize) inStalls += 1
  })
  return { slowerThanMs, stalls, inStalls, slow: slowAt.length, windowMs, minSize }
}
