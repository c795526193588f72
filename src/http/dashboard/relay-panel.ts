import type { GatewayClient, GatewayClientStore } from '../../store/gateway-clients.ts'
import type { RelayMetricsView, RelayView } from '../observability/relay-view.ts'

// The dashboard's relay panel (docs/dashboard.md, "Relay"): the relay's counts and the gateway
// clients with their reliability. A gateway client's number is public (GET /v3/clients serves
// it), but the dashboard shows no phone number at all, not even masked: a client is shown by its
// country, operator and protocols, which is what an operator watching reliability needs.

/** The most gateway clients a frame lists; the panel says how many there are in all. */
export const MAX_PANEL_GATEWAY_CLIENTS = 50

/** One gateway client as the panel shows it: no number, no key. */
export interface GatewayClientRow {
  readonly country: string
  readonly operator: string
  readonly operatorCode: string
  readonly protocols: readonly string[]
  /** Hundredths of a percent, 0 to 10 000. */
  readonly reliabilityHundredths: number
  readonly lastPublishedAtMs: number
  readonly forwarderKey: boolean
}

export interface RelayPanel extends RelayMetricsView {
  readonly gatewayClients: { readonly total: number, readonly listed: GatewayClientRow[] }
}

export interface RelayPanelSources {
  readonly view: Pick<RelayView, 'view'>
  /** The gateway-client registry (its first page is listed). */
  readonly gatewayClients: Pick<GatewayClientStore, 'list'>
}

/** A client without what identifies it: the fields are copied one by one, so a field added to the store's row stays out. */
export function gatewayClientRow (client: GatewayClient): GatewayClientRow {
  return {
    country: client.country,
    operator: client.operator,
    operatorCode: client.operatorCode,
    protocols: [...client.protocols],
    reliabilityHundredths: client.reliabilityHundredths,
    lastPublishedAtMs: client.lastPublishedAtMs,
    forwarderKey: client.hasForwarderKey
  }
}

/** The panel's data now: the metrics and the first page of the registry, read at once. */
export async function relayPanelOf (sources: RelayPanelSources): Promise<RelayPanel> {
  const [metrics, page] = await Promise.all([sources.view.view(), sources.gatewayClients.list({}, { offset: 0, limit: MAX_PANEL_GATEWAY_CLIENTS })])
  return { ...metrics, gatewayClients: { total: page.total, listed: page.clients.map(gatewayClientRow) } }
}
