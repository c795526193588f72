import assert from 'node:assert/strict'
import { test } from 'node:test'
import { payloadRef } from '../harness/jdk.ts'
import { encrypt, smsgw, VECTOR_VAULT_PASSWORD, vectorPath } from './cli-fixtures.ts'

// `smsgw encrypt` and `enc-sms` (run in-process) against the JDK cross-check of the legacy
// format (test/fixtures/java/legacy-payload.java), which opens what they seal.

const builtinVault = vectorPath('builtin.vault')
const testPub = vectorPath('test.pub')
// Bytes, not text: the CLI seals any bytes, here UTF-8 and a byte that is not UTF-8.
const sms = Buffer.concat([Buffer.from('To: +31629845432\nSender: ACME\n\nGrüße 👋 ', 'utf8'), Buffer.of(0xff)])

test('encrypt seals standard input in the legacy format by default, which the JDK reference opens', async () => {
  const [byDefault, legacy] = await Promise.all([encrypt([testPub], sms), encrypt(['--format', 'legacy', testPub], sms)])
  assert.match(byDefault, /^ENCBA[A-Za-z0-9+/]+={0,2}$/)
  assert.match(legacy, /^ENCBA[A-Za-z0-9+/]+={0,2}$/)
  const opened = await Promise.all([byDefault, legacy].map(async sealed =>
    await payloadRef(['decrypt', builtinVault, VECTOR_VAULT_PASSWORD, 'test'], sealed)))
  assert.deepStrictEqual(opened, [sms, sms])
})

test('enc-sms writes To, then Sender, then the words of the body, and the JDK reference opens it', async () => {
  // The Java sms-client kept headers in a HashMap and wrote "Sender" before "To"; we write the
  // order given. Both parse to the same message.
  const result = await smsgw(['enc-sms', testPub, '+31629845432', 'ACME', 'hello', 'world'])
  assert.deepStrictEqual({ code: result.code, stderr: result.stderr }, { code: 0, stderr: '' })
  const sealed = result.stdout.toString('latin1')
  assert.match(sealed, /^ENCBA[A-Za-z0-9+/]+={0,2}$/)
  const opened = await payloadRef(['decrypt', builtinVault, VECTOR_VAULT_PASSWORD, 'test'], sealed)
  assert.equal(opened.toString('utf8'), 'To: +31629845432\nSender: ACME\n\nhello world')
})
