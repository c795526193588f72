import { performance } from 'node:perf_hooks'

/** Throughput and latency of one operation run back to back on this thread. */
export interface Measurement {
  name: string
  operations: number
  perSecond: number
  p50Ms: number
  p99Ms: number
}

export interface BenchCase {
  name: string
  operation: (index: number) => unknown
}

const ROUNDS = 3
const WARM_UP_CALLS = 20
const MAX_SAMPLES = 1_000_000

/**
 * Measures each case in ROUNDS interleaved rounds of budgetMs / ROUNDS and keeps each case's
 * best round: on a shared machine, noise only ever slows a round down, and interleaving keeps
 * a burst of noise from landing on one case alone.
 */
export function bestOfRounds (cases: readonly BenchCase[], budgetMs: number): Measurement[] {
  const best: Array<Measurement | undefined> = cases.map(() => undefined)
  for (let round = 0; round < ROUNDS; round++) {
    cases.forEach((benchCase, index) => {
      const result = measure(benchCase, budgetMs / ROUNDS)
      if ((best[index]?.perSecond ?? -1) < result.perSecond) best[index] = result
    })
  }
  return best as Measurement[]
}

/** Runs one case back to back for about `budgetMs`, timing each call. */
export function measure ({ name, operation }: BenchCase, budgetMs: number): Measurement {
  for (let i = 0; i < WARM_UP_CALLS; i++) operation(i)
  const latencies = new Float64Array(MAX_SAMPLES)
  let count = 0
  const start = performance.now()
  let now = start
  while (now - start < budgetMs && count < MAX_SAMPLES) {
    operation(count)
    const after = performance.now()
    latencies[count++] = after - now
    now = after
  }
  const sorted = latencies.subarray(0, count).sort()
  return { name, operations: count, perSecond: count / ((now - start) / 1000), p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99) }
}

export function percentile (sorted: Float64Array | readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] as number
}
