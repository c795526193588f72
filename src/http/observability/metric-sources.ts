import type { EventEmitter } from 'node:events'
import type { StatusSink } from '../../gateway/status/status-sink.ts'
import type { ReconnectingSessionEvents, ReconnectingSessionState } from '../../smpp/session/index.ts'
import type { GatewayMetrics } from './gateway-metrics.ts'

/** A sink for the gateway's StatusFanOut that counts each status; it never fails. */
export function metricsStatusSink (metrics: GatewayMetrics): StatusSink {
  return {
    async report (event) {
      metrics.status(event)
    }
  }
}

/** What watchSession needs of a session: its typed events and its window. */
export type WatchedSession = Pick<EventEmitter<ReconnectingSessionEvents>, 'on' | 'off'> & {
  readonly state: ReconnectingSessionState
  readonly inFlight: number
}

/**
 * Follows the SMSC connection `name`: its state and `smsgw_smsc_bound`, throttling, reconnects,
 * and its window read on every scrape. Returns a function that stops following it.
 */
export function watchSession (metrics: GatewayMetrics, name: string, session: WatchedSession): () => void {
  const onState = (state: string): void => { metrics.connectionState(name, state) }
  const onThrottled = (): void => { metrics.throttled(name) }
  const onReconnecting = (): void => { metrics.reconnecting(name) }
  session.on('state', onState)
  session.on('throttled', onThrottled)
  session.on('reconnecting', onReconnecting)
  const untrack = metrics.trackWindow(name, () => session.inFlight)
  metrics.connectionState(name, session.state)
  return () => {
    session.off('state', onState)
    session.off('throttled', onThrottled)
    session.off('reconnecting', onReconnecting)
    untrack()
  }
}

/** Reads the gateway's in-flight count on every scrape; returns a function that stops it. */
export function watchGateway (metrics: GatewayMetrics, gateway: { readonly inFlight: number }): () => void {
  return metrics.track({ inFlight: () => gateway.inFlight })
}
