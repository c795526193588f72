import assert from 'node:assert/strict'
import { diffieHellman, generateKeyPairSync } from 'node:crypto'
import { test } from 'node:test'
import { x25519PrivateKeyFromRaw, x25519PublicKeyFromRaw } from '../../src/crypto/x25519-key.ts'

test('raw X25519 keys import to KeyObjects that agree like the originals', () => {
  const ours = generateKeyPairSync('x25519')
  const theirs = generateKeyPairSync('x25519')
  const privateKey = x25519PrivateKeyFromRaw(ours.privateKey.export({ format: 'raw-private' }))
  const publicKey = x25519PublicKeyFromRaw(theirs.publicKey.export({ format: 'raw-public' }))
  assert.equal(privateKey.asymmetricKeyType, 'x25519')
  assert.equal(publicKey.type, 'public')
  assert.deepEqual(diffieHellman({ privateKey, publicKey }), diffieHellman({ privateKey: ours.privateKey, publicKey: theirs.publicKey }))
})

test('the imports leave Error.stackTraceLimit as they found it, also when the key is refused', () => {
  const before = Error.stackTraceLimit
  x25519PublicKeyFromRaw(Buffer.alloc(32, 9))
  assert.equal(Error.stackTraceLimit, before)
  assert.throws(() => x25519PublicKeyFromRaw(Buffer.alloc(31)), (error: Error) => error.message.length > 0)
  assert.throws(() => x25519PrivateKeyFromRaw(Buffer.alloc(33)))
  assert.equal(Error.stackTraceLimit, before)
  assert.ok((new Error('after').stack ?? '').includes('x25519-key.test.ts'))
})
