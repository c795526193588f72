import assert from 'node:assert/strict'
import { test } from 'node:test'
import { errorCodes } from '../../../src/errors.ts'
import { entityIdOf, hashIdentifier, identifierKeyFromKeyFile } from '../../../src/relay/vault/index.ts'
import { uuidV5Hex, DNS_NAMESPACE } from '../../../src/relay/vault/uuid-v5.ts'
import { readVectors, unwrap } from '../relaysms-vectors.ts'

// identifiers.json: upstream Vault hash_data and generate_eid, with its key-file handling (relay.md §7).
const vectors = readVectors('identifiers.json')

test('the identifier key is the first 32 characters of the key file\'s first line, as ASCII bytes', () => {
  const key = unwrap(identifierKeyFromKeyFile(`${vectors.hmac_key_file_first_line}\nanything else\n`))
  assert.equal(key.toString('hex'), vectors.hmac_key_effective_hex)
  assert.deepEqual(unwrap(identifierKeyFromKeyFile(`  ${vectors.hmac_key_file_first_line}\r\n`)), key)
  const code = (text: string): string => { const result = identifierKeyFromKeyFile(text); return result.ok ? 'loaded' : result.error.code }
  assert.deepEqual([code('short\n'), code(''), code(`${'é'.repeat(32)}\n`)], Array(3).fill(errorCodes.relayKeyFile))
})

test('hashIdentifier and entityIdOf give upstream\'s hash and entity id for a phone number and an e-mail', () => {
  const key = unwrap(identifierKeyFromKeyFile(vectors.hmac_key_file_first_line))
  for (const vector of vectors.cases) {
    const hash = hashIdentifier(key, vector.identifier)
    assert.deepEqual([hash, entityIdOf(hash)], [vector.hmac_sha512_hex, vector.eid], vector.identifier)
  }
})

test('uuidV5Hex matches RFC 9562\'s UUIDv5 example (DNS namespace, www.example.com)', () => {
  assert.equal(uuidV5Hex(DNS_NAMESPACE, 'www.example.com'), '2ed6657de927568b95e12665a8aea6a2')
})
