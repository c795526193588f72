import assert from 'node:assert/strict'
import { createPublicKey } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { sealPayload } from '../../../src/crypto/payload/index.ts'
import type { VaultKey } from '../../../src/crypto/vault/vault-key.ts'
import { Vault } from '../../../src/crypto/vault/vault.ts'
import { openRequest, type OpenVerdict } from '../../../src/gateway/stages/open-request.ts'
import { fixturePath, VECTOR_VAULT_PASSWORD } from '../../harness/fixtures.ts'

interface SealedVector { name: string, payload: string }
const vectors: SealedVector[] = JSON.parse(readFileSync(fixturePath('zwets/sealed-payloads.json'), 'utf8'))
const payloadOf = (name: string): string => {
  const vector = vectors.find(candidate => candidate.name === name)
  assert.ok(vector, `vector ${name}`)
  return vector.payload
}
const testKeys = (await Vault.load(fixturePath('zwets/builtin.vault'), VECTOR_VAULT_PASSWORD)).keysFor('test')
const testPub = createPublicKey({ key: Buffer.from(readFileSync(fixturePath('zwets/test.pub'), 'utf8'), 'base64'), format: 'der', type: 'spki' })

// Maps compare by entries; a plain object shows failures more readably.
type Shown = { kind: 'continue', headers: Record<string, string>, body: string } | OpenVerdict
const shown = (verdict: OpenVerdict): Shown =>
  verdict.kind === 'continue' ? { kind: 'continue', headers: Object.fromEntries(verdict.sms.headers), body: verdict.sms.body } : verdict
const opened = (headers: Record<string, string>, body: string): Shown => ({ kind: 'continue', headers, body })
const invalid = (reason: string): Shown => ({ kind: 'status', status: 'INVALID', errorText: `Failed to parse request payload: ${reason}` })

// Every vector of test/fixtures/zwets/sealed-payloads.json, made by the JDK for builtin.vault.
const outcomes: ReadonlyArray<readonly [name: string, outcome: Shown]> = [
  ['happy-lf', opened({ To: '+31629845432', Sender: 'TEST SENDER' }, 'Hello, S1D1 world')],
  ['happy-crlf', opened({ To: '+255712345678', Sender: 'ACME' }, 'Line one\nLine two')],
  ['utf8-body', opened({ To: '+31629845432', Sender: 'Zwets' }, 'Grüße aus Dar es Salaam — ça va? 👋🏽')],
  ['len-multiple-of-16', opened({ To: '+1', Sender: 'X' }, '12345678')],
  ['extra-headers', opened({ To: '+31629845432', Sender: 'TEST', 'X-Campaign': '42', Priority: 'high' }, 'body')],
  ['long-body', opened({ To: '+31629845432', Sender: 'TEST' }, 'The quick brown fox jumps over the lazy dog. '.repeat(12))],
  ['empty-body', opened({ To: '+31629845432', Sender: 'TEST' }, '')],
  ['no-blank-line', invalid('Invalid message: headers not terminated by empty line')],
  ['bad-header', invalid("Invalid message header: '-Bad: x'")],
  ['no-plus', opened({ To: '31629845432', Sender: 'TEST' }, 'body')],
  ['not-digits', opened({ To: '+3162984543a', Sender: 'TEST' }, 'body')],
  ['no-to', opened({ Sender: 'TEST' }, 'body')],
  ['wrong-key', invalid('payload was not sealed to this key')]
]

test('openRequest has an expected outcome for every shared vector', () => {
  assert.deepStrictEqual(outcomes.map(([name]) => name).sort(), vectors.map(vector => vector.name).sort())
})

for (const [name, outcome] of outcomes) {
  test(`openRequest ${outcome.kind === 'continue' ? 'opens' : 'refuses'} the vector ${name}`, () => {
    assert.deepStrictEqual(shown(openRequest(payloadOf(name), testKeys)), outcome)
  })
}

test('openRequest refuses with the base64 reason when the payload is not base64', () => {
  assert.deepStrictEqual(openRequest('ENC!!', testKeys), invalid('payload is not valid base64'))
  assert.deepStrictEqual(openRequest('', testKeys), invalid('payload is not valid base64'))
})

test('openRequest refuses with the magic reason when the payload is base64 of something else', () => {
  assert.deepStrictEqual(openRequest(Buffer.from('hello world!').toString('base64'), testKeys), invalid('payload has an unknown format (bad magic)'))
})

test('openRequest refuses with the key reason when the client has no key', () => {
  assert.deepStrictEqual(openRequest(payloadOf('happy-lf'), []), invalid('payload was sealed to a 2048-bit RSA key this client has not'))
})

test('openRequest reads invalid UTF-8 in the plaintext as U+FFFD, as Java does', () => {
  const plaintext = Buffer.concat([Buffer.from('To: +1\nSender: X\n\nab'), Buffer.from([0xff, 0xc3]), Buffer.from('c')])
  assert.deepStrictEqual(shown(openRequest(sealPayload(testPub, plaintext, 'legacy'), testKeys)), opened({ To: '+1', Sender: 'X' }, 'ab\uFFFD\uFFFDc'))
})

test('openRequest opens a v2 payload sealed to the client key', () => {
  const plaintext = Buffer.from('To: +255712345678\nSender: ACME\n\nv2 body')
  assert.deepStrictEqual(shown(openRequest(sealPayload(testPub, plaintext, 'v2'), testKeys)), opened({ To: '+255712345678', Sender: 'ACME' }, 'v2 body'))
})

test('openRequest gives a generic reason and echoes nothing when something else than an SmsgwError is thrown', () => {
  const exploding = { filter () { throw new TypeError('To: +31629845432 leaked') } } as unknown as VaultKey[]
  assert.deepStrictEqual(openRequest(payloadOf('happy-lf'), exploding), invalid('payload could not be opened'))
})
