import { errorCodes } from '../../errors.ts'
import { fail, succeed, type Outcome } from '../outcome.ts'
import { agree, type GenerateKeyPair } from './dh.ts'
import { decodeFramedMessage, encodeFramedMessage, type FramedMessage } from './framed-message.ts'
import { encodeHeader, isCounter, type RatchetHeader } from './header.ts'
import { kdfChainKey, kdfRootKey } from './kdf.ts'
import { decryptMessage, encryptMessage } from './message-cipher.ts'
import type { RatchetState, SkippedMessageKey } from './ratchet-state.ts'
import { exceedsSkipLimit, findSkippedKey, MAX_SKIP_PER_MESSAGE, MAX_STORED_SKIPPED_KEYS, withoutSkippedKey, withSkippedKeys } from './skipped-keys.ts'

// Decrypt and encrypt of relay.md §3, the algorithm of upstream libsig Ratchets.decrypt/encrypt,
// written as pure functions: the input state is never changed, and a message that is malformed,
// fails its MAC, is replayed, or skips too far yields a typed error and no state at all. Upstream
// mutates its state as it goes and relies on the Vault not saving it after an exception; here a
// failure simply has no new state to save.

export interface Decrypted {
  readonly state: RatchetState
  readonly plaintext: Buffer
}

export interface Encrypted {
  readonly state: RatchetState
  /** The framed message: int32 LE 40 ‖ header ‖ ciphertext ‖ tag. */
  readonly message: Buffer
}

export interface DecryptOptions {
  /** Makes the new DHs at a DH ratchet step. */
  readonly generateKeyPair: GenerateKeyPair
}

/**
 * Decrypts one framed message. `associatedData` is the receiver's publish public key (raw 32):
 * the server publish key for app-to-server messages, the client publish key for replies.
 */
export function ratchetDecrypt (state: RatchetState, framedMessage: Buffer, associatedData: Buffer, options: DecryptOptions): Outcome<Decrypted> {
  const decoded = decodeFramedMessage(framedMessage)
  if (!decoded.ok) return decoded
  const message = decoded.value
  const { header } = message
  const adWithHeader = Buffer.concat([associatedData, message.headerBytes])

  const skippedIndex = findSkippedKey(state.skippedMessageKeys, header.ratchetPublicKey, header.messageNumber)
  if (skippedIndex >= 0) {
    const stored = state.skippedMessageKeys[skippedIndex] as SkippedMessageKey
    const opened = decryptMessage(stored.messageKey, message.ciphertextAndTag, adWithHeader)
    if (!opened.ok) return opened
    return succeed({ state: Object.freeze({ ...state, skippedMessageKeys: withoutSkippedKey(state.skippedMessageKeys, skippedIndex) }), plaintext: opened.value })
  }

  const advanced = state.receivingRatchetKey !== undefined && header.ratchetPublicKey.equals(state.receivingRatchetKey)
    ? sameChain(state, header)
    : newChain(state, header, options.generateKeyPair)
  if (!advanced.ok) return advanced
  const { next, skipped } = advanced.value
  return finishReceive(next, skipped, message, adWithHeader)
}

interface Advance {
  /** The state after the DH step, if the header brought a new ratchet key; its chain still at Nr. */
  readonly next: RatchetState
  /** Keys derived on the way, to be stored if the message authenticates. */
  readonly skipped: readonly SkippedMessageKey[]
}

function sameChain (state: RatchetState, header: RatchetHeader): Outcome<Advance> {
  if (state.receivingChainKey === undefined) return fail(errorCodes.ratchetAuth, 'ratchet message names a chain this state cannot receive on')
  if (header.messageNumber < state.receivingMessageNumber) {
    // Upstream would decrypt with the chain's next key and fail the MAC; the key for this number
    // was used (or dropped by the cap) already, so it is refused without spending any crypto.
    return fail(errorCodes.ratchetReplay, `ratchet message ${header.messageNumber} was already received or its key is gone`)
  }
  if (exceedsSkipLimit(state.receivingMessageNumber, header.messageNumber)) return skipLimit(header.messageNumber, state.receivingMessageNumber)
  return succeed({ next: state, skipped: [] })
}

