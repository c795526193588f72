import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { errorCodes } from '../../../src/errors.ts'
import { loadSealingKeyRing, open, parseSealingKeyRing, seal, sealingKeyIdOf } from '../../../src/relay/vault/index.ts'
import { unwrap } from '../relaysms-vectors.ts'

// Sealing at rest (relay.md §7, ours): AES-256-GCM under a key id, bound to entity id and field.

const key = (): string => randomBytes(32).toString('base64')
const entity = 'a'.repeat(32)
const other = 'b'.repeat(32)
const value = Buffer.from('+237650000001')

test('a sealed value opens for its entity and field, and names the key that sealed it', () => {
  const ring = unwrap(parseSealingKeyRing(`k1 ${key()}`))
  const sealed = seal(ring, 'countryCode', entity, value)
  assert.deepEqual(unwrap(open(ring, 'countryCode', entity, sealed)), value)
  assert.equal(sealingKeyIdOf(sealed), 'k1')
  assert.equal(sealed.includes(value), false)
  assert.notDeepEqual(seal(ring, 'countryCode', entity, value), sealed, 'a fresh nonce per seal')
})

test('a sealed value refuses another entity id, another field, a wrong key, a tampered or truncated value', () => {
  const ring = unwrap(parseSealingKeyRing(`k1 ${key()}`))
  const sameIdOtherKey = unwrap(parseSealingKeyRing(`k1 ${key()}`))
  const sealed = seal(ring, 'deviceId', entity, value)
  const flipped = Buffer.from(sealed)
  flipped[flipped.length - 20] = (flipped[flipped.length - 20] as number) ^ 1
  const cases = [
    open(ring, 'deviceId', other, sealed),
    open(ring, 'ratchetState', entity, sealed),
    open(sameIdOtherKey, 'deviceId', entity, sealed),
    open(unwrap(parseSealingKeyRing(`k2 ${key()}`)), 'deviceId', entity, sealed),
    open(ring, 'deviceId', entity, flipped),
    open(ring, 'deviceId', entity, sealed.subarray(0, 20)),
    open(ring, 'deviceId', entity, Buffer.alloc(0))
  ]
  for (const [index, outcome] of cases.entries()) {
    assert.equal(outcome.ok, false, `case ${index}`)
    if (!outcome.ok) {
      assert.equal(outcome.error.code, errorCodes.relaySealed)
      assert.equal(outcome.error.message.includes(value.toString()), false)
    }
  }
})

test('rotation: the ring seals with its first key and opens with any of its keys', () => {
  const [k1, k2] = [key(), key()]
  const before = unwrap(parseSealingKeyRing(`k1 ${k1}`))
  const after = unwrap(parseSealingKeyRing(`# rotated\nk2 ${k2}\nk1 ${k1}\n`))
  const old = seal(before, 'ratchetState', entity, value)
  assert.deepEqual(unwrap(open(after, 'ratchetState', entity, old)), value)
  const fresh = seal(after, 'ratchetState', entity, value)
  assert.equal(sealingKeyIdOf(fresh), 'k2')
  assert.equal(open(before, 'ratchetState', entity, fresh).ok, false)
  assert.equal(unwrap(parseSealingKeyRing(`k2:${k2},k1:${k1}`)).current.id, 'k2', 'commas and colons, as a variable gives them')
})

test('a malformed key ring is SMSGW_RELAY_KEY_FILE and its message holds no key', () => {
  const secret = key()
  for (const text of ['', '# only a comment', `k1 ${secret.slice(0, 20)}`, `k1 ${secret}\nk1 ${key()}`, `bad/id ${secret}`, secret]) {
    const ring = parseSealingKeyRing(text)
    assert.equal(ring.ok, false, JSON.stringify(text))
    if (!ring.ok) {
      assert.equal(ring.error.code, errorCodes.relayKeyFile)
      assert.equal(ring.error.message.includes(secret.slice(0, 20)), false)
    }
  }
})

test('the ring loads from a file, from the value, and refuses neither or a missing file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'smsgw-sealing-'))
  try {
    const file = join(dir, 'sealing.keys')
    await writeFile(file, `k7 ${key()}\n`)
    assert.equal(unwrap(loadSealingKeyRing({ keyFile: file })).current.id, 'k7')
    assert.equal(unwrap(loadSealingKeyRing({ key: `k8 ${key()}` })).current.id, 'k8')
    for (const source of [{}, { keyFile: join(dir, 'missing') }]) {
      const ring = loadSealingKeyRing(source)
      assert.equal(ring.ok ? undefined : ring.error.code, errorCodes.relayKeyFile)
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
})
