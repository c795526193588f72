import { errorCodes, SmsgwError } from '../../errors.ts'
import type { VaultKey } from '../../crypto/vault/index.ts'
import type { InboundFeed } from '../../gateway/inbound/inbound-feed.ts'
import { ownerOf, type InboundOwner } from '../../gateway/inbound/inbound-owners.ts'
import { sealInbound } from '../../gateway/inbound/inbound-seal.ts'
import { MAX_INBOUND_SEALED_BYTES, type StoredInbound } from '../../domain/stored-inbound.ts'
import { KeyedListeners } from '../../async/keyed-listeners.ts'
import type { Awaitable } from '../../async/awaitable.ts'
import type { InboundSmsStore } from '../../store/embedded-store.ts'
import type { InboundSms } from '../../smpp/inbound/index.ts'

/** What became of one inbound SMS. */
export const inboundOutcomes = { stored: 'stored', duplicate: 'duplicate', refused: 'refused' } as const
export type InboundOutcome = typeof inboundOutcomes[keyof typeof inboundOutcomes]

/** One inbound SMS handled, as metrics see it: no number, no text. */
export interface InboundEvent {
  readonly connection: string
  /** The owning client; undefined when none owns it. */
  readonly owner: string | undefined
  readonly outcome: InboundOutcome
}

/** The owners' keys: the vault (current key first). */
export interface InboundKeys {
  keysFor: (clientId: string) => readonly VaultKey[]
}

export interface InboundInboxOptions {
  /** `inbound.owners`: an ordered table, first match wins. */
  readonly owners: readonly InboundOwner[]
  /** `inbound.duplicateWindowMs`. */
  readonly duplicateWindowMs: number
}

const ANY_OWNER = Symbol('any owner')

/**
 * Where mobile-originated SMS go in embedded mode (spec §7: acknowledge and publish): each is
 * sealed to the client owning its recipient and stored, durably and once, before the SMSC is
 * acknowledged; then it is announced to the subscribers (the stream, webhooks).
 */
export class InboundInbox implements InboundFeed {
  readonly #store: InboundSmsStore
  readonly #owners: readonly InboundOwner[]
  readonly #windowMs: number
  /** Listeners of the messages stored here, and of those stored anywhere (here and by other instances). */
  readonly #storedHere = new KeyedListeners<StoredInbound, string | typeof ANY_OWNER>()
  readonly #storedAnywhere = new KeyedListeners<StoredInbound, string | typeof ANY_OWNER>()
  #hearingElsewhere = false
  readonly #handled = new KeyedListeners<InboundEvent, typeof ANY_OWNER>()

  constructor (store: InboundSmsStore, options: InboundInboxOptions) {
    this.#store = store
    this.#owners = options.owners
    this.#windowMs = options.duplicateWindowMs
  }

  /**
   * Seals and stores `sms`; resolves once it is durable (or found stored already: a
   * re-delivery). Rejects with SMSGW_INBOUND_REFUSED (for good: the SMSC is answered
   * ESME_RX_R_APPN) when no client owns its recipient or it is larger than the store keeps;
   * with SMSGW_UNKNOWN_KEY (retryable) when the owner has no key in the vault; with the store's
   * error when it cannot be stored. Those two are answered ESME_RX_T_APPN: the SMSC delivers it again.
   */
  async receive (sms: InboundSms, keys: InboundKeys): Promise<void> {
    const owner = ownerOf(this.#owners, sms.recipient)
    const connection = sms.connectionId
    if (owner === undefined) {
      this.#handled.notify(ANY_OWNER, { connection, owner, outcome: inboundOutcomes.refused })
      throw new SmsgwError(errorCodes.inboundRefused, `no client owns the recipient of an inbound SMS on connection ${connection} (inbound.owners)`)
    }
    const key = keys.keysFor(owner)[0]
    if (key === undefined) throw new SmsgwError(errorCodes.unknownKey, `client ${owner} owns an inbound SMS but has no key in the vault to seal it to`, { retryable: true })
    const { record, duplicateKey } = sealInbound(sms, owner, key)
    if (Buffer.byteLength(record.sealed) > MAX_INBOUND_SEALED_BYTES) {
      this.#handled.notify(ANY_OWNER, { connection, owner, outcome: inboundOutcomes.refused })
      throw new SmsgwError(errorCodes.inboundRefused, `an inbound SMS for ${owner} on connection ${connection} is larger than the store keeps (${MAX_INBOUND_SEALED_BYTES} bytes sealed)`)
    }
    const stored = await this.#store.add(record, duplicateKey, this.#windowMs)
    this.#handled.notify(ANY_OWNER, { connection, owner, outcome: stored === undefined ? inboundOutcomes.duplicate : inboundOutcomes.stored })
    if (stored === undefined) return
    this.#announce(this.#storedHere, stored)
    this.#announce(this.#storedAnywhere, stored)
  }

  list (owner: string, afterId: number, limit: number): Awaitable<StoredInbound[]> {
    return this.#store.listAfter(owner, afterId, limit)
  }

  subscribe (owner: string | undefined, listener: (message: StoredInbound) => void, options: { storedHere?: boolean } = {}): () => void {
    if (options.storedHere === true) return this.#storedHere.add(owner ?? ANY_OWNER, listener)
    // Other instances' messages are listened for from the first subscriber on (a connection of its own).
    if (!this.#hearingElsewhere && this.#store.onAddedElsewhere !== undefined) {
      this.#hearingElsewhere = true
      this.#store.onAddedElsewhere(message => { this.#announce(this.#storedAnywhere, message) })
    }
    return this.#storedAnywhere.add(owner ?? ANY_OWNER, listener)
  }

  // A listener that throws (a stream whose socket broke) must not fail the store's caller: the
  // message is stored, and the SMSC would deliver it again for nothing.
  #announce (listeners: KeyedListeners<StoredInbound, string | typeof ANY_OWNER>, message: StoredInbound): void {
    listeners.notify(message.owner, message, () => {})
    listeners.notify(ANY_OWNER, message, () => {})
  }

  /** Calls `listener` with what became of each inbound SMS (for metrics); returns a function that stops it. */
  onHandled (listener: (event: InboundEvent) => void): () => void {
    return this.#handled.add(ANY_OWNER, listener)
  }
}
