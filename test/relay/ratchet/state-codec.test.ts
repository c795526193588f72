import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { errorCodes } from '../../../src/errors.ts'
import { decodeRatchetState, encodeRatchetState, initResponderState, ratchetDecrypt } from '../../../src/relay/ratchet/index.ts'
import { hex, keyPairOf, readVectors, replayKeys, unwrap } from '../relaysms-vectors.ts'

const session = readVectors('ratchet-session.json')
const serverPublish = keyPairOf(session.initial.server_publish_keypair)

test('the state codec round-trips a fresh responder and one with skipped keys, version byte first', () => {
  const fresh = initResponderState(hex(session.initial.SK), serverPublish)
  assert.deepEqual(unwrap(decodeRatchetState(encodeRatchetState(fresh))), fresh)
  const c3 = session.messages.find((message: any) => message.id === 'c3')
  const withSkipped = unwrap(ratchetDecrypt(fresh, hex(c3.framed_hex), serverPublish.publicKey, { generateKeyPair: replayKeys(session.deliveries[0].server_generated_ratchet_keys) })).state
  assert.equal(withSkipped.skippedMessageKeys.length, 3)
  const bytes = encodeRatchetState(withSkipped)
  assert.equal(bytes[0], 1)
  assert.equal(bytes.length, 2 + 6 * 32 + 14 + 3 * 68)
  assert.deepEqual(unwrap(decodeRatchetState(bytes)), withSkipped)
})

test('the state codec refuses other versions, lengths and flags with SMSGW_RATCHET_STATE, never throws', () => {
  const bytes = encodeRatchetState(initResponderState(Buffer.alloc(32), serverPublish))
  const code = (input: Buffer): string => { const result = decodeRatchetState(input); return result.ok ? 'decoded' : result.error.code }
  assert.deepEqual([
    code(Buffer.concat([Buffer.from([2]), bytes.subarray(1)])),
    code(bytes.subarray(0, bytes.length - 1)),
    code(Buffer.concat([bytes, Buffer.alloc(1)])),
    code(Buffer.concat([bytes.subarray(0, 1), Buffer.from([8]), bytes.subarray(2)]))
  ], Array(4).fill(errorCodes.ratchetState))
  fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), random => {
    const result = decodeRatchetState(Buffer.from(random))
    assert.ok(result.ok || result.error.code === errorCodes.ratchetState)
  }), { numRuns: 3000 })
})
