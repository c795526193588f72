import { Gauge, type Registry } from 'prom-client'
import type { Awaitable } from '../../async/awaitable.ts'

/**
 * A gauge read from the store (or broker) on every scrape, so it falls as soon as what it counts
 * is resolved; a read that fails (the store is unreachable, /readyz says so) keeps the last value.
 */
export function storeGauge (registry: Registry, name: string, help: string, count: () => Awaitable<number>): void {
  const gauge = new Gauge({
    name,
    help,
    registers: [registry],
    async collect () {
      try {
        this.set(await count())
      } catch {
        // Kept: the last value.
      }
    }
  })
  gauge.set(0)
}
