import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto'

// Raw 32-byte X25519 keys into node:crypto KeyObjects (Node 24's 'raw-public'/'raw-private').
//
// createPublicKey/createPrivateKey tell a KeyObject or CryptoKey from other input by catching the
// TypeError of a private-field read (isKeyObject/isCryptoKey in node's lib/internal/crypto/
// keys.js), four times for an options object, and V8 captures a stack trace for each throw. With
// no stack captured a public key imports in ~7 µs of CPU instead of ~22 µs (interleaved, this
// machine; docs/performance.md). The limit is restored before returning, and nothing else runs
// in between (the calls are synchronous); a real import error still carries its message.

export const X25519_KEY_BYTES = 32

export function x25519PublicKeyFromRaw (raw: Buffer): KeyObject {
  return withoutStackTraces(() => createPublicKey({ key: raw, format: 'raw-public', asymmetricKeyType: 'x25519' }))
}

export function x25519PrivateKeyFromRaw (raw: Buffer): KeyObject {
  return withoutStackTraces(() => createPrivateKey({ key: raw, format: 'raw-private', asymmetricKeyType: 'x25519' }))
}

function withoutStackTraces<T> (make: () => T): T {
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = 0
  try {
    return make()
  } finally {
    Error.stackTraceLimit = limit
  }
}
