/** Percentiles of the samples in a LatencyWindow, in seconds; null when it holds none. */
export interface LatencySummary {
  readonly count: number
  readonly p50Seconds: number | null
  readonly p90Seconds: number | null
  readonly p99Seconds: number | null
}

export const DEFAULT_LATENCY_SAMPLES = 4_096
export const DEFAULT_LATENCY_WINDOW_MS = 5 * 60_000

/**
 * The most recent latencies, for percentiles a person can read (the dashboard): the
 * Prometheus histogram answers the same question for alerting, but only to its buckets' width.
 * A ring of fixed size, so memory stays flat whatever the rate.
 */
export class LatencyWindow {
  readonly #seconds: Float64Array
  readonly #atMs: Float64Array
  readonly #windowMs: number
  #next = 0
  #size = 0

  constructor (capacity = DEFAULT_LATENCY_SAMPLES, windowMs = DEFAULT_LATENCY_WINDOW_MS) {
    this.#seconds = new Float64Array(capacity)
    this.#atMs = new Float64Array(capacity)
    this.#windowMs = windowMs
  }

  add (seconds: number, atMs: number): void {
    this.#seconds[this.#next] = seconds
    this.#atMs[this.#next] = atMs
    this.#next = (this.#next + 1) % this.#seconds.length
    this.#size = Math.min(this.#size + 1, this.#seconds.length)
  }

  /** Nearest-rank percentiles of the samples taken within the window before `nowMs`. */
  summary (nowMs: number): LatencySummary {
    const recent: number[] = []
    for (let index = 0; index < this.#size; index++) {
      if (nowMs - (this.#atMs[index] as number) <= this.#windowMs) recent.push(this.#seconds[index] as number)
    }
    recent.sort((a, b) => a - b)
    const rank = (fraction: number): number | null => recent.length === 0
      ? null
      : recent[Math.max(0, Math.ceil(fraction * recent.length) - 1)] as number
    return { count: recent.length, p50Seconds: rank(0.5), p90Seconds: rank(0.9), p99Seconds: rank(0.99) }
  }
}
