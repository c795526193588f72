import type { X25519KeyPair } from './dh.ts'

// The double-ratchet state of relay.md §3, one per account (and one per app on the client side).
// Upstream libsig's States names are given beside each field. The value is immutable: every
// function that advances it returns a new one and never writes into the old one or its buffers,
// so a caller can keep the old state until the new one is safely stored.

/** A message key kept for a message that has not arrived yet (upstream MKSKIPPED). */
export interface SkippedMessageKey {
  /** The sender's ratchet public key of the chain the message belongs to. */
  readonly ratchetPublicKey: Buffer
  readonly messageNumber: number
  readonly messageKey: Buffer
}

export interface RatchetState {
  /** DHs: our current ratchet key pair. */
  readonly sendingKeyPair: X25519KeyPair
  /** DHr: the peer's current ratchet public key; absent until the responder's first message. */
  readonly receivingRatchetKey: Buffer | undefined
  /** RK */
  readonly rootKey: Buffer
  /** CKs: absent on the responder until its first DH step. */
  readonly sendingChainKey: Buffer | undefined
  /** CKr: absent until the first message of the peer's current chain. */
  readonly receivingChainKey: Buffer | undefined
  /** Ns */
  readonly sendingMessageNumber: number
  /** Nr */
  readonly receivingMessageNumber: number
  /** PN: messages in our previous sending chain. */
  readonly previousSendingChainLength: number
  /** Oldest first; bounded by the total cap of `skipped-keys.ts`. */
  readonly skippedMessageKeys: readonly SkippedMessageKey[]
}

/**
 * The responder (server) at the end of the handshake (relay.md §3, upstream Ratchets.bob_init):
 * DHs = the server publish key pair, RK = SK, no chains yet.
 */
export function initResponderState (sharedSecret: Buffer, serverPublishKeyPair: X25519KeyPair): RatchetState {
  return Object.freeze({
    sendingKeyPair: serverPublishKeyPair,
    receivingRatchetKey: undefined,
    rootKey: Buffer.from(sharedSecret),
    sendingChainKey: undefined,
    receivingChainKey: undefined,
    sendingMessageNumber: 0,
    receivingMessageNumber: 0,
    previousSendingChainLength: 0,
    skippedMessageKeys: Object.freeze([])
  })
}
