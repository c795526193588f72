import type { Registry } from 'prom-client'
import { storeGauge } from './store-gauge.ts'

const UNKNOWN_OUTCOMES_METRIC = 'smsgw_ledger_unknown_outcomes'

/**
 * `smsgw_ledger_unknown_outcomes`: how many requests may have reached the SMSC and got no status
 * (docs/delivery-guarantees.md, "Unknown outcomes"), counted from the request ledger on every
 * scrape, so that it falls when operators resolve them. A count only: no client or correl-id
 * label. Returns a function that removes the gauge.
 */
export function watchUnknownOutcomes (registry: Registry, count: () => Promise<number>): () => void {
  storeGauge(registry, UNKNOWN_OUTCOMES_METRIC, 'Requests whose outcome is unknown (they may have reached the SMSC and got no status), awaiting an operator.', count)
  return () => { registry.removeSingleMetric(UNKNOWN_OUTCOMES_METRIC) }
}
