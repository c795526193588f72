import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { isSmsgwError } from '../../../src/errors.ts'
import { encodeRatchetState, initResponderState, ratchetDecrypt, type RatchetState } from '../../../src/relay/ratchet/index.ts'
import { hex, keyPairOf, readVectors, replayKeys, unwrap } from '../relaysms-vectors.ts'

// relay.md §3 and issue 11: a message that fails its MAC, is replayed or is malformed changes no
// state at all, and hostile bytes never make the ratchet throw: they get a typed error.
const session = readVectors('ratchet-session.json')
const serverPublish = keyPairOf(session.initial.server_publish_keypair)
const messages = new Map<string, any>(session.messages.map((message: any) => [message.id, message]))
const first = session.deliveries[0]
// The server after c0: it has a receiving chain, so bit flips in c1 reach every branch.
const afterFirst = unwrap(ratchetDecrypt(initResponderState(hex(session.initial.SK), serverPublish), hex(messages.get('c0').framed_hex), serverPublish.publicKey, { generateKeyPair: replayKeys(first.server_generated_ratchet_keys) })).state
const c1 = hex(messages.get('c1').framed_hex)
const generateKeyPair = replayKeys(Array.from({ length: 100_000 }, () => first.server_generated_ratchet_keys[0]))

function assertRefusedUnchanged (state: RatchetState, bytes: Buffer): void {
  const before = encodeRatchetState(state)
  const result = ratchetDecrypt(state, bytes, serverPublish.publicKey, { generateKeyPair })
  assert.equal(result.ok, false)
  if (!result.ok) assert.ok(isSmsgwError(result.error), String(result.error))
  assert.deepEqual(encodeRatchetState(state), before)
}

test('ratchetDecrypt refuses random bytes with a typed error and leaves the state alone', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), bytes => assertRefusedUnchanged(afterFirst, Buffer.from(bytes))), { numRuns: 3000 })
})

test('ratchetDecrypt refuses random bytes behind a valid 40-byte header length', () => {
  const framedLike = fc.tuple(fc.uint8Array({ minLength: 40, maxLength: 40 }), fc.uint8Array({ maxLength: 200 }))
  fc.assert(fc.property(framedLike, ([header, rest]) => assertRefusedUnchanged(afterFirst, Buffer.concat([Buffer.from('28000000', 'hex'), header, rest]))), { numRuns: 2000 })
})

test('ratchetDecrypt refuses every single bit flip and truncation of a genuine message', () => {
  for (let bit = 0; bit < c1.length * 8; bit++) {
    const flipped = Buffer.from(c1)
    flipped[bit >> 3] = (flipped[bit >> 3] as number) ^ (1 << (bit & 7))
    assertRefusedUnchanged(afterFirst, flipped)
  }
  for (let length = 0; length < c1.length; length++) assertRefusedUnchanged(afterFirst, c1.subarray(0, length))
  // And the genuine message still decrypts afterwards.
  assert.equal(unwrap(ratchetDecrypt(afterFirst, c1, serverPublish.publicKey, { generateKeyPair })).plaintext.toString('hex'), messages.get('c1').plaintext_hex)
})
