import assert from 'node:assert/strict'
import { test } from 'node:test'
import { errorCodes } from '../../../src/errors.ts'
import { decodeAppState, encodeAppState, newAppKeys, openState, sealState, STATE_FILE_FORMAT, type AppState } from '../../../src/relay/client/index.ts'
import { generateX25519KeyPair, initInitiatorState } from '../../../src/relay/ratchet/index.ts'
import { unwrap } from '../relaysms-vectors.ts'

// The state file of `smsgw relay app`: scrypt + AES-256-GCM under a password; nothing of the state
// in clear, a wrong password or an edited file refused with SMSGW_RELAY_APP_STATE.

const LLT = '0123456789abcdef0123456789abcdef:eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl'
/** Cheap parameters for the tests of the format; the defaults are tested once. */
const FAST = { N: 1024, r: 8, p: 1 }

function sampleState (): AppState {
  const keys = newAppKeys()
  const server = generateX25519KeyPair()
  return {
    session: { identifier: '+237650000009', keys, longLivedToken: LLT, serverPublishPublicKey: server.publicKey, deviceId: Buffer.alloc(32, 7), ratchet: unwrap(initInitiatorState(Buffer.alloc(32, 1), server.publicKey, generateX25519KeyPair)) },
    endpoints: { vault: '127.0.0.1:1', publisher: '127.0.0.1:2', tls: false },
    accounts: { mastodon: ['relaysms_user'] },
    pendingLinks: { twitter: { codeVerifier: 'verifier', redirectUrl: 'https://example.org/r' } }
  }
}

test('a sealed state opens with its password into the same state, and holds nothing of it in clear', () => {
  const state = sampleState()
  const plain = encodeAppState(state)
  const file = sealState(plain, 'state-pw')
  const envelope = JSON.parse(file.toString('utf8'))
  assert.deepEqual([envelope.format, envelope.kdf.name, envelope.kdf.N, envelope.kdf.r, envelope.kdf.p], [STATE_FILE_FORMAT, 'scrypt', 32768, 8, 1])
  const reopened = unwrap(decodeAppState(unwrap(openState(file, 'state-pw'))))
  assert.deepEqual(encodeAppState(reopened), plain)
  const secrets = [LLT, LLT.slice(33), state.session.keys.publish.privateKey.toString('base64'), state.session.keys.deviceId.privateKey.toString('base64'), 'relaysms_user', '+237650000009', 'verifier']
  assert.deepEqual(secrets.filter(secret => file.includes(secret)), [])
  assert.ok(!file.includes(state.session.keys.publish.privateKey))
})

test('a wrong password, an edited parameter, an edited byte and a file that is not a state are refused clearly', () => {
  const file = sealState(encodeAppState(sampleState()), 'state-pw', FAST)
  const failure = (bytes: Buffer, password = 'state-pw'): [string, string] | 'opened' => { const result = openState(bytes, password); return result.ok ? 'opened' : [result.error.code, result.error.message] }
  assert.deepEqual(failure(file, 'wrong'), [errorCodes.relayAppState, 'the state file does not open: wrong password, or the file was changed'])
  const envelope = JSON.parse(file.toString('utf8'))
  const edited = (change: (value: any) => void): Buffer => { const copy = structuredClone(envelope); change(copy); return Buffer.from(JSON.stringify(copy)) }
  assert.deepEqual(failure(edited(value => { value.kdf.r = 4 })), [errorCodes.relayAppState, 'the state file does not open: wrong password, or the file was changed'])
  const sealed = Buffer.from(envelope.sealed, 'base64')
  sealed[0] = (sealed[0] as number) ^ 1
  assert.deepEqual(failure(edited(value => { value.sealed = sealed.toString('base64') }))[0], errorCodes.relayAppState)
  assert.deepEqual(failure(edited(value => { value.kdf.N = 2 ** 24 })), [errorCodes.relayAppState, 'not a state file of smsgw relay app: its scrypt parameters are beyond what this program accepts'])
  assert.deepEqual(failure(Buffer.from('not json')), [errorCodes.relayAppState, 'not a state file of smsgw relay app: it is not JSON'])
  assert.deepEqual(failure(Buffer.from('{"format":"other","version":1}'))[0], errorCodes.relayAppState)
  assert.equal(unwrap(openState(file, 'state-pw')).length > 0, true)
})
