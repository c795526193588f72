import assert from 'node:assert/strict'
import { test } from 'node:test'
import { agree, generateX25519KeyPair, keyPairFromPrivate, x25519 } from '../../../src/relay/ratchet/dh.ts'
import { hex, readVectors } from '../relaysms-vectors.ts'

// x25519-agree.json: upstream libsig's agree (relay.md §2), both ways, for the three pairs the other
// vectors use.
const vectors = readVectors('x25519-agree.json')

test('agree gives upstream shared keys both ways, and keys derive their upstream public halves', () => {
  for (const vector of vectors.cases) {
    const a = keyPairFromPrivate(hex(vector.a.private))
    const b = keyPairFromPrivate(hex(vector.b.private))
    assert.deepEqual([a.publicKey.toString('hex'), b.publicKey.toString('hex')], [vector.a.public, vector.b.public])
    assert.equal(x25519(a.privateKey, b.publicKey).toString('hex'), vector.x25519_raw)
    assert.equal(agree(a.privateKey, b.publicKey)?.toString('hex'), vector.shared_key, vector.name)
    assert.equal(agree(b.privateKey, a.publicKey)?.toString('hex'), vector.shared_key, vector.name)
  }
})

test('agree refuses public keys of the wrong length and low-order points', () => {
  const ours = keyPairFromPrivate(Buffer.alloc(32, 1))
  assert.deepEqual([agree(ours.privateKey, Buffer.alloc(31)), agree(ours.privateKey, Buffer.alloc(32)), agree(ours.privateKey, Buffer.concat([Buffer.from([1]), Buffer.alloc(31)]))], [undefined, undefined, undefined])
})

test('a generated pair agrees through its remembered KeyObject exactly as its raw bytes do', () => {
  const ours = generateX25519KeyPair()
  const theirs = generateX25519KeyPair()
  // Copies are Buffers this module never made, so they take the import path.
  const [ourCopy, theirCopy] = [Buffer.from(ours.privateKey), Buffer.from(theirs.privateKey)]
  assert.deepEqual(keyPairFromPrivate(ourCopy).publicKey, ours.publicKey)
  assert.deepEqual(x25519(ours.privateKey, theirs.publicKey), x25519(ourCopy, theirs.publicKey))
  assert.deepEqual(agree(ours.privateKey, theirs.publicKey), agree(theirCopy, ours.publicKey))
})
