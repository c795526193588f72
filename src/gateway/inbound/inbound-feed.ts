import type { Awaitable } from '../../async/awaitable.ts'
import type { StoredInbound } from '../../domain/stored-inbound.ts'

/** The inbound SMS stored for the clients that own them: what the HTTP API and webhooks serve. */
export interface InboundFeed {
  /** Up to `limit` of `owner`'s messages with an id above `afterId`, oldest first. */
  list: (owner: string, afterId: number, limit: number) => Awaitable<StoredInbound[]>
  /**
   * Calls `listener` with each message stored for `owner` (undefined: for any owner) from now
   * on, by this instance and, where instances share the store, by the others as this one hears
   * of them; with `storedHere`, by this instance only (webhooks: each message is posted by the
   * instance that stored it, once). Returns a function that stops it.
   */
  subscribe: (owner: string | undefined, listener: (message: StoredInbound) => void, options?: { storedHere?: boolean }) => () => void
}

/** The public JSON of one stored inbound SMS: its id, what is not personal data, and the seal. */
export interface InboundJson {
  readonly id: string
  readonly received: string
  readonly connection: string
  readonly parts: number
  readonly incomplete: boolean
  /** The inbound JSON (docs/inbound-sms.md) sealed to the client's key: `smsgw decrypt VAULT CLIENT` opens it. */
  readonly payload: string
}

/** `message` as the API, the stream and webhooks give it. The id is a string: a cursor, not a number to compute with. */
export function inboundJsonOf (message: StoredInbound): InboundJson {
  return {
    id: String(message.id),
    received: new Date(message.receivedAtMs).toISOString().replace('.000Z', 'Z'),
    connection: message.connection,
    parts: message.parts,
    incomplete: message.incomplete,
    payload: message.sealed
  }
}
