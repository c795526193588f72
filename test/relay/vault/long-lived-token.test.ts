import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { errorCodes } from '../../../src/errors.ts'
import { fernetDecrypt, fernetEncrypt, issueLongLivedToken, LLT_LIFETIME_SECONDS, openLongLivedTokenResponse, verifyLongLivedToken } from '../../../src/relay/vault/index.ts'
import { hex, readVectors, unwrap } from '../relaysms-vectors.ts'

// llt.json: upstream Vault generate_llt with its clock and Fernet's time and IV pinned (relay.md §2).
const llt = readVectors('llt.json')
const secret = hex(llt.inputs.device_id_shared_key)
const iat = llt.inputs.iat

test('issueLongLivedToken reproduces upstream\'s JWT, Fernet token and response byte for byte', async () => {
  assert.equal(Buffer.from(llt.inputs.fernet_key, 'base64url').toString('hex'), llt.inputs.device_id_shared_key)
  const issued = await issueLongLivedToken(llt.inputs.eid, secret, { nowSeconds: iat, fernetIv: hex(llt.inputs.fernet_iv) })
  assert.equal(issued.plain, llt.long_lived_token_plain)
  assert.equal(issued.plain.split(':')[1], llt.jwt)
  assert.equal(Buffer.from(issued.response, 'base64').toString(), llt.fernet_token)
  assert.equal(issued.response, llt.long_lived_token_response)
  assert.equal(llt.jwt_payload.exp - llt.jwt_payload.iat, LLT_LIFETIME_SECONDS)
})

test('upstream\'s token opens and verifies here, as the app and the Vault use it', async () => {
  assert.equal(unwrap(openLongLivedTokenResponse(llt.long_lived_token_response, secret)), llt.long_lived_token_plain)
  assert.equal(fernetDecrypt(secret, llt.fernet_token).ok, true)
  assert.deepEqual(unwrap(await verifyLongLivedToken(llt.long_lived_token_plain, secret, iat + 60)), { eid: llt.inputs.eid })
  // Fernet with the pinned time and IV gives upstream's token from its plaintext alone.
  assert.equal(fernetEncrypt(secret, Buffer.from(llt.long_lived_token_plain), { nowSeconds: llt.inputs.fernet_time, iv: hex(llt.inputs.fernet_iv) }), llt.fernet_token)
})

test('verifyLongLivedToken refuses other secrets, another eid, expiry and malformed text with SMSGW_RELAY_TOKEN_INVALID', async () => {
  const [eid, jwt] = llt.long_lived_token_plain.split(':')
  const otherEid = `${eid.slice(0, 31)}${eid.endsWith('0') ? '1' : '0'}`
  const outcomes = await Promise.all([
    verifyLongLivedToken(llt.long_lived_token_plain, Buffer.alloc(32, 1), iat),
    verifyLongLivedToken(`${otherEid}:${jwt}`, secret, iat),
    verifyLongLivedToken(llt.long_lived_token_plain, secret, llt.jwt_payload.exp + 1),
    verifyLongLivedToken(jwt, secret, iat),
    verifyLongLivedToken(`${eid}:`, secret, iat),
    // The same claims unsigned (alg none): only HS256 is accepted.
    verifyLongLivedToken(`${eid}:${Buffer.from('{"typ":"JWT","alg":"none"}').toString('base64url')}.${jwt.split('.')[1]}.`, secret, iat),
    verifyLongLivedToken(`${eid}:${'a'.repeat(2000)}`, secret, iat)
  ])
  assert.deepEqual(outcomes.map(outcome => outcome.ok ? 'verified' : outcome.error.code), Array(7).fill(errorCodes.relayTokenInvalid))
})

test('fernetDecrypt refuses bit flips and hostile text, never throws', () => {
  const token = Buffer.from(llt.fernet_token, 'base64url')
  for (let index = 0; index < token.length; index += 7) {
    const flipped = Buffer.from(token)
    flipped[index] = (flipped[index] as number) ^ 1
    assert.equal(fernetDecrypt(secret, flipped.toString('base64url')).ok, false)
  }
  fc.assert(fc.property(fc.string({ maxLength: 300 }), text => {
    const result = fernetDecrypt(secret, text)
    assert.ok(!result.ok && result.error.code === errorCodes.relayTokenInvalid)
  }), { numRuns: 2000 })
})
