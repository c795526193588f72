import assert from 'node:assert/strict'
import { decodeStatusEvent, encodeStatusEvent, type StatusEvent } from '../gateway/status/status-event.ts'

// Statuses are kept as their `sms-status` JSON (spec §4): the text a client reads on Kafka
// deployments, with every field the contract has. History gives back what that text holds, so
// the timestamp in whole seconds, as a follower of `sms-status` would read it: the HTTP API
// answers the same on every deployment.

/**
 * The text to store for `event` and the event as history will give it back. Throws for an
 * event the contract cannot carry (an empty client-id or correl-id): the pipeline never reports one.
 */
export function storableStatus (event: StatusEvent): { text: string, stored: StatusEvent } {
  const text = encodeStatusEvent(event)
  const stored = decodeStatusEvent(text)
  if (stored === null) throw new TypeError('not a status the contract can carry (empty client-id or correl-id?)')
  return { text, stored }
}

export function decodeStoredStatus (text: string): StatusEvent {
  const event = decodeStatusEvent(text)
  // The store only holds what encodeStatusEvent wrote, and the two round-trip.
  assert.ok(event !== null, 'a stored status does not decode')
  return event
}
