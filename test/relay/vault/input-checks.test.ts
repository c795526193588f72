import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { errorCodes } from '../../../src/errors.ts'
import { checkEmailAddress, checkX25519PublicKeyField, decodeLenientBase64, normalizePhoneNumber } from '../../../src/relay/vault/index.ts'
import { readVectors, unwrap } from '../relaysms-vectors.ts'

// relay-wire.md §1 and §4: the vault's field checks and the exact texts the app shows.
const deviceIds = readVectors('device-id.json')
const keyB64 = deviceIds.cases[0].client_device_id_pub_key_b64

test('a key in Android Base64.DEFAULT form (line feed, wrapped) is accepted', () => {
  const wrapped = `${keyB64.slice(0, 20)}\n${keyB64.slice(20)}\n`
  assert.equal(unwrap(checkX25519PublicKeyField('client_publish_pub_key', wrapped)).toString('hex'), deviceIds.cases[0].client_device_id_pub_key)
})

test('bad keys get the exact details strings of relay-wire.md §4', () => {
  const message = (text: string): string => { const result = checkX25519PublicKeyField('client_device_id_pub_key', text); return result.ok ? 'accepted' : `${result.error.code} ${result.error.message}` }
  assert.deepEqual([message('abc'), message('AAAA'), message(Buffer.alloc(32).toString('base64')), message(keyB64.replace('/', '_'))], [
    'SMSGW_RELAY_INVALID_INPUT The client_device_id_pub_key field has an Invalid base64 encoding.',
    'SMSGW_RELAY_INVALID_INPUT The client_device_id_pub_key field has an Invalid X25519 public key: An X25519 public key is 32 bytes long.',
    'SMSGW_RELAY_INVALID_INPUT The client_device_id_pub_key field has an Invalid X25519 public key: it is a low-order point.',
    // The URL-safe alphabet is not the app's: refused (upstream would drop the '_' and then fail).
    'SMSGW_RELAY_INVALID_INPUT The client_device_id_pub_key field has an Invalid base64 encoding.'
  ])
})

test('e-mail addresses follow upstream\'s pattern, kept as given; phone numbers lose their whitespace', () => {
  assert.equal(unwrap(checkEmailAddress('Alice.B+x@Example.co')), 'Alice.B+x@Example.co')
  const refused = ['alice', 'a@b', 'a@b.c', 'a b@c.de', 'a@b.de\n', `${'a'.repeat(320)}@b.de`].map(text => {
    const result = checkEmailAddress(text)
    return result.ok ? 'accepted' : `${result.error.code} ${result.error.message}`
  })
  assert.deepEqual(refused, Array(6).fill(`${errorCodes.relayInvalidInput} Invalid email address format.`))
  assert.equal(normalizePhoneNumber(' +237 123\t456\u00a0789\n'), '+237123456789')
})

test('decodeLenientBase64 never throws and ignores only whitespace', () => {
  assert.deepEqual(decodeLenientBase64(' aGk=\n'), Buffer.from('hi'))
  assert.equal(decodeLenientBase64('aGk'), undefined)
  fc.assert(fc.property(fc.string({ maxLength: 200 }), text => {
    const decoded = decodeLenientBase64(text)
    const compact = text.replace(/\s+/g, '')
    // Non-zero trailing bits are accepted, as Python's non-strict decoder accepts them.
    if (decoded !== undefined) assert.ok(compact.length % 4 === 0 && decoded.equals(Buffer.from(compact, 'base64')))
  }), { numRuns: 3000 })
})
