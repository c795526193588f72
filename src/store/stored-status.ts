import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { decodeStatusEvent, encodeStatusEvent, type StatusEvent } from '../domain/status-event.ts'
import { wholeSecondOf } from '../domain/timestamp.ts'

// Statuses are kept as their `sms-status` JSON (spec §4): the text a client reads on Kafka
// deployments, with every field the contract has. History gives back what that text holds, so
// the timestamp in whole seconds, as a follower of `sms-status` would read it: the HTTP API
// answers the same on every deployment.

/**
 * The text to store for `event`, the event as history will give it back, and its once-key.
 * Throws for an event the contract cannot carry (an empty client-id or correl-id): the pipeline
 * never reports one.
 */
export function storableStatus (event: StatusEvent): { text: string, stored: StatusEvent, onceKey: string | null } {
  const { clientId, correlId, status, recallId, errorText } = event
  if (clientId === '' || correlId === '') throw new TypeError('not a status the contract can carry (empty client-id or correl-id)')
  // What decoding `text` gives back, made without decoding it (a JSON parse and a timestamp
  // parse, ~4 µs of each status's main-thread time): whole seconds, empty optional fields left
  // out. test/store/stored-status.test.ts holds the two equal.
  const stored: StatusEvent = {
    clientId,
    correlId,
    timestamp: wholeSecondOf(event.timestamp),
    status,
    ...(recallId === undefined || recallId === '' ? {} : { recallId }),
    ...(errorText === undefined || errorText === '' ? {} : { errorText })
  }
  return { text: encodeStatusEvent(event), stored, onceKey: statusOnceKey(stored) }
}

/**
 * A status with a recall-id is a fact about one SMSC message: its request reached this state.
 * Stores keep it once (a unique once-key), so the same fact reported again is dropped: a
 * receipt the SMSC re-sends after a crash, or the SENT a receipt reports for a submitter that
 * died before it could (docs/delivery-guarantees.md, "Receipts across crashes"). Statuses
 * without a recall-id (the loop-back's scripts, refusals) have none: each is stored. The key is
 * a hash, so its size is fixed whatever the client's ids.
 */
export function statusOnceKey (event: StatusEvent): string | null {
  if (event.recallId === undefined) return null
  return createHash('sha256').update(JSON.stringify([event.clientId, event.correlId, event.status, event.recallId])).digest('base64url')
}

export function decodeStoredStatus (text: string): StatusEvent {
  const event = decodeStatusEvent(text)
  // The store only holds what encodeStatusEvent wrote, and the two round-trip.
  assert.ok(event !== null, 'a stored status does not decode')
  return event
}
