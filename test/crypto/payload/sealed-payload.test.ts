import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { createPublicKey, generateKeyPairSync } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import fc from 'fast-check'
import { openPayload, sealPayload, sealPayloadAsHolder } from '../../../src/crypto/payload/index.ts'
import { isSmsgwError } from '../../../src/errors.ts'
import { keyIdOf, type VaultKey } from '../../../src/crypto/vault/vault-key.ts'
import { Vault } from '../../../src/crypto/vault/vault.ts'
import { fixturePath, LEGACY_PAYLOAD_JAVA, VECTOR_VAULT_PASSWORD } from '../../harness/fixtures.ts'

interface SealedVector { name: string, vault: string, alias: string, plaintext: string, payload: string }
const vectors: SealedVector[] = JSON.parse(readFileSync(fixturePath('zwets/sealed-payloads.json'), 'utf8'))
const builtin = await Vault.load(fixturePath('zwets/builtin.vault'), VECTOR_VAULT_PASSWORD)
const testKeys = builtin.keysFor('test')
const testPub = createPublicKey({ key: Buffer.from(readFileSync(fixturePath('zwets/test.pub'), 'utf8'), 'base64'), format: 'der', type: 'spki' })

function generatedKey (type: 'rsa' | 'x25519', alias = 'client'): VaultKey {
  const pair = type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('x25519')
  return { alias, type, privateKey: pair.privateKey, publicKey: pair.publicKey, keyId: keyIdOf(pair.publicKey) }
}

for (const vector of vectors.filter(v => v.name !== 'wrong-key')) {
  test(`openPayload opens the JDK-made vector ${vector.name} to its plaintext`, () => {
    assert.equal(openPayload(vector.payload, testKeys).toString('utf8'), vector.plaintext)
  })
}

test('openPayload fails with SMSGW_WRONG_KEY on the wrong-key vector opened as test', () => {
  const vector = vectors.find(v => v.name === 'wrong-key')
  assert.ok(vector)
  assert.throws(() => openPayload(vector.payload, testKeys), { code: 'SMSGW_WRONG_KEY' })
})

test('openPayload tolerates surrounding whitespace and a trailing newline', () => {
  const vector = vectors[0] as SealedVector
  assert.equal(openPayload(` ${vector.payload}\n`, testKeys).toString(), vector.plaintext)
})

test('openPayload labels bad base64, bad magic and truncation without echoing input', () => {
  assert.throws(() => openPayload('ENC!!notbase64', testKeys), { code: 'SMSGW_BAD_BASE64', message: 'payload is not valid base64' })
  assert.throws(() => openPayload('', testKeys), { code: 'SMSGW_BAD_BASE64' })
  assert.throws(() => openPayload(Buffer.from('hello world!').toString('base64'), testKeys), { code: 'SMSGW_BAD_MAGIC' })
  const vector = vectors[0] as SealedVector
  assert.throws(() => openPayload(Buffer.from(vector.payload, 'base64').subarray(0, 100).toString('base64'), testKeys), { code: 'SMSGW_TRUNCATED' })
})

test('openPayload reports SMSGW_BAD_PADDING when a legacy body is corrupted', () => {
  const sealed = Buffer.from(sealPayload(testPub, Buffer.from('To: +1\n\nx'), 'legacy'), 'base64')
  sealed[sealed.length - 1] = (sealed.at(-1) ?? 0) ^ 0xff
  assert.throws(() => openPayload(sealed.toString('base64'), testKeys), { code: 'SMSGW_BAD_PADDING' })
})

for (const [format, type] of [['legacy', 'rsa'], ['v2', 'rsa'], ['v2', 'x25519']] as const) {
  test(`sealPayload ${format} with an ${type} key round-trips through openPayload`, () => {
    const key = generatedKey(type)
    const plaintext = Buffer.from('To: +31629845432\nSender: ACME\n\nGrüße 👋🏽', 'utf8')
    assert.deepEqual(openPayload(sealPayload(key.publicKey, plaintext, format), [key]), plaintext)
  })
}

test('sealPayload v2 starts with the SGW magic, version 2 and the key id', () => {
  const key = generatedKey('x25519')
  const sealed = Buffer.from(sealPayload(key.publicKey, Buffer.from('x'), 'v2'), 'base64')
  assert.deepEqual({ magic: sealed.subarray(0, 4).toString('latin1'), suite: sealed[4], keyId: sealed.subarray(5, 13) }, { magic: 'SGW\u0002', suite: 2, keyId: key.keyId })
})

