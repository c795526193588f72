import { errorCodes } from '../../errors.ts'
import { fail, succeed, type Outcome } from '../outcome.ts'
import { X25519_KEY_BYTES } from './dh.ts'
import { isCounter } from './header.ts'
import type { RatchetState, SkippedMessageKey } from './ratchet-state.ts'

// Ours: the binary form of a RatchetState that the store seals (relay.md §3 "persisted after every
// successful decryption, sealed at rest"). Upstream stores libsig's serialize_json; we do not
// import upstream states, so the format is our own, versioned so it can change:
//
//   version u8 (= 1) ‖ flags u8 (bit 0 DHr, bit 1 CKs, bit 2 CKr present)
//   ‖ DHs private (32) ‖ DHs public (32) ‖ RK (32) ‖ [DHr (32)] ‖ [CKs (32)] ‖ [CKr (32)]
//   ‖ Ns u32 LE ‖ Nr u32 LE ‖ PN u32 LE ‖ skipped count u16 LE
//   ‖ count × (ratchet public key (32) ‖ message number u32 LE ‖ message key (32))
//
// Counters are at most 2^31 - 1, as upstream's int32 headers carry them.

export const RATCHET_STATE_VERSION = 1
const KEY = X25519_KEY_BYTES
const SKIPPED_ENTRY_BYTES = KEY + 4 + KEY
const MAX_SKIPPED_ENTRIES = 0xffff
const FLAG_RECEIVING_RATCHET_KEY = 1
const FLAG_SENDING_CHAIN = 2
const FLAG_RECEIVING_CHAIN = 4

export function encodeRatchetState (state: RatchetState): Buffer {
  const optional = [state.receivingRatchetKey, state.sendingChainKey, state.receivingChainKey]
  const flags = optional.reduce((bits, value, index) => value === undefined ? bits : bits | (1 << index), 0)
  const counters = Buffer.alloc(14)
  counters.writeUInt32LE(state.sendingMessageNumber, 0)
  counters.writeUInt32LE(state.receivingMessageNumber, 4)
  counters.writeUInt32LE(state.previousSendingChainLength, 8)
  counters.writeUInt16LE(state.skippedMessageKeys.length, 12)
  const skipped = state.skippedMessageKeys.map(key => {
    const number = Buffer.alloc(4)
    number.writeUInt32LE(key.messageNumber)
    return Buffer.concat([key.ratchetPublicKey, number, key.messageKey])
  })
  return Buffer.concat([
    Buffer.from([RATCHET_STATE_VERSION, flags]),
    state.sendingKeyPair.privateKey, state.sendingKeyPair.publicKey, state.rootKey,
    ...optional.filter(value => value !== undefined),
    counters,
    ...skipped
  ])
}

/** Decodes a stored state; a wrong version, length or counter is SMSGW_RATCHET_STATE. */
export function decodeRatchetState (bytes: Buffer): Outcome<RatchetState> {
  if (bytes.length < 2) return corrupt('it is too short')
  if (bytes[0] !== RATCHET_STATE_VERSION) return corrupt(`version ${bytes[0]} is not ${RATCHET_STATE_VERSION}`)
  const flags = bytes[1] as number
  if ((flags & ~7) !== 0) return corrupt('it has unknown flags')
  const present = [FLAG_RECEIVING_RATCHET_KEY, FLAG_SENDING_CHAIN, FLAG_RECEIVING_CHAIN].map(flag => (flags & flag) !== 0)
  const fixedBytes = 2 + 3 * KEY + present.filter(Boolean).length * KEY + 14
  if (bytes.length < fixedBytes) return corrupt('it is too short')
  let offset = 2
  const take = (length: number): Buffer => {
    const slice = Buffer.from(bytes.subarray(offset, offset + length))
    offset += length
    return slice
  }
  const privateKey = take(KEY)
  const publicKey = take(KEY)
  const rootKey = take(KEY)
  const [receivingRatchetKey, sendingChainKey, receivingChainKey] = present.map(isPresent => isPresent ? take(KEY) : undefined)
  const sendingMessageNumber = bytes.readUInt32LE(offset)
  const receivingMessageNumber = bytes.readUInt32LE(offset + 4)
  const previousSendingChainLength = bytes.readUInt32LE(offset + 8)
  const count = bytes.readUInt16LE(offset + 12)
  offset += 14
  if (![sendingMessageNumber, receivingMessageNumber, previousSendingChainLength].every(isCounter)) return corrupt('a counter is out of range')
  if (count > MAX_SKIPPED_ENTRIES || bytes.length !== offset + count * SKIPPED_ENTRY_BYTES) return corrupt('its length does not match its skipped keys')
  const skippedMessageKeys: SkippedMessageKey[] = []
  for (let index = 0; index < count; index++) {
    const ratchetPublicKey = take(KEY)
    const messageNumber = bytes.readUInt32LE(offset)
    offset += 4
    if (!isCounter(messageNumber)) return corrupt('a skipped key number is out of range')
    skippedMessageKeys.push(Object.freeze({ ratchetPublicKey, messageNumber, messageKey: take(KEY) }))
  }
  return succeed(Object.freeze({
    sendingKeyPair: Object.freeze({ privateKey, publicKey }),
    receivingRatchetKey,
    rootKey,
    sendingChainKey,
    receivingChainKey,
    sendingMessageNumber,
    receivingMessageNumber,
    previousSendingChainLength,
    skippedMessageKeys: Object.freeze(skippedMessageKeys)
  }))
}

function corrupt (reason: string): Outcome<RatchetState> {
  return fail(errorCodes.ratchetState, `stored ratchet state does not decode: ${reason}`)
}