/** A header with a new ratchet key: store the old chain's keys up to PN, then a DH ratchet step. */
function newChain (state: RatchetState, header: RatchetHeader, generateKeyPair: GenerateKeyPair): Outcome<Advance> {
  if (exceedsSkipLimit(state.receivingMessageNumber, header.previousChainLength)) return skipLimit(header.previousChainLength, state.receivingMessageNumber)
  // After the step Nr = 0: checked now so that a refused message costs no key generation.
  if (exceedsSkipLimit(0, header.messageNumber)) return skipLimit(header.messageNumber, 0)
  const receivingDh = agree(state.sendingKeyPair.privateKey, header.ratchetPublicKey)
  if (receivingDh === undefined) return fail(errorCodes.relayMalformed, 'ratchet header carries an unusable X25519 public key')

  let skipped: readonly SkippedMessageKey[] = []
  if (state.receivingChainKey !== undefined && state.receivingRatchetKey !== undefined) {
    skipped = deriveSkipped(state.receivingRatchetKey, state.receivingChainKey, state.receivingMessageNumber, header.previousChainLength).keys
  }
  const receiving = kdfRootKey(state.rootKey, receivingDh)
  const sendingKeyPair = generateKeyPair()
  const sendingDh = agree(sendingKeyPair.privateKey, header.ratchetPublicKey)
  if (sendingDh === undefined) return fail(errorCodes.relayMalformed, 'ratchet header carries an unusable X25519 public key')
  const sending = kdfRootKey(receiving.rootKey, sendingDh)
  return succeed({
    next: {
      ...state,
      previousSendingChainLength: state.sendingMessageNumber,
      sendingMessageNumber: 0,
      receivingMessageNumber: 0,
      receivingRatchetKey: Buffer.from(header.ratchetPublicKey),
      receivingChainKey: receiving.chainKey,
      sendingKeyPair,
      rootKey: sending.rootKey,
      sendingChainKey: sending.chainKey
    },
    skipped
  })
}

function finishReceive (state: RatchetState, skippedBefore: readonly SkippedMessageKey[], message: FramedMessage, adWithHeader: Buffer): Outcome<Decrypted> {
  const ratchetKey = state.receivingRatchetKey as Buffer
  const chain = deriveSkipped(ratchetKey, state.receivingChainKey as Buffer, state.receivingMessageNumber, message.header.messageNumber)
  const step = kdfChainKey(chain.chainKey)
  const opened = decryptMessage(step.messageKey, message.ciphertextAndTag, adWithHeader)
  if (!opened.ok) return opened
  return succeed({
    state: Object.freeze({
      ...state,
      receivingChainKey: step.chainKey,
      receivingMessageNumber: message.header.messageNumber + 1,
      skippedMessageKeys: withSkippedKeys(state.skippedMessageKeys, [...skippedBefore, ...chain.keys], MAX_STORED_SKIPPED_KEYS)
    }),
    plaintext: opened.value
  })
}

/** The message keys of one chain from number `from` up to (not including) `until`. */
function deriveSkipped (ratchetPublicKey: Buffer, chainKey: Buffer, from: number, until: number): { chainKey: Buffer, keys: SkippedMessageKey[] } {
  const keys: SkippedMessageKey[] = []
  let current = chainKey
  for (let messageNumber = from; messageNumber < until; messageNumber++) {
    const step = kdfChainKey(current)
    keys.push(Object.freeze({ ratchetPublicKey, messageNumber, messageKey: step.messageKey }))
    current = step.chainKey
  }
  return { chainKey: current, keys }
}

function skipLimit (until: number, current: number): Outcome<never> {
  return fail(errorCodes.ratchetSkipLimit, `ratchet message ${until} is more than ${MAX_SKIP_PER_MESSAGE} past the chain's ${current} received`)
}

/**
 * Encrypts one message on the sending chain (upstream Ratchets.encrypt). `associatedData` is the
 * receiver's publish public key: the client publish key for server-to-app replies (relay.md §3).
 */
export function ratchetEncrypt (state: RatchetState, plaintext: Buffer, associatedData: Buffer): Outcome<Encrypted> {
  if (state.sendingChainKey === undefined) return fail(errorCodes.ratchetState, 'the ratchet has no sending chain yet: the responder can reply only after a first message')
  if (!isCounter(state.sendingMessageNumber + 1)) return fail(errorCodes.ratchetState, 'the sending chain is exhausted')
  const step = kdfChainKey(state.sendingChainKey)
  const header = { previousChainLength: state.previousSendingChainLength, messageNumber: state.sendingMessageNumber, ratchetPublicKey: state.sendingKeyPair.publicKey }
  const ciphertextAndTag = encryptMessage(step.messageKey, plaintext, Buffer.concat([associatedData, encodeHeader(header)]))
  return succeed({
    state: Object.freeze({ ...state, sendingChainKey: step.chainKey, sendingMessageNumber: state.sendingMessageNumber + 1 }),
    message: encodeFramedMessage(header, ciphertextAndTag)
  })
}