test('openPayload v2 detects any flipped bit with SMSGW_TAMPERED', () => {
  for (const type of ['rsa', 'x25519'] as const) {
    const key = generatedKey(type)
    const sealed = Buffer.from(sealPayload(key.publicKey, Buffer.from('To: +1\n\nsecret'), 'v2'), 'base64')
    for (const offset of [14, sealed.length - 20, sealed.length - 1]) {
      const tampered = Buffer.from(sealed)
      tampered[offset] = (tampered[offset] ?? 0) ^ 0x01
      assert.throws(() => openPayload(tampered.toString('base64'), [key]), (error: { code: string }) => ['SMSGW_TAMPERED', 'SMSGW_WRONG_KEY', 'SMSGW_TRUNCATED'].includes(error.code))
    }
  }
})

test('openPayload v2 picks the key named by the key id among a client\'s rotated keys', () => {
  const current = generatedKey('x25519', 'client')
  const retired = generatedKey('x25519', `client~${'00'.repeat(8)}`)
  const sealedToRetired = sealPayload(retired.publicKey, Buffer.from('old'), 'v2')
  assert.equal(openPayload(sealedToRetired, [current, retired]).toString(), 'old')
  assert.throws(() => openPayload(sealedToRetired, [current]), { code: 'SMSGW_UNKNOWN_KEY' })
})

test('openPayload legacy tries each RSA key of a client, current first', () => {
  const current = generatedKey('rsa')
  const retired = generatedKey('rsa', 'client~old')
  assert.equal(openPayload(sealPayload(retired.publicKey, Buffer.from('old'), 'legacy'), [current, retired]).toString(), 'old')
})

test('sealPayload refuses an X25519 key in the legacy format', () => {
  assert.throws(() => sealPayload(generatedKey('x25519').publicKey, Buffer.from('x'), 'legacy'), { code: 'SMSGW_UNSUPPORTED_KEY' })
})

test('sealPayload legacy output opens with the JDK cross-check legacy-payload.java', async () => {
  const plaintext = 'To: +255712345678\nSender: ACME\n\nHabari — ça va? 👋🏽 sixteen bytes!!'
  const sealed = sealPayload(testPub, Buffer.from(plaintext), 'legacy')
  const opened = await runJavaRef(['decrypt', fixturePath('zwets/builtin.vault'), VECTOR_VAULT_PASSWORD, 'test'], sealed)
  assert.equal(opened, plaintext)
})

test('openPayload opens what the JDK cross-check seals', async () => {
  const plaintext = 'To: +31629845432\nSender: JDK\n\nsealed by the JDK'
  const sealed = await runJavaRef(['encrypt-pub', fixturePath('zwets/test.pub')], plaintext)
  assert.equal(openPayload(sealed, testKeys).toString(), plaintext)
})

function runJavaRef (args: string[], input: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('java', [LEGACY_PAYLOAD_JAVA, ...args], { encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error === null) resolve(stdout)
      else reject(new Error(`${error.message}\n${stderr}`))
    })
    child.stdin?.end(input)
  })
}

test('openPayload fails only with a labelled SmsgwError on arbitrary input', () => {
  const x25519 = generatedKey('x25519')
  const seeds = [Buffer.from(vectors[0]?.payload ?? '', 'base64'), Buffer.from(sealPayload(x25519.publicKey, Buffer.from('To: +1\n\nx'), 'v2'), 'base64'),
    Buffer.from(sealPayloadAsHolder(x25519, Buffer.from('To: +1\n\nx')), 'base64')]
  fc.assert(fc.property(fc.oneof(
    fc.string(),
    fc.uint8Array({ maxLength: 600 }).map(bytes => Buffer.from(bytes).toString('base64')),
    // Mutations of real payloads reach deeper than random bytes do.
    fc.tuple(fc.constantFrom(...seeds), fc.nat(), fc.integer({ min: 1, max: 255 }), fc.nat()).map(([seed, at, flip, cut]) => {
      const bytes = Buffer.from(seed)
      bytes[at % bytes.length] = (bytes[at % bytes.length] ?? 0) ^ flip
      return bytes.subarray(0, bytes.length - (cut % 40)).toString('base64')
    })
  ), text => {
    try {
      openPayload(text, [...testKeys, x25519])
    } catch (error) {
      assert.ok(isSmsgwError(error), `unlabelled ${String(error)}`)
    }
  }), { numRuns: 400 })
})
