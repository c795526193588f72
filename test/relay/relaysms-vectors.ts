import { readFileSync } from 'node:fs'
import type { Outcome } from '../../src/relay/outcome.ts'
import { keyPairFromPrivate, type GenerateKeyPair, type RatchetState, type X25519KeyPair } from '../../src/relay/ratchet/index.ts'

// The RelaySMS vectors, produced by running upstream code (test/fixtures/relaysms/README.md).

export function readVectors<T = any> (name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/relaysms/${name}`, import.meta.url), 'utf8')) as T
}

export function hex (value: string): Buffer {
  return Buffer.from(value, 'hex')
}

export interface VectorKeyPair { label: string, private: string, public: string }

export function keyPairOf (pair: VectorKeyPair): X25519KeyPair {
  return keyPairFromPrivate(hex(pair.private))
}

/** Hands out the listed generated keys in order, as upstream generated them; more is a test failure. */
export function replayKeys (pairs: readonly VectorKeyPair[]): GenerateKeyPair {
  const queue = [...pairs]
  return () => {
    const next = queue.shift()
    if (next === undefined) throw new Error('the ratchet generated more keys than upstream did')
    return keyPairOf(next)
  }
}

/** The state in the vectors' shape (upstream States field names, hex). */
export function vectorState (state: RatchetState): unknown {
  const h = (value: Buffer | undefined): string | null => value === undefined ? null : value.toString('hex')
  return {
    RK: h(state.rootKey),
    CKs: h(state.sendingChainKey),
    CKr: h(state.receivingChainKey),
    DHr: h(state.receivingRatchetKey),
    DHs_pub: h(state.sendingKeyPair.publicKey),
    Ns: state.sendingMessageNumber,
    Nr: state.receivingMessageNumber,
    PN: state.previousSendingChainLength,
    MKSKIPPED: state.skippedMessageKeys.map(key => ({ dh: h(key.ratchetPublicKey), n: key.messageNumber, mk: h(key.messageKey) }))
  }
}

/** The value of an outcome that must have succeeded; its error otherwise fails the test. */
export function unwrap<T> (outcome: Outcome<T>): T {
  if (!outcome.ok) throw outcome.error
  return outcome.value
}
