import { Gauge, type Registry } from 'prom-client'

const UNKNOWN_OUTCOMES_METRIC = 'smsgw_ledger_unknown_outcomes'

/**
 * `smsgw_ledger_unknown_outcomes`: how many requests may have reached the SMSC and got no status
 * (docs/delivery-guarantees.md, "Unknown outcomes"), counted from the request ledger on every
 * scrape, so that it falls when operators resolve them. A count only: no client or correl-id
 * label. A read that fails leaves the last value. Returns a function that removes the gauge.
 */
export function watchUnknownOutcomes (registry: Registry, count: () => Promise<number>): () => void {
  const gauge = new Gauge({
    name: UNKNOWN_OUTCOMES_METRIC,
    help: 'Requests whose outcome is unknown (they may have reached the SMSC and got no status), awaiting an operator.',
    registers: [registry],
    async collect () {
      try {
        this.set(await count())
      } catch {
        // The store or broker is unreachable; /readyz says so. The gauge keeps its last value.
      }
    }
  })
  gauge.set(0)
  return () => { registry.removeSingleMetric(UNKNOWN_OUTCOMES_METRIC) }
}
